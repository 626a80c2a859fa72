package dev.freestone.runtime.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The mutexes of a pipeline ({@code mutex = "gpu"}) on this machine: one OS lock ({@code fcntl}, through
 * {@link FileChannel#tryLock}) on {@code $FREESTONE_HOME/locks/<name>.lock} each, so that every engine sharing the
 * store sees the others' holds, and a killed one (SIGKILL included) holds nothing: the OS drops its locks with it.
 * Java allows one lock per file and JVM, so the holders of one JVM (the steps of one run, tests running several
 * engines in-process) are told apart by this registry. Several mutexes are taken all at once or not at all, so
 * two holders asking for the same ones in other orders never wait for each other. A waiter asks again every
 * {@value #POLL_MILLIS} ms on a timer (no thread, no place of {@code --parallelism}); no order among waiters is kept,
 * as Argo keeps none across workflows.
 */
final class Mutexes {
    static final long POLL_MILLIS = 100;

    /** The locks this JVM holds, by file, with who holds each. Guarded by itself. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private record Held(FileChannel channel, FileLock lock, String holder) {
    }

    /** What a holder took: given back once, by {@link #release}. */
    static final class Lease {
        private final List<Path> files;
        private boolean released;

        private Lease(List<Path> files) {
            this.files = files;
        }

        void release() {
            synchronized (HELD) {
                if (released) {
                    return;
                }
                released = true;
                for (Path f : files) {
                    Held h = HELD.remove(f);
                    if (h != null) {
                        try {
                            h.channel.close(); // releases the lock
                        } catch (IOException e) {
                            // closed or not, the lock goes with the channel
                        }
                    }
                }
            }
        }
    }

    private Mutexes() {
    }

    /** The lock file of mutex {@code name} in {@code home}. */
    static Path file(Path home, String name) {
        return home.resolve("locks").resolve(name + ".lock");
    }

    /**
     * Takes every one of {@code names} for {@code holder} (words for a waiter's message: "step `fit` of run X"), as soon
     * as all are free: completes with the lease, or with null once {@code cancelled} (checked between tries, and the
     * moment {@code cancel} completes). {@code waiting} is told, with a mutex held by another and its holder when
     * known, whenever that changes.
     */
    static CompletableFuture<Lease> acquire(Path home, List<String> names, String holder, BooleanSupplier cancelled,
                                            CompletableFuture<Void> cancel, Consumer<String> waiting) {
        CompletableFuture<Lease> out = new CompletableFuture<>();
        cancel.thenRun(() -> out.complete(null));
        String[] told = {null};
        Runnable[] attempt = new Runnable[1];
        attempt[0] = () -> {
            if (out.isDone()) {
                return;
            }
            if (cancelled.getAsBoolean()) {
                out.complete(null);
                return;
            }
            try {
                Try got = tryAcquire(home, names, holder);
                if (got.lease() != null) {
                    if (!out.complete(got.lease())) {
                        got.lease().release(); // cancelled meanwhile
                    }
                    return;
                }
                if (!got.busy().equals(told[0])) {
                    told[0] = got.busy();
                    waiting.accept(got.busy());
                }
            } catch (IOException e) {
                out.completeExceptionally(e);
                return;
            }
            CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS).execute(attempt[0]);
        };
        attempt[0].run();
        return out;
    }

    /** Why a holder did not get its mutexes: the run was cancelled while it waited (CANCELLED), or a lock file failed (ERROR). */
    record NotTaken(TaskState state, String message) {
        static NotTaken cancelled(List<String> names) {
            return new NotTaken(TaskState.CANCELLED, "the run was cancelled while it waited for mutex " + String.join(", ", names));
        }

        static NotTaken failed(List<String> names, Throwable error) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            // a file-system exception's message is mostly only its path
            String why = cause instanceof java.nio.file.FileAlreadyExistsException f ? f.getFile() + " is a file, where"
                    + " the folder of lock files goes"
                    : cause instanceof java.nio.file.AccessDeniedException f ? f.getFile() + ": permission denied"
                    : cause instanceof java.nio.file.FileSystemException f ? f.getFile() + ": "
                            + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName())
                    : cause.getMessage();
            return new NotTaken(TaskState.ERROR, "could not take mutex " + String.join(", ", names) + ": " + why);
        }
    }

    /**
     * {@code work}, started once {@code names} are held (at once when there are none) and holding them until its
     * future ends; {@code notTaken} instead when the phase is cancelled while it waits, or a lock file fails.
     */
    static <T> CompletableFuture<T> holding(Path home, List<String> names, String holder, Execution.Phase phase,
                                            Consumer<String> waiting, java.util.function.Supplier<CompletableFuture<T>> work,
                                            java.util.function.Function<NotTaken, CompletableFuture<T>> notTaken) {
        if (names == null || names.isEmpty()) {
            return work.get();
        }
        return acquire(home, names, holder, () -> phase.cancelled, phase.signal, waiting).handle((lease, error) -> {
            if (error != null) {
                return notTaken.apply(NotTaken.failed(names, error));
            }
            if (lease == null) {
                return notTaken.apply(NotTaken.cancelled(names));
            }
            CompletableFuture<T> done;
            try {
                done = work.get();
            } catch (RuntimeException e) {
                lease.release();
                throw e;
            }
            return done.whenComplete((r, e) -> lease.release());
        }).thenCompose(f -> f);
    }

    /** One try at all of a holder's mutexes: the lease of them all, or what a waiter is told of one held by another. */
    private record Try(Lease lease, String busy) {
    }

    /** Takes all of {@code names} or none: what one try gives. */
    private static Try tryAcquire(Path home, List<String> names, String holder) throws IOException {
        synchronized (HELD) {
            Lease taken = new Lease(new ArrayList<>());
            try {
                for (String name : names) {
                    String busy = tryOne(file(home, name), name, holder, taken);
                    if (busy != null) {
                        taken.release();
                        return new Try(null, busy);
                    }
                }
            } catch (IOException | RuntimeException e) {
                taken.release();
                throw e;
            }
            return new Try(taken, null);
        }
    }

    /** Takes mutex {@code name} into {@code taken}; or says who holds it. The caller holds {@link #HELD}. */
    private static String tryOne(Path file, String name, String holder, Lease taken) throws IOException {
        Held mine = HELD.get(file);
        if (mine != null) {
            return "mutex `" + name + "`, held by " + mine.holder;
        }
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                String other = holderOf(file);
                return "mutex `" + name + "`" + (other.isEmpty() ? ", held by another run" : ", held by " + other);
            }
            // who holds it, for those waiting in other engines (read without the lock: fcntl's is advisory)
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            HELD.put(file, new Held(channel, lock, holder));
            taken.files.add(file);
            return null;
        } catch (IOException | RuntimeException e) {
            channel.close(); // the lock, if taken, with it
            throw e;
        }
    }

    /** The holder an engine wrote into the lock file, or empty (not written yet, or unreadable). */
    private static String holderOf(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.contains("\n") || text.length() > 200 ? "" : text;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
