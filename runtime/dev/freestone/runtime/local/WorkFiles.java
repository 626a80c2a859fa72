package dev.freestone.runtime.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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
     * (no copy of large data), copies otherwise. A link shares its stored object's inode, so its mode
     * is the object's and is never changed here: turning an executable file of a tree into
     * {@code r--r--r--} would take that bit from the stored object (whose digest counts it) for every
     * later reader. Copies keep the object's mode; only the folders made here are made read-only.
     * Returns the size and time of every file linked, to tell afterwards whether it was written.
     */
    static List<Stamp> linkTree(Path from, Path to) throws IOException {
        List<Path> folders = new ArrayList<>();
        List<Stamp> linked = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                // one stat per file: its type, and the size and time a link keeps (it is the same inode)
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isDirectory()) {
                    Files.createDirectories(dest);
                    folders.add(dest);
                } else {
                    try {
                        Files.createLink(dest, p);
                        linked.add(new Stamp(p, a.size(), a.lastModifiedTime()));
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        // deepest first, so that a folder is still writable while its subfolders are made
        for (int i = folders.size() - 1; i >= 0; i--) {
            Path q = folders.get(i);
            try {
                Files.setPosixFilePermissions(q, PosixFilePermissions.fromString("r-xr-xr-x"));
            } catch (UnsupportedOperationException e) {
                q.toFile().setReadOnly();
            }
        }
        return linked;
    }

    /**
     * A stored file as a step was given it (by a hard link): a step that writes it changes its size
     * or its modification time. (Read-only modes do not stop a step run as root, nor one that makes
     * its link writable first, and the link is the stored object itself.)
     */
    record Stamp(Path file, long size, FileTime modified) {
        static Stamp of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new Stamp(file, a.size(), a.lastModifiedTime());
        }

        /** Whether the file may have been written since (or is gone). */
        boolean changed() {
            try {
                Stamp now = of(file);
                return now.size != size || !now.modified.equals(modified);
            } catch (IOException e) {
                return true;
            }
        }
    }

    /**
     * Deletes a tree the engine made, restoring write permission on its folders only: deleting a file
     * needs its folder writable, not the file, and a file there may be a hard link to a stored object
     * (a step may link an input into {@code out/}), whose mode must stay read-only.
     */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            List<Path> all = walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
            for (Path q : all) {
                if (Files.isDirectory(q, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    q.toFile().setWritable(true);
                }
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
