package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code freestone submit} hands to the backend: the lowered manifests (one Workflow and the
 * WorkflowTemplates it references, as Jackson trees) and what the run store records about the run.
 *
 * @param irHash     the SHA-256 of the canonical IR, the pipeline version
 * @param paramsJson the pipeline parameters as a JSON object (never secrets)
 */
public record SubmitRequest(String pipeline, String irHash, ObjectNode workflow, List<ObjectNode> templates,
        String sourcePath, String sourceDigest, Optional<String> gitCommit, String paramsJson) {

    /** Annotation holding the IR hash on every lowered manifest. */
    public static final String IR_HASH = "freestone.dev/ir-hash";
    /** Annotation holding the pipeline name. */
    public static final String PIPELINE = "freestone.dev/pipeline";
    /**
     * Annotation holding a random id of one submit, so that a create answered 409 for the name Freestone
     * chose is recognised as its own earlier try (stored, but answered 5xx, then retried).
     */
    public static final String SUBMIT_ID = "freestone.dev/submit-id";
    /** Annotation holding the source file as given to the compiler. */
    public static final String SOURCE = "freestone.dev/source";

    public SubmitRequest {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(irHash, "irHash");
        Objects.requireNonNull(workflow, "workflow");
        templates = List.copyOf(templates);
        Objects.requireNonNull(sourcePath, "sourcePath");
        Objects.requireNonNull(sourceDigest, "sourceDigest");
        Objects.requireNonNull(gitCommit, "gitCommit");
        Objects.requireNonNull(paramsJson, "paramsJson");
    }

    /**
     * A request whose source path comes from the {@value #SOURCE} annotation and whose parameters
     * are the Workflow's {@code spec.arguments.parameters}.
     */
    public static SubmitRequest of(String pipeline, String irHash, ObjectNode workflow, List<ObjectNode> templates) {
        ObjectNode params = ArgoJson.MAPPER.createObjectNode();
        for (JsonNode p : workflow.path("spec").path("arguments").path("parameters")) {
            if (p.has("name")) {
                params.set(p.get("name").asText(), p.has("value") ? p.get("value") : ArgoJson.MAPPER.nullNode());
            }
        }
        String source = ArgoJson.text(workflow, "metadata", "annotations", SOURCE).orElse("");
        return new SubmitRequest(pipeline, irHash, workflow, templates, source, "", Optional.empty(),
                ArgoJson.write(params));
    }
}
