package dev.freestone.runtime.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * An operating-system process, identified by its pid and its start time: the pid alone may have
 * been reused by another process since it was recorded, the pair may not.
 *
 * @param startedAt the start time reported by the OS, kept to the millisecond
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
                .filter(h -> OsProcess.of(h).map(this::equals).orElse(false));
    }
}
