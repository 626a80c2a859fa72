package dev.freestone.runtime.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A content-addressed artifact store as the engine uses it: {@link StoreArtifacts} is the run
 * store's. A digest is opaque to the engine (equal content, equal digest). Stored content is
 * read-only. Thread-safe.
 */
public interface Artifacts {
    /**
     * Stores the file or directory at {@code source}, which the engine owns and will not use again
     * (an implementation may move it), and returns its digest.
     */
    String put(Path source) throws IOException;

    /** Where the content of {@code digest} is (a file or a directory), or empty when it is not stored. */
    Optional<Path> locate(String digest);

    /** Whether the content of {@code digest} is stored and still hashes to {@code digest}. */
    boolean intact(String digest) throws IOException;

    /** Removes the content of {@code digest}, which no longer hashes to it, so that nothing reads it again. */
    void evict(String digest) throws IOException;
}
