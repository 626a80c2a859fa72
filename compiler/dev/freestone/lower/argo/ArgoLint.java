package dev.freestone.lower.argo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The semantic checks Argo's controller makes before it runs a workflow ({@code workflow/validate} in
 * argo-workflows), made on the manifests Freestone produces so that a mistake is reported at compile time with
 * a stable code ({@link LintCode}) and a path, instead of by the cluster.
 *
 * <p>In: one manifest or a bundle (a Workflow or CronWorkflow plus the WorkflowTemplates its tasks reach with
 * {@code templateRef}), as Jackson trees. Out: every finding, sorted by manifest, path, code. The lint never
 * throws on a malformed manifest: what it cannot read it skips (the schema check reports shapes).
 *
 * <p>Where Freestone is stricter than Argo: a {@code {{tasks.T...}}} reference must name an ancestor of the task
 * using it (Argo checks that only for arguments that start with it); {@code item} must be inside a loop;
 * expression tags ({@code {{=...}}}) have their variables checked; a {@code templateRef} must reach a supplied
 * WorkflowTemplate; names: {@code metadata.name} is a DNS-1123 subdomain of at most 63 characters (52 for a
 * CronWorkflow, whose workflows get an 11 character {@code -<unix time>} suffix), and a {@code generateName}
 * plus the 5 characters Kubernetes appends must fit the same limit (Kubernetes would silently truncate it).
 */
public final class ArgoLint {
    private static final String API_VERSION = "argoproj.io/v1alpha1";
    private static final Set<String> KINDS = Set.of("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate",
            "CronWorkflow");
    private static final int MAX_TEMPLATES = 200;
    private static final int MAX_TASKS = 200;
    private static final int MAX_INPUT_PARAMETERS = 500;
    private static final Pattern DURATION = Pattern.compile("[-+]?(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|ms|s|m|h))+|0");
    private static final Pattern TAG = Pattern.compile("\\{\\{.*?}}");
    private static final Set<String> LOCATIONS = Set.of("s3", "git", "http", "artifactory", "hdfs", "raw", "oss",
            "gcs", "azure", "plugin", "key", "from", "fromExpression");

    private final List<JsonNode> documents;
    private final Map<String, Integer> workflowTemplates = new HashMap<>();
    private final Map<String, Integer> clusterTemplates = new HashMap<>();
    private final Set<String> callerParameters = new TreeSet<>();
    private final List<LintFinding> findings = new ArrayList<>();
    /** The templates of each referenced document, built once (a split pipeline has thousands of templateRefs). */
    private final Map<Integer, Templates> documentTemplates = new HashMap<>();
    private int document;

    private ArgoLint(List<JsonNode> documents) {
        this.documents = documents;
    }

    /** Lints one manifest on its own; a {@code templateRef} in it must then be resolvable without other manifests. */
    public static List<LintFinding> lint(JsonNode manifest) {
        return lint(List.of(manifest));
    }

    /** Lints a bundle; {@code templateRef}s resolve against the WorkflowTemplates in it. */
    public static List<LintFinding> lint(List<JsonNode> manifests) {
        ArgoLint lint = new ArgoLint(List.copyOf(manifests));
        lint.run();
        return lint.findings.stream().distinct().sorted().toList();
    }

    private void run() {
        for (int i = 0; i < documents.size(); i++) {
            JsonNode m = documents.get(i);
            String kind = m.path("kind").asText("");
            String name = m.path("metadata").path("name").asText("");
            if (kind.equals("WorkflowTemplate")) {
                workflowTemplates.putIfAbsent(name, i);
            } else if (kind.equals("ClusterWorkflowTemplate")) {
                clusterTemplates.putIfAbsent(name, i);
            } else if (kind.equals("Workflow") || kind.equals("CronWorkflow")) {
                JsonNode spec = kind.equals("Workflow") ? m.path("spec") : m.path("spec").path("workflowSpec");
                for (JsonNode p : spec.path("arguments").path("parameters")) {
                    callerParameters.add(p.path("name").asText(""));
                }
            }
        }
        for (document = 0; document < documents.size(); document++) {
            lintDocument(documents.get(document));
        }
    }

