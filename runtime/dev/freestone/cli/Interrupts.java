package dev.freestone.cli;

import dev.freestone.runtime.local.LocalEngine;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run: the engine terminates the step processes, marks the run
 * Cancelled, runs the exit handler, and only then does the JVM exit, so the store stays consistent.
 * The JVM exits as soon as {@code run} returns: what the command prints about the run's end belongs
 * inside it.
 */
final class Interrupts {
    private Interrupts() {
    }

    static <T> T whileRunning(LocalEngine engine, Supplier<T> run) {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            engine.cancel();
            try {
                // the exit handler may take a while; a second Ctrl-C ends the JVM anyway
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "freestone-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run.get();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of the interrupt: the hook is running, nothing to remove
            }
        }
    }
}
