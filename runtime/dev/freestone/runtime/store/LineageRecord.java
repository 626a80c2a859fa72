package dev.freestone.runtime.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Task {@code taskId} of run {@code runId} consumed an artifact as input {@code inputName}.
 * An input of list type (a fan-in) has one record per artifact.
 *
 * @param digest the artifact's SHA-256, empty for a remote artifact whose content is unknown
 */
public record LineageRecord(String runId, String taskId, String inputName, Optional<String> digest,
        String uri) {
    public LineageRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(inputName, "inputName");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(uri, "uri");
        digest.ifPresent(ArtifactStore::requireDigest);
    }

    /** Consumption of an artifact that another task recorded. */
    public static LineageRecord of(String runId, String taskId, String inputName, ArtifactRecord consumed) {
        return new LineageRecord(runId, taskId, inputName, consumed.digest(), consumed.uri());
    }
}
