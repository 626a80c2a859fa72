package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A new Workflow made from a finished one, the way {@code argo resubmit} does without memoization. */
final class Resubmission {
    static final String RESUBMITTED_FROM = "workflows.argoproj.io/resubmitted-from-workflow";

    private Resubmission() {
    }

    static ObjectNode fresh(ObjectNode old) {
        String name = ArgoJson.name(old);
        ObjectNode wf = ArgoJson.MAPPER.createObjectNode();
        wf.put("apiVersion", ArgoKind.API_VERSION);
        wf.put("kind", "Workflow");
        ObjectNode meta = wf.putObject("metadata");
        meta.put("generateName", ArgoJson.text(old, "metadata", "generateName").orElse(name + "-"));
        ArgoJson.text(old, "metadata", "namespace").ifPresent(ns -> meta.put("namespace", ns));
        ObjectNode labels = meta.putObject("labels");
        copyWithoutArgoKeys(old.path("metadata").path("labels"), labels);
        labels.put(RESUBMITTED_FROM, name);
        if (old.path("metadata").has("annotations")) {
            copyWithoutArgoKeys(old.path("metadata").path("annotations"), meta.putObject("annotations"));
        }
        ObjectNode spec = old.path("spec").deepCopy();
        spec.remove("shutdown");
        wf.set("spec", spec);
        return wf;
    }

    /** The controller's own bookkeeping ({@code workflows.argoproj.io/phase}, ...) must not carry over. */
    private static void copyWithoutArgoKeys(JsonNode from, ObjectNode to) {
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            if (!e.getKey().startsWith("workflows.argoproj.io/")) {
                to.set(e.getKey(), e.getValue());
            }
        }
    }
}
