package dev.freestone.runtime.argo;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An open watch: the client's callback thread {@link #offer offers} signals, the follower takes
 * them. Closing stops the underlying stream.
 */
abstract class WorkflowWatch implements AutoCloseable {
    private final BlockingQueue<WatchSignal> signals = new LinkedBlockingQueue<>();

    final void offer(WatchSignal signal) {
        signals.add(signal);
    }

    /** The next signal, or empty when none came within {@code timeout}. */
    final Optional<WatchSignal> next(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(signals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** False while the watch is still being started, or when its start failed. */
    boolean started() {
        return true;
    }

    @Override
    public abstract void close();
}
