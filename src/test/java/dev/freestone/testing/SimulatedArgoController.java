package dev.freestone.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What Argo's workflow controller would write into {@code status} when every step of a Workflow
 * succeeds: one node per DAG task with the shapes of Argo's real payloads ({@code ../shared/argo/status}):
 * the root DAG, nested DAG nodes with their {@code boundaryID}, a {@code TaskGroup} with one child
 * per loop item ({@code displayName} {@code fit(0:0.3)}), {@code Pod} nodes with an exit code and
 * their declared output parameters, DAG nodes with their declared outputs (a parameter that plainly
 * reads a task's taken from it), the {@code onExit} handler as a second root, node ids and v2 pod
 * names computed as the controller does, each node's input parameters as its task passed them
 * (a loop item's {@code {{item}}} and {@code {{item.key}}} put in, and a plain {@code {{inputs.parameters.p}}}
 * of the DAG's own inputs; other tags left as written).
 * Conditions are not evaluated: every branch runs.
 * Templates referenced with {@code templateRef} or {@code workflowTemplateRef} are looked up with
 * the given function. Items of a {@code withParam} loop are its list when it is written out (JSON),
 * else they cannot be computed here: two are assumed.
 */
public final class SimulatedArgoController {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String START = "2026-01-01T10:00:00Z";
    private static final String END = "2026-01-01T10:00:05Z";

    private final JsonNode workflow;
    private final String wfName;
    private final Function<String, Optional<JsonNode>> workflowTemplates;
    private final ObjectNode nodes = JSON.createObjectNode();
    private final List<String> pods = new ArrayList<>();
    private final PodOutputs podOutputs;

    /** The status of a finished, successful run of {@code workflow}, and the pods it ran. */
    public record Outcome(ObjectNode status, List<String> pods) {
    }

    private SimulatedArgoController(JsonNode workflow, Function<String, Optional<JsonNode>> workflowTemplates,
                                    PodOutputs podOutputs) {
        this.podOutputs = podOutputs;
        this.workflow = workflow;
        this.wfName = workflow.path("metadata").path("name").asText();
        this.workflowTemplates = workflowTemplates;
    }

    /**
     * What a pod writes into the file an output parameter reads ({@code valueFrom.path}), given its template's name
     * and its input parameters; empty for the stand-in {@code <name>-value}.
     */
    public interface PodOutputs {
        PodOutputs NONE = (template, parameter, inputs) -> Optional.empty();

        Optional<String> value(String template, String parameter, java.util.Map<String, String> inputs);
    }

    public static Outcome succeeded(JsonNode workflow, Function<String, Optional<JsonNode>> workflowTemplates) {
        return succeeded(workflow, workflowTemplates, PodOutputs.NONE);
    }

    /** As above, each pod's output parameters as {@code podOutputs} says its files hold. */
    public static Outcome succeeded(JsonNode workflow, Function<String, Optional<JsonNode>> workflowTemplates,
                                    PodOutputs podOutputs) {
        SimulatedArgoController c = new SimulatedArgoController(workflow, workflowTemplates, podOutputs);
        JsonNode spec = workflow.path("spec");
        JsonNode templates = spec.path("templates");
        String entry = spec.path("entrypoint").asText("");
        String onExit = spec.path("onExit").asText("");
        if (spec.has("workflowTemplateRef")) {
            JsonNode wt = workflowTemplates.apply(spec.path("workflowTemplateRef").path("name").asText())
                    .orElseThrow(() -> new IllegalStateException("no WorkflowTemplate for " + workflow));
            templates = wt.path("spec").path("templates");
            entry = entry.isEmpty() ? wt.path("spec").path("entrypoint").asText() : entry;
            onExit = onExit.isEmpty() ? wt.path("spec").path("onExit").asText("") : onExit;
        }
        Scope scope = new Scope(templates, Optional.empty());
        c.expand(scope, entry, Optional.empty(), c.wfName, c.wfName, null, null);
        if (!onExit.isEmpty()) {
            c.expand(scope, onExit, Optional.empty(), c.wfName + ".onExit", c.wfName + ".onExit", null, null);
        }
        ObjectNode status = JSON.createObjectNode();
        status.put("phase", "Succeeded").put("startedAt", START).put("finishedAt", END).put("progress", "1/1");
        status.set("nodes", c.nodes);
        return new Outcome(status, List.copyOf(c.pods));
    }

    /** The templates visible from a node: the Workflow's, or a WorkflowTemplate's after a templateRef. */
    private record Scope(JsonNode templates, Optional<String> library) {
        JsonNode template(String name) {
            for (JsonNode t : templates) {
                if (t.path("name").asText().equals(name)) {
                    return t;
                }
            }
            throw new IllegalStateException("no template " + name);
        }
    }

    /** Adds the node of {@code templateName} called as {@code nodeName}, and its children; returns its id. */
    private String expand(Scope scope, String templateName, Optional<String> ref, String nodeName, String display,
                          String boundary, JsonNode inputs) {
        Scope here = scope;
        if (ref.isPresent()) {
            JsonNode wt = workflowTemplates.apply(ref.get())
                    .orElseThrow(() -> new IllegalStateException("no WorkflowTemplate " + ref.get()));
            here = new Scope(wt.path("spec").path("templates"), ref);
        }
        JsonNode t = here.template(templateName);
        String id = nodeName.equals(wfName) ? wfName : wfName + "-" + Integer.toUnsignedString(fnv32a(nodeName));
        ObjectNode node = nodes.putObject(id);
        node.put("id", id).put("name", nodeName).put("displayName", display);
        if (here.library().isPresent()) {
            node.putObject("templateRef").put("name", here.library().get()).put("template", templateName);
        } else {
            node.put("templateName", templateName);
        }
        node.put("phase", "Succeeded").put("startedAt", START).put("finishedAt", END);
        if (boundary != null) {
            node.put("boundaryID", boundary);
        }
        if (inputs != null && !inputs.isEmpty()) {
            node.putObject("inputs").set("parameters", inputs);
        }
        if (t.has("dag")) {
            node.put("type", "DAG");
            ArrayNode children = node.putArray("children");
            for (JsonNode task : t.path("dag").path("tasks")) {
                String taskName = task.path("name").asText();
                String childName = nodeName + "." + taskName;
                Optional<String> childRef = task.has("templateRef")
                        ? Optional.of(task.path("templateRef").path("name").asText()) : here.library();
                String childTemplate = task.has("templateRef") ? task.path("templateRef").path("template").asText()
                        : task.path("template").asText();
                if (task.has("withItems") || task.has("withParam")) {
                    String groupId = wfName + "-" + Integer.toUnsignedString(fnv32a(childName));
                    ObjectNode group = nodes.putObject(groupId);
                    group.put("id", groupId).put("name", childName).put("displayName", taskName).put("type", "TaskGroup")
                            .put("templateName", childTemplate).put("phase", "Succeeded").put("boundaryID", id)
                            .put("startedAt", START).put("finishedAt", END);
                    ArrayNode iterations = group.putArray("children");
                    List<JsonNode> items = items(task);
                    for (int i = 0; i < items.size(); i++) {
                        String label = taskName + "(" + i + ":" + text(items.get(i)) + ")";
                        iterations.add(expand(here, childTemplate, childRef.equals(here.library()) ? Optional.empty() : childRef,
                                nodeName + "." + label, label, id, arguments(task, items.get(i), inputs)));
                    }
                    children.add(groupId);
                } else {
                    children.add(expand(here, childTemplate, childRef.equals(here.library()) ? Optional.empty() : childRef,
                            childName, taskName, id, arguments(task, null, inputs)));
                }
            }
            dagOutputs(t, node, nodeName);
        } else {
            node.put("type", "Pod");
            ObjectNode outputs = node.putObject("outputs");
            ArrayNode params = outputs.putArray("parameters");
            java.util.Map<String, String> given = new java.util.TreeMap<>();
            (inputs == null ? JSON.createArrayNode() : inputs).forEach(i -> given.put(i.path("name").asText(), i.path("value").asText()));
            for (JsonNode p : t.path("outputs").path("parameters")) {
                String name = p.path("name").asText();
                params.addObject().put("name", name)
                        .put("value", podOutputs.value(templateName, name, given).orElse(name + "-value"));
            }
            outputs.put("exitCode", "0");
            pods.add(podName(nodeName, templateName));
        }
        return id;
    }

    private static final java.util.regex.Pattern TASK_PARAMETER =
            java.util.regex.Pattern.compile("\\{\\{tasks\\.([^.]+)\\.outputs\\.parameters\\.([^}]+)}}");

    /**
     * The outputs Argo gives a DAG node when it ends: each declared parameter's value (a plain
     * {@code {{tasks.T.outputs.parameters.P}}} read from that child's node, anything else {@code <name>-value}),
     * each declared artifact in the repository's bucket.
     */
    private void dagOutputs(JsonNode template, ObjectNode node, String nodeName) {
        JsonNode declared = template.path("outputs");
        if (declared.isMissingNode()) {
            return;
        }
        ObjectNode outputs = node.putObject("outputs");
        ArrayNode params = outputs.putArray("parameters");
        for (JsonNode p : declared.path("parameters")) {
            String name = p.path("name").asText();
            java.util.regex.Matcher m = TASK_PARAMETER.matcher(p.path("valueFrom").path("parameter").asText(""));
            String value = name + "-value";
            if (m.matches()) {
                JsonNode child = nodes.path(wfName + "-" + Integer.toUnsignedString(fnv32a(nodeName + "." + m.group(1))));
                for (JsonNode o : child.path("outputs").path("parameters")) {
                    if (o.path("name").asText().equals(m.group(2))) {
                        value = o.path("value").asText();
                    }
                }
            }
            params.addObject().put("name", name).put("value", value);
        }
        ArrayNode artifacts = outputs.putArray("artifacts");
        for (JsonNode a : declared.path("artifacts")) {
            String name = a.path("name").asText();
            artifacts.addObject().put("name", name).putObject("s3").put("key", wfName + "/" + nodeName + "/" + name + ".tgz");
        }
    }

    private static List<JsonNode> items(JsonNode task) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode written = task.has("withItems") ? task.get("withItems") : parsed(task.path("withParam").asText(""));
        if (written != null && written.isArray()) {
            written.forEach(out::add);
        } else {
            out.add(JSON.getNodeFactory().textNode("a"));
            out.add(JSON.getNodeFactory().textNode("b"));
        }
        return out;
    }

    private static JsonNode parsed(String text) {
        try {
            return text.startsWith("[") ? JSON.readTree(text) : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * An item as Argo puts it in for {@code {{item}}}: a text or number as itself, anything else as JSON, a map's keys
     * sorted as Go's {@code json.Marshal} writes them.
     */
    private static String text(JsonNode item) {
        return item.isValueNode() ? item.asText() : dev.freestone.ir.ValueText.goKeyOrder(item).toString();
    }

    /** The parameters the task passes (with the loop's {@code item} put in), as the node's inputs show them. */
    private static ArrayNode arguments(JsonNode task, JsonNode item, JsonNode dagInputs) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode p : task.path("arguments").path("parameters")) {
            String value = p.path("value").asText("");
            if (dagInputs != null) {
                for (JsonNode in : dagInputs) {
                    value = value.replace("{{inputs.parameters." + in.path("name").asText() + "}}", in.path("value").asText());
                }
            }
            if (item != null) {
                value = value.replace("{{item}}", text(item));
                for (java.util.Iterator<String> keys = item.fieldNames(); keys.hasNext(); ) {
                    String k = keys.next();
                    value = value.replace("{{item." + k + "}}", text(item.get(k)));
                }
            }
            out.addObject().put("name", p.path("name").asText()).put("value", value);
        }
        return out;
    }

    /** Argo's v2 pod name: {@code <workflow>-<template>-<fnv32a(node name)>}. */
    private String podName(String nodeName, String templateName) {
        return nodeName.equals(wfName) ? wfName
                : wfName + "-" + templateName + "-" + Integer.toUnsignedString(fnv32a(nodeName));
    }

    private static int fnv32a(String text) {
        int hash = 0x811c9dc5;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 16777619;
        }
        return hash;
    }
}
