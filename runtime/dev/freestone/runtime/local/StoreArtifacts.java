package dev.freestone.runtime.local;

import dev.freestone.runtime.store.ArtifactStore;
import dev.freestone.runtime.store.StoredArtifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The engine's view of the run store's {@link ArtifactStore}: digests are the store's (64 hex
 * digits). A step's output is deleted from its work directory once stored, so a large model is
 * not kept twice.
 */
public final class StoreArtifacts implements Artifacts {
    private final ArtifactStore store;

    public StoreArtifacts(ArtifactStore store) {
        this.store = store;
    }

    /** The artifact store under {@code root} ({@code <home>/artifacts}), created if needed. */
    public static StoreArtifacts open(Path root) throws IOException {
        return new StoreArtifacts(ArtifactStore.open(root));
    }

    @Override
    public String put(Path source) throws IOException {
        StoredArtifact stored = store.put(source);
        WorkFiles.deleteTree(source);
        return stored.digest();
    }

    @Override
    public Optional<Path> locate(String digest) {
        return store.get(digest);
    }

    @Override
    public boolean intact(String digest) throws IOException {
        return store.intact(digest);
    }

    @Override
    public void evict(String digest) throws IOException {
        store.evict(digest);
    }

    /** The stored object of {@code digest}, with its size, or empty when it is not stored. */
    Optional<StoredArtifact> stored(String digest) throws IOException {
        Optional<Path> p = store.get(digest);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        Path path = p.get();
        if (!Files.isDirectory(path)) {
            return Optional.of(new StoredArtifact(digest, Files.size(path), false, path));
        }
        long size = 0;
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(f)) {
                    size += Files.size(f);
                }
            }
        }
        return Optional.of(new StoredArtifact(digest, size, true, path));
    }
}
