package dev.freestone.runtime.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The artifact store's lock file: shared by every process that writes objects or is about to reuse
 * them (an engine holds it from its first object until it closes its store), taken alone by a sweep,
 * which removes objects only then. An OS lock ({@code fcntl}), so a process killed with SIGKILL holds
 * nothing. Java allows one lock per file and JVM, so the holders of one JVM (tests, embedders running
 * several commands in-process) share it through this registry.
 */
final class StoreLock {
    /** The lock file's holders in this JVM, by file. Guarded by itself. */
    private static final Map<Path, StoreLock> OPEN = new HashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    /** How many holders share it; 0 for a sweep's exclusive hold. */
    private int sharers;

    private StoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    private static FileChannel open(Path file) throws IOException {
        FreestoneHome.privateFile(file);
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Shares the lock, waiting while a sweep (of this or another process) holds it alone. */
    static void share(Path file) throws IOException {
        synchronized (OPEN) {
            while (true) {
                StoreLock held = OPEN.get(file);
                if (held == null) {
                    break;
                }
                if (held.sharers > 0) {
                    held.sharers++;
                    return;
                }
                try {
                    OPEN.wait(); // a sweep of this JVM: it is short
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while a sweep of the artifact store held it", e);
                }
            }
            FileChannel channel = open(file);
            try {
                StoreLock shared = new StoreLock(file, channel, channel.lock(0, Long.MAX_VALUE, true));
                shared.sharers = 1;
                OPEN.put(file, shared);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    /** Gives back one share taken with {@link #share}. */
    static void unshare(Path file) {
        synchronized (OPEN) {
            StoreLock held = OPEN.get(file);
            if (held != null && held.sharers > 0 && --held.sharers == 0) {
                held.release();
            }
        }
    }

    /**
     * The lock alone, or empty at once when anyone shares it (a run in progress, in this JVM or
     * another); closing the answer gives it back.
     */
    static Optional<AutoCloseable> tryAlone(Path file) throws IOException {
        synchronized (OPEN) {
            if (OPEN.containsKey(file)) {
                return Optional.empty();
            }
            FileChannel channel = open(file);
            FileLock lock;
            try {
                lock = channel.tryLock(0, Long.MAX_VALUE, false);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            StoreLock alone = new StoreLock(file, channel, lock);
            OPEN.put(file, alone);
            return Optional.of(() -> {
                synchronized (OPEN) {
                    alone.release();
                }
            });
        }
    }

    /** Called holding {@link #OPEN}'s monitor. */
    private void release() {
        OPEN.remove(file);
        OPEN.notifyAll();
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock whatever it says; so does the process's end
        }
    }
}
