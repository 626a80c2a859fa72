package dev.freestone.lower.argo;

import java.util.Comparator;

/**
 * One place where a manifest breaks a JSON schema (Argo's, or a CRD's {@code openAPIV3Schema}).
 *
 * @param path    the offending value, e.g. {@code $.spec.templates[0].containr}
 * @param keyword the schema keyword that failed ({@code additionalProperties}, {@code type}, {@code required}, ...)
 * @param message what is wrong, lower case, naming the path's last field where that helps
 */
public record SchemaProblem(ManifestPath path, String keyword, String message) implements Comparable<SchemaProblem> {
    private static final Comparator<SchemaProblem> ORDER = Comparator.comparing(SchemaProblem::path)
            .thenComparing(SchemaProblem::keyword).thenComparing(SchemaProblem::message);

    @Override
    public int compareTo(SchemaProblem o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return path + ": " + message + " [" + keyword + "]";
    }
}
