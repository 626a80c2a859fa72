package dev.freestone.runtime.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An object in the {@link ArtifactStore}.
 *
 * @param size      bytes of the file, or the sum of the file sizes of a directory
 * @param directory whether the object is a directory tree
 * @param path      where the read-only object lives
 */
public record StoredArtifact(String digest, long size, boolean directory, Path path) {
    public StoredArtifact {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(path, "path");
    }
}
