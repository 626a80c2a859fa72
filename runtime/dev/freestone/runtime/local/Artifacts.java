package dev.freestone.runtime.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A content-addressed artifact store as the engine uses it. The run store's artifact store
 * implements it; {@link FileArtifacts} is a directory. Digests are {@code sha256:<hex>}; a directory
 * artifact's digest covers its relative paths and file contents (see {@link FileArtifacts#digest}).
 * Stored content is read-only. Thread-safe.
 */
public interface Artifacts {
    /**
     * Stores the file or directory at {@code source}, which the engine owns and will not use again
     * (an implementation may move it), and returns its digest.
     */
    String put(Path source) throws IOException;

    /** Where the content of {@code digest} is (a file or a directory), or empty when it is not stored. */
    Optional<Path> locate(String digest);
}
