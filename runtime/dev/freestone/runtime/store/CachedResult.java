package dev.freestone.runtime.store;

import java.util.List;
import java.util.Objects;

/** A reusable earlier result: a {@code Succeeded} task and its output artifacts, all still present. */
public record CachedResult(TaskRecord task, List<ArtifactRecord> artifacts) {
    public CachedResult {
        Objects.requireNonNull(task, "task");
        artifacts = List.copyOf(artifacts);
    }
}
