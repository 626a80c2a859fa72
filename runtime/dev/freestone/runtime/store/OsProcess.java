package dev.freestone.runtime.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * An operating-system process, identified by its pid and its start time: the pid alone may have
 * been reused by another process since it was recorded, the pair may not.
 *
 * @param startedAt the start time reported by the OS, kept to the millisecond (for a step started by
 *                  the engine's launcher, the time the engine asked for it: milliseconds earlier)
 */
public record OsProcess(long pid, Instant startedAt) {
    public OsProcess {
        Objects.requireNonNull(startedAt, "startedAt");
        startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The process behind {@code handle}, or empty when the OS does not say when it started. */
    public static Optional<OsProcess> of(ProcessHandle handle) {
        return handle.info().startInstant().map(start -> new OsProcess(handle.pid(), start));
    }

    /** The live process this record describes, or empty when it has exited (or its pid was reused). */
    public Optional<ProcessHandle> live() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant().map(this::startedAt).orElse(false));
    }

    /**
     * Whether {@code start}, as another JVM reads it now, is this process's start. The JDK adds the
     * process's start in clock ticks to the boot time of /proc/stat, which has a resolution of a
     * second and moves when the clock is adjusted: two readings of one process can differ by a
     * second. Another process under the same pid would have to reuse it within that second.
     */
    public boolean startedAt(Instant start) {
        return Math.abs(java.time.Duration.between(startedAt, start).toMillis()) <= SAME_START_MILLIS;
    }

    private static final long SAME_START_MILLIS = 1_500;
}
