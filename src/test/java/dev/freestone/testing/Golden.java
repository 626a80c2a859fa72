package dev.freestone.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Golden files: an input beside its expected output, compared as text. With
 * {@code -Dfreestone.regenerate=true} the expected files are rewritten instead (review the diff).
 */
public final class Golden {
    private Golden() {
    }

    /** The project directory: Maven passes {@code freestone.basedir}; an IDE run falls back to the working directory. */
    public static Path projectDir() {
        String dir = System.getProperty("freestone.basedir", "");
        return dir.isBlank() ? Paths.get("").toAbsolutePath() : Paths.get(dir);
    }

    public static boolean regenerate() {
        return Boolean.getBoolean("freestone.regenerate");
    }

    /** {@code src/test/resources/golden/<phase>}. */
    public static Path dir(String phase) {
        return projectDir().resolve("src/test/resources/golden").resolve(phase);
    }

    /** The inputs of a phase with the given suffix, sorted by name. */
    public static List<Path> inputs(String phase, String suffix) {
        Path dir = dir(phase);
        assertTrue(Files.isDirectory(dir), "missing golden directory " + dir);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compares {@code actual} with the expected file, or writes it when regenerating. */
    public static void check(Path expected, String actual) {
        if (regenerate()) {
            try {
                Files.writeString(expected, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        assertTrue(Files.exists(expected), "missing " + expected.getFileName() + "; run with -Dfreestone.regenerate=true");
        assertEquals(read(expected), actual, expected.getFileName().toString());
    }

    /** A stale expected file of the other kind (say a .diag for a case that now parses) is an error. */
    public static void absent(Path unexpected) {
        if (regenerate()) {
            try {
                Files.deleteIfExists(unexpected);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        assertTrue(!Files.exists(unexpected), "stale " + unexpected.getFileName());
    }
}
