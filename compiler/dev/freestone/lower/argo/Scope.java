package dev.freestone.lower.argo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@code {{...}}} reference can see where it is written: the workflow's globals, the inputs of the
 * enclosing template, the tasks or steps whose outputs are ready, and the loop item. Built by {@link ArgoLint}
 * for each place it scans; {@link #check} says why a reference does not resolve.
 */
record Scope(Globals globals, JsonNode template, String templateName, Units units, Set<String> ready,
             Set<String> statusOnly, String user, Loop loop) {

    /** Workflow-wide variables: declared parameters, label and annotation keys, global outputs. */
    record Globals(Set<String> parameters, Set<String> labels, Set<String> annotations, Set<String> outputParameters,
                   Set<String> outputArtifacts, boolean anyOutputParameter, boolean anyOutputArtifact) {
    }

    /** The tasks of a dag or the steps of a steps template, by name. */
    record Units(String noun, Map<String, Unit> byName) {
    }

    /** One task or step: its resolved template ({@code null} when it could not be resolved) and whether it loops. */
    record Unit(JsonNode node, JsonNode callee, String calleeName, boolean loops) {
    }

    /** The loop of the task using a reference: {@code any} for withParam, else the keys of map items. */
    record Loop(boolean any, boolean scalar, Set<String> keys) {
    }

    /** A reference that does not resolve: the catalog entry and its arguments. */
    record Problem(LintCode code, Object... args) {
    }

    private static final Set<String> WORKFLOW_VALUES = Set.of("name", "namespace", "uid", "mainEntrypoint",
            "serviceAccountName", "status", "failures", "priority");
    private static final Set<String> WORKFLOW_OPEN = Set.of("creationTimestamp", "duration", "scheduledTime");
    private static final Set<String> NODE_FIELDS = Set.of("id", "startedAt", "finishedAt", "hostNodeName", "ip");
    static final Set<String> TYPES = Set.of("container", "containerSet", "script", "resource", "dag", "steps",
            "suspend", "data", "http", "plugin");

    Scope withUnits(Units u, Set<String> readyUnits, Set<String> status, String usedBy, Loop l) {
        return new Scope(globals, template, templateName, u, readyUnits, status, usedBy, l);
    }

    static boolean isLeaf(JsonNode t) {
        return t != null && !t.has("dag") && !t.has("steps");
    }

    static boolean isPod(JsonNode t) {
        return t != null && (t.has("container") || t.has("containerSet") || t.has("script") || t.has("resource")
                || t.has("data"));
    }

    /** Argo's {@code HasOutput}: templates that produce {@code outputs.result} and {@code exitCode}. */
    static boolean hasResult(JsonNode t) {
        if (t == null) {
            return true;
        }
        boolean mainContainer = false;
        for (JsonNode c : t.path("containerSet").path("containers")) {
            mainContainer |= "main".equals(c.path("name").asText());
        }
        return t.has("container") || mainContainer || t.has("script") || t.has("data") || t.has("http")
                || t.has("plugin");
    }

    static boolean declares(JsonNode list, String name) {
        for (JsonNode p : list) {
            if (name.equals(p.path("name").asText(null))) {
                return true;
            }
        }
        return false;
    }

    Optional<Problem> check(References.Reference ref) {
        var s = ref.segments();
        String root = s.get(0);
        return switch (root) {
            case "inputs" -> inputs(ref);
            case "outputs" -> Optional.empty(); // Argo lets a template refer to its own outputs (metrics)
            case "pod" -> pod(ref);
            case "item" -> item(ref);
            case "workflow" -> workflow(ref);
            case "tasks", "steps" -> unit(ref);
            default -> Optional.empty();
        };
    }

    private static String seg(References.Reference r, int i) {
        return i < r.segments().size() ? r.segments().get(i) : null;
    }

    private static Optional<Problem> unresolved(References.Reference r, String why) {
        return Optional.of(new Problem(LintCode.A020, r.written(), why.isEmpty() ? "" : ": " + why));
    }

    /** After a complete name, more segments are an error in a simple tag and a member access in an expression. */
    private static Optional<Problem> complete(References.Reference r, int length) {
        if (r.segments().size() > length && !r.inExpression()) {
            return unresolved(r, "`" + String.join(".", r.segments().subList(0, length)) + "` has no fields");
        }
        return Optional.empty();
    }

    private Optional<Problem> inputs(References.Reference r) {
        String kind = seg(r, 1);
        if (kind == null) {
            return r.inExpression() ? Optional.empty() : unresolved(r, "");
        }
        JsonNode declared = template.path("inputs").path(kind);
        String name = seg(r, 2);
        switch (kind) {
            case "parameters" -> {
                if (name == null) {
                    return r.inExpression() || declared.size() > 0 ? Optional.empty()
                            : unresolved(r, "template `" + templateName + "` has no input parameters");
                }
                if (!declares(declared, name)) {
                    return Optional.of(new Problem(LintCode.A023, r.written(), templateName, "parameter", name));
                }
                return complete(r, 3);
            }
            case "artifacts" -> {
                if (name == null) {
                    return r.inExpression() ? Optional.empty() : unresolved(r, "");
                }
                if (!declares(declared, name)) {
                    return Optional.of(new Problem(LintCode.A023, r.written(), templateName, "artifact", name));
                }
                if ("path".equals(seg(r, 3)) && isLeaf(template) && r.segments().size() == 4) {
                    return Optional.empty();
                }
                return complete(r, 3);
            }
            default -> {
                return unresolved(r, "inputs has parameters and artifacts");
            }
        }
    }

    private Optional<Problem> pod(References.Reference r) {
        String field = seg(r, 1);
        if (field == null && r.inExpression()) {
            return Optional.empty();
        }
        if ("name".equals(field) && isPod(template)) {
            return complete(r, 2);
        }
        return unresolved(r, "only `pod.name` exists, in container, script, resource, containerSet and data templates");
    }

    private Optional<Problem> item(References.Reference r) {
        if (loop == null) {
            return Optional.of(new Problem(LintCode.A024, r.written()));
        }
        if (loop.any()) {
            return Optional.empty();
        }
        String key = seg(r, 1);
        if (key == null) {
            return loop.scalar() || r.inExpression() ? Optional.empty()
                    : unresolved(r, "the items are maps: use `item.<key>`");
        }
        if (loop.keys().contains(key)) {
            return complete(r, 2);
        }
        return unresolved(r, loop.keys().isEmpty() ? "the items are not maps"
                : "no item has the key `" + key + "` (keys: " + String.join(", ", new java.util.TreeSet<>(loop.keys())) + ")");
    }

    private Optional<Problem> workflow(References.Reference r) {
        String field = seg(r, 1);
        if (field == null) {
            return r.inExpression() ? Optional.empty() : unresolved(r, "");
        }
        if (WORKFLOW_OPEN.contains(field)) {
            return Optional.empty();
        }
        if (WORKFLOW_VALUES.contains(field)) {
            return complete(r, 2);
        }
        String name = seg(r, 2);
        switch (field) {
            case "parameters" -> {
                if (name == null || name.equals("json") || globals.parameters().contains(name)) {
                    return complete(r, name == null ? 2 : 3);
                }
                return Optional.of(new Problem(LintCode.A025, r.written(), name));
            }
            case "labels", "annotations" -> {
                Set<String> keys = field.equals("labels") ? globals.labels() : globals.annotations();
                if (name == null || name.equals("json") || keys.contains(name)) {
                    return Optional.empty();
                }
                return unresolved(r, "no " + field.substring(0, field.length() - 1) + " `" + name
                        + "` is declared in metadata or workflowMetadata");
            }
            case "outputs" -> {
                String key = seg(r, 3);
                boolean params = "parameters".equals(name);
                boolean arts = "artifacts".equals(name);
                if (key == null && (params || arts) && r.inExpression()) {
                    return Optional.empty();
                }
                if ((params && (globals.anyOutputParameter() || globals.outputParameters().contains(key)))
                        || (arts && (globals.anyOutputArtifact() || globals.outputArtifacts().contains(key)))) {
                    return complete(r, 4);
                }
                return unresolved(r, "no template output declares globalName `" + key + "`");
            }
            default -> {
                return unresolved(r, "there is no workflow variable `" + field + "`");
            }
        }
    }

    private Optional<Problem> unit(References.Reference r) {
        String root = seg(r, 0);
        String name = seg(r, 1);
        if ("name".equals(name)) {
            return Optional.empty(); // tasks.name / steps.name: the node's own name
        }
        String noun = root.equals("tasks") ? "task" : "step";
        if (units == null || !units.noun().equals(noun)) {
            return unresolved(r, root + " are only visible inside a " + (noun.equals("task") ? "dag" : "steps")
                    + " template");
        }
        if (name == null) {
            return r.inExpression() ? Optional.empty() : unresolved(r, "");
        }
        Unit unit = units.byName().get(name);
        if (unit == null) {
            return unresolved(r, "template `" + templateName + "` has no " + noun + " `" + name + "`");
        }
        String field = seg(r, 2);
        boolean isReady = ready.contains(name);
        if (!isReady && !(statusOnly.contains(name) && (field == null || field.equals("status")))) {
            String why = user == null ? "is not visible here"
                    : noun.equals("task") ? "is not among the dependencies of task `" + user + "`"
                    : "does not run in a step group before step `" + user + "`";
            return Optional.of(new Problem(LintCode.A021, r.written(), noun, name, why));
        }
        if (field == null) {
            return r.inExpression() ? Optional.empty() : unresolved(r, "");
        }
        if (field.equals("status") || NODE_FIELDS.contains(field)) {
            return complete(r, 3);
        }
        JsonNode callee = unit.callee();
        boolean aggregatesResult = unit.loops() && callee != null && (callee.has("script") || callee.has("containerSet"));
        if (field.equals("exitCode")) {
            return hasResult(callee) || aggregatesResult ? complete(r, 3)
                    : unresolved(r, "template `" + unit.calleeName() + "` has no exit code");
        }
        if (!field.equals("outputs")) {
            return unresolved(r, noun + " `" + name + "` has no field `" + field + "`");
        }
        String kind = seg(r, 3);
        String out = seg(r, 4);
        if (kind == null) {
            return r.inExpression() ? Optional.empty() : unresolved(r, "");
        }
        if (callee == null) {
            return Optional.empty(); // the template could not be resolved; that is reported where it is named
        }
        switch (kind) {
            case "result" -> {
                return hasResult(callee) || aggregatesResult ? complete(r, 4)
                        : unresolved(r, "template `" + unit.calleeName() + "` produces no result");
            }
            case "parameters", "artifacts" -> {
                if (out == null) {
                    return r.inExpression() || (unit.loops() && kind.equals("parameters")) ? Optional.empty()
                            : unresolved(r, "only a task or step with withItems or withParam aggregates its "
                            + "output parameters");
                }
                if (!declares(callee.path("outputs").path(kind), out)) {
                    return Optional.of(new Problem(LintCode.A022, r.written(), unit.calleeName(),
                            kind.equals("parameters") ? "parameter" : "artifact", out));
                }
                return complete(r, 5);
            }
            default -> {
                return unresolved(r, "outputs has result, parameters and artifacts");
            }
        }
    }
}
