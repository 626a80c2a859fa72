package dev.freestone.runtime.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * File-tree chores of a step's work directory: read-only views of stored artifacts (hard links
 * where the file system allows, copies otherwise) and removal of trees that may be read-only.
 */
final class WorkFiles {
    private WorkFiles() {
    }

    /**
     * Creates a step's {@code <task>/attempt-<n>} directory (either may exist already) in two system
     * calls where {@link Files#createDirectories} takes about seven; missing ancestors are made too.
     */
    static void createDirectory(Path dir) throws IOException {
        try {
            mkdirIfAbsent(dir.getParent());
            mkdirIfAbsent(dir);
        } catch (NoSuchFileException e) {
            Files.createDirectories(dir);
        }
    }

    static void mkdirIfAbsent(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /**
     * Makes {@code to} a read-only view of {@code from}: hard links where the file system allows
     * (no copy of large data), copies otherwise.
     */
    static void linkTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    try {
                        Files.createLink(dest, p);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(p, dest);
                    }
                }
            }
        }
        markReadOnly(to);
    }

    static void markReadOnly(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            // files first, then directories deepest first, so the walk itself is never blocked
            List<Path> all = walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
            for (Path q : all) {
                try {
                    Files.setPosixFilePermissions(q, PosixFilePermissions.fromString(
                            Files.isDirectory(q) ? "r-xr-xr-x" : "r--r--r--"));
                } catch (UnsupportedOperationException e) {
                    q.toFile().setReadOnly();
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            List<Path> all = walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
            for (Path q : all) {
                q.toFile().setWritable(true);
                if (q.getParent() != null) {
                    q.getParent().toFile().setWritable(true);
                }
                try {
                    Files.deleteIfExists(q);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
