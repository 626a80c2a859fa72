package dev.freestone.runtime.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A content-addressed store in a directory: {@code <root>/sha256/<hex>} holds a file or a directory,
 * read-only. A file's digest is the SHA-256 of its bytes (what {@code sha256sum} prints); a
 * directory's is the SHA-256 of a listing of its entries, sorted by relative path, with each file's
 * own digest, so equal trees get equal digests wherever they are.
 */
public final class FileArtifacts implements Artifacts {
    private static final String PREFIX = "sha256:";
    private final Path root;

    public FileArtifacts(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Override
    public String put(Path source) throws IOException {
        String digest = digest(source);
        Path target = pathOf(digest);
        if (Files.exists(target)) {
            deleteTree(source);
            return digest;
        }
        Files.createDirectories(target.getParent());
        // stage beside the target so the final step is one atomic rename, safe against a concurrent put
        Path staging = target.resolveSibling(".staging-" + UUID.randomUUID());
        try {
            Files.move(source, staging, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
            copyTree(source, staging);
            deleteTree(source);
        }
        markReadOnly(staging);
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            deleteTree(staging);
        }
        return digest;
    }

    @Override
    public Optional<Path> locate(String digest) {
        if (!digest.startsWith(PREFIX) || !digest.substring(PREFIX.length()).matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        Path p = pathOf(digest);
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    private Path pathOf(String digest) {
        return root.resolve("sha256").resolve(digest.substring(PREFIX.length()));
    }

    /** The digest of a file or a directory tree, {@code sha256:<hex>}. */
    public static String digest(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            MessageDigest md = sha256();
            md.update("freestone-tree-v1\n".getBytes(StandardCharsets.UTF_8));
            List<Path> entries;
            try (Stream<Path> walk = Files.walk(source)) {
                entries = walk.filter(p -> !p.equals(source)).sorted().toList();
            }
            for (Path p : entries) {
                String rel = source.relativize(p).toString().replace('\\', '/');
                String line = Files.isDirectory(p) ? "D " + rel + "\n" : "F " + rel + "\0" + fileHex(p) + "\n";
                md.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return PREFIX + HexFormat.of().formatHex(md.digest());
        }
        return PREFIX + fileHex(source);
    }

    private static String fileHex(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
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
