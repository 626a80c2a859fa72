package dev.freestone.runtime.store;

import java.util.Objects;
import java.util.Optional;

/**
 * What the caller knows about a run before it starts; {@link RunStore#createRun} adds the id,
 * the status ({@code Pending}) and the start time.
 *
 * @param version    the SHA-256 of the pipeline's canonical IR
 * @param paramsJson the pipeline parameters as a JSON object (never secrets)
 * @param remote     the Argo Workflow, when already known (see {@link RunStore#setRemoteRef})
 */
public record NewRun(
        String pipeline,
        String version,
        String sourcePath,
        String sourceDigest,
        Optional<String> gitCommit,
        String paramsJson,
        Backend backend,
        Optional<RemoteRef> remote) {

    public NewRun {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sourcePath, "sourcePath");
        Objects.requireNonNull(sourceDigest, "sourceDigest");
        Objects.requireNonNull(gitCommit, "gitCommit");
        Objects.requireNonNull(paramsJson, "paramsJson");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(remote, "remote");
    }

    /** A local run without a git commit or remote reference. */
    public static NewRun local(String pipeline, String version, String sourcePath, String sourceDigest,
            Optional<String> gitCommit, String paramsJson) {
        return new NewRun(pipeline, version, sourcePath, sourceDigest, gitCommit, paramsJson,
                Backend.Local, Optional.empty());
    }
}
