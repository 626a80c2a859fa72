package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * The name of the pod that runs a node, as Argo's controller makes it ({@code GeneratePodName} in
 * {@code workflow/util}): with the {@code workflows.argoproj.io/pod-name-format} annotation at
 * {@code v1} it is the node id; otherwise ({@code v2}, the default) it is
 * {@code <workflow>-<template>-<fnv32a(node name)>}, or the workflow's name for a root pod.
 */
final class PodNames {
    static final String FORMAT_ANNOTATION = "workflows.argoproj.io/pod-name-format";
    private static final int MAX_PREFIX = 253 - 10 - 1;

    private PodNames() {
    }

    static String of(JsonNode workflow, JsonNode node) {
        String workflowName = ArgoJson.name(workflow);
        String nodeId = node.path("id").asText("");
        String format = workflow.path("metadata").path("annotations").path(FORMAT_ANNOTATION).asText("v2");
        if ("v1".equals(format)) {
            return nodeId;
        }
        String nodeName = node.path("name").asText("");
        if (workflowName.equals(nodeName)) {
            return workflowName;
        }
        String template = ArgoJson.text(node, "templateRef", "template")
                .orElse(node.path("templateName").asText(""));
        String prefix = nodeName.contains(".inline") || template.isEmpty() ? workflowName : workflowName + "-" + template;
        if (prefix.length() > MAX_PREFIX) {
            prefix = prefix.substring(0, MAX_PREFIX);
        }
        return prefix + "-" + Integer.toUnsignedString(fnv32a(nodeName));
    }

    static int fnv32a(String text) {
        int hash = 0x811c9dc5;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 16777619;
        }
        return hash;
    }
}
