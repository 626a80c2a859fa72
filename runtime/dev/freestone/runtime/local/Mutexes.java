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
                Object got = tryAcquire(home, names, holder);
                if (got instanceof Lease lease) {
                    if (!out.complete(lease)) {
                        lease.release(); // cancelled meanwhile
                    }
                    return;
                }
                String busy = (String) got;
                if (!busy.equals(told[0])) {
                    told[0] = busy;
                    waiting.accept(busy);
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
            return new NotTaken(TaskState.ERROR, "could not take mutex " + String.join(", ", names) + ": " + cause.getMessage());
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

    /** The lease of all of {@code names}, or, when one is held by another, what the waiter is told of it. */
    private static Object tryAcquire(Path home, List<String> names, String holder) throws IOException {
        synchronized (HELD) {
            List<Path> taken = new ArrayList<>();
            for (String name : names) {
                Path file = file(home, name);
                Held mine = HELD.get(file);
                String busy = null;
                if (mine != null) {
                    busy = "mutex `" + name + "`, held by " + mine.holder;
                } else {
                    Files.createDirectories(file.getParent());
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    FileLock lock = channel.tryLock();
                    if (lock == null) {
                        channel.close();
                        String other = holderOf(file);
                        busy = "mutex `" + name + "`" + (other.isEmpty() ? ", held by another run" : ", held by " + other);
                    } else {
                        // who holds it, for those waiting in other engines (read without the lock: fcntl's is advisory)
                        channel.truncate(0);
                        channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                        HELD.put(file, new Held(channel, lock, holder));
                        taken.add(file);
                    }
                }
                if (busy != null) {
                    new Lease(taken).release();
                    return busy;
                }
            }
            return new Lease(taken);
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
