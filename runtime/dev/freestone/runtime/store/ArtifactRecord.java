package dev.freestone.runtime.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * An artifact produced by output {@code outputName} of task {@code taskId} in run {@code runId}.
 *
 * @param digest the SHA-256 (64 lower-case hex digits) of the object in the {@link ArtifactStore};
 *               empty for a remote artifact whose content Freestone has not seen
 * @param size   in bytes (a directory: the sum of its files); empty when unknown
 * @param type   the artifact type, e.g. {@code Dataset}, {@code Model}, {@code Metrics}
 * @param uri    where the artifact lives, e.g. {@code s3://bucket/key} or a file URI
 */
public record ArtifactRecord(
        String runId,
        String taskId,
        String outputName,
        Optional<String> digest,
        Optional<Long> size,
        String type,
        String uri) {

    public ArtifactRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(outputName, "outputName");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(uri, "uri");
        digest.ifPresent(ArtifactStore::requireDigest);
    }

    /** The record of a local artifact that was put into the artifact store. */
    public static ArtifactRecord local(String runId, String taskId, String outputName, String type,
            StoredArtifact stored) {
        return new ArtifactRecord(runId, taskId, outputName, Optional.of(stored.digest()),
                Optional.of(stored.size()), type, uriOf(stored));
    }

    /** The {@code file:} URI of a stored object. */
    public static String uriOf(StoredArtifact stored) {
        String uri = stored.path().toUri().toString();
        // a folder's URI ends with `/` (as Path.toUri gives it for a folder that exists): its kind, kept
        return stored.directory() && !uri.endsWith("/") ? uri + "/" : uri;
    }

    /** Whether this local artifact is a folder (a tree in the artifact store) rather than a file. */
    public boolean directory() {
        return uri.startsWith("file:") && uri.endsWith("/");
    }

    /** Whether this local artifact's object is still in {@code store} as what it was stored as. */
    public boolean storedIn(ArtifactStore store) {
        return digest.map(d -> store.holds(d, directory())).orElse(false);
    }

    /**
     * A pipeline output that is an artifact, as {@code runs.outputs} keeps it: {@code {"type", "digest", "uri"}},
     * each null where the backend does not say it (an Argo run gives the location alone).
     */
    public static ObjectNode outputJson(String type, String digest, String uri) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("type", type);
        a.put("digest", digest);
        a.put("uri", uri);
        return a;
    }

    /**
     * The location of {@code v} when it is a pipeline output's artifact ({@link #outputJson}), not a struct that
     * happens to have a field named {@code uri}; empty otherwise and when the location is unknown.
     */
    public static Optional<String> outputUri(JsonNode v) {
        boolean artifact = v != null && v.isObject() && v.size() == 3 && v.has("type") && v.has("digest") && v.has("uri");
        return artifact ? Optional.ofNullable(v.get("uri").textValue()).filter(u -> !u.isEmpty()) : Optional.empty();
    }
}
