package dev.freestone.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the read-only reference data ({@code ../shared}: Argo's schema and CRDs, Kubeflow CRDs, status
 * payloads) is. {@code .ci/run} sets {@code -Dfreestone.shared=...} and {@code -Dfreestone.requireShared=true};
 * on a user's fresh clone the property is empty and the tests that need the data are skipped with a message
 * that says so. CI never skips them: with {@code requireShared} a missing directory fails the test.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path sharedDir() {
        String dir = System.getProperty("freestone.shared", "");
        boolean required = Boolean.parseBoolean(System.getProperty("freestone.requireShared", "false"));
        if (dir.isBlank() || !Files.isDirectory(Path.of(dir))) {
            String why = dir.isBlank()
                    ? "the system property freestone.shared is not set"
                    : "freestone.shared=" + dir + " is not a directory";
            if (required) {
                fail("reference data is required (freestone.requireShared=true) but " + why);
            }
            abort("skipped: " + why + "; run .ci/run (or pass -Dfreestone.shared=../shared) to validate against"
                    + " Argo's schema and the Kubeflow CRDs");
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    private static boolean told;

    /**
     * Whether the reference data is there, for checks that are one part of a larger test (the golden
     * and property tests validate against Argo's schema when they can, and do the rest of their work
     * either way). Missing data fails under {@code freestone.requireShared=true}; otherwise a note is
     * printed once and the caller leaves that part out.
     */
    public static synchronized boolean isAvailable() {
        String dir = System.getProperty("freestone.shared", "");
        if (!dir.isBlank() && Files.isDirectory(Path.of(dir))) {
            return true;
        }
        if (Boolean.parseBoolean(System.getProperty("freestone.requireShared", "false"))) {
            fail("reference data is required (freestone.requireShared=true) but freestone.shared=" + dir + " is missing");
        }
        if (!told) {
            told = true;
            System.err.println("note: freestone.shared is not set: manifests are checked by ArgoLint only, not against"
                    + " Argo's schema (run .ci/run, or pass -Dfreestone.shared=../shared)");
        }
        return false;
    }

    /** A file under the shared directory, e.g. {@code argo/schema.json}; fails when it is missing. */
    public static Path file(String relative) {
        Path p = sharedDir().resolve(relative);
        if (!Files.exists(p)) {
            fail("missing reference file " + p);
        }
        return p;
    }

    /** The project's base directory (surefire sets freestone.basedir; the working directory otherwise). */
    public static Path projectDir() {
        String dir = System.getProperty("freestone.basedir", "");
        return (dir.isBlank() ? Path.of("") : Path.of(dir)).toAbsolutePath().normalize();
    }
}
