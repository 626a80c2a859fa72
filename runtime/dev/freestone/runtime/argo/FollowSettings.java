package dev.freestone.runtime.argo;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of following a run.
 *
 * @param pendingGrace  how long a pod may stay pending before Freestone asks the pod why
 * @param resync        with no watch event for this long, read the Workflow again; also how long
 *                      the answer about a pending pod is reused before the pod is read again
 * @param reconnectDelay pause before watching again after the stream broke
 */
public record FollowSettings(Duration pendingGrace, Duration resync, Duration reconnectDelay) {
    public static final FollowSettings DEFAULT =
            new FollowSettings(Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(1));

    public FollowSettings {
        Objects.requireNonNull(pendingGrace, "pendingGrace");
        Objects.requireNonNull(resync, "resync");
        Objects.requireNonNull(reconnectDelay, "reconnectDelay");
    }
}
