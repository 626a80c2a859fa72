package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.ir.ValueText;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps Argo's node status back to Freestone tasks.
 *
 * <p>The model: a node that stands for one task is a {@code Pod}, {@code Retry}, {@code Skipped},
 * {@code Suspend}, {@code Container}, {@code HTTP} or {@code Plugin} node, or a nested
 * {@code DAG}/{@code Steps} node (a call of a sub-pipeline). Not tasks: the workflow's root and
 * its {@code onExit} node (no {@code boundaryID}), {@code TaskGroup} (the fan-out of a loop) and
 * {@code StepGroup} nodes, the children of a {@code Retry} node (they are its attempts, numbered
 * from their {@code (n)} suffix), and the DAGs that only wrap the body of an IR {@code for} or
 * {@code if} (named in the {@value #WRAPPERS} annotation).
 *
 * <p>The task id is the path of the node through its {@code boundaryID} chain: each enclosing
 * sub-pipeline call is a segment, each loop iteration ({@code displayName} {@code fit(2:0.03)})
 * adds {@code [2]} to the next segment: {@code fit[2]}, {@code outer[0]/inner[1]}. Argo task names
 * are DNS-1123; the {@value #TASK_IDS} annotation maps them back to IR ids where they differ.
 */
final class TaskNodes {
    /** JSON object on the Workflow: Argo task name → IR task id (absent: the same). */
    static final String TASK_IDS = "freestone.dev/task-ids";
    /** JSON array on the Workflow: Argo task names that wrap an IR loop or conditional body. */
    static final String WRAPPERS = "freestone.dev/wrappers";
    /** On a template's {@code metadata.annotations}: the component's name in source. */
    static final String COMPONENT = "freestone.dev/component";
    /**
     * On the template a loop runs per item: JSON object, the loop's variable ({@code name}), the input holding the
     * item ({@code parameter}) and how it is written there ({@code as}): see {@link #item}.
     */
    static final String LOOP_ITEM = "freestone.dev/loop-item";
    /**
     * Prefix of the output parameter that repeats a {@code Metrics} output's text (ArgoLowering's
     * {@code METRICS_PARAMETER}): not one of the task's outputs, the rows of its metrics.
     */
    static final String METRICS_PARAMETER = "fs-metrics-";

    private static final Set<String> LEAF_TYPES = Set.of("Pod", "Retry", "Skipped", "Suspend", "Container", "HTTP",
            "Plugin");
    private static final Pattern ITERATION = Pattern.compile("^([^(]+)\\((\\d+):(.*)\\)$", Pattern.DOTALL);
    private static final Pattern ATTEMPT = Pattern.compile("^.*\\((\\d+)\\)$", Pattern.DOTALL);
    private static final Pattern EXIT_CODE = Pattern.compile("^-?\\d+$");

    /** One task as the nodes show it now. */
    record TaskView(String taskId, String name, String component, TaskState state, Optional<Instant> startedAt,
            Optional<Instant> finishedAt, Optional<Integer> exitCode, ObjectNode outputs, Optional<String> message,
            List<AttemptView> attempts, List<ArtifactView> artifacts, String nodeId, Optional<String> pendingPod,
            List<LoopItem> items, Map<String, String> metrics, List<ArtifactView> inputs) {
        TaskView {
            Objects.requireNonNull(taskId, "taskId");
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
            attempts = List.copyOf(attempts);
            artifacts = List.copyOf(artifacts);
            inputs = List.copyOf(inputs);
            items = List.copyOf(items);
        }

        /** The same view with another message. */
        TaskView withMessage(Optional<String> text) {
            return new TaskView(taskId, name, component, state, startedAt, finishedAt, exitCode, outputs, text, attempts,
                    artifacts, nodeId, pendingPod, items, metrics, inputs);
        }
    }

    /** One pod run of a task; {@code number} from 1. */
    record AttemptView(int number, String podName, Optional<Instant> startedAt, Optional<Instant> finishedAt,
            Optional<Integer> exitCode) {
    }

    /** An artifact (not the pod's log) and where it is: an output where it went, an input where it was read from. */
    record ArtifactView(String name, String uri) {
    }

    private final JsonNode workflow;
    private final Map<String, JsonNode> nodes = new HashMap<>();
    private final Map<String, String> retryOf = new HashMap<>();
    private final Map<String, String> irIds = new HashMap<>();
    private final Set<String> wrappers = new HashSet<>();
    private final Map<String, String> components = new HashMap<>();
    private final Map<String, JsonNode> loopItems = new HashMap<>();
    /** Each node's parents (see {@link #parentsOf}), null until asked. */
    private Map<String, SortedSet<String>> parents;
    private final boolean shutdown;

    private TaskNodes(JsonNode workflow, ObjectNode nodeMap) {
        this.workflow = workflow;
        for (Map.Entry<String, JsonNode> e : nodeMap.properties()) {
            nodes.put(e.getKey(), e.getValue());
        }
        for (JsonNode n : nodes.values()) {
            if ("Retry".equals(n.path("type").asText())) {
                for (JsonNode child : n.path("children")) {
                    retryOf.put(child.asText(), n.path("id").asText());
                }
            }
        }
        JsonNode annotations = workflow.path("metadata").path("annotations");
        readJson(annotations.path(TASK_IDS).asText("")).properties()
                .forEach(e -> irIds.put(e.getKey(), e.getValue().asText()));
        readJson(annotations.path(WRAPPERS).asText("")).forEach(w -> wrappers.add(w.asText()));
        for (JsonNode template : workflow.path("spec").path("templates")) {
            ArgoJson.text(template, "metadata", "annotations", COMPONENT)
                    .ifPresent(c -> components.put(template.path("name").asText(), c));
            ArgoJson.text(template, "metadata", "annotations", LOOP_ITEM)
                    .ifPresent(i -> loopItems.put(template.path("name").asText(), readJson(i)));
        }
        this.shutdown = ArgoJson.text(workflow, "spec", "shutdown").isPresent();
    }

    private static JsonNode readJson(String text) {
        if (text.isBlank()) {
            return ArgoJson.MAPPER.createObjectNode();
        }
        try {
            return ArgoJson.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            // a hand-edited annotation must not stop a run from being followed: fall back to Argo names
            return ArgoJson.MAPPER.createObjectNode();
        }
    }

    /** The tasks in a stable order: by start time, then task id. */
    static List<TaskView> of(JsonNode workflow, ObjectNode nodeMap) {
        return new TaskNodes(workflow, nodeMap).tasks();
    }

    private List<TaskView> tasks() {
        // one view per task id: an id seen twice (a hook node named like its task) keeps the first by node id
        Map<String, TaskView> byId = new TreeMap<>();
        List<String> ids = new ArrayList<>(nodes.keySet());
        ids.sort(Comparator.naturalOrder());
        for (String id : ids) {
            JsonNode node = nodes.get(id);
            if (isTask(node)) {
                TaskView view = view(node);
                byId.putIfAbsent(view.taskId(), view);
            }
        }
        List<TaskView> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing((TaskView v) -> v.startedAt().orElse(Instant.MAX))
                .thenComparing(TaskView::taskId));
        return out;
    }

    private boolean isTask(JsonNode node) {
        String type = node.path("type").asText("");
        String id = node.path("id").asText("");
        if (retryOf.containsKey(id)) {
            return false;
        }
        boolean root = node.path("boundaryID").asText("").isEmpty();
        if (root) {
            // a workflow whose entrypoint (or onExit) is a single container: that pod is the task
            return "Pod".equals(type) || "Container".equals(type);
        }
        if (wrappers.contains(baseName(node))) {
            return false;
        }
        return LEAF_TYPES.contains(type) || "DAG".equals(type) || "Steps".equals(type);
    }

    private TaskView view(JsonNode node) {
        List<Segment> segments = segments(node);
        String taskId = taskId(segments);
        String template = templateName(node);
        String component = components.getOrDefault(template, template);
        List<JsonNode> attemptNodes = attempts(node);
        List<AttemptView> attempts = new ArrayList<>();
        for (int i = 0; i < attemptNodes.size(); i++) {
            JsonNode a = attemptNodes.get(i);
            attempts.add(new AttemptView(i + 1, PodNames.of(workflow, a), ArgoJson.time(a, "startedAt"),
                    ArgoJson.time(a, "finishedAt"), exitCode(a)));
        }
        JsonNode last = attemptNodes.isEmpty() ? node : attemptNodes.get(attemptNodes.size() - 1);
        Optional<Integer> exit = exitCode(node).or(() -> exitCode(last));
        JsonNode outputsSource = node.path("outputs").isMissingNode() ? last : node;
        // the controller writes the locations it resolved into the pod's inputs (a Retry node's too)
        JsonNode inputsSource = node.path("inputs").path("artifacts").isMissingNode() ? last : node;
        TaskState state = state(node);
        Optional<String> message = whyNotRun(node).or(() -> state == TaskState.Pending ? lockWait(node) : Optional.empty())
                .or(() -> message(node, last));
        // a node waiting for a lock has no pod yet: nothing to ask Kubernetes
        Optional<String> pendingPod = state == TaskState.Pending && isPod(last) && lockWait(node).isEmpty()
                ? Optional.of(PodNames.of(workflow, last)) : Optional.empty();
        return new TaskView(taskId, displayName(node, taskId), component, state,
                state == TaskState.Pending ? Optional.empty() : ArgoJson.time(node, "startedAt"),
                state.isTerminal() ? ArgoJson.time(node, "finishedAt") : Optional.empty(),
                exit, parameters(outputsSource), message, attempts, artifacts(outputsSource), node.path("id").asText(),
                pendingPod, segments.stream().flatMap(x -> x.item().stream()).toList(), metrics(outputsSource),
                located(inputsSource.path("inputs").path("artifacts")));
    }

    private static boolean isPod(JsonNode node) {
        return "Pod".equals(node.path("type").asText()) || "Container".equals(node.path("type").asText());
    }

    /** The pods that ran the task: a Retry node's children by their {@code (n)} suffix, or the node itself. */
    private List<JsonNode> attempts(JsonNode node) {
        String type = node.path("type").asText("");
        if ("Retry".equals(type)) {
            List<JsonNode> children = new ArrayList<>();
            for (JsonNode child : node.path("children")) {
                JsonNode c = nodes.get(child.asText());
                if (c != null) {
                    children.add(c);
                }
            }
            children.sort(Comparator.comparingInt(TaskNodes::attemptIndex));
            return children;
        }
        if (isPod(node) && !"Pending".equals(node.path("phase").asText(""))) {
            return List.of(node);
        }
        return List.of();
    }

    private static int attemptIndex(JsonNode node) {
        Matcher m = ATTEMPT.matcher(node.path("displayName").asText(""));
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    private TaskState state(JsonNode node) {
        if (node.path("memoizationStatus").path("hit").asBoolean(false)
                && "Succeeded".equals(node.path("phase").asText())) {
            return TaskState.Cached;
        }
        String message = node.path("message").asText("");
        return switch (node.path("phase").asText("")) {
            case "Running" -> TaskState.Running;
            case "Succeeded" -> TaskState.Succeeded;
            case "Failed", "Error" -> shutdown && (message.contains("shutdown") || message.contains("Stopped with strategy")
                    || message.contains("terminated")) ? TaskState.Cancelled : TaskState.Failed;
            case "Skipped", "Omitted" -> TaskState.Skipped;
            default -> TaskState.Pending;
        };
    }

    /** How the message of a task waiting for a lock starts: the engine's words, {@code waiting for mutex `gpu`}. */
    static final String LOCK_WAIT = "waiting for ";

    /**
     * What a node waits for, worded as the engine words it: Argo's {@code synchronizationStatus.waiting} is the lock's key,
     * {@code <namespace>/Mutex/<name>} (its message, "Waiting for argo/Mutex/gpu lock. Lock status: 0/1", says the same in
     * Argo's terms). Empty when the node waits for none. The Workflow's own wait is {@link #workflowLockWait}.
     */
    static Optional<String> lockWait(JsonNode node) {
        return ArgoJson.text(node, "synchronizationStatus", "waiting").map(TaskNodes::lockWords);
    }

    /** The mutex a Workflow waits for before its first node, with its holder (another Workflow's node) when Argo says. */
    static Optional<String> workflowLockWait(JsonNode workflow) {
        for (JsonNode w : workflow.path("status").path("synchronization").path("mutex").path("waiting")) {
            String key = w.path("mutex").asText("");
            if (!key.isEmpty()) {
                String holder = w.path("holder").asText("");
                return Optional.of(lockWords(key) + (holder.isEmpty() ? "" : ", held by `" + holder + "`"));
            }
        }
        return Optional.empty();
    }

    private static String lockWords(String key) {
        int at = key.lastIndexOf("/Mutex/");
        if (at >= 0) {
            return LOCK_WAIT + "mutex `" + key.substring(at + "/Mutex/".length()) + "`";
        }
        at = key.lastIndexOf("/Semaphore/");
        return LOCK_WAIT + (at >= 0 ? "semaphore `" + key.substring(at + "/Semaphore/".length()) + "`" : "lock `" + key + "`");
    }

    private static Optional<String> message(JsonNode node, JsonNode lastAttempt) {
        Optional<String> own = ArgoJson.text(node, "message");
        Optional<String> attempt = node == lastAttempt ? Optional.empty() : ArgoJson.text(lastAttempt, "message");
        if (own.isPresent() && attempt.isPresent() && !own.get().equals(attempt.get())) {
            return Optional.of(own.get() + ": " + attempt.get());
        }
        return own.or(() -> attempt);
    }

    /**
     * Why a Skipped or Omitted node did not run, worded as a local run words it ({@code skipped: `a` failed},
     * {@code skipped: its condition was false}): Argo's own words ("omitted: depends condition not met",
     * "when 'false' evaluated false") name neither the task it waited for nor a state the run store has.
     * Empty for a node that is neither.
     */
    private Optional<String> whyNotRun(JsonNode node) {
        String phase = node.path("phase").asText("");
        String own = node.path("message").asText("");
        if ("Omitted".equals(phase)) {
            return Optional.of("skipped: " + unsucceededDependency(node).orElse("a task it depends on did not succeed"));
        }
        if (!"Skipped".equals(phase)) {
            return Optional.empty();
        }
        if (own.startsWith("when '")) {
            // an `if`'s branches are guarded by a `when` each: a branch not taken evaluated false
            return Optional.of("skipped: its condition was false");
        }
        if (own.equals("Skipped, empty params")) {
            JsonNode note = loopItems.get(templateName(node));
            String variable = note == null ? "" : note.path("name").asText("");
            return Optional.of("skipped: the loop " + (variable.isEmpty() ? "" : "over `" + variable + "` ") + "had no items");
        }
        // another reason of Argo's, in its words, after the store's state
        return own.isEmpty() ? Optional.empty() : Optional.of(own.startsWith("skipped") ? own : "skipped: " + own);
    }

    /**
     * The task an Omitted node waited for that did not succeed, {@code `a` failed}: Argo lists a node among the
     * {@code children} of each node it depends on (of a Retry node, or of its last attempt).
     */
    private Optional<String> unsucceededDependency(JsonNode node) {
        for (String candidate : parentsOf(node.path("id").asText(""))) {
            JsonNode dep = nodes.get(candidate);
            JsonNode task = retryOf.containsKey(candidate) ? nodes.getOrDefault(retryOf.get(candidate), dep) : dep;
            if (!isTask(task)) {
                // a loop's fan-out or the body of an `if`: no task of the run store to name
                continue;
            }
            TaskState state = state(task);
            // a dependency of its own that was Omitted is Skipped in the store, and stopped this one as a failure does
            if (state == TaskState.Failed || state == TaskState.Cancelled || "Omitted".equals(task.path("phase").asText())) {
                return Optional.of("`" + taskId(task) + "` " + state.said());
            }
        }
        return Optional.empty();
    }

    /**
     * The nodes that list {@code id} among their {@code children}, in the order of their ids: the index is made once,
     * when an Omitted node first asks, not for every node of every snapshot.
     */
    private SortedSet<String> parentsOf(String id) {
        if (parents == null) {
            parents = new HashMap<>();
            nodes.forEach((candidate, dep) -> {
                for (JsonNode child : dep.path("children")) {
                    parents.computeIfAbsent(child.asText(), c -> new TreeSet<>()).add(candidate);
                }
            });
        }
        return parents.getOrDefault(id, Collections.emptySortedSet());
    }

    private static Optional<Integer> exitCode(JsonNode node) {
        String code = node.path("outputs").path("exitCode").asText("");
        return EXIT_CODE.matcher(code).matches() ? Optional.of(Integer.parseInt(code)) : Optional.empty();
    }

    /**
     * The pipeline's outputs, from the outputs Argo gives the Workflow's root node (the entrypoint's
     * {@code dag} template) when it ends: a parameter as its text (as a task's outputs), an
     * artifact as {@code {"type": null, "digest": null, "uri"}} (the shape a local run records, with
     * what Argo does not say left null). Empty while the root node has no outputs.
     */
    static Optional<ObjectNode> pipelineOutputs(JsonNode workflow, ObjectNode nodes) {
        JsonNode root = nodes.path(ArgoJson.name(workflow));
        if (!root.path("outputs").isObject()) {
            return Optional.empty();
        }
        ObjectNode out = parameters(root);
        for (ArtifactView a : artifacts(root)) {
            out.set(a.name(), ArtifactRecord.outputJson(null, null, a.uri()));
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    private static ObjectNode parameters(JsonNode node) {
        ObjectNode out = ArgoJson.MAPPER.createObjectNode();
        for (JsonNode p : node.path("outputs").path("parameters")) {
            if (p.has("name") && p.has("value") && !p.get("name").asText().startsWith(METRICS_PARAMETER)) {
                out.put(p.get("name").asText(), p.get("value").asText());
            }
        }
        return out;
    }

    /** The text of each {@code Metrics} output, by output name, in the template's order; none left empty. */
    private static Map<String, String> metrics(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : node.path("outputs").path("parameters")) {
            String name = p.path("name").asText("");
            if (name.startsWith(METRICS_PARAMETER) && !p.path("value").asText("").isEmpty()) {
                out.put(name.substring(METRICS_PARAMETER.length()), p.get("value").asText());
            }
        }
        return out;
    }

    private static List<ArtifactView> artifacts(JsonNode node) {
        return located(node.path("outputs").path("artifacts"));
    }

    /** The artifacts of a node's {@code outputs.artifacts} or {@code inputs.artifacts} that have a location. */
    private static List<ArtifactView> located(JsonNode listed) {
        List<ArtifactView> out = new ArrayList<>();
        for (JsonNode a : listed) {
            String name = a.path("name").asText("");
            if (name.isEmpty() || "main-logs".equals(name)) {
                continue;
            }
            uri(a).ifPresent(uri -> out.add(new ArtifactView(name, uri)));
        }
        return out;
    }

    /** Where the artifact is; only locations, never the secret references beside them. */
    private static Optional<String> uri(JsonNode a) {
        if (a.has("s3")) {
            String bucket = a.path("s3").path("bucket").asText("");
            return ArgoJson.text(a, "s3", "key").map(k -> "s3://" + (bucket.isEmpty() ? "" : bucket + "/") + k);
        }
        if (a.has("gcs")) {
            return ArgoJson.text(a, "gcs", "key").map(k -> "gs://" + a.path("gcs").path("bucket").asText("") + "/" + k);
        }
        if (a.has("azure")) {
            return ArgoJson.text(a, "azure", "blob").map(b -> "azure://" + a.path("azure").path("container").asText("")
                    + "/" + b);
        }
        if (a.has("http")) {
            return ArgoJson.text(a, "http", "url");
        }
        if (a.has("artifactory")) {
            return ArgoJson.text(a, "artifactory", "url");
        }
        if (a.has("oss")) {
            return ArgoJson.text(a, "oss", "key").map(k -> "oss://" + a.path("oss").path("bucket").asText("") + "/" + k);
        }
        if (a.has("hdfs")) {
            return ArgoJson.text(a, "hdfs", "path").map(p -> "hdfs://" + p);
        }
        return Optional.empty();
    }

    // ---- task ids ----------------------------------------------------------------------------------

    /** One step of a node's boundary chain; {@code item}, the item of a loop iteration when the Workflow says it. */
    private record Segment(String name, List<Integer> indices, boolean wrapper, Optional<LoopItem> item) {
    }

    String taskId(JsonNode node) {
        return taskId(segments(node));
    }

    private List<Segment> segments(JsonNode node) {
        List<Segment> segments = new ArrayList<>();
        collect(node, segments, new HashSet<>());
        return segments;
    }

    private static String taskId(List<Segment> segments) {
        StringBuilder id = new StringBuilder();
        List<Integer> carried = new ArrayList<>();
        for (Segment s : segments) {
            carried.addAll(s.indices());
            if (s.wrapper()) {
                continue;
            }
            if (id.length() > 0) {
                id.append('/');
            }
            id.append(s.name());
            carried.forEach(i -> id.append('[').append(i).append(']'));
            carried.clear();
        }
        return id.toString();
    }

    /** Segments from the outermost boundary down to {@code node}. */
    private void collect(JsonNode node, List<Segment> out, Set<String> seen) {
        String id = node.path("id").asText("");
        if (!seen.add(id)) {
            return; // a malformed status with a boundary cycle: stop rather than loop
        }
        JsonNode self = retryOf.containsKey(id) ? nodes.getOrDefault(retryOf.get(id), node) : node;
        String boundaryId = self.path("boundaryID").asText("");
        if (boundaryId.isEmpty()) {
            // the root itself: a lone pod at the root is named after its template
            if (isPod(self)) {
                out.add(new Segment(irId(templateName(self)), List.of(), false, Optional.empty()));
            }
            return;
        }
        JsonNode boundary = nodes.get(boundaryId);
        if (boundary != null && !boundary.path("boundaryID").asText("").isEmpty()) {
            collect(boundary, out, seen);
        } else if (boundary != null && retryOf.containsKey(boundaryId)) {
            collect(boundary, out, seen);
        }
        String display = self.path("displayName").asText("");
        Matcher m = ITERATION.matcher(display);
        String base = m.matches() ? m.group(1) : display;
        List<Integer> index = m.matches() ? List.of(Integer.parseInt(m.group(2))) : List.of();
        out.add(new Segment(irId(base), index, wrappers.contains(base), m.matches() ? item(self) : Optional.empty()));
    }

    /**
     * The item of the loop iteration {@code node}, from the input its template's {@value #LOOP_ITEM} annotation names,
     * written as the local engine writes it ({@link LoopItem#of}): a text as a JSON string, a Float as the engine's
     * text, anything else as its JSON. Not the {@code (2:0.03)} of its {@code displayName}: Argo writes a text there
     * without quotes and a map item as {@code key:value} pairs. Empty when the Workflow does not say (one lowered
     * before Freestone recorded items, a loop over artifacts) or the input is not there.
     */
    private Optional<LoopItem> item(JsonNode node) {
        JsonNode note = loopItems.get(templateName(node));
        if (note == null || !note.path("name").isTextual()) {
            return Optional.empty();
        }
        String parameter = note.path("parameter").asText("");
        for (JsonNode p : node.path("inputs").path("parameters")) {
            if (p.path("name").asText("").equals(parameter) && p.path("value").isTextual()) {
                return itemValue(p.path("value").textValue(), note.path("as").asText(""))
                        .map(v -> LoopItem.of(note.path("name").textValue(), v));
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> itemValue(String text, String as) {
        return switch (as) {
            case "text" -> Optional.of(ArgoJson.MAPPER.getNodeFactory().textNode(text));
            case "item-text" -> Optional.of(readJson(text).path("v")).filter(JsonNode::isTextual);
            case "float" -> {
                JsonNode number = parsed(text);
                if (number != null && number.isNumber()) {
                    yield Optional.of(ArgoJson.MAPPER.getNodeFactory().numberNode(number.doubleValue()));
                }
                // NaN and the infinities as the engine records them: JSON has no such number
                yield ValueText.goSpecialFloat(text) != null
                        ? Optional.of(ArgoJson.MAPPER.getNodeFactory().nullNode()) : Optional.empty();
            }
            // a map's keys in Go's order, as Argo writes {{item}} and the engine hands a structure over
            case "json" -> Optional.ofNullable(parsed(text)).map(ValueText::goKeyOrder);
            default -> Optional.empty();
        };
    }

    private static JsonNode parsed(String text) {
        try {
            return ArgoJson.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private String baseName(JsonNode node) {
        Matcher m = ITERATION.matcher(node.path("displayName").asText(""));
        return m.matches() ? m.group(1) : node.path("displayName").asText("");
    }

    private String irId(String argoName) {
        return irIds.getOrDefault(argoName, argoName);
    }

    private static String templateName(JsonNode node) {
        return ArgoJson.text(node, "templateRef", "template").orElse(node.path("templateName").asText(""));
    }

    private String displayName(JsonNode node, String taskId) {
        Matcher m = ITERATION.matcher(node.path("displayName").asText(""));
        return m.matches() ? taskId + " (" + m.group(3) + ")" : taskId;
    }
}
