package dev.freestone.runtime.argo;

import dev.freestone.runtime.store.RemoteRef;
import java.util.List;
import java.util.Objects;

/**
 * A run that Argo accepted: the run store's id and the Workflow that carries it.
 *
 * @param templates the WorkflowTemplates created (or found identical) for it
 */
public record Submitted(String runId, RemoteRef workflow, List<RemoteRef> templates) {
    public Submitted {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(workflow, "workflow");
        templates = List.copyOf(templates);
    }
}