    private void report(ManifestPath path, LintCode code, Object... args) {
        findings.add(new LintFinding(code, document, path, code.format(args)));
    }

    // ---- manifest level -------------------------------------------------------------------------------

    private void lintDocument(JsonNode m) {
        ManifestPath root = ManifestPath.root();
        String apiVersion = m.path("apiVersion").asText("");
        String kind = m.path("kind").asText("");
        if (!m.isObject() || !API_VERSION.equals(apiVersion) || !KINDS.contains(kind)) {
            report(root.field(KINDS.contains(kind) ? "apiVersion" : "kind"), LintCode.A001, apiVersion, kind);
            return;
        }
        lintMetadata(kind, m.path("metadata"), root.field("metadata"));
        ManifestPath specPath = root.field("spec");
        JsonNode spec = m.path("spec");
        if (kind.equals("CronWorkflow")) {
            lintCron(spec, specPath);
            lintMeta(spec.path("workflowMetadata"), specPath.field("workflowMetadata"));
            specPath = specPath.field("workflowSpec");
            spec = spec.path("workflowSpec");
        }
        lintSpec(kind, m, spec, specPath);
    }

    private void lintMetadata(String kind, JsonNode meta, ManifestPath at) {
        int max = kind.equals("CronWorkflow") ? 52 : 63;
        String name = meta.path("name").asText("");
        String generateName = meta.path("generateName").asText("");
        if (name.isEmpty() && generateName.isEmpty()) {
            report(at, LintCode.A040);
        } else if (!name.isEmpty()) {
            KubeNames.subdomain(name, max).ifPresent(why -> report(at.field("name"), LintCode.A041, "name", name, why));
        } else {
            KubeNames.generateName(generateName, max, 5)
                    .ifPresent(why -> report(at.field("generateName"), LintCode.A041, "generateName", generateName, why));
        }
        lintMeta(meta, at);
    }

    /** Labels and annotations of any metadata-like object (metadata, workflowMetadata, a template's metadata). */
    private void lintMeta(JsonNode meta, ManifestPath at) {
        for (Map.Entry<String, JsonNode> e : meta.path("labels").properties()) {
            ManifestPath p = at.field("labels").field(e.getKey());
            KubeNames.qualifiedKey(e.getKey()).ifPresent(why -> report(p, LintCode.A043, e.getKey(), why));
            String value = e.getValue().asText("");
            if (e.getValue().isTextual() && !value.contains("{{")) {
                KubeNames.labelValue(value).ifPresent(why -> report(p, LintCode.A044, value, why));
            }
        }
        meta.path("annotations").fieldNames().forEachRemaining(key -> KubeNames.qualifiedKey(key)
                .ifPresent(why -> report(at.field("annotations").field(key), LintCode.A045, key, why)));
    }

    private void lintCron(JsonNode spec, ManifestPath at) {
        if (spec.has("schedule")) {
            report(at.field("schedule"), LintCode.A070);
        }
        JsonNode schedules = spec.path("schedules");
        if (schedules.size() == 0 && !spec.has("schedule")) {
            report(at.field("schedules"), LintCode.A071);
        }
        for (int i = 0; i < schedules.size(); i++) {
            JsonNode s = schedules.get(i);
            if (s.isTextual()) {
                int index = i;
                CronSchedule.problem(s.asText())
                        .ifPresent(why -> report(at.field("schedules").index(index), LintCode.A072, s.asText(), why));
            }
        }
        String policy = spec.path("concurrencyPolicy").asText("");
        if (spec.has("concurrencyPolicy") && !Set.of("Allow", "Forbid", "Replace").contains(policy)) {
            report(at.field("concurrencyPolicy"), LintCode.A073, policy);
        }
    }

    // ---- workflow spec --------------------------------------------------------------------------------

    /** The templates of one spec, by name, with their paths. */
    private record Templates(Map<String, JsonNode> byName, Map<String, ManifestPath> paths) {
    }

