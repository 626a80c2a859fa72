package dev.freestone.runtime.argo;

import dev.freestone.runtime.store.RemoteRef;
import dev.freestone.runtime.store.RunStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * How following a run ended.
 *
 * @param deleted  the Workflow disappeared (TTL or by hand); the store holds its last known state
 * @param timedOut the caller's time limit passed while the run was still going
 */
public record FollowResult(String runId, RemoteRef workflow, RunStatus status, Optional<String> message,
        boolean deleted, boolean timedOut) {
    public FollowResult {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }
}
