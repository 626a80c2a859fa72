package dev.freestone.runtime.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reclaims the space of a home: the folders of runs that have no row (deleted, or left by a kill
 * during a delete), the objects no run refers to, and what interrupted writes left in
 * {@code artifacts/tmp/}. Rows go first (one transaction, {@link RunStore#deleteRun}), files after
 * the commit, so a kill at any moment leaves garbage for the next sweep, never a row without its files.
 *
 * <p>Objects are removed only under the artifact store's lock taken alone: every process that writes
 * objects or is about to reuse them shares it (an object is put before the row naming it is committed,
 * a cache hit is read before the hit is recorded), so while a local run is in progress on the home no
 * object is removed, and the sweep says so. Run folders and temporaries need no lock (a run's folder is
 * made after its row).
 *
 * <p>Confinement: nothing outside the home is touched. Links are never followed (a link in place of
 * a run folder or an object is removed, not what it names), and a folder is swept only when its real
 * location is inside the home's.
 */
public final class Sweep {
    private static final Pattern RUN_FOLDER = Pattern.compile("run-[0-9]{8}-[0-9]{6}-[0-9a-f]+");

    /**
     * What a sweep removed, or would remove.
     *
     * @param runFolders  folders under {@code runs/} with no run row (after the deletion)
     * @param objects     digests of the objects no remaining run refers to
     * @param leftovers   entries of {@code artifacts/tmp/} left by interrupted writes
     * @param bytes       the space freed: files whose every link is among the above
     * @param objectsHeld true when a run in progress holds the store: objects and temporaries were not swept
     * @param notes       what was left alone and why (a folder that is a link to elsewhere)
     * @param failures    what could not be removed, and why (a file a step made another user's, or immutable);
     *                    {@code bytes} does not count what is left of it
     * @param databaseBytes what {@code runs.db} shrank by (a plan: its free pages); 0 unless asked for
     *                    ({@link #gc}) and no run is in progress
     */
    public record Outcome(List<Path> runFolders, List<String> objects, List<Path> leftovers, long bytes,
                          boolean objectsHeld, List<String> notes, List<String> failures, long databaseBytes) {
        public Outcome {
            runFolders = List.copyOf(runFolders);
            objects = List.copyOf(objects);
            leftovers = List.copyOf(leftovers);
            notes = List.copyOf(notes);
            failures = List.copyOf(failures);
        }
    }

    /** A removal, which may fail. */
    private interface Removal {
        void run() throws IOException;
    }

    private final RunStore store;
    private final Path home;
    private final Path homeReal;
    private final List<String> notes = new ArrayList<>();

    private Sweep(RunStore store) throws IOException {
        this.store = store;
        this.home = store.home();
        this.homeReal = home.toRealPath();
    }

    /** What {@link #run} would remove once the runs {@code deleting} are gone; nothing is changed. */
    public static Outcome plan(RunStore store, Set<String> deleting) throws IOException {
        return new Sweep(store).sweep(deleting, false);
    }

    /** Removes what no run row accounts for (call after the rows of deleted runs are committed). */
    public static Outcome run(RunStore store) throws IOException {
        return new Sweep(store).sweep(Set.of(), true);
    }

    /**
     * As {@link #run} (or {@link #plan}, with {@code dryRun}), and then, when no run is in progress, gives
     * back the free pages of the database ({@link RunStore#vacuum}), under the lock so that a run starting
     * meanwhile waits for it.
     */
    public static Outcome gc(RunStore store, boolean dryRun) throws IOException {
        return new Sweep(store).sweep(Set.of(), !dryRun, true);
    }

    private Outcome sweep(Set<String> deleting, boolean remove) throws IOException {
        return sweep(deleting, remove, false);
    }

    private Outcome sweep(Set<String> deleting, boolean remove, boolean vacuum) throws IOException {
        ArtifactStore artifacts = store.artifacts();
        Optional<AutoCloseable> alone = artifacts.tryAlone();
        try {
            List<Path> folders = new ArrayList<>();
            // the folders first, the rows after: a run's folder is made after its row is committed, so a
            // run that starts meanwhile has its row read here whenever its folder was listed
            List<Path> listed = entries(home.resolve("runs"));
            Set<String> ids = store.runIds();
            ids.removeAll(deleting);
            for (Path p : listed) {
                String name = p.getFileName().toString();
                if (RUN_FOLDER.matcher(name).matches() && !ids.contains(name)) {
                    folders.add(p);
                }
            }
            List<String> objects = new ArrayList<>();
            List<Path> objectPaths = new ArrayList<>();
            List<Path> leftovers = new ArrayList<>();
            if (alone.isPresent()) {
                // read under the lock: no process can put an object or reuse one meanwhile
                Set<String> referenced = store.referencedDigests(deleting);
                leftovers.addAll(entries(artifacts.tmpDir()));
                // an object is moved into tmp/ before it is deleted: not through a link to elsewhere
                boolean asideInside = artifacts.ownTemporaries() && inside(artifacts.tmpDir());
                for (Path shard : asideInside ? entries(artifacts.objectsDir()) : List.<Path>of()) {
                    for (Path object : objectsIn(shard)) {
                        String digest = object.getFileName().toString();
                        if (ArtifactStore.isDigest(digest) && !referenced.contains(digest)) {
                            objects.add(digest);
                            objectPaths.add(object);
                        }
                    }
                }
            }
            List<Path> all = new ArrayList<>(folders);
            all.addAll(objectPaths);
            all.addAll(leftovers);
            long bytes = freed(all);
            List<Path> failed = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            if (remove) {
                // one path that cannot be removed does not stop the others: the rows are gone already
                for (Path p : objectPaths) {
                    // what cannot be deleted once aside is left in tmp/: named, and counted, there
                    Path aside = artifacts.tmpDir().resolve(java.util.UUID.randomUUID() + ".removed");
                    if (attempt(p, () -> moveAside(p, aside), failed, failures)) {
                        attempt(aside, () -> remove(aside), failed, failures);
                    }
                }
                for (Path p : folders) {
                    attempt(p, () -> remove(p), failed, failures);
                }
                for (Path p : leftovers) {
                    attempt(p, () -> remove(p), failed, failures);
                }
                if (alone.isPresent()) {
                    removeEmptyShards(artifacts.objectsDir());
                }
                bytes -= freed(failed); // what is left of them
            }
            long databaseBytes = !vacuum || alone.isEmpty() ? 0 : remove ? store.vacuum() : store.freeBytes();
            objects.sort(null);
            folders.sort(null);
            leftovers.sort(null);
            return new Outcome(folders, objects, leftovers, bytes, alone.isEmpty(), notes, failures, databaseBytes);
        } finally {
            if (alone.isPresent()) {
                try {
                    alone.get().close();
                } catch (Exception e) {
                    // the lock goes with the channel, and with the process
                }
            }
        }
    }

    /** Runs {@code removal} of {@code p}; false, with {@code p} failed and why, when it throws. */
    private boolean attempt(Path p, Removal removal, List<Path> failed, List<String> failures) {
        try {
            removal.run();
            return true;
        } catch (IOException e) {
            failed.add(p);
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getClass().getSimpleName();
            String file = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() : p.toString();
            failures.add(home.relativize(p) + ": " + why + " (" + file + ")");
            return false;
        }
    }

    /** The entries of a folder of the home; none when it is missing, or not inside the home (a link to elsewhere). */
    private List<Path> entries(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !inside(dir)) {
            notes.add(home.relativize(dir) + " is not a folder inside " + home + " (a link to elsewhere?): left as it is");
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(out::add);
        }
        return out;
    }

    /** The objects of a shard folder; a shard that is not a folder (a link put there by hand) is no object. */
    private List<Path> objectsIn(Path shard) throws IOException {
        if (!Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        return entries(shard);
    }

    private boolean inside(Path dir) throws IOException {
        return dir.toRealPath().startsWith(homeReal);
    }

    /**
     * The bytes freed by removing {@code paths} (links not followed): a file counts when all its links are
     * among them (an input under a run folder is a link to an object: it frees nothing while the object stays).
     */
    private static long freed(List<Path> paths) throws IOException {
        Map<Object, long[]> files = new HashMap<>(); // file key -> {size, links, links seen}
        for (Path p : paths) {
            count(p, files);
        }
        long bytes = 0;
        for (long[] f : files.values()) {
            if (f[2] >= f[1]) {
                bytes += f[0];
            }
        }
        return bytes;
    }

    private static void count(Path p, Map<Object, long[]> files) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException gone) {
            return;
        }
        if (attrs.isDirectory()) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(p)) {
                stream.forEach(children::add);
            }
            for (Path child : children) {
                count(child, files);
            }
        } else if (attrs.isRegularFile()) {
            Object key = attrs.fileKey() != null ? attrs.fileKey() : p;
            long links = attrs.fileKey() != null ? ((Number) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).longValue() : 1;
            files.computeIfAbsent(key, k -> new long[] {attrs.size(), links, 0})[2]++;
        }
    }

    /**
     * Moves an object out of {@code sha256/} to {@code aside} before it is deleted, so that a kill never
     * leaves half an object there; nothing is moved when another sweep took it.
     */
    private void moveAside(Path object, Path aside) throws IOException {
        if (!inside(object.getParent())) {
            return;
        }
        if (Files.isDirectory(object, LinkOption.NOFOLLOW_LINKS)) {
            // moving a folder to another parent rewrites its `..`: it must be writable
            object.toFile().setWritable(true, true);
        }
        try {
            Files.move(object, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException gone) {
            // another sweep took it
        }
    }

    /** Under the lock alone: no put is making an object in a shard meanwhile. */
    private void removeEmptyShards(Path objects) throws IOException {
        for (Path shard : entries(objects)) {
            if (Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.delete(shard);
                } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.NoSuchFileException kept) {
                    // holds objects still
                }
            }
        }
    }

    /** Removes a file, a link (not what it names) or a tree whose parent is inside the home. */
    private void remove(Path p) throws IOException {
        if (!inside(p.getParent())) {
            return;
        }
        try {
            ArtifactStore.deleteTree(p);
        } catch (java.nio.file.NoSuchFileException gone) {
            // removed meanwhile by another sweep
        }
    }
}
