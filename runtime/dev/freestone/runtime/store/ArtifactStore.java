package dev.freestone.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Content-addressed, read-only storage of artifacts: the object with SHA-256 {@code abcd...}
 * lives at {@code root/sha256/ab/abcd...}, so equal content is stored once.
 *
 * <p>Atomicity: content is streamed into {@code root/tmp/} while it is hashed, flushed to disk,
 * made read-only, and then renamed into place in one step. {@code tmp/} is on the same file
 * system as the objects (so the rename is atomic) but outside {@code sha256/}, so whatever a kill
 * leaves behind is never mistaken for an object; leftovers older than a day are removed on open.
 *
 * <p>Removal: objects no run refers to are removed by a {@link Sweep}, only while it holds the lock
 * file alone; {@link #hold} (and every {@code put}) shares it, so an object a run wrote or is about to
 * reuse, before a row names it, is never removed under it.
 *
 * <p>Directories are stored as trees, not as tar files: a step reads its input directory in place
 * with no unpacking, and the object is browsable. A tree's digest is the SHA-256 of its manifest
 * ({@value #TREE_HEADER} then one line {@code <kind> <mode> <size> <file sha256> <path>} per entry,
 * sorted by the UTF-8 bytes of the path; kind {@code d} or {@code f}, mode {@code x} for an
 * executable file, otherwise {@code -}); names, content and the executable bit count, times and
 * owners do not. Symbolic links and special files inside a directory are refused.
 */
public final class ArtifactStore {
    static final String TREE_HEADER = "freestone-tree-v1";
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final Duration STALE_TEMPORARY = Duration.ofDays(1);
    private static final HexFormat HEX = HexFormat.of();

    /** The lock file a sweep takes alone and every writer of objects shares (see {@link StoreLock}). */
    static final String LOCK_FILE = "lock";

    private final Path root;
    private final Path objects;
    private final Path tmp;
    private final Path lockFile;
    /** Whether this store shares the lock (guarded by this). */
    private boolean holding;

    private ArtifactStore(Path root) {
        this.root = root;
        this.objects = root.resolve("sha256");
        this.tmp = root.resolve("tmp");
        this.lockFile = root.resolve(LOCK_FILE);
    }

    /** Opens the store under {@code root}, creating it if needed. */
    public static ArtifactStore open(Path root) throws IOException {
        ArtifactStore store = new ArtifactStore(root.toAbsolutePath().normalize());
        Files.createDirectories(store.objects);
        if (!Files.exists(store.tmp, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(store.tmp);
        } // a link in its place (even to nothing) is refused by the first put, not by every command

        store.removeStaleTemporaries(Instant.now().minus(STALE_TEMPORARY));
        return store;
    }

    /** True for a well-formed digest: 64 lower-case hex digits. */
    public static boolean isDigest(String text) {
        return text != null && DIGEST.matcher(text).matches();
    }

    static void requireDigest(String digest) {
        if (!isDigest(digest)) {
            throw new IllegalArgumentException("not a SHA-256 digest: " + digest);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Keeps a sweep from removing objects until {@link #release}: taken by a process that is about to
     * reuse objects no row of its own names yet (a run: its cache hits, its inputs), and by every
     * {@code put} (an object is written before the row that names it is committed). Waits while a
     * sweep runs. A process that dies holds nothing.
     */
    public synchronized void hold() throws IOException {
        if (!holding) {
            if (!ownTemporaries()) {
                // a run is refused before it starts, rather than at its first output
                throw new StoreException(temporariesElsewhere(), temporariesHelp(), null);
            }
            StoreLock.share(lockFile);
            holding = true;
        }
    }

    /** Gives back what {@link #hold} took (the run store does when it is closed). */
    public synchronized void release() {
        if (holding) {
            holding = false;
            StoreLock.unshare(lockFile);
        }
    }

    /**
     * Whether {@code tmp/} is a folder of the store, not a link: objects are written there before they are
     * renamed into place, so through a link they would be written (and evicted ones deleted) elsewhere. One
     * {@code lstat}: a folder that is no link lies in the store's root, where {@code sha256/} is.
     */
    boolean ownTemporaries() {
        return Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS);
    }

    private String temporariesElsewhere() {
        return tmp + " is not a folder (a link to elsewhere?): artifacts are written there before they are moved"
                + " into the store, and Freestone writes nothing outside its home";
    }

    private String temporariesHelp() {
        return "make it a folder again: `rm " + tmp + " && mkdir " + tmp + "` (what a link names is left as it is)";
    }

    /** Refuses to write or move an object through a {@code tmp/} that is not the store's own folder. */
    private void requireOwnTemporaries() throws IOException {
        if (!ownTemporaries()) {
            throw new IOException(temporariesElsewhere() + "; " + temporariesHelp());
        }
    }

    /** The lock alone, for a sweep: empty when a process holds the store (see {@link #hold}). */
    Optional<AutoCloseable> tryAlone() throws IOException {
        return StoreLock.tryAlone(lockFile);
    }

    Path objectsDir() {
        return objects;
    }

    Path tmpDir() {
        return tmp;
    }

    /** Stores a file or a directory (as a tree) and returns its object. */
    public StoredArtifact put(Path source) throws IOException {
        hold();
        if (Files.isDirectory(source)) {
            return putTree(source);
        }
        if (!Files.isRegularFile(source)) {
            throw new IOException("cannot store " + source + ": not a regular file or a directory");
        }
        try (InputStream in = Files.newInputStream(source)) {
            return put(in);
        }
    }

    /** Stores the bytes of {@code in} (read to its end, not closed) and returns the object. */
    public StoredArtifact put(InputStream in) throws IOException {
        hold();
        requireOwnTemporaries();
        Path temporary = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            Hashed hashed = copyHashing(in, temporary);
            makeReadOnly(temporary, false);
            return publish(temporary, hashed.digest(), hashed.size(), false);
        } finally {
            deleteTree(temporary);
        }
    }

    /** The object's path, or empty when there is no such object (or {@code digest} is malformed). */
    public Optional<Path> get(String digest) {
        return exists(digest) ? Optional.of(pathOf(digest)) : Optional.empty();
    }

    /**
     * Whether there is an object for {@code digest}: a regular file or a folder (a tree). Whatever
     * else was put at its path by hand (a link, a FIFO, a socket) reads as no object at all.
     */
    public boolean exists(String digest) {
        return isDigest(digest) && kindOf(pathOf(digest)).isPresent();
    }

    /**
     * Whether the object of {@code digest} is there as what it was stored as: a file object replaced
     * by a folder by hand (or a tree by a file) is as gone as a deleted one. A check of its kind, no
     * re-hash, so that it stays cheap however large the object.
     */
    public boolean holds(String digest, boolean directory) {
        return isDigest(digest) && kindOf(pathOf(digest)).equals(Optional.of(directory));
    }

    /** True for a folder, false for a regular file, empty for nothing or anything else; links not followed. */
    private static Optional<Boolean> kindOf(Path path) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attrs.isDirectory() ? Optional.of(true) : attrs.isRegularFile() ? Optional.of(false) : Optional.empty();
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /**
     * The digest {@link #put(Path)} would give {@code source}, read and hashed without storing it (a
     * tree by its manifest).
     */
    public String digestOf(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            List<Entry> entries = new ArrayList<>();
            copyTree(source, null, "", entries, true);
            return manifestDigest(entries);
        }
        if (!Files.isRegularFile(source)) {
            throw new IOException("cannot store " + source + ": not a regular file or a directory");
        }
        try (InputStream in = Files.newInputStream(source)) {
            return hashing(in, null).digest();
        }
    }

    /**
     * Whether the object of {@code digest} still holds what its name says (read and hashed again):
     * false when it is missing or was written after it was stored.
     */
    public boolean intact(String digest) throws IOException {
        return exists(digest) && digestOf(pathOf(digest)).equals(digest);
    }

    /**
     * Removes an object that no longer holds what its name says, so that no step, cache hit or resume
     * reads it again; an earlier task that produced it then misses the cache and runs again.
     */
    public void evict(String digest) throws IOException {
        if (!isDigest(digest) || !Files.exists(pathOf(digest), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        requireOwnTemporaries();
        Path object = pathOf(digest);
        if (Files.isDirectory(object, LinkOption.NOFOLLOW_LINKS)) {
            // moving a folder to another parent rewrites its `..`: it must be writable (see putTree)
            object.toFile().setWritable(true, true);
        }
        Path aside = tmp.resolve(UUID.randomUUID() + ".evicted");
        Files.move(object, aside, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(aside);
    }

    /** The object of a digest is gone or no longer holds what its name says: what a reader of it must not pass on. */
    public static final class NotIntact extends IOException {
        private static final long serialVersionUID = 1L;

        NotIntact(String message) {
            super(message);
        }
    }

    /**
     * Copies the object of {@code digest} out of the store to {@code target}, which must not exist: a file, or a
     * folder tree whose files are executable where the object's are, with the usual modes of their owner (a copy to
     * work on, not a read-only object). Every byte is hashed as it is read, so the copy is what the digest names: when
     * it is not (the object was changed on disk, or is gone), what was written is removed and {@link NotIntact} is
     * thrown. Returns the size of the content (a tree's: the sum of its files').
     */
    public long copyOut(String digest, boolean directory, Path target) throws IOException {
        if (!holds(digest, directory)) {
            throw new NotIntact("the object " + pathOf(digest) + " is not in the artifact store");
        }
        Path object = pathOf(digest);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileAlreadyExistsException(target.toString()); // not ours to remove below
        }
        try {
            String read;
            long size;
            if (directory) {
                Files.createDirectory(target);
                List<Entry> entries = new ArrayList<>();
                copyTree(object, target, "", entries, false);
                read = manifestDigest(entries);
                size = entries.stream().mapToLong(Entry::size).sum();
            } else {
                Hashed hashed;
                try (InputStream in = Files.newInputStream(object, LinkOption.NOFOLLOW_LINKS)) {
                    hashed = copyHashing(in, target);
                }
                read = hashed.digest();
                size = hashed.size();
            }
            if (!read.equals(digest)) {
                throw new NotIntact("the object " + object + " no longer holds what was stored: its content's SHA-256 is "
                        + read + ", not " + digest);
            }
            syncDirectory(directory ? target : target.getParent());
            return size;
        } catch (IOException | RuntimeException e) {
            deleteTree(target);
            throw e;
        }
    }

    /** {@code chmod +x}: executable by those who may read it. */
    private static void makeExecutable(Path path) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (posix == null) {
            path.toFile().setExecutable(true);
            return;
        }
        Set<PosixFilePermission> modes = new java.util.HashSet<>(posix.readAttributes().permissions());
        if (modes.contains(PosixFilePermission.OWNER_READ)) {
            modes.add(PosixFilePermission.OWNER_EXECUTE);
        }
        if (modes.contains(PosixFilePermission.GROUP_READ)) {
            modes.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if (modes.contains(PosixFilePermission.OTHERS_READ)) {
            modes.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        posix.setPermissions(modes);
    }

    Path pathOf(String digest) {
        return objects.resolve(digest.substring(0, 2)).resolve(digest);
    }

    // ---- trees -------------------------------------------------------------------------------

    private record Entry(String path, boolean directory, boolean executable, long size, String digest) {
    }

    private record Hashed(String digest, long size) {
    }

    private StoredArtifact putTree(Path source) throws IOException {
        requireOwnTemporaries();
        Path temporary = tmp.resolve(UUID.randomUUID() + ".tree");
        try {
            Files.createDirectory(temporary);
            List<Entry> entries = new ArrayList<>();
            copyTree(source, temporary, "", entries, true);
            String digest = manifestDigest(entries);
            long size = entries.stream().mapToLong(Entry::size).sum();
            // its top folder stays writable until it is in place: moving a folder to another parent
            // rewrites its `..`, which a user other than root may not do in a read-only folder
            syncDirectory(temporary);
            return publish(temporary, digest, size, true);
        } finally {
            deleteTree(temporary);
        }
    }

    /** The digest of a tree: of its manifest, the entries sorted by the UTF-8 bytes of their paths. */
    private static String manifestDigest(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Arrays.compare(a.path().getBytes(StandardCharsets.UTF_8),
                b.path().getBytes(StandardCharsets.UTF_8)));
        StringBuilder manifest = new StringBuilder(TREE_HEADER).append('\n');
        for (Entry e : sorted) {
            manifest.append(e.directory() ? 'd' : 'f').append(' ')
                    .append(e.executable() ? 'x' : '-').append(' ')
                    .append(e.size()).append(' ')
                    .append(e.directory() ? "-" : e.digest()).append(' ')
                    .append(e.path()).append('\n');
        }
        return sha256(manifest.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Lists (and hashes) the tree under {@code from} into {@code entries}, copying it to {@code to} unless null:
     * {@code sealed}, as an object (read-only); else as a copy for the user (their usual modes, the executable bit kept).
     */
    private void copyTree(Path from, Path to, String prefix, List<Entry> entries, boolean sealed) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(from)) {
            stream.forEach(children::add);
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            String relative = prefix + name;
            if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
                throw new IOException("cannot store " + child + ": line breaks in file names are not supported");
            }
            BasicFileAttributes attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Path target = to == null ? null : to.resolve(name);
            if (attrs.isDirectory()) {
                entries.add(new Entry(relative, true, false, 0, ""));
                if (target != null) {
                    Files.createDirectory(target);
                }
                copyTree(child, target, relative + "/", entries, sealed);
                if (target != null && sealed) {
                    makeReadOnly(target, true);
                    syncDirectory(target);
                }
            } else if (attrs.isRegularFile()) {
                Hashed hashed;
                try (InputStream in = Files.newInputStream(child)) {
                    hashed = copyHashing(in, target);
                }
                boolean executable = Files.isExecutable(child);
                if (target != null && sealed) {
                    makeReadOnly(target, executable);
                } else if (target != null && executable) {
                    makeExecutable(target);
                }
                entries.add(new Entry(relative, false, executable, hashed.size(), hashed.digest()));
            } else if (attrs.isSymbolicLink()) {
                throw new IOException("cannot store " + child + ": symbolic links are not supported in directory artifacts");
            } else {
                throw new IOException("cannot store " + child + ": not a regular file or a directory");
            }
        }
    }

    // ---- files -------------------------------------------------------------------------------

    /**
     * Copies {@code in} to the new file {@code target}, hashing on the way, and flushes it to disk;
     * only hashes it when {@code target} is null.
     */
    private static Hashed copyHashing(InputStream in, Path target) throws IOException {
        if (target == null) {
            return hashing(in, null);
        }
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            Hashed hashed = hashing(in, out);
            out.flush();
            channel.force(true);
            return hashed;
        }
    }

    /** Reads {@code in} to its end, hashing it and writing it to {@code out} unless null. */
    private static Hashed hashing(InputStream in, OutputStream out) throws IOException {
        MessageDigest sha = newSha256();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            sha.update(buffer, 0, n);
            if (out != null) {
                out.write(buffer, 0, n);
            }
            size += n;
        }
        return new Hashed(HEX.formatHex(sha.digest()), size);
    }

    /** Renames the finished temporary into place unless the object already exists. */
    private StoredArtifact publish(Path temporary, String digest, long size, boolean directory) throws IOException {
        Path target = pathOf(digest);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !holds(digest, directory)) {
            // put there by hand (a folder for a file, a link, a FIFO): this object takes its place
            evict(digest);
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Path shard = Files.createDirectories(target.getParent());
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                if (directory) {
                    makeReadOnly(target, true);
                }
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the artifact store " + root + " needs a file system with atomic rename", e);
            } catch (FileSystemException e) {
                // a concurrent put of the same tree won the race; its object is the same
                if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
            }
            syncDirectory(shard);
        }
        return new StoredArtifact(digest, size, directory, target);
    }

    private static void makeReadOnly(Path path, boolean executable) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (posix != null) {
            posix.setPermissions(PosixFilePermissions.fromString(executable ? "r-xr-xr-x" : "r--r--r--"));
        } else if (!path.toFile().setWritable(false)) {
            throw new IOException("cannot make " + path + " read-only");
        }
    }

    /** Flushes a directory's entries to disk; a no-op where the platform cannot open directories. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // best effort: not every platform supports opening or syncing a directory
        }
    }

    /** Deletes a temporary file or tree, restoring write permission where needed; silent if absent. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (posix != null) {
                posix.setPermissions(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE));
            } else {
                path.toFile().setWritable(true);
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
                stream.forEach(children::add);
            }
            for (Path child : children) {
                deleteTree(child);
            }
        }
        Files.deleteIfExists(path);
    }

    /** Removes what interrupted puts left in {@code tmp/} before {@code cutoff}. */
    private void removeStaleTemporaries(Instant cutoff) throws IOException {
        if (Files.isSymbolicLink(tmp)) {
            return; // a link put in its place by hand: what it names is not the store's to clean
        }
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(tmp)) {
            stream.forEach(leftovers::add);
        }
        FileTime limit = FileTime.from(cutoff);
        for (Path p : leftovers) {
            try {
                if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).compareTo(limit) < 0) {
                    deleteTree(p);
                }
            } catch (IOException e) {
                // another process may be removing the same leftover; it is only garbage
            }
        }
    }

    private static String sha256(byte[] bytes) {
        return HEX.formatHex(newSha256().digest(bytes));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
