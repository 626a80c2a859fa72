package dev.freestone.runtime.argo;

import io.fabric8.kubernetes.client.Watch;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A Kubernetes watch whose start may still be on its way. fabric8's own {@code watch()} waits for the start
 * without a limit, and a WebSocket that the server upgrades and closes at once can leave that start pending
 * forever; this one is handed to the follower at once, whose resync then reads the Workflow again as after any
 * quiet spell.
 *
 * <p>The watcher's reports are passed on as they come, but one: fabric8 reports the closing of a watch it could
 * not start, which would read as a broken stream. A plain closing is therefore held until the start is settled:
 * passed on once the watch has started, dropped when the start failed, whose failure is reported instead.
 * Closing drops everything later and closes the watch now, or when it starts.
 */
final class StartingWatch extends WorkflowWatch {
    private enum State {
        /** the start is not settled */
        HOLDING,
        /** started */
        PASSING,
        /** closed by the follower, or the start failed: nobody reads on */
        CLOSED
    }

    /** A plain closing reported before the start was settled. */
    private WatchSignal heldClosing;
    private State state = State.HOLDING;
    private CompletableFuture<? extends Watch> start = CompletableFuture.completedFuture(null);

    /** Takes the start; {@code failure} turns a failed start into the one signal reported for it. */
    void starting(CompletableFuture<? extends Watch> started, Function<Throwable, WatchSignal> failure) {
        synchronized (this) {
            start = started;
        }
        started.whenComplete((watch, error) -> {
            if (error == null) {
                onStarted();
            } else {
                onFailed(failure.apply(error));
            }
        });
    }

    /** Called from the watcher: an event, or the watch's end with its cause. */
    synchronized void report(WatchSignal signal) {
        if (state != State.CLOSED) {
            offer(signal);
        }
    }

    /** Called from the watcher: the watch closed without a cause; held while the start is not settled. */
    synchronized void reportClosing(WatchSignal signal) {
        if (state == State.HOLDING) {
            heldClosing = signal;
        } else {
            report(signal);
        }
    }

    private synchronized void onStarted() {
        if (state == State.HOLDING) {
            state = State.PASSING;
            if (heldClosing != null) {
                offer(heldClosing);
            }
        }
    }

    private synchronized void onFailed(WatchSignal instead) {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            offer(instead);
        }
    }

    @Override
    synchronized boolean started() {
        return state == State.PASSING;
    }

    @Override
    public void close() {
        CompletableFuture<? extends Watch> started;
        synchronized (this) {
            state = State.CLOSED;
            started = start;
        }
        started.whenComplete((watch, error) -> {
            if (watch != null) {
                watch.close();
            }
        });
    }
}