    private static Templates templatesOf(JsonNode spec, ManifestPath specPath) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        Map<String, ManifestPath> paths = new HashMap<>();
        JsonNode list = spec.path("templates");
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).path("name").asText("");
            if (!name.isEmpty() && !byName.containsKey(name)) {
                byName.put(name, list.get(i));
                paths.put(name, specPath.field("templates").index(i));
            }
        }
        return new Templates(byName, paths);
    }

    private void lintSpec(String kind, JsonNode manifest, JsonNode spec, ManifestPath at) {
        boolean runs = kind.equals("Workflow") || kind.equals("CronWorkflow");
        Templates local = templatesOf(spec, at);
        JsonNode list = spec.path("templates");
        if (list.size() > MAX_TEMPLATES) {
            report(at.field("templates"), LintCode.A050, "spec", list.size(), "templates", MAX_TEMPLATES);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).path("name").asText("");
            ManifestPath p = at.field("templates").index(i).field("name");
            KubeNames.fieldName(name).ifPresent(why -> report(p, LintCode.A008, "template", name, why));
            if (!name.isEmpty() && !seen.add(name)) {
                report(p, LintCode.A006, name);
            }
        }

        // the templates the entrypoint and onExit resolve in: this spec's, or a referenced WorkflowTemplate's
        Templates entryTemplates = local;
        JsonNode arguments = spec.path("arguments");
        List<JsonNode> argumentSets = new ArrayList<>(List.of(arguments));
        JsonNode ref = spec.path("workflowTemplateRef");
        boolean byReference = ref.isObject();
        String entrypoint = spec.path("entrypoint").asText("");
        if (byReference) {
            String refName = ref.path("name").asText("");
            boolean cluster = ref.path("clusterScope").asBoolean(false);
            Integer target = (cluster ? clusterTemplates : workflowTemplates).get(refName);
            if (target == null) {
                report(at.field("workflowTemplateRef").field("name"), LintCode.A004,
                        cluster ? "ClusterWorkflowTemplate" : "WorkflowTemplate", refName);
                entryTemplates = null;
            } else {
                JsonNode targetSpec = documents.get(target).path("spec");
                entryTemplates = templatesOf(targetSpec, ManifestPath.root());
                argumentSets.add(targetSpec.path("arguments"));
                if (entrypoint.isEmpty()) {
                    entrypoint = targetSpec.path("entrypoint").asText("");
                }
            }
        }
        if (runs && entrypoint.isEmpty() && entryTemplates != null) {
            report(at.field("entrypoint"), LintCode.A002);
        }
        for (String field : List.of("entrypoint", "onExit")) {
            String name = field.equals("entrypoint") ? entrypoint : spec.path(field).asText("");
            if (name.isEmpty() || entryTemplates == null) {
                continue;
            }
            JsonNode t = entryTemplates.byName().get(name);
            if (t == null) {
                report(at.field(field), LintCode.A003, name);
            } else if (runs) {
                requireArguments(t, name, argumentSets, at.field("arguments"), "spec.arguments");
            }
        }
        for (Map.Entry<String, JsonNode> hook : spec.path("hooks").properties()) {
            String name = hook.getValue().path("template").asText("");
            if (!name.isEmpty() && !local.byName().containsKey(name)) {
                report(at.field("hooks").field(hook.getKey()).field("template"), LintCode.A003, name);
            }
        }
        lintArguments(kind, arguments, at.field("arguments"));
        lintMeta(spec.path("workflowMetadata"), at.field("workflowMetadata"));

        Scope.Globals globals = globals(kind, manifest, spec, argumentSets);
        for (int i = 0; i < list.size(); i++) {
            JsonNode t = list.get(i);
            lintTemplate(t, t.path("name").asText(""), at.field("templates").index(i), local, globals);
        }
    }

    private void lintArguments(String kind, JsonNode arguments, ManifestPath at) {
        JsonNode params = arguments.path("parameters");
        names(params, at.field("parameters"), "parameter");
        names(arguments.path("artifacts"), at.field("artifacts"), "artifact");
        if (kind.equals("Workflow") || kind.equals("CronWorkflow")) {
            for (int i = 0; i < params.size(); i++) {
                JsonNode p = params.get(i);
                if (!p.has("value") && !p.has("valueFrom")) {
                    report(at.field("parameters").index(i), LintCode.A031, p.path("name").asText(""));
                }
            }
        }
    }

    /** Parameter and artifact names: Argo's pattern, unique within their list. */
    private void names(JsonNode list, ManifestPath at, String noun) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).path("name").asText("");
            ManifestPath p = at.index(i).field("name");
            if (!KubeNames.PARAM_NAME.matcher(name).matches()) {
                report(p, LintCode.A032, noun, name);
            } else if (!seen.add(name)) {
                report(p, LintCode.A033, noun, name);
            }
        }
    }

    private Scope.Globals globals(String kind, JsonNode manifest, JsonNode spec, List<JsonNode> argumentSets) {
        Set<String> params = new TreeSet<>();
        for (JsonNode args : argumentSets) {
            for (JsonNode p : args.path("parameters")) {
                params.add(p.path("name").asText(""));
            }
        }
        if (kind.equals("WorkflowTemplate") || kind.equals("ClusterWorkflowTemplate")) {
            params.addAll(callerParameters); // a WorkflowTemplate sees the parameters of the workflow that calls it
        }
        Set<String> labels = new TreeSet<>();
        Set<String> annotations = new TreeSet<>();
        List<JsonNode> metas = new ArrayList<>(List.of(manifest.path("metadata"), spec.path("workflowMetadata")));
        if (kind.equals("CronWorkflow")) {
            metas.add(manifest.path("spec").path("workflowMetadata"));
        }
        for (JsonNode meta : metas) {
            meta.path("labels").fieldNames().forEachRemaining(labels::add);
            meta.path("labelsFrom").fieldNames().forEachRemaining(labels::add);
            meta.path("annotations").fieldNames().forEachRemaining(annotations::add);
        }
        Set<String> outParams = new TreeSet<>();
        Set<String> outArts = new TreeSet<>();
        boolean[] any = new boolean[2];
        collectGlobalOutputs(spec.path("templates"), outParams, outArts, any);
        return new Scope.Globals(params, labels, annotations, outParams, outArts, any[0], any[1]);
    }

    private static void collectGlobalOutputs(JsonNode node, Set<String> params, Set<String> arts, boolean[] any) {
        if (node.isObject()) {
            JsonNode outputs = node.path("outputs");
            for (int k = 0; k < 2; k++) {
                for (JsonNode o : outputs.path(k == 0 ? "parameters" : "artifacts")) {
                    String g = o.path("globalName").asText("");
                    if (g.contains("{{")) {
                        any[k] = true;
                    } else if (!g.isEmpty()) {
                        (k == 0 ? params : arts).add(g);
                    }
                }
            }
            node.elements().forEachRemaining(child -> collectGlobalOutputs(child, params, arts, any));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectGlobalOutputs(child, params, arts, any));
        }
    }

    // ---- templates ------------------------------------------------------------------------------------

    private void lintTemplate(JsonNode t, String name, ManifestPath at, Templates local, Scope.Globals globals) {
        if (!t.isObject()) {
            return;
        }
        List<String> types = new ArrayList<>();
        t.fieldNames().forEachRemaining(f -> {
            if (Scope.TYPES.contains(f)) {
                types.add(f);
            }
        });
        if (types.size() != 1) {
            report(at, LintCode.A009, name, types.isEmpty() ? "has no type" : "has " + types.size() + " types ("
                    + String.join(", ", types) + ")");
        }
        JsonNode inputParams = t.path("inputs").path("parameters");
        if (inputParams.size() > MAX_INPUT_PARAMETERS) {
            report(at.field("inputs").field("parameters"), LintCode.A050, "template `" + name + "`",
                    inputParams.size(), "input parameters", MAX_INPUT_PARAMETERS);
        }
        names(inputParams, at.field("inputs").field("parameters"), "parameter");
        names(t.path("inputs").path("artifacts"), at.field("inputs").field("artifacts"), "artifact");
        names(t.path("outputs").path("parameters"), at.field("outputs").field("parameters"), "parameter");
        names(t.path("outputs").path("artifacts"), at.field("outputs").field("artifacts"), "artifact");
        lintMeta(t.path("metadata"), at.field("metadata"));
        lintMemoize(t.path("memoize"), name, at.field("memoize"));

        Scope base = new Scope(globals, t, name, null, Set.of(), Set.of(), null, null);
        if (t.has("dag")) {
            Scope.Units units = lintDag(t, name, at, local, base);
            scanExcept(t, at, base, Set.of("dag", "outputs"));
            scan(t.path("outputs"), at.field("outputs"), base.withUnits(units, units.byName().keySet(), Set.of(), null, null));
        } else if (t.has("steps")) {
            Scope.Units units = lintSteps(t, name, at, local, base);
            scanExcept(t, at, base, Set.of("steps", "outputs"));
            scan(t.path("outputs"), at.field("outputs"), base.withUnits(units, units.byName().keySet(), Set.of(), null, null));
        } else {
            scan(t, at, base);
        }
    }

    private void lintMemoize(JsonNode m, String template, ManifestPath at) {
        if (!m.isObject()) {
            return;
        }
        String key = m.path("key").asText("");
        if (key.isBlank()) {
            report(at.field("key"), LintCode.A060, template, "key");
        } else {
            memoKeyProblem(key).ifPresent(why -> report(at.field("key"), LintCode.A061, key, why));
        }
        String maxAge = m.path("maxAge").asText("");
        if (maxAge.isBlank()) {
            report(at.field("maxAge"), LintCode.A060, template, "maxAge");
        } else if (!maxAge.contains("{{") && !DURATION.matcher(maxAge).matches()) {
            report(at.field("maxAge"), LintCode.A062, maxAge);
        }
        if (m.path("cache").path("configMap").path("name").asText("").isBlank()) {
            report(at.field("cache"), LintCode.A060, template, "cache.configMap.name");
        }
    }

    /** A literal key must be a name; around {{...}} the literal text may hold only letters, digits and '-'. */
    static Optional<String> memoKeyProblem(String key) {
        if (!key.contains("{{")) {
            return KubeNames.FIELD_NAME.matcher(key).matches() ? Optional.empty()
                    : Optional.of("a literal key must match ^[a-zA-Z0-9][-a-zA-Z0-9]*$");
        }
        String literal = TAG.matcher(key).replaceAll("");
        if (!literal.matches("[-a-zA-Z0-9]*")) {
            return Optional.of("outside {{...}} a key may hold only letters, digits and '-'");
        }
        if (!key.startsWith("{{") && !Character.isLetterOrDigit(key.charAt(0))) {
            return Optional.of("a key must start with a letter, a digit or {{...}}");
        }
        return Optional.empty();
    }

    /** What a task or step calls; {@code template} is null when it could not be resolved. */
    private record Callee(JsonNode template, String name) {
    }

    private Callee resolve(JsonNode holder, ManifestPath at, Templates local, String noun) {
        String who = holder.path("name").asText("");
        boolean byName = holder.has("template");
        boolean byRef = holder.has("templateRef");
        boolean inline = holder.has("inline");
        int count = (byName ? 1 : 0) + (byRef ? 1 : 0) + (inline ? 1 : 0);
        if (count == 0) {
            report(at, LintCode.A010, noun, who, "names no template: set template, templateRef or inline");
            return new Callee(null, "?");
        }
        if (count > 1) {
            report(at, LintCode.A010, noun, who, "sets more than one of template, templateRef and inline");
            return new Callee(null, "?");
        }
        if (inline) {
            return new Callee(holder.path("inline"), "inline");
        }
        if (byName) {
            String name = holder.path("template").asText("");
            JsonNode t = local.byName().get(name);
            if (t == null && !name.contains("{{")) {
                report(at.field("template"), LintCode.A003, name);
            }
            return new Callee(t, name);
        }
        JsonNode ref = holder.path("templateRef");
        String refName = ref.path("name").asText("");
        String template = ref.path("template").asText("");
        if (refName.contains("{{") || template.contains("{{")) {
            return new Callee(null, template);
        }
        boolean cluster = ref.path("clusterScope").asBoolean(false);
        String kind = cluster ? "ClusterWorkflowTemplate" : "WorkflowTemplate";
        Integer target = (cluster ? clusterTemplates : workflowTemplates).get(refName);
        if (target == null) {
            report(at.field("templateRef").field("name"), LintCode.A004, kind, refName);
            return new Callee(null, template);
        }
        JsonNode t = documentTemplates.computeIfAbsent(target,
                k -> templatesOf(documents.get(k).path("spec"), ManifestPath.root())).byName().get(template);
        if (t == null) {
            report(at.field("templateRef").field("template"), LintCode.A005, kind, refName, template);
        }
        return new Callee(t, template);
    }

    /** A call must supply each input of its template that has no default, value, valueFrom or location. */
    private void requireArguments(JsonNode callee, String calleeName, List<JsonNode> argumentSets, ManifestPath at,
                                  String caller) {
        for (JsonNode p : callee.path("inputs").path("parameters")) {
            String name = p.path("name").asText("");
            if (p.has("value") || p.has("default") || p.has("valueFrom") || supplied(argumentSets, "parameters", name)) {
                continue;
            }
            report(at, LintCode.A030, caller, "parameter", name, calleeName);
        }
        for (JsonNode a : callee.path("inputs").path("artifacts")) {
            String name = a.path("name").asText("");
            boolean located = false;
            for (String l : LOCATIONS) {
                located |= a.has(l);
            }
            if (located || a.path("optional").asBoolean(false) || supplied(argumentSets, "artifacts", name)) {
                continue;
            }
            report(at, LintCode.A030, caller, "artifact", name, calleeName);
        }
    }

    private static boolean supplied(List<JsonNode> argumentSets, String kind, String name) {
        for (JsonNode args : argumentSets) {
            if (Scope.declares(args.path(kind), name)) {
                return true;
            }
        }
        return false;
    }

    private static Scope.Loop loopOf(JsonNode holder) {
        if (holder.has("withParam")) {
            return new Scope.Loop(true, false, Set.of());
        }
        if (holder.has("withSequence")) {
            return new Scope.Loop(false, true, Set.of());
        }
        if (holder.path("withItems").isArray() && holder.path("withItems").size() > 0) {
            boolean scalar = false;
            Set<String> keys = new TreeSet<>();
            for (JsonNode item : holder.path("withItems")) {
                if (item.isObject()) {
                    item.fieldNames().forEachRemaining(keys::add);
                } else if (item.isArray()) {
                    for (int i = 0; i < item.size(); i++) {
                        keys.add("[" + i + "]");
                    }
                } else {
                    scalar = true;
                }
            }
            return new Scope.Loop(false, scalar, keys);
        }
        return null;
    }

    private static boolean loops(JsonNode holder) {
        return holder.has("withParam") || holder.has("withSequence") || holder.path("withItems").size() > 0;
    }

    // ---- dags -----------------------------------------------------------------------------------------

    private Scope.Units lintDag(JsonNode t, String name, ManifestPath at, Templates local, Scope base) {
        ManifestPath tasksAt = at.field("dag").field("tasks");
        JsonNode tasks = t.path("dag").path("tasks");
        if (tasks.size() == 0) {
            report(tasksAt, LintCode.A017, name);
        }
        if (tasks.size() > MAX_TASKS) {
            report(tasksAt, LintCode.A050, "dag template `" + name + "`", tasks.size(), "tasks", MAX_TASKS);
        }
        boolean usesDepends = false;
        boolean usesDependencies = false;
        for (JsonNode task : tasks) {
            usesDepends |= task.has("depends");
            usesDependencies |= task.path("dependencies").size() > 0;
        }
        if (usesDepends && usesDependencies) {
            report(at.field("dag"), LintCode.A014, name);
        }

        Map<String, Scope.Unit> units = new LinkedHashMap<>();
        Map<String, Integer> indexOf = new HashMap<>();
        List<Callee> callees = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode task = tasks.get(i);
            String taskName = task.path("name").asText("");
            ManifestPath p = tasksAt.index(i);
            KubeNames.fieldName(taskName).ifPresent(why -> report(p.field("name"), LintCode.A008, "task", taskName, why));
            if ((usesDepends || usesDependencies) && !taskName.isEmpty() && Character.isDigit(taskName.charAt(0))) {
                report(p.field("name"), LintCode.A016, taskName);
            }
            Callee callee = resolve(task, p, local, "task");
            callees.add(callee);
            if (units.containsKey(taskName)) {
                report(p.field("name"), LintCode.A007, "task", taskName, name);
            } else if (!taskName.isEmpty()) {
                units.put(taskName, new Scope.Unit(task, callee.template(), callee.name(), loops(task)));
                indexOf.put(taskName, i);
            }
        }
        Scope.Units scopeUnits = new Scope.Units("task", units);

        // edges: task -> the tasks it depends on
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode task = tasks.get(i);
            String taskName = task.path("name").asText("");
            ManifestPath p = tasksAt.index(i);
            Set<String> mine = new LinkedHashSet<>();
            JsonNode dependencies = task.path("dependencies");
            for (int d = 0; d < dependencies.size(); d++) {
                String dep = dependencies.get(d).asText("");
                if (!units.containsKey(dep)) {
                    report(p.field("dependencies").index(d), LintCode.A011, "task", taskName, dep, name);
                } else {
                    mine.add(dep);
                }
            }
            if (task.has("depends")) {
                Depends.Parsed parsed = Depends.parse(task.path("depends").asText(""));
                parsed.error().ifPresent(why -> report(p.field("depends"), LintCode.A012, taskName, why));
                for (Depends.Dependency dep : parsed.dependencies()) {
                    Scope.Unit target = units.get(dep.task());
                    if (target == null) {
                        report(p.field("depends"), LintCode.A011, "task", taskName, dep.task(), name);
                        continue;
                    }
                    mine.add(dep.task());
                    if (dep.result().filter(Depends.ITEM_RESULTS::contains).isPresent() && !target.loops()) {
                        report(p.field("depends"), LintCode.A015, taskName, dep.task(), dep.result().get(), dep.task());
                    }
                }
            }
            if (units.containsKey(taskName) && indexOf.get(taskName) == i) {
                deps.put(taskName, mine);
            }
        }
        reportCycles(deps, name, tasksAt, indexOf);

        for (int i = 0; i < tasks.size(); i++) {
            JsonNode task = tasks.get(i);
            String taskName = task.path("name").asText("");
            ManifestPath p = tasksAt.index(i);
            Set<String> ancestors = ancestors(taskName, deps);
            Scope scope = base.withUnits(scopeUnits, ancestors, Set.of(), taskName, loopOf(task));
            scanCall(task, p, scope, taskName);
            Callee callee = callees.get(i);
            if (callee.template() != null) {
                requireArguments(callee.template(), callee.name(), List.of(task.path("arguments")), p.field("arguments"),
                        "task `" + taskName + "`");
            }
            if (task.has("inline")) {
                lintTemplate(task.path("inline"), "inline", p.field("inline"), local, base.globals());
            }
        }
        return scopeUnits;
    }

    /** Scans a task or step; in its hooks it may also refer to itself. */
    private void scanCall(JsonNode holder, ManifestPath at, Scope scope, String self) {
        scanExcept(holder, at, scope, Set.of("inline", "hooks"));
        Set<String> withSelf = new HashSet<>(scope.ready());
        withSelf.add(self);
        scan(holder.path("hooks"), at.field("hooks"),
                scope.withUnits(scope.units(), withSelf, scope.statusOnly(), self, scope.loop()));
    }

    private static Set<String> ancestors(String task, Map<String, Set<String>> deps) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(deps.getOrDefault(task, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(deps.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    /** One finding per strongly connected component that is a cycle, at its first task in document order. */
    private void reportCycles(Map<String, Set<String>> deps, String template, ManifestPath tasksAt,
                              Map<String, Integer> indexOf) {
        Set<String> reported = new HashSet<>();
        for (String start : deps.keySet()) {
            if (reported.contains(start)) {
                continue;
            }
            List<String> cycle = cycleThrough(start, deps);
            if (cycle.isEmpty()) {
                continue;
            }
            reported.addAll(cycle);
            String first = cycle.stream().min((a, b) -> Integer.compare(indexOf.get(a), indexOf.get(b))).orElseThrow();
            int k = cycle.indexOf(first);
            List<String> rotated = new ArrayList<>(cycle.subList(k, cycle.size()));
            rotated.addAll(cycle.subList(0, k));
            rotated.add(first);
            report(tasksAt.index(indexOf.get(first)), LintCode.A013, template, String.join(" -> ", rotated));
        }
    }

    /** A shortest dependency path from {@code start} back to itself, or empty. */
    private static List<String> cycleThrough(String start, Map<String, Set<String>> deps) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String next : deps.getOrDefault(at, Set.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>();
                    for (String s = at; s != null; s = parent.get(s)) {
                        path.add(0, s);
                    }
                    return path;
                }
                if (!parent.containsKey(next)) {
                    parent.put(next, at);
                    queue.add(next);
                }
            }
        }
        return List.of();
    }

    // ---- steps ----------------------------------------------------------------------------------------

    private Scope.Units lintSteps(JsonNode t, String name, ManifestPath at, Templates local, Scope base) {
        JsonNode groups = t.path("steps");
        Map<String, Scope.Unit> units = new LinkedHashMap<>();
        List<List<Callee>> callees = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Callee> row = new ArrayList<>();
            JsonNode group = groups.get(g);
            for (int s = 0; s < group.size(); s++) {
                JsonNode step = group.get(s);
                String stepName = step.path("name").asText("");
                ManifestPath p = at.field("steps").index(g).index(s);
                KubeNames.fieldName(stepName).ifPresent(why -> report(p.field("name"), LintCode.A008, "step", stepName, why));
                Callee callee = resolve(step, p, local, "step");
                row.add(callee);
                if (units.containsKey(stepName)) {
                    report(p.field("name"), LintCode.A007, "step", stepName, name);
                } else if (!stepName.isEmpty()) {
                    units.put(stepName, new Scope.Unit(step, callee.template(), callee.name(), loops(step)));
                }
            }
            callees.add(row);
        }
        Scope.Units scopeUnits = new Scope.Units("step", units);
        Set<String> before = new HashSet<>();
        for (int g = 0; g < groups.size(); g++) {
            JsonNode group = groups.get(g);
            Set<String> sameGroup = new HashSet<>();
            for (int s = 0; s < group.size(); s++) {
                JsonNode step = group.get(s);
                String stepName = step.path("name").asText("");
                ManifestPath p = at.field("steps").index(g).index(s);
                sameGroup.add(stepName);
                Scope scope = base.withUnits(scopeUnits, Set.copyOf(before), Set.copyOf(sameGroup), stepName, loopOf(step));
                scanCall(step, p, scope, stepName);
                Callee callee = callees.get(g).get(s);
                if (callee.template() != null) {
                    requireArguments(callee.template(), callee.name(), List.of(step.path("arguments")),
                            p.field("arguments"), "step `" + stepName + "`");
                }
                if (step.has("inline")) {
                    lintTemplate(step.path("inline"), "inline", p.field("inline"), local, base.globals());
                }
            }
            before.addAll(sameGroup);
        }
        return scopeUnits;
    }

    // ---- references -----------------------------------------------------------------------------------

    private void scanExcept(JsonNode object, ManifestPath at, Scope scope, Set<String> skip) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (!skip.contains(e.getKey())) {
                scan(e.getValue(), at.field(e.getKey()), scope);
            }
        }
    }

    private void scan(JsonNode node, ManifestPath at, Scope scope) {
        if (node.isTextual()) {
            String text = node.asText();
            if (text.contains("{{")) {
                for (References.Reference ref : References.in(text)) {
                    scope.check(ref).ifPresent(problem -> report(at, problem.code(), problem.args()));
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scan(node.get(i), at.index(i), scope);
            }
        } else if (node.isObject()) {
            scanExcept(node, at, scope, Set.of());
        }
    }
}
