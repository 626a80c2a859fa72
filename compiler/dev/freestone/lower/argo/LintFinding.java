package dev.freestone.lower.argo;

import java.util.Comparator;

/**
 * One {@link ArgoLint} finding.
 *
 * @param code     the catalog entry ({@link LintCode}); its name ({@code A013}) is stable
 * @param document index of the manifest in the list given to {@link ArgoLint#lint(java.util.List)} (0 for one)
 * @param path     where in that manifest, e.g. {@code $.spec.templates[0].dag.tasks[2].depends}
 * @param message  the rendered message
 */
public record LintFinding(LintCode code, int document, ManifestPath path, String message)
        implements Comparable<LintFinding> {
    private static final Comparator<LintFinding> ORDER = Comparator.comparingInt(LintFinding::document)
            .thenComparing(LintFinding::path).thenComparing(LintFinding::code).thenComparing(LintFinding::message);

    @Override
    public int compareTo(LintFinding o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return code + " " + (document == 0 ? "" : "#" + document + " ") + path + ": " + message;
    }
}
