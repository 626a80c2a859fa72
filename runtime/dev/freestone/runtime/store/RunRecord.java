package dev.freestone.runtime.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One run as stored.
 *
 * @param id         {@code run-YYYYMMDD-HHMMSS-xxxx} (UTC time of creation, four random hex digits)
 * @param version    the SHA-256 of the pipeline's canonical IR
 * @param startedAt  when the run was created
 * @param finishedAt set when the status became terminal
 */
public record RunRecord(
        String id,
        String pipeline,
        String version,
        String sourcePath,
        String sourceDigest,
        Optional<String> gitCommit,
        String paramsJson,
        Backend backend,
        Optional<RemoteRef> remote,
        RunStatus status,
        Instant startedAt,
        Optional<Instant> finishedAt,
        Optional<String> message) {

    public RunRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sourcePath, "sourcePath");
        Objects.requireNonNull(sourceDigest, "sourceDigest");
        Objects.requireNonNull(gitCommit, "gitCommit");
        Objects.requireNonNull(paramsJson, "paramsJson");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(message, "message");
    }
}
