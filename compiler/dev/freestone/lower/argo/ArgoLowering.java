package dev.freestone.lower.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrJson;
import dev.freestone.ir.IrType;
import dev.freestone.ir.ValueText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lowers a program of the IR to Argo Workflows objects (v4): one {@code dag} template per body (the
 * pipeline, each called pipeline, each loop body, conditional and exit handler), one {@code container},
 * {@code script} or {@code resource} template per component (and per distinct set of step settings).
 * docs/argo.md explains each rule; the comments here say why where Argo forces a detour.
 *
 * <p>Values between templates are Argo parameters (text: strings as they are, everything else as
 * JSON) or artifacts. Where a value must be computed, it is an expr-lang expression {@code {{=...}}}
 * evaluated by the controller; such an expression can only read one scope at a time (the template's
 * inputs, or the workflow's parameters and the DAG's tasks), so an expression that needs both is
 * "staged": the inputs pass writes the task-pass expression with the input values base64-encoded in it.
 */
public final class ArgoLowering {
    public static final String INPUTS_DIR = "/tmp/freestone/inputs/";
    public static final String OUTPUTS_DIR = "/tmp/freestone/outputs/";
    static final int MAX_TASKS = 200;
    static final int MAX_TEMPLATES = 200;
    /** Constants longer than this are written once, as a workflow parameter, and referenced. */
    static final int LARGE_CONST = 4096;
    private static final String OUT_VOLUME = "fs-outputs";
    /** Where a component's {@code Volume} input {@code <input>} is mounted: its claim's files. */
    public static final String VOLUMES_DIR = "/tmp/freestone/volumes/";
    /** The memory-backed volume a step's {@code shm} setting mounts at {@code /dev/shm}. */
    private static final String SHM_VOLUME = "fs-shm";
    /**
     * Prefix of the output parameter that repeats a {@code Metrics} output's file; the Argo mirror reads it
     * ({@code TaskNodes.METRICS_PARAMETER}). A user output cannot take the name: identifiers hold no {@code -}.
     */
    public static final String METRICS_PARAMETER = "fs-metrics-";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** {@code jsonpath(P, '$')} of one parameter {@code P} (no call inside): the value {@link #convert} read from its text. */
    private static final Pattern JSON_READ = Pattern.compile("jsonpath\\(([^()]*), '\\$'\\)");
    /** Workflow annotation: JSON object, Argo task name to IR task id, for the names DNS-1123 changed. */
    public static final String TASK_IDS_ANNOTATION = "freestone.dev/task-ids";
    /** Workflow annotation: JSON array of Argo task names that only wrap a loop or conditional body. */
    public static final String WRAPPERS_ANNOTATION = "freestone.dev/wrappers";
    /** Template annotation: the component's name in source, when the template name differs. */
    public static final String COMPONENT_ANNOTATION = "freestone.dev/component";
    /**
     * Annotation of the template a loop runs per item: JSON object, the loop's variable ({@code name}), the input of
     * the template that holds the item ({@code parameter}) and how it is written there ({@code as}: {@code text}, the
     * text itself; {@code float}, a Float's text; {@code json}, the value's JSON; {@code item-text}, a text inside
     * {@code {"i": …, "v": "<text>"}}), so that the run store records each iteration's item (a loop over artifacts has none).
     */
    public static final String LOOP_ITEM_ANNOTATION = "freestone.dev/loop-item";

    /** The entry point: lowers {@code program} as {@code options} say. */
    public static Lowered lower(Ir.Program program, LowerOptions options) {
        return new ArgoLowering(program, options).run();
    }

    private final Ir.Program original;
    private final Ir.Program program;
    private final LowerOptions options;
    private final String irHash;
    private final Map<String, ObjectNode> templates = new LinkedHashMap<>();
    /** Template name to the templates it calls (to split objects without cutting a call out of its object). */
    private final Map<String, Set<String>> calls = new LinkedHashMap<>();
    private final Names templateNames = new Names(Names.MAX_TEMPLATE);
    private final Map<String, String> componentTemplates = new HashMap<>();
    private final Map<String, PipelineTemplate> pipelineTemplates = new HashMap<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, String> largeConsts = new TreeMap<>();
    private long pods;
    /** loops over lists known only at run time: their bodies' pods per item, outermost loops only */
    private final List<Lowered.PerItem> podsPerItem = new ArrayList<>();
    private String exitTemplate;
    /** Argo task name to IR task id where DNS-1123 changed it (the first seen wins); for the run store's task ids. */
    private final Map<String, String> taskIds = new TreeMap<>();
    /** The Argo task names of the component steps lowered so far (a called pipeline's included). */
    private final Set<String> stepTasks = new TreeSet<>();
    /** {@code run.failures} of the workflow's exit handler: {@link #failuresCode}, made once the body is lowered. */
    private String runFailures;
    /** Argo task names that only wrap an IR loop or conditional body (or a part of a split body): not tasks. */
    private final Set<String> wrappers = new TreeSet<>();
    /**
     * Per conditional, each distinct {@code oneof} over its exports (the export names in argument order) and the
     * output of the conditional's template that computes it.
     */
    private final Map<Ir.Cond, Map<List<String>, String>> merges = new IdentityHashMap<>();

    private ArgoLowering(Ir.Program program, LowerOptions options) {
        this.original = program;
        this.options = options;
        this.irHash = options.irHash() != null ? options.irHash() : IrJson.sha256(program);
        this.program = BodySplitter.split(program, MAX_TASKS);
        findMerges(this.program.root());
        if (this.program.pipelines() != null) {
            this.program.pipelines().values().forEach(this::findMerges);
        }
    }

    // --- scopes and references ----------------------------------------------------------------------------

    enum Scope { GLOBAL, INPUT, TASK }

    /** Where a value comes from, as seen from one DAG template. */
    private sealed interface Src permits PSrc, ASrc, FSrc {
    }

    /**
     * A parameter: {@code tag} for {@code {{tag}}}, {@code path} for expressions; {@code aggregated}: a loop's list of
     * texts; {@code task}: the local task that outputs it (null for inputs and workflow values).
     */
    private record PSrc(String tag, String path, Scope scope, boolean aggregated, String task) implements Src {
        PSrc(String tag, String path, Scope scope, boolean aggregated) {
            this(tag, path, scope, aggregated, scope == Scope.TASK ? tag.split("\\.")[1] : null);
        }

        /**
         * A loop's collected output. A loop over an empty list is a task Argo skips ("Skipped, empty params"), and a
         * skipped task has no outputs: Argo before v4.1 fails a reference to them, v4.1 reads each as empty text. The
         * engine's collection is then the empty list, so the list is read with that default, {@code []}.
         */
        static PSrc collected(String task, String output) {
            String code = "sprig.default('[]', sprig.dig(" + Lit.str(task) + ", 'outputs', 'parameters', "
                    + Lit.str(output) + ", '', tasks))";
            return new PSrc("=" + code, code, Scope.TASK, true, task);
        }
    }

    private record ASrc(String tag, String path, boolean optional) implements Src {
    }

    /**
     * A list of artifacts: the key prefix they are stored under in the artifact repository, and their tree of keys
     * relative to it (a parameter holding a JSON list of texts, each a relative key or the JSON of a nested list),
     * or {@code constTree}, that tree as JSON text when it is known at compile time (a list literal).
     */
    private record FSrc(String keyText, PSrc indices, String constTree) implements Src {
        FSrc(String keyText, PSrc indices) {
            this(keyText, indices, null);
        }

        /** The tree of keys as an expression's list: the constant's, else the parameter's. */
        String tree() {
            return "jsonpath(" + (constTree != null ? Lit.str(constTree) : indices.path()) + ", '$')";
        }
    }

    private enum InKind { PARAM, AGG, ART, FAN }

    private record In(String name, InKind kind, IrType type) {
    }

    /** What a conditional's outside needs to know to merge its exports ({@code oneof}). */
    private record CondInfo(Ir.Cond cond, Map<String, Integer> exportBranch) {
    }

    /** One DAG template being built. */
    private final class Ctx {
        final String template;
        final Ir.Dag owner;
        final boolean rootParams;
        final Map<String, Ir.Node> local = new LinkedHashMap<>();
        final Map<String, String> taskNames = new HashMap<>();
        final Names names = new Names(Names.MAX_TEMPLATE);
        final Map<String, In> inputs = new LinkedHashMap<>();
        final Set<String> inputNames = new LinkedHashSet<>();
        /** Where values of this body must be stored because a list of artifacts holds them: node id, output, key. */
        final Map<String, Map<String, String>> placements = new HashMap<>();
        /** The keys under which this body's list literals of artifacts were placed. */
        final Map<Ir.Expr, String> listKeys = new IdentityHashMap<>();
        /** Inputs giving this template the keys of its placed values ({@code fs-key-<name>}). */
        final Set<String> keyInputs = new LinkedHashSet<>();
        /** A loop body: its instance key is the loop's key and the iteration index. */
        boolean indexed;
        final Map<String, CondInfo> conds = new HashMap<>();
        final ArrayNode tasks = F.arrayNode();
        boolean needsKey;
        /** The exit handler's reads of the pipeline's step values: reference key to global output name. */
        final Map<String, String> globalReads = new HashMap<>();
        /** The key prefix of a top-level DAG (the pipeline, the exit handler); null for nested ones. */
        final String rootKey;
        /**
         * Where {@code run.status} comes from when it is not the workflow's: in a called pipeline's exit handler, the
         * status of the call (an input, passed down to nested bodies); null otherwise.
         */
        Refs.Ref runStatus;

        Ctx(String template, Ir.Dag owner, boolean rootParams, String rootKey) {
            this.template = template;
            this.owner = owner;
            this.rootParams = rootParams;
            this.rootKey = rootKey;
        }

        /** The fan-in key prefix of this DAG's instance in the artifact repository. */
        String key() {
            if (rootKey != null) {
                return rootKey;
            }
            needsKey = true;
            // every iteration needs keys of its own, or nested collections of the iterations would overwrite each other
            return indexed ? "{{inputs.parameters.fs-key}}/{{inputs.parameters.fs-i}}" : "{{inputs.parameters.fs-key}}";
        }

        String inputName(String wanted) {
            String base = wanted.replaceAll("[^-a-zA-Z0-9_]", "-");
            String name = base;
            for (int i = 2; !inputNames.add(name); i++) {
                name = base + "-" + i;
            }
            return name;
        }

        In bind(Refs.Ref r, String wanted, InKind kind) {
            In in = new In(inputName(wanted), kind, r.type());
            inputs.put(r.key(), in);
            return in;
        }
    }

    /**
     * {@code keyInputs}: for each output the caller places (a list of artifacts holds it), the input giving its key;
     * {@code exitInputs}: what each call passes its exit handler (its hook), in the order of the exit's inputs;
     * {@code pods} and {@code podsPerItem}: what one call adds to the pod estimate (a reuse of the template too).
     */
    private record PipelineTemplate(String name, boolean needsKey, String exit, Map<String, String> keyInputs,
                                    List<ExitInput> exitInputs, long pods, List<Lowered.PerItem> podsPerItem) {
    }

    /**
     * One input of a called pipeline's exit handler: a parameter of the pipeline ({@code param}: its name), a value
     * of its body that the pipeline's template outputs ({@code output}: that output's name), or, when neither,
     * the status of the call ({@code run.status}).
     */
    private record ExitInput(String input, IrType type, String param, String output) {
    }

    /** The name of the exit handler's input holding the call's status; a parameter of the pipeline has no {@code -}. */
    private static final String RUN_STATUS = "fs-status";

    // --- the run -------------------------------------------------------------------------------------------

    private Lowered run() {
        Ir.Dag root = program.root();
        String entry = templateNames.unique(program.name());
        Ctx ctx = new Ctx(entry, root, true, "{{workflow.name}}");
        reserve(entry);
        for (Ir.Param p : root.params()) {
            if (isArtifact(p.type())) {
                ctx.bind(new Refs.Ref(Refs.Kind.PARAM, p.name(), "", p.type()), p.name(), InKind.ART);
            } else if (isArtifactList(p.type())) {
                // Argo's workflow arguments are single artifacts; the local engine has no list of files either
                error(root.pos(), "parameter `" + p.name() + "` of pipeline `" + root.name() + "` is a list of artifacts,"
                        + " which a workflow cannot take as an argument: declare one artifact parameter per element"
                        + " (`a: " + p.type().stripOptional().element().stripOptional().spelling() + ", b: ...`) and pass `[a, b]`");
                ctx.bind(new Refs.Ref(Refs.Kind.PARAM, p.name(), "", p.type()), p.name(), InKind.FAN);
            }
        }
        placeOutputs(root, ctx, Set.of());
        lowerNodes(root.body(), ctx, null);
        int before = diagnostics.size();
        List<Published> exitReads = root.exitHandler() != null ? exitGlobals(root, ctx) : List.of();
        // an exit handler reading what Argo cannot give it is reported, not lowered
        boolean hasExit = root.exitHandler() != null && !root.exitHandler().isEmpty() && exitReads != null
                && diagnostics.size() == before;
        ObjectNode published = F.objectNode();
        for (Published g : hasExit ? exitReads : List.<Published>of()) {
            publish(published, ctx, g.global(), g.ref(), root.pos(), true);
        }
        ObjectNode rootTemplate = finishDag(ctx, root.outputs(), published);
        templates.put(entry, rootTemplate);
        if (hasExit) {
            runFailures = failuresCode(stepTasks, taskIds);
            exitTemplate = templateNames.unique(program.name() + "-exit");
            Ctx exit = new Ctx(exitTemplate, root, true, "{{workflow.name}}/exit");
            exitReads.forEach(g -> exit.globalReads.put(g.ref().key(), g.global()));
            exit.conds.putAll(ctx.conds); // to name the merged values (oneof) the body publishes
            for (Refs.Ref r : Refs.free(root.exitHandler(), List.of())) {
                if (r.kind() == Refs.Kind.PARAM && isArtifact(r.type())) {
                    // Argo passes the workflow's arguments to its exit handler too: the artifact by its name
                    exit.bind(r, r.a(), InKind.ART);
                }
            }
            reserve(exitTemplate);
            lowerNodes(root.exitHandler(), exit, null);
            templates.put(exitTemplate, finishDag(exit, List.of(), null));
        }
        return assemble(entry, root);
    }

    /** A value of the body that the pipeline publishes for its exit handler, and the name it is published under. */
    private record Published(Refs.Ref ref, String global) {
    }

    /**
     * The values of the body the {@code finally} block reads, in reading order, with the global output names under
     * which the pipeline publishes them (Argo's exit handler cannot read {@code tasks.*}): step values and
     * artifacts, lists of artifacts, merged values ({@code oneof}), and what the guards of a {@code oneof} of artifacts
     * read (of a body cut into parts, the parts' outputs: {@link BodySplitter} points the reads there); null when the
     * block reads a parameter that is a list of artifacts (refused where it is declared).
     */
    private List<Published> exitGlobals(Ir.Dag root, Ctx body) {
        List<Published> out = new ArrayList<>();
        Names names = new Names(Names.MAX_TEMPLATE);
        for (Refs.Ref r : exitReads(root, body)) {
            if (r.kind() == Refs.Kind.PARAM && isArtifactList(r.type())) {
                return null; // such a parameter of the workflow is refused where it is declared
            } else if (r.kind() == Refs.Kind.OUTPUT && body.local.containsKey(r.a())) {
                out.add(new Published(r, publishedName(names, r)));
            } else if (r.kind() == Refs.Kind.OUTPUT) {
                // BodySplitter makes the parts output what the exit handler reads and points its reads there
                throw new IllegalStateException("the finally block reads " + describe(r) + ", not a node of the body");
            }
        }
        return out;
    }

    /**
     * What the {@code finally} block of {@code dag} reads from outside itself, in reading order: its free references
     * (a {@code oneof} the body's conditionals compute as that one value) and what the guards of a {@code oneof} of
     * artifacts read.
     */
    private Collection<Refs.Ref> exitReads(Ir.Dag dag, Ctx body) {
        Map<String, Refs.Ref> reads = new LinkedHashMap<>();
        Refs.free(dag.exitHandler(), List.of(), e -> substMerged(e, body)).forEach(r -> reads.putIfAbsent(r.key(), r));
        guardReads(dag.exitHandler(), body).forEach(r -> reads.putIfAbsent(r.key(), r));
        return reads.values();
    }

    /**
     * The output name under which a body publishes its value {@code r} for its exit handler; a list of artifacts is
     * published as its tree and its key prefix, {@code <name>} and {@code <name>-key}.
     */
    private String publishedName(Names names, Refs.Ref r) {
        String wanted = "fs-" + r.a() + "-" + r.b();
        return isArtifactList(r.type()) ? names.uniquePair(wanted, "-key") : names.unique(wanted);
    }

    /**
     * What the branch guards of each {@code oneof} of artifacts in {@code nodes} read, for the conditionals of
     * {@code outer} it merges (such a merge is computed by its reader from the guards, see {@link #oneof}).
     */
    private List<Refs.Ref> guardReads(List<Ir.Node> nodes, Ctx outer) {
        List<Ir.Node> all = new ArrayList<>();
        Refs.walk(nodes, all);
        Set<String> condIds = new TreeSet<>();
        for (Ir.Node n : all) {
            for (Ir.Expr e : Refs.exprsOf(n)) {
                outerConds(e, outer, condIds, new TreeSet<>());
            }
        }
        Map<String, Refs.Ref> refs = new LinkedHashMap<>();
        for (String id : condIds) {
            Ir.Cond c = outer.conds.get(id).cond();
            int bodies = c.branches().size() + (c.elseBody().isEmpty() ? 0 : 1);
            for (int i = 0; i < bodies; i++) {
                Refs.collect(substMerged(guard(c, i), outer), refs);
            }
        }
        return new ArrayList<>(refs.values());
    }

    /** The first of {@code nodes} (nested bodies included) that reads {@code run.<field>}, or null. */
    private static Ir.Node readingRun(List<Ir.Node> nodes, String field) {
        List<Ir.Node> all = new ArrayList<>();
        Refs.walk(nodes, all);
        for (Ir.Node n : all) {
            for (Ir.Expr e : Refs.exprsOf(n)) {
                if (readsRun(e, field)) {
                    return n;
                }
            }
        }
        return null;
    }

    private static boolean readsRun(Ir.Expr e, String field) {
        if (e instanceof Ir.RunRef r) {
            return r.field().equals(field);
        }
        return Refs.children(e).stream().anyMatch(c -> readsRun(c, field));
    }

    private void reserve(String name) {
        templates.put(name, null);
        calls.computeIfAbsent(name, k -> new LinkedHashSet<>());
    }

    // --- bodies --------------------------------------------------------------------------------------------

    private void lowerNodes(List<Ir.Node> nodes, Ctx ctx, String when) {
        for (Ir.Node n : nodes) {
            ctx.local.put(n.id(), n);
            String name = ctx.names.unique(n.id());
            ctx.taskNames.put(n.id(), name);
            if (!name.equals(n.id())) {
                taskIds.putIfAbsent(name, n.id());
            }
        }
        placeListArguments(nodes, ctx);
        for (Ir.Node n : nodes) {
            if (n instanceof Ir.Task t) {
                lowerTask(t, ctx, when);
            } else if (n instanceof Ir.Loop l) {
                lowerLoop(l, ctx, when);
            } else if (n instanceof Ir.Cond c) {
                lowerCond(c, ctx, when);
            }
        }
    }

    /**
     * A list literal of artifacts passed to a called pipeline (or looped over) travels as a key prefix and a tree of
     * keys, so its elements are placed under {@code <key>/<task>.<input>} ({@code <key>/<loop>.items}) before their
     * steps are lowered. The dot keeps these keys apart from the keys of nested bodies ({@code <key>/<task>/...}).
     */
    private void placeListArguments(List<Ir.Node> nodes, Ctx ctx) {
        for (Ir.Node n : nodes) {
            if (n instanceof Ir.Loop l && isArtifactList(l.items().type()) && l.items() instanceof Ir.ListOf lo) {
                place(lo, ctx.key() + "/" + ctx.taskNames.get(l.id()) + ".items", ctx, nodes, l.pos(),
                        "the loop over `" + l.variable() + "` iterates over a list of artifacts whose element");
            }
            if (n instanceof Ir.Task t && t.callee() instanceof Ir.PipelineCall pc && program.pipelines().get(pc.name()) != null) {
                for (Ir.Param p : program.pipelines().get(pc.name()).params()) {
                    if (isArtifactList(p.type()) && t.inputs().get(p.name()) instanceof Ir.ListOf l) {
                        place(l, ctx.key() + "/" + ctx.taskNames.get(t.id()) + "." + argoName(p.name()), ctx, nodes, t.pos(),
                                "an element of `" + p.name() + "` of step `" + t.id() + "`");
                    }
                }
            }
        }
    }

    private ObjectNode newTask(Ir.Node n, Ctx ctx) {
        ObjectNode task = F.objectNode();
        task.put("name", ctx.taskNames.get(n.id()));
        return task;
    }

    /** {@code depends} and {@code when}, last so the YAML reads name, template, arguments, then order. */
    private void finishTask(ObjectNode task, Ir.Node n, Ctx ctx, String when, Set<String> refTasks) {
        Set<String> deps = new LinkedHashSet<>();
        for (String d : n.dependsOn() == null ? List.<String>of() : n.dependsOn()) {
            String name = ctx.taskNames.get(d);
            if (name != null) {
                deps.add(name);
            }
        }
        deps.addAll(refTasks);
        deps.remove(task.get("name").asText());
        if (!deps.isEmpty()) {
            task.put("depends", String.join(" && ", deps));
        }
        if (when != null) {
            task.put("when", when);
        }
        ctx.tasks.add(task);
    }

    private void setTemplate(ObjectNode task, Ctx ctx, String template) {
        task.put("template", template);
        calls.computeIfAbsent(ctx.template, k -> new LinkedHashSet<>()).add(template);
    }

    private void lowerTask(Ir.Task t, Ctx ctx, String when) {
        ObjectNode task = newTask(t, ctx);
        Args args = new Args(ctx);
        PipelineTemplate hooked = null; // a called pipeline whose exit handler takes arguments
        if (t.callee() instanceof Ir.ComponentCall cc) {
            Ir.Component comp = program.components().get(cc.digest());
            if (comp == null) {
                throw new IllegalStateException("the IR has no component " + cc.digest());
            }
            Map<String, String> fan = ctx.placements.getOrDefault(t.id(), Map.of());
            Ir.Settings settings = merge(comp.settings(), t.settings());
            Map<String, List<String>> literals = new TreeMap<>();
            for (Ir.Param p : comp.inputs()) {
                if (isArtifactList(p.type()) && input(t, p) instanceof Ir.ListOf l) {
                    literals.put(p.name(), new ArrayList<>(leaves(l, "", new LinkedHashMap<>()).keySet()));
                }
            }
            Set<String> readOnly = new TreeSet<>();
            for (Ir.Param p : comp.inputs()) {
                if (input(t, p) instanceof Ir.Builtin b && isPvc(b) && b.args().size() > 1
                        && b.args().get(1) instanceof Ir.Const ro && ro.value().asBoolean()) {
                    readOnly.add(p.name());
                }
            }
            setTemplate(task, ctx, componentTemplate(comp, settings, fan.keySet(), literals, readOnly));
            stepTasks.add(ctx.taskNames.get(t.id()));
            for (Ir.Param p : comp.inputs()) {
                // a claim given as `pvc(...)` travels as its name; whether it is mounted read-only is in the template
                Ir.Expr value = input(t, p) instanceof Ir.Builtin b && isPvc(b) ? b.args().get(0) : input(t, p);
                args.add(p.name(), p.type(), value, t.pos(), true);
            }
            for (Map.Entry<String, String> f : new TreeMap<>(fan).entrySet()) {
                args.param("fs-key-" + f.getKey(), f.getValue());
            }
            pods++;
        } else {
            Ir.PipelineCall pc = (Ir.PipelineCall) t.callee();
            boolean part = original.pipelines() == null || !original.pipelines().containsKey(pc.name());
            if (part) {
                wrappers.add(ctx.taskNames.get(t.id())); // a part of a body the splitter cut
            }
            Map<String, String> placed = new TreeMap<>(ctx.placements.getOrDefault(t.id(), Map.of()));
            int perItemBefore = podsPerItem.size();
            PipelineTemplate callee = pipelineTemplate(pc.name(), placed.keySet());
            for (int k = perItemBefore; k < podsPerItem.size() && !part; k++) {
                // a pipeline called twice has its loops twice: the call tells them apart (a cut part is no user's call)
                podsPerItem.set(k, podsPerItem.get(k).calledBy(t.id()));
            }
            Ir.Dag dag = program.pipelines().get(pc.name());
            setTemplate(task, ctx, callee.name());
            for (Ir.Param p : dag.params()) {
                args.add(p.name(), p.type(), input(t, p), t.pos(), false);
            }
            if (callee.needsKey()) {
                args.param("fs-key", ctx.key() + "/" + ctx.taskNames.get(t.id()));
            }
            placed.forEach((output, key) -> args.param(callee.keyInputs().get(output), key));
            if (callee.exit() != null && callee.exitInputs().isEmpty()) {
                task.put("onExit", callee.exit());
                calls.get(ctx.template).add(callee.exit());
            } else if (callee.exit() != null) {
                hooked = callee;
            }
        }
        args.putInto(task);
        if (hooked != null) {
            exitHook(task, t, ctx, hooked);
        }
        finishTask(task, t, ctx, when, args.tasks);
    }

    /**
     * The exit handler of a called pipeline that reads its parameters or its body's values: an {@code exit} hook of
     * the calling task with arguments. Argo resolves them when the call has ended, from the task's scope: the
     * parameters are passed as the call passes them; the body's values come from the outputs the pipeline's template
     * publishes for it, which exist only when its DAG succeeded: a value reads as empty (a parameter, through
     * {@code sprig.dig}) or is missing (an artifact, optional) otherwise.
     */
    private void exitHook(ObjectNode task, Ir.Task t, Ctx ctx, PipelineTemplate callee) {
        String self = task.get("name").asText();
        Ir.Dag dag = program.pipelines().get(((Ir.PipelineCall) t.callee()).name());
        Args hookArgs = new Args(ctx);
        for (ExitInput in : callee.exitInputs()) {
            if (in.param() != null) {
                Ir.Param p = dag.params().stream().filter(x -> x.name().equals(in.param())).findFirst().orElseThrow();
                hookArgs.add(in.input(), p.type(), input(t, p), t.pos(), false);
            } else if (in.output() == null) {
                hookArgs.param(in.input(), "{{tasks." + self + ".status}}");
            } else if (isArtifact(in.type())) {
                hookArgs.artifacts.add(F.objectNode().put("name", in.input())
                        .put("from", "{{tasks." + self + ".outputs.artifacts." + in.output() + "}}").put("optional", true));
            } else if (isArtifactList(in.type())) {
                for (String suffix : List.of("", "-key")) {
                    hookArgs.param(in.input() + suffix, "{{=" + callOutput(self, in.output() + suffix) + "}}");
                }
            } else {
                hookArgs.param(in.input(), "{{=" + callOutput(self, in.output()) + "}}");
            }
        }
        ObjectNode hook = F.objectNode().put("template", callee.exit());
        hookArgs.putInto(hook);
        task.set("hooks", F.objectNode().set("exit", hook));
        calls.get(ctx.template).add(callee.exit());
    }

    /** Output parameter {@code name} of the ended task {@code task}, as an expression: empty when it has none. */
    private static String callOutput(String task, String name) {
        return "sprig.dig(" + Lit.str(task) + ", 'outputs', 'parameters', " + Lit.str(name) + ", '', tasks)";
    }

    /** Global output parameter {@code name} of the workflow, as an expression: empty when never published. */
    private static String publishedOutput(String name) {
        return "sprig.dig('outputs', 'parameters', " + Lit.str(name) + ", '', workflow)";
    }

    private static boolean isPvc(Ir.Expr e) {
        return e instanceof Ir.Builtin b && b.function().equals("pvc");
    }

    private Ir.Expr input(Ir.Task t, Ir.Param p) {
        Ir.Expr e = t.inputs() == null ? null : t.inputs().get(p.name());
        if (e == null && p.defaultValue() != null) {
            e = new Ir.Const(p.defaultValue(), p.type());
        }
        if (e == null) {
            throw new IllegalStateException("task " + t.id() + " binds no value to input " + p.name());
        }
        return e;
    }

    /** The template of pipeline {@code name} whose outputs {@code placed} are stored at keys its caller gives. */
    private PipelineTemplate pipelineTemplate(String name, Set<String> placed) {
        String variant = placed.isEmpty() ? name : name + "|" + new TreeSet<>(placed);
        PipelineTemplate known = pipelineTemplates.get(variant);
        if (known != null) {
            // each call runs the pipeline's steps again
            pods += known.pods();
            podsPerItem.addAll(known.podsPerItem());
            return known;
        }
        long podsBefore = pods;
        int perItemBefore = podsPerItem.size();
        Ir.Dag dag = program.pipelines().get(name);
        if (dag == null) {
            throw new IllegalStateException("the IR has no pipeline " + name);
        }
        String tname = templateNames.unique(name);
        reserve(tname);
        Ctx ctx = new Ctx(tname, dag, false, null);
        for (Ir.Param p : dag.params()) {
            // a list of artifacts arrives as its tree of keys and its key prefix (FAN)
            ctx.bind(new Refs.Ref(Refs.Kind.PARAM, p.name(), "", p.type()), p.name(), kindOf(p.type()));
        }
        Map<String, String> keyInputs = placeOutputs(dag, ctx, placed);
        lowerNodes(dag.body(), ctx, null);
        String exit = null;
        List<ExitInput> exitInputs = new ArrayList<>();
        ObjectNode published = F.objectNode();
        if (dag.exitHandler() != null && !dag.exitHandler().isEmpty()) {
            exit = templateNames.unique(name + "-exit");
            reserve(exit);
            Ctx ex = new Ctx(exit, dag, false, null);
            ex.conds.putAll(ctx.conds); // to name the merged values (oneof) the body publishes
            Collection<Refs.Ref> reads = exitReads(dag, ctx);
            int before = diagnostics.size();
            Names outNames = new Names(Names.MAX_TEMPLATE);
            for (Refs.Ref r : reads) {
                // a list of artifacts travels as two parameters, its tree and its key prefix (FAN)
                InKind kind = kindOf(r.type());
                if (r.kind() == Refs.Kind.PARAM) {
                    In in = ex.bind(r, r.a(), kind);
                    exitInputs.add(new ExitInput(in.name(), r.type(), r.a(), null));
                } else if (r.kind() == Refs.Kind.OUTPUT && ctx.local.containsKey(r.a())) {
                    // The pipeline's template publishes the value (empty or missing when its step did not run)
                    String out = publishedName(outNames, r);
                    publish(published, ctx, out, r, dag.pos(), false);
                    IrType type = isArtifact(r.type()) ? IrType.optional(r.type().stripOptional()) : r.type();
                    In in = ex.bind(new Refs.Ref(r.kind(), r.a(), r.b(), type), r.a() + "-" + r.b(), kind);
                    exitInputs.add(new ExitInput(in.name(), r.type(), null, out));
                } else {
                    // BodySplitter makes the parts output what the exit handler reads and points its reads there
                    throw new IllegalStateException("the finally block of " + name + " reads " + describe(r)
                            + ", not a node of the body");
                }
            }
            Ir.Node failures = readingRun(dag.exitHandler(), "failures");
            if (failures != null) {
                // Argo sets workflow.failures only once the whole workflow's body has ended, after the exit hooks of its tasks
                error(failures.pos(), "`run.failures` in the `finally` block of pipeline `" + dag.name() + "`, which is"
                        + " called as a step: Argo knows the failed steps (`workflow.failures`) only in the workflow's own"
                        + " exit handler, not in the exit hook of a task; read `run.failures` in the `finally` block of the"
                        + " pipeline that is run, or `run.status` here");
            }
            if (readingRun(dag.exitHandler(), "status") != null) {
                // the engine's run.status here is the call's: the task's status, not the workflow's (still Running)
                ex.runStatus = new Refs.Ref(Refs.Kind.PARAM, RUN_STATUS, "", IrType.STRING);
                In in = ex.bind(ex.runStatus, RUN_STATUS, InKind.PARAM);
                exitInputs.add(new ExitInput(in.name(), IrType.STRING, null, null));
            }
            if (diagnostics.size() == before) {
                lowerNodes(dag.exitHandler(), ex, null);
            }
            templates.put(exit, finishDag(ex, List.of(), null));
        }
        templates.put(tname, finishDag(ctx, dag.outputs(), published));
        // held while the called pipeline's node runs: its body, not its exit handler (a hook of the calling task)
        putMutexes(templates.get(tname), dag.mutexes());
        PipelineTemplate pt = new PipelineTemplate(tname, ctx.needsKey, exit, keyInputs, List.copyOf(exitInputs),
                pods - podsBefore, List.copyOf(podsPerItem.subList(perItemBefore, podsPerItem.size())));
        pipelineTemplates.put(variant, pt);
        return pt;
    }

    /**
     * Places the artifact outputs of {@code dag} that a list of artifacts holds: those of {@code placed} at the key
     * the caller gives (an input {@code fs-key-<output>}, returned by output name), and the list literals among its
     * list outputs under this template's key. Before the body is lowered, so that its steps know where to write.
     */
    private Map<String, String> placeOutputs(Ir.Dag dag, Ctx ctx, Set<String> placed) {
        Map<String, String> keyInputs = new TreeMap<>();
        for (Ir.PipelineOutput o : dag.outputs()) {
            String what = "output `" + o.name() + "` of pipeline `" + dag.name() + "`";
            if (placed.contains(o.name())) {
                String in = ctx.inputName("fs-key-" + argoName(o.name()));
                ctx.keyInputs.add(in);
                keyInputs.put(o.name(), in);
                place(o.value(), "{{inputs.parameters." + in + "}}", ctx, dag.body(), dag.pos(), what);
            } else if (isArtifactList(o.type()) && o.value() instanceof Ir.ListOf) {
                place(o.value(), ctx.key() + "/output." + argoName(o.name()), ctx, dag.body(), dag.pos(), what);
            }
        }
        return keyInputs;
    }

    /** Builds the {@code dag} template of a finished context, with its inputs and outputs. */
    private ObjectNode finishDag(Ctx ctx, List<Ir.PipelineOutput> outputs, ObjectNode extraOutputs) {
        ObjectNode t = F.objectNode();
        t.put("name", ctx.template);
        ObjectNode inputs = F.objectNode();
        ArrayNode ip = F.arrayNode();
        ArrayNode ia = F.arrayNode();
        for (In in : ctx.inputs.values()) {
            switch (in.kind()) {
                case PARAM, AGG -> ip.add(F.objectNode().put("name", in.name()));
                case ART -> {
                    ObjectNode a = F.objectNode().put("name", in.name());
                    if (in.type().isOptional()) {
                        a.put("optional", true);
                    }
                    ia.add(a);
                }
                case FAN -> {
                    ip.add(F.objectNode().put("name", in.name()));
                    ip.add(F.objectNode().put("name", in.name() + "-key"));
                }
            }
        }
        if (ctx.needsKey) {
            ip.add(F.objectNode().put("name", "fs-key"));
        }
        ctx.keyInputs.forEach(k -> ip.add(F.objectNode().put("name", k)));
        putIfNotEmpty(inputs, "parameters", ip);
        putIfNotEmpty(inputs, "artifacts", ia);
        putIfNotEmpty(t, "inputs", inputs);
        ObjectNode outs = extraOutputs == null ? F.objectNode() : extraOutputs;
        for (Ir.PipelineOutput o : outputs) {
            addOutput(outs, ctx, o.name(), o.type(), o.value(), false, null);
        }
        putIfNotEmpty(t, "outputs", outs);
        if (ctx.tasks.isEmpty()) {
            // A DAG needs a task; an empty body (an empty branch, say) gets a step that does nothing.
            ObjectNode noop = F.objectNode().put("name", "noop").put("template", noopTemplate());
            calls.get(ctx.template).add(noopTemplate());
            ctx.tasks.add(noop);
        }
        // failFast (Argo's default) stops scheduling new tasks once one fails: the engine runs every task that does
        // not depend on a failed one (independent branches, the other iterations of a loop), and so does Argo then
        ObjectNode dag = F.objectNode();
        dag.set("tasks", ctx.tasks);
        dag.put("failFast", false);
        t.set("dag", dag);
        return t;
    }

    private String noopName;

    private String noopTemplate() {
        if (noopName == null) {
            noopName = templateNames.unique("fs-noop");
            reserve(noopName);
            ObjectNode t = F.objectNode().put("name", noopName);
            // A suspend of zero seconds completes at once and creates no pod.
            t.set("suspend", F.objectNode().put("duration", "0"));
            templates.put(noopName, t);
        }
        return noopName;
    }

    /**
     * One output of a DAG template: a task output is read with {@code valueFrom.parameter} (or artifact
     * {@code from}); a computed value with {@code valueFrom.expression}. {@code withDefault}: the value's
     * task may have been skipped (a conditional's branch), then the output is empty.
     */
    private void addOutput(ObjectNode outs, Ctx ctx, String name, IrType type, Ir.Expr value, boolean withDefault,
                           Ir.Pos pos) {
        Ir.OutputRef merged = mergedRef(value, ctx);
        if (merged != null) {
            value = merged;
        }
        if (isArtifact(type) && value instanceof Ir.Builtin b && b.function().equals("oneof")) {
            // the artifact of the branch that ran (a part of a split body returns a merge of its conditional's)
            Acc acc = new Acc();
            acc.pos = pos;
            String code = inlineStaged(oneof(b, ctx, acc, true).render(), acc);
            array(outs, "artifacts").add(F.objectNode().put("name", name).put("fromExpression", code).put("optional", true));
            return;
        }
        if (isArtifact(type)) {
            Src s = resolveRef(value, ctx);
            if (!(s instanceof ASrc a)) {
                error(pos, "artifact output `" + name + "` must be an artifact of a step");
                return;
            }
            ObjectNode art = F.objectNode().put("name", name).put("from", "{{" + a.tag() + "}}");
            if (withDefault || a.optional()) {
                art.put("optional", true);
            }
            array(outs, "artifacts").add(art);
            return;
        }
        if (isArtifactList(type)) {
            listOutput(outs, ctx, name, value, withDefault, pos);
            return;
        }
        ObjectNode vf = F.objectNode();
        Src s = resolveRef(value, ctx);
        if (s instanceof PSrc p && p.scope() == Scope.TASK && !p.tag().startsWith("=")
                && (!p.aggregated() || !needsConversion(type))) {
            // valueFrom.parameter is looked up as one name, never evaluated: an expression goes to valueFrom.expression
            vf.put("parameter", "{{" + p.tag() + "}}");
        } else {
            Acc acc = new Acc();
            ExprCode code = textCode(value, type, ctx, acc);
            vf.put("expression", inlineStaged(code.render(), acc));
        }
        if (withDefault) {
            vf.put("default", "");
        }
        array(outs, "parameters").add(F.objectNode().put("name", name).set("valueFrom", vf));
    }

    /**
     * Publishes value {@code r} of the body for an exit handler as output {@code name} of the body's template (a list
     * of artifacts as two, {@code name} and {@code name-key}), with {@code globalName} the same name when
     * {@code global}. A step that did not run (or a body that failed) leaves a parameter empty and an artifact missing
     * (optional), as the engine's null; a list then reads as empty text, which no step can open as a list.
     */
    private void publish(ObjectNode outs, Ctx ctx, String name, Refs.Ref r, Ir.Pos pos, boolean global) {
        Ir.OutputRef value = new Ir.OutputRef(r.a(), r.b(), r.type());
        String field = isArtifact(r.type()) ? "artifacts" : "parameters";
        int before = outs.has(field) ? outs.get(field).size() : 0;
        if (isArtifactList(r.type())) {
            listOutput(outs, ctx, name, value, false, pos);
        } else {
            addOutput(outs, ctx, name, r.type(), value, true, pos);
        }
        ArrayNode added = outs.has(field) ? (ArrayNode) outs.get(field) : F.arrayNode();
        for (int i = before; i < added.size(); i++) {
            ObjectNode o = (ObjectNode) added.get(i);
            if (isArtifactList(r.type())) {
                ((ObjectNode) o.get("valueFrom")).put("default", "");
            }
            if (global) {
                o.put("globalName", o.get("name").asText());
            }
        }
    }

    /**
     * A list of artifacts as a DAG output: parameter {@code <name>}, its tree of keys, and {@code <name>-key}, the
     * prefix they are relative to. A conditional's export would be null when its branch did not run, and a tree
     * read by default as empty text is no list; so a list does not leave an {@code if} on Argo.
     */
    private void listOutput(ObjectNode outs, Ctx ctx, String name, Ir.Expr value, boolean fromCond, Ir.Pos pos) {
        FSrc f = fromCond ? null : listSrc(value, ctx);
        if (f == null) {
            error(pos, fromCond
                    ? "`" + name + "` is a list of artifacts made inside an `if`; on Argo it cannot leave the `if`: use it in the branch"
                    : "output `" + name + "` is a list of artifacts that is neither collected by a loop, a parameter,"
                    + " an output of a called pipeline nor a list of step outputs (`[a.model, b.model]`)");
            return;
        }
        ObjectNode tree = F.objectNode();
        if (f.constTree() != null) {
            tree.put("expression", Lit.str(f.constTree()));
        } else if (f.indices().scope() == Scope.TASK && !f.indices().tag().startsWith("=")) {
            tree.put("parameter", "{{" + f.indices().tag() + "}}");
        } else {
            Acc acc = new Acc();
            acc.scopes.add(f.indices().scope());
            tree.put("expression", inlineStaged(f.indices().path(), acc));
        }
        ObjectNode key = F.objectNode();
        if (f.keyText().matches("\\{\\{tasks\\.[^{}]*}}")) {
            key.put("parameter", f.keyText());
        } else {
            key.put("expression", "'" + f.keyText() + "'"); // names and tags only: no quote to escape
        }
        array(outs, "parameters").add(F.objectNode().put("name", name).set("valueFrom", tree));
        array(outs, "parameters").add(F.objectNode().put("name", name + "-key").set("valueFrom", key));
    }

    /** A list of artifacts as stored: a reference's, a merged one's, or a placed list literal's; null when none. */
    private FSrc listSrc(Ir.Expr e, Ctx ctx) {
        Ir.OutputRef merged = mergedRef(e, ctx);
        if (merged != null) {
            e = merged; // a merge of the lists of a conditional's branches, computed there
        }
        if (resolveRef(e, ctx) instanceof FSrc f) {
            return f;
        }
        String key = ctx.listKeys.get(e);
        return key != null ? new FSrc(key, null, constTree((Ir.ListOf) e, "").toString()) : null;
    }

    /** The tree of keys of a list literal placed under one prefix: element k at {@code k}, nested ones at {@code k/j}. */
    private static ArrayNode constTree(Ir.ListOf l, String prefix) {
        ArrayNode tree = F.arrayNode();
        for (int k = 0; k < l.elements().size(); k++) {
            Ir.Expr e = l.elements().get(k);
            tree.add(e instanceof Ir.ListOf sub ? constTree(sub, prefix + k + "/").toString() : prefix + k);
        }
        return tree;
    }

    /** The artifacts of a list literal by their relative path ({@code 0}, {@code 1/0}), in order. */
    private static Map<String, Ir.Expr> leaves(Ir.ListOf l, String prefix, Map<String, Ir.Expr> out) {
        for (int k = 0; k < l.elements().size(); k++) {
            Ir.Expr e = l.elements().get(k);
            if (e instanceof Ir.ListOf sub) {
                leaves(sub, prefix + k + "/", out);
            } else {
                out.put(prefix + k, e);
            }
        }
        return out;
    }

    /**
     * Arranges for the value of {@code e}, an artifact or a list of artifacts made in {@code nodes} (the body of
     * {@code ctx}), to be stored at {@code key} in the artifact repository: the component step writing it is told
     * the key (through called pipelines and conditionals), a loop's collection goes under it, a list literal's
     * elements under {@code key/k}. Argo cannot copy an artifact without a pod, so what no step of this body writes
     * (a parameter, a value of an enclosing block, an optional artifact) is reported. Called before the body is
     * lowered, so that the steps know where to write.
     */
    private void place(Ir.Expr e, String key, Ctx ctx, List<Ir.Node> nodes, Ir.Pos pos, String what) {
        if (!isArtifactList(e.type()) && e.type().isOptional()) {
            error(pos, what + " may be null (`" + e.type().spelling() + "`); on Argo every element of a list of artifacts"
                    + " must exist: give the `if` an `else` and merge the branches with `oneof`");
            return;
        }
        placeValue(e, key, ctx, nodes, pos, what);
    }

    private void placeValue(Ir.Expr e, String key, Ctx ctx, List<Ir.Node> nodes, Ir.Pos pos, String what) {
        if (e instanceof Ir.Builtin b && b.function().equals("oneof")) {
            // every branch writes to the same key: only the one that runs does
            b.args().forEach(a -> placeValue(a, key, ctx, nodes, pos, what));
            return;
        }
        if (e instanceof Ir.ListOf l) {
            for (int k = 0; k < l.elements().size(); k++) {
                place(l.elements().get(k), key + "/" + k, ctx, nodes, pos, what);
            }
            ctx.listKeys.put(l, key);
            return;
        }
        Ir.Node n = null;
        if (e instanceof Ir.OutputRef o) {
            n = nodes.stream().filter(x -> x.id().equals(o.node())).findFirst().orElse(null);
        }
        boolean list = isArtifactList(e.type());
        boolean placeable = n instanceof Ir.Task t && (t.callee() instanceof Ir.PipelineCall || !list)
                || n instanceof Ir.Cond || n instanceof Ir.Loop && list;
        if (!placeable) {
            error(pos, what + " is not made by a step of its block; on Argo each artifact of a list is written by its"
                    + " step (a component, a called pipeline, or a branch of an `if`) straight to its place in the artifact"
                    + " repository, and a parameter or a value of an enclosing block cannot be put there without a copy:"
                    + " pass it through a step in the block");
            return;
        }
        Ir.OutputRef o = (Ir.OutputRef) e;
        String known = ctx.placements.computeIfAbsent(n.id(), k -> new TreeMap<>()).putIfAbsent(o.output(), key);
        if (known != null && !known.equals(key)) {
            error(pos, what + " is `" + o.node() + "." + o.output() + "`, which is already in another list of artifacts;"
                    + " on Argo an artifact is stored at one place: build one list and reuse it");
        }
    }

    /** Whether {@code e} is a list exported by a conditional, or a {@code oneof} of such lists that is not merged. */
    private static boolean madeInIf(Ir.Expr e, Ctx ctx) {
        if (e instanceof Ir.Builtin b && b.function().equals("oneof")) {
            return true;
        }
        return e instanceof Ir.OutputRef o && (ctx.local.get(o.node()) instanceof Ir.Cond || ctx.conds.containsKey(o.node()));
    }

    /** The key prefix of a loop's collected list of artifacts: where a list holding it placed it, else its own. */
    private String collectionPrefix(Ctx ctx, String loopId, String export) {
        String placed = ctx.placements.getOrDefault(loopId, Map.of()).get(export);
        return placed != null ? placed : ctx.key() + "/" + ctx.taskNames.get(loopId) + "/" + argoName(export);
    }

    /**
     * What iteration {@code fs-i} of a loop body gives for a collected list of artifacts: its index (the element
     * was stored at {@code <prefix>/<i>}), or for a list element its tree with {@code <i>/} before each key.
     */
    private String elementText(Ir.Export e, Ctx body) {
        String index = "'{{inputs.parameters.fs-i}}'";
        IrType element = e.type().stripOptional().element();
        if (!isArtifactList(element)) {
            return index;
        }
        FSrc f = listSrc(e.value(), body);
        if (f == null) {
            return index; // reported when it was placed
        }
        String tree = unmark(f.tree());
        return "toJson(" + prefixTree(tree, element, "'{{inputs.parameters.fs-i}}/'") + ")";
    }

    /** {@code tree} (a list of texts) with {@code prefix} before every key, nested lists kept as JSON texts. */
    private String prefixTree(String tree, IrType listType, String prefix) {
        IrType element = listType.stripOptional().element();
        if (!isArtifactList(element)) {
            return "map(" + tree + ", {" + prefix + " + #})";
        }
        return "map(" + tree + ", {toJson(" + prefixTree("jsonpath(#, '$')", element, prefix) + ")})";
    }

    /** The paths a step sees for a tree of keys stored under its input directory {@code base}: nested lists as lists. */
    private String pathsTree(String tree, IrType listType, String base) {
        IrType element = listType.stripOptional().element();
        if (!isArtifactList(element)) {
            return "map(" + tree + ", {" + base + " + #})";
        }
        return "map(" + tree + ", {" + pathsTree("jsonpath(#, '$')", element, base) + "})";
    }

    /** Where the value of {@code e} comes from when it is a reference (parameter, output, loop item); null otherwise. */
    private Src resolveRef(Ir.Expr e, Ctx ctx) {
        return e instanceof Ir.OutputRef || e instanceof Ir.ParamRef || e instanceof Ir.ItemRef ? resolve(refOf(e), ctx) : null;
    }

    private static Refs.Ref refOf(Ir.Expr e) {
        Map<String, Refs.Ref> m = new LinkedHashMap<>();
        Refs.collect(e, m);
        return m.values().iterator().next();
    }

    // --- loops ---------------------------------------------------------------------------------------------

    /** How many items a loop's list has, when the IR says so (a literal list), whatever way it is lowered. */
    private static OptionalLong knownLength(Ir.Expr items) {
        if (items instanceof Ir.Const c && c.value().isArray()) {
            return OptionalLong.of(c.value().size());
        }
        if (items instanceof Ir.ListOf lo) {
            return OptionalLong.of(lo.elements().size());
        }
        return OptionalLong.empty();
    }

    private void lowerLoop(Ir.Loop l, Ctx ctx, String when) {
        String loopTask = ctx.taskNames.get(l.id());
        wrappers.add(loopTask);
        List<Ir.Export> fanExports = new ArrayList<>();
        for (Ir.Export e : l.exports()) {
            if (isArtifactList(e.type())) {
                fanExports.add(e);
            }
        }
        boolean fan = !fanExports.isEmpty();
        String bodyName = templateNames.unique(ctx.template + "-" + l.id());
        reserve(bodyName);
        Ctx body = new Ctx(bodyName, ctx.owner, ctx.rootParams, null);
        // an item that is an artifact (or a list of them) arrives as one, read from the list's place
        InKind itemKind = kindOf(l.itemType());
        In item = body.bind(new Refs.Ref(Refs.Kind.ITEM, l.id(), "", l.itemType()), l.variable(), itemKind);
        List<Ir.Expr> exportValues = l.exports().stream().map(Ir.Export::value).toList();
        List<Refs.Ref> free = withGuards(freeOf(Refs.free(l.body(), exportValues, e -> substMerged(e, ctx)), ctx),
                l.body(), exportValues, ctx, body);
        free.removeIf(r -> r.kind() == Refs.Kind.ITEM && r.a().equals(l.id()));
        passRunStatus(free, ctx, body);
        bindAll(free, body, ctx);
        body.indexed = true;
        body.inputNames.add("fs-i");
        // Each collected element is stored at <collection prefix>/<i>: the prefix arrives as an input fs-key-<export>.
        Map<String, String> prefixes = new LinkedHashMap<>();
        Map<String, String> prefixInputs = new LinkedHashMap<>();
        for (Ir.Export e : fanExports) {
            prefixes.put(e.name(), collectionPrefix(ctx, l.id(), e.name()));
            String in = body.inputName("fs-key-" + argoName(e.name()));
            prefixInputs.put(e.name(), in);
            body.keyInputs.add(in);
            place(e.value(), "{{inputs.parameters." + in + "}}/{{inputs.parameters.fs-i}}", body, l.body(), l.pos(),
                    "the loop `" + l.id() + "` collects `" + e.name() + "`, a list of artifacts; its element");
        }
        long podsBefore = pods;
        int perItemBefore = podsPerItem.size();
        lowerNodes(l.body(), body, null);
        ObjectNode outs = F.objectNode();
        for (Ir.Export e : l.exports()) {
            if (isArtifactList(e.type())) {
                ObjectNode vf = F.objectNode().put("expression", elementText(e, body));
                array(outs, "parameters").add(F.objectNode().put("name", argoName(e.name())).set("valueFrom", vf));
            } else {
                addOutput(outs, body, argoName(e.name()), e.type().element(), e.value(), false, l.pos());
            }
        }
        // the items carry their index when something is stored per iteration
        boolean indexed = fan || body.needsKey;
        ObjectNode bodyTemplate = finishDag(body, List.of(), outs);
        if (indexed) {
            ((ArrayNode) bodyTemplate.with("inputs").withArray("parameters"))
                    .add(F.objectNode().put("name", "fs-i"));
        }
        templates.put(bodyName, bodyTemplate);
        // {{item.v}} of a text keeps its JSON escapes (Item.String in pkg/apis/workflow/v1alpha1/item.go): a text item
        // that travels with its index is handed over whole, {{item}}, and taken out of it by a template in between
        boolean unwrapped = indexed && itemKind == InKind.PARAM && isTextType(l.itemType());
        String looped = unwrapped ? itemUnwrapper(bodyName, bodyTemplate, item.name()) : bodyName;
        if (itemKind == InKind.PARAM) {
            IrType t = l.itemType().stripOptional();
            // a Duration is its seconds, whole ones written as an Int (`120`), as the engine keeps them: JSON
            String as = unwrapped ? "item-text" : isTextType(t) ? "text" : t.equals(IrType.FLOAT) ? "float" : "json";
            ObjectNode itemNote = F.objectNode().put("name", l.variable())
                    .put("parameter", unwrapped ? ITEM_INPUT : item.name()).put("as", as);
            templates.get(looped).with("metadata").with("annotations").put(LOOP_ITEM_ANNOTATION, ValueText.json(itemNote, false));
        }

        // The looped task: the items, the item and the outer values as arguments.
        ObjectNode task = F.objectNode().put("name", loopTask);
        Map.Entry<String, String> itemsKey = null;
        Ctx at = ctx;
        Ctx wrapper = null;
        Map<String, Refs.Ref> wrapperRefs = new HashMap<>();
        if (l.parallelism() > 0) {
            // parallelism limits the children of one template's node: the loop gets a template of its own.
            String wrapperName = templateNames.unique(ctx.template + "-" + l.id() + "-loop");
            reserve(wrapperName);
            wrapper = new Ctx(wrapperName, ctx.owner, ctx.rootParams, null);
            List<Ir.Expr> all = new ArrayList<>(exportValues);
            all.add(l.items());
            List<Refs.Ref> loopFree = withGuards(freeOf(Refs.free(l.body(), all, e -> substMerged(e, ctx)), ctx),
                    l.body(), all, ctx, wrapper);
            loopFree.removeIf(r -> r.kind() == Refs.Kind.ITEM && r.a().equals(l.id()));
            passRunStatus(loopFree, ctx, wrapper);
            bindAll(loopFree, wrapper, ctx);
            loopFree.forEach(r -> wrapperRefs.put(r.key(), r));
            for (Map.Entry<String, String> in : prefixInputs.entrySet()) {
                wrapper.inputNames.add(in.getValue());
                wrapper.keyInputs.add(in.getValue());
            }
            wrapper.local.put(l.id(), l);
            wrapper.taskNames.put(l.id(), loopTask);
            at = wrapper;
            String literalKey = ctx.listKeys.get(l.items());
            if (literalKey != null) {
                // a placed list literal's key is written in the caller's terms: the wrapper is given it
                String in = wrapper.inputName("fs-items-key");
                wrapper.keyInputs.add(in);
                wrapper.listKeys.put(l.items(), "{{inputs.parameters." + in + "}}");
                itemsKey = Map.entry(in, literalKey);
            }
        }
        setTemplate(task, at, looped);
        Args args = new Args(at);
        // withItems for literal lists: scalars, or any element once wrapped with its index. Argo's validator
        // allows only {{item.key}} for map items, so literal lists of structures go through withParam.
        boolean literal = l.items() instanceof Ir.Const lc && lc.value().isArray()
                && lc.value().toString().length() <= LARGE_CONST
                && (indexed || !lc.value().elements().hasNext() || lc.value().get(0).isValueNode());
        String indexedConsts = indexed && itemKind == InKind.PARAM && (structured(l.itemType()) || unwrapped)
                ? indexedConstItems(l.items()) : null;
        if (itemKind != InKind.PARAM) {
            loopOverArtifacts(l, at, args, task, item, indexed);
        } else if (indexedConsts != null) {
            task.put("withParam", indexedConsts);
        } else if (literal) {
            Ir.Const c = (Ir.Const) l.items();
            ArrayNode items = F.arrayNode();
            int i = 0;
            for (JsonNode v : c.value()) {
                // a Float item as the engine's text: YAML's 1.0 reaches Argo as the JSON number 1, and {{item}} is `1`
                JsonNode one = v.isFloatingPointNumber() ? F.textNode(constText(v)) : v;
                items.add(indexed ? F.objectNode().put("i", String.valueOf(i)).put("v", constText(v)) : one);
                i++;
            }
            if (unwrapped) {
                task.put("withParam", ValueText.json(items, false)); // Argo's validator allows {{item}} of a map only there
            } else {
                task.set("withItems", items);
            }
        } else {
            task.put("withParam", indexed ? fanItems(l, at, args) : args.text(l.items(), l.pos()));
        }
        if (itemKind == InKind.PARAM) {
            args.param(unwrapped ? ITEM_INPUT : item.name(), unwrapped ? "{{item}}" : indexed ? "{{item.v}}" : "{{item}}");
        }
        if (indexed) {
            args.param("fs-i", "{{item.i}}");
        }
        for (Refs.Ref r : free) {
            args.pass(r, body.inputs.get(r.key()));
        }
        if (body.needsKey) {
            // a wrapper's key already names the loop
            args.param("fs-key", wrapper != null ? at.key() : at.key() + "/" + loopTask);
        }
        for (Map.Entry<String, String> in : prefixInputs.entrySet()) {
            args.param(in.getValue(), wrapper != null ? "{{inputs.parameters." + in.getValue() + "}}" : prefixes.get(in.getKey()));
        }
        args.putInto(task);
        OptionalLong length = knownLength(l.items());
        if (length.isPresent()) {
            pods = podsBefore + (pods - podsBefore) * length.getAsLong();
            for (int k = perItemBefore; k < podsPerItem.size(); k++) {
                Lowered.PerItem inner = podsPerItem.get(k);
                podsPerItem.set(k, new Lowered.PerItem(inner.loop(), inner.calls(), inner.pods() * length.getAsLong()));
            }
        } else {
            // a loop inside this one counts once per item of this one (a lower bound: it may have more)
            long perItem = pods - podsBefore;
            while (podsPerItem.size() > perItemBefore) {
                perItem += podsPerItem.remove(podsPerItem.size() - 1).pods();
            }
            pods = podsBefore;
            if (perItem > 0) {
                podsPerItem.add(new Lowered.PerItem(l.variable(), perItem));
            }
        }
        if (wrapper == null) {
            finishTask(task, l, ctx, when, args.tasks);
        } else {
            wrapper.tasks.add(task);
            ObjectNode wouts = F.objectNode();
            for (Ir.Export e : l.exports()) {
                String en = argoName(e.name());
                ObjectNode vf = F.objectNode().put("parameter", "{{tasks." + loopTask + ".outputs.parameters." + en + "}}");
                array(wouts, "parameters").add(F.objectNode().put("name", en).set("valueFrom", vf));
            }
            ObjectNode wt = finishDag(wrapper, List.of(), wouts);
            wt.put("parallelism", l.parallelism());
            templates.put(wrapper.template, wt);
            ObjectNode call = F.objectNode().put("name", loopTask);
            setTemplate(call, ctx, wrapper.template);
            Args cargs = new Args(ctx);
            for (Map.Entry<String, In> e : wrapper.inputs.entrySet()) {
                Refs.Ref r = wrapperRefs.get(e.getKey());
                cargs.pass(r != null ? r : refByKey(e.getKey(), l, ctx), e.getValue());
            }
            if (wrapper.needsKey) {
                cargs.param("fs-key", ctx.key() + "/" + loopTask);
            }
            for (Map.Entry<String, String> in : prefixInputs.entrySet()) {
                cargs.param(in.getValue(), prefixes.get(in.getKey()));
            }
            if (itemsKey != null) {
                cargs.param(itemsKey.getKey(), itemsKey.getValue());
            }
            cargs.putInto(call);
            finishTask(call, l, ctx, when, cargs.tasks);
        }
    }

    /**
     * A loop over a list of artifacts iterates over its tree of keys: the item is the artifact at
     * {@code <prefix>/<key>} (or, over a list of lists, the nested list: its tree and the same prefix).
     */
    private void loopOverArtifacts(Ir.Loop l, Ctx at, Args args, ObjectNode task, In item, boolean indexed) {
        FSrc f = listSrc(l.items(), at);
        if (f == null) {
            if (madeInIf(l.items(), at)) {
                return; // a list that may be null is reported at its `if`
            }
            error(l.pos(), "the loop over `" + l.variable() + "` iterates over a list of artifacts that is neither collected by a loop,"
                    + " a parameter, an output of a called pipeline nor a list of step outputs (`[a.model, b.model]`)");
            return;
        }
        Acc acc = new Acc();
        String tree = f.tree();
        if (f.indices() != null) {
            acc.read(f.indices());
        }
        if (f.keyText().startsWith("{{tasks.")) {
            args.tasks.add(f.keyText().substring(8).split("\\.")[0]);
        }
        // a nested list's tree is JSON text, which {{item.v}} would give with its quotes escaped: carried as itself
        String v = item.kind() == InKind.ART ? "#" : "jsonpath(#, '$')";
        String items = indexed ? "toJson(map(" + tree + ", {{'i': sprig.toString(#index), 'v': " + v + "}}))" : "toJson(" + tree + ")";
        args.tasks.addAll(acc.tasks);
        task.put("withParam", finish(ExprCode.leaf(items), acc));
        String key = indexed ? "{{item.v}}" : "{{item}}";
        if (item.kind() == InKind.ART) {
            args.artifacts.add(F.objectNode().put("name", item.name()).set("s3", F.objectNode().put("key", f.keyText() + "/" + key)));
        } else {
            args.param(item.name(), key);
            args.param(item.name() + "-key", f.keyText());
        }
    }

    /**
     * The withParam text of a collecting loop over a literal list of structures or texts, or null when the list is not
     * constant (or holds {@code {{} or {@code }}}): {@code [{"v":{…},"i":"0"}, …]} (a text is taken out of {@code {{item}}}
     * by {@link #itemUnwrapper}). {@code {{item.v}}} of a text is its
     * JSON-escaped text ({@code Item.String} in {@code pkg/apis/workflow/v1alpha1/item.go} chops the quotes off
     * {@code json.Marshal}'s string), so a structure is
     * carried as itself, its keys in Go's order as the engine hands a struct item over, in withParam, whose text Argo
     * keeps ({@code 1.0} in withItems would reach Argo through YAML as {@code 1}).
     */
    private String indexedConstItems(Ir.Expr list) {
        JsonNode value = constValue(list, list.type());
        if (value == null || !value.isArray()) {
            return null;
        }
        ArrayNode items = F.arrayNode();
        int i = 0;
        for (JsonNode v : value) {
            ObjectNode item = F.objectNode();
            item.set("v", ValueText.goKeyOrder(v));
            items.add(item.put("i", String.valueOf(i++))); // "i" last: `}}` would end an Argo tag
        }
        String text = ValueText.json(items, false);
        return text.length() > LARGE_CONST || text.contains("{{") || text.contains("}}") ? null : text;
    }

    /** The input of {@link #itemUnwrapper}'s template: the item with its index, {@code {"i":"0","v":"<text>"}}. */
    private static final String ITEM_INPUT = "fs-item";
    /** The task of {@link #itemUnwrapper}'s template that calls the loop's body. */
    private static final String UNWRAPPED_BODY = "fs-body";

    /**
     * A template between a collecting loop over texts and its body ({@code body}, named {@code bodyName}): it takes
     * the body's inputs, with the item {@code item} as {@link #ITEM_INPUT}, the whole item Argo substitutes for
     * {@code {{item}}} ({@code json.Marshal} of the map, the text a JSON string in it), and calls the body with the text
     * taken out of it, {@code {{=jsonpath(inputs.parameters['fs-item'], '$')['v']}}}; the body's outputs are its own.
     * {@code {{item.v}}} would give the text with its JSON escapes ({@code a \"b\"} for {@code a "b"}).
     */
    private String itemUnwrapper(String bodyName, ObjectNode body, String item) {
        String name = templateNames.unique(bodyName + "-item");
        reserve(name);
        ArrayNode params = F.arrayNode();
        ArrayNode artifacts = F.arrayNode();
        // the call only hands the body its item: the run store sees no task in it (a step's name has no `-`)
        wrappers.add(UNWRAPPED_BODY);
        ObjectNode call = F.objectNode().put("name", UNWRAPPED_BODY).put("template", bodyName);
        calls.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(bodyName);
        for (JsonNode p : body.path("inputs").path("parameters")) {
            String n = p.path("name").asText();
            boolean isItem = n.equals(item);
            params.add(F.objectNode().put("name", isItem ? ITEM_INPUT : n));
            array(call.with("arguments"), "parameters").add(F.objectNode().put("name", n).put("value", isItem
                    ? "{{=jsonpath(inputs.parameters" + Lit.key(ITEM_INPUT) + ", '$')['v']}}" : "{{inputs.parameters." + n + "}}"));
        }
        for (JsonNode a : body.path("inputs").path("artifacts")) {
            artifacts.add(a.deepCopy());
            ObjectNode arg = F.objectNode().put("name", a.path("name").asText()).put("from", "{{inputs.artifacts." + a.path("name").asText() + "}}");
            if (a.path("optional").asBoolean()) {
                arg.put("optional", true);
            }
            array(call.with("arguments"), "artifacts").add(arg);
        }
        ObjectNode t = F.objectNode().put("name", name);
        ObjectNode inputs = F.objectNode();
        putIfNotEmpty(inputs, "parameters", params);
        putIfNotEmpty(inputs, "artifacts", artifacts);
        t.set("inputs", inputs);
        ObjectNode outs = F.objectNode();
        for (JsonNode o : body.path("outputs").path("parameters")) {
            String n = o.path("name").asText();
            array(outs, "parameters").add(F.objectNode().put("name", n)
                    .set("valueFrom", F.objectNode().put("parameter", "{{tasks." + UNWRAPPED_BODY + ".outputs.parameters." + n + "}}")));
        }
        for (JsonNode o : body.path("outputs").path("artifacts")) {
            String n = o.path("name").asText();
            array(outs, "artifacts").add(F.objectNode().put("name", n).put("from", "{{tasks." + UNWRAPPED_BODY + ".outputs.artifacts." + n + "}}"));
        }
        putIfNotEmpty(t, "outputs", outs);
        ObjectNode dag = F.objectNode();
        dag.set("tasks", F.arrayNode().add(call));
        dag.put("failFast", false);
        t.set("dag", dag);
        templates.put(name, t);
        return name;
    }

    /** Loop items for a collecting loop: each item wrapped with its index, {@code {"i": "0", "v": "<text>"}}. */
    private String fanItems(Ir.Loop l, Ctx ctx, Args args) {
        Acc acc = new Acc();
        ExprCode list = code(l.items(), ctx, acc);
        // a structure as itself, not as its JSON text, which {{item.v}} would give with every quote escaped
        String v = structured(l.itemType()) ? (acc.aggregatedRoot ? "jsonpath(sprig.default('null', #), '$')" : "#")
                : acc.aggregatedRoot || isTextType(l.itemType()) ? "#" : "toJson(#)";
        ExprCode wrapped = list.map(c -> "toJson(map(" + c + ", {{'i': sprig.toString(#index), 'v': " + v + "}}))");
        args.tasks.addAll(acc.tasks);
        return finish(wrapped, acc);
    }

    private Refs.Ref refByKey(String key, Ir.Loop l, Ctx ctx) {
        Map<String, Refs.Ref> all = new LinkedHashMap<>();
        Refs.collectNode(l, all);
        Refs.Ref r = all.get(key);
        if (r == null) {
            throw new IllegalStateException("no reference " + key + " in loop " + l.id());
        }
        return r;
    }

    // --- conditionals ----------------------------------------------------------------------------------------

    private void lowerCond(Ir.Cond c, Ctx ctx, String when) {
        String condTask = ctx.taskNames.get(c.id());
        wrappers.add(condTask);
        String name = templateNames.unique(ctx.template + "-" + c.id());
        reserve(name);
        Ctx inner = new Ctx(name, ctx.owner, ctx.rootParams, null);
        List<List<Ir.Node>> bodies = new ArrayList<>();
        c.branches().forEach(b -> bodies.add(b.body()));
        if (c.elseBody() != null && !c.elseBody().isEmpty()) {
            bodies.add(c.elseBody());
        }
        List<Ir.Node> allNodes = new ArrayList<>();
        bodies.forEach(allNodes::addAll);
        List<Ir.Expr> exportValues = c.exports().stream().map(Ir.Export::value).toList();
        List<Refs.Ref> free = withGuards(freeOf(Refs.free(allNodes, exportValues, e -> substMerged(e, ctx)), ctx),
                allNodes, exportValues, ctx, inner);
        passRunStatus(free, ctx, inner);
        bindAll(free, inner, ctx);
        List<String> guards = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            String g = inner.inputName("fs-b" + i);
            guards.add(g);
        }
        Map<String, String> placedKeys = placeExports(c, ctx, inner, allNodes);
        for (int i = 0; i < bodies.size(); i++) {
            lowerNodes(bodies.get(i), inner, "{{inputs.parameters." + guards.get(i) + "}}");
        }
        ObjectNode outs = F.objectNode();
        Map<String, Integer> exportBranch = new HashMap<>();
        for (Ir.Export e : c.exports()) {
            exportBranch.put(e.name(), branchOf(e, bodies));
            if (!isArtifactList(e.type())) {
                addOutput(outs, inner, argoName(e.name()), e.type().stripOptional(), e.value(), true, c.pos());
            } else if (readOutsideMerges(ctx.owner, c, e.name())) {
                // null when its branch did not run; a tree of keys has no null (it would be read as empty text)
                error(c.pos(), "`" + e.name() + "` is a list of artifacts made inside an `if`; on Argo it leaves the `if`"
                        + " only merged over every branch, `else` included, with `oneof`; otherwise use it in the branch");
            }
        }
        for (Map.Entry<List<String>, String> m : merges.getOrDefault(c, Map.of()).entrySet()) {
            if (isArtifactList(export(c, m.getKey().get(0)).type())) {
                mergeListOutput(outs, inner, c, m.getKey(), m.getValue(), guards, bodies);
            } else {
                mergeOutput(outs, inner, c, m.getKey(), m.getValue(), guards, bodies);
            }
        }
        ObjectNode t = finishDag(inner, List.of(), outs);
        ArrayNode ip = (ArrayNode) t.with("inputs").withArray("parameters");
        for (String g : guards) {
            ip.add(F.objectNode().put("name", g));
        }
        templates.put(name, t);
        ctx.conds.put(c.id(), new CondInfo(c, exportBranch));

        ObjectNode task = F.objectNode().put("name", condTask);
        setTemplate(task, ctx, name);
        Args args = new Args(ctx);
        for (int i = 0; i < bodies.size(); i++) {
            args.param(guards.get(i), args.guardText(c, i, ctx));
        }
        for (Refs.Ref r : free) {
            args.pass(r, inner.inputs.get(r.key()));
        }
        if (inner.needsKey) {
            args.param("fs-key", ctx.key() + "/" + condTask);
        }
        placedKeys.forEach(args::param);
        args.putInto(task);
        finishTask(task, c, ctx, when, args.tasks);
    }

    /**
     * A {@code oneof} over this conditional's exports, computed inside its template from its own guards: the export
     * of the first argument whose branch ran, empty when none ran. Computed once here, the merged value is one
     * parameter outside, however long a chain of conditions over merged values gets (recomputing the guards at
     * each use grew exponentially with the chain).
     */
    private void mergeOutput(ObjectNode outs, Ctx inner, Ir.Cond c, List<String> names, String name, List<String> guards,
                             List<List<Ir.Node>> bodies) {
        Acc acc = new Acc();
        acc.pos = c.pos();
        acc.scopes.add(Scope.INPUT);
        ExprCode result = ExprCode.NONE;
        for (int i = names.size() - 1; i >= 0; i--) {
            String wanted = names.get(i);
            Ir.Export e = export(c, wanted);
            IrType type = e.type().stripOptional();
            ExprCode value;
            Src s = resolveRef(e.value(), inner);
            if (s instanceof PSrc p && (!p.aggregated() || !needsConversion(type))) {
                acc.scopes.add(p.scope());
                value = ExprCode.leaf(p.path()); // chosen, not computed: the text as the step wrote it
            } else {
                value = textCode(e.value(), type, inner, acc);
            }
            String guard = "(" + marker(guards.get(branchOf(e, bodies))) + " == 'true')";
            result = new ExprCode.Choice(guard, value, result);
        }
        ObjectNode vf = F.objectNode().put("expression", inlineStaged(result.render(), acc)).put("default", "");
        array(outs, "parameters").add(F.objectNode().put("name", name).set("valueFrom", vf));
    }

    /** {@code {{tasks.X.outputs.parameters.Y}}}: a key prefix that a task outputs. */
    private static final Pattern TASK_PARAMETER_TAG = Pattern.compile("\\{\\{tasks\\.([^.{}]+)\\.outputs\\.parameters\\.([^{}]+)}}");

    private static Ir.Export export(Ir.Cond c, String name) {
        return c.exports().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * A {@code oneof} over exports of this conditional that are lists of artifacts (the lists returned by pipelines
     * called in its branches): two outputs, {@code <name>} the tree and {@code <name>-key} the key prefix of the
     * branch that ran, chosen by the guards as {@link #mergeOutput} does. Nothing is copied: the list stays where its
     * branch stored it. A merge that may be null (not every branch gives one) is not computed ({@link #findMerges}
     * skips it) and is reported at the conditional: the reader would get empty text where the engine gives null.
     */
    private void mergeListOutput(ObjectNode outs, Ctx inner, Ir.Cond c, List<String> names, String name,
                                 List<String> guards, List<List<Ir.Node>> bodies) {
        Acc acc = new Acc();
        acc.pos = c.pos();
        acc.scopes.add(Scope.INPUT);
        ExprCode tree = ExprCode.NONE;
        ExprCode key = ExprCode.NONE;
        for (int i = names.size() - 1; i >= 0; i--) {
            String wanted = names.get(i);
            Ir.Export e = export(c, wanted);
            FSrc f = listSrc(e.value(), inner);
            if (f == null || f.indices() == null) {
                error(c.pos(), "`" + e.name() + "` is a list of artifacts that is not the output of a pipeline called in"
                        + " the branch; on Argo only such a list leaves an `if` through `oneof`");
                return;
            }
            acc.scopes.add(f.indices().scope());
            Matcher m = TASK_PARAMETER_TAG.matcher(f.keyText());
            // a key is a task's output, or text of names and tags only (no quote to escape)
            String keyCode = m.matches() ? "tasks" + Lit.key(m.group(1)) + ".outputs.parameters" + Lit.key(m.group(2))
                    : "'" + f.keyText() + "'";
            String guard = "(" + marker(guards.get(branchOf(e, bodies))) + " == 'true')";
            tree = new ExprCode.Choice(guard, ExprCode.leaf(f.indices().path()), tree);
            key = new ExprCode.Choice(guard, ExprCode.leaf(keyCode), key);
        }
        for (Map.Entry<String, ExprCode> out : Map.of(name, tree, name + "-key", key).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            ObjectNode vf = F.objectNode().put("expression", inlineStaged(out.getValue().render(), acc)).put("default", "");
            array(outs, "parameters").add(F.objectNode().put("name", out.getKey()).set("valueFrom", vf));
        }
    }

    /**
     * Whether the owner's code reads export {@code export} of {@code c} other than through a {@code oneof} that
     * {@code c}'s template computes.
     */
    private boolean readOutsideMerges(Ir.Dag owner, Ir.Cond c, String export) {
        Map<List<String>, String> known = merges.getOrDefault(c, Map.of());
        return dagExprs(owner, nodesOf(owner)).stream().anyMatch(e -> readsExport(e, c.id(), export, known));
    }

    /** Every node of pipeline {@code dag}, of its body and of its exit handler, nested bodies included. */
    private static List<Ir.Node> nodesOf(Ir.Dag dag) {
        List<Ir.Node> all = new ArrayList<>();
        Refs.walk(dag.body(), all);
        if (dag.exitHandler() != null) {
            Refs.walk(dag.exitHandler(), all);
        }
        return all;
    }

    /** The expressions the nodes {@code all} of pipeline {@code dag} evaluate, and its outputs. */
    private static List<Ir.Expr> dagExprs(Ir.Dag dag, List<Ir.Node> all) {
        List<Ir.Expr> exprs = new ArrayList<>();
        all.forEach(n -> exprs.addAll(Refs.exprsOf(n)));
        (dag.outputs() == null ? List.<Ir.PipelineOutput>of() : dag.outputs()).forEach(o -> exprs.add(o.value()));
        return exprs;
    }

    private boolean readsExport(Ir.Expr e, String node, String export, Map<List<String>, String> known) {
        if (e instanceof Ir.OutputRef o) {
            return o.node().equals(node) && o.output().equals(export);
        }
        if (e instanceof Ir.Builtin b && b.function().equals("oneof")) {
            List<String> names = mergedNames(b);
            if (names != null && known.containsKey(names)) {
                return false;
            }
        }
        return Refs.children(e).stream().anyMatch(x -> readsExport(x, node, export, known));
    }

    /**
     * The exports of conditional {@code c} that a list of artifacts holds are stored at the key the list gives: the
     * conditional's template takes it as an input and its branch's step writes there. Returns input name to key.
     */
    private Map<String, String> placeExports(Ir.Cond c, Ctx ctx, Ctx inner, List<Ir.Node> allNodes) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> placed = ctx.placements.getOrDefault(c.id(), Map.of());
        for (Ir.Export e : c.exports()) {
            String key = placed.get(e.name());
            if (key != null) {
                String in = inner.inputName("fs-key-" + argoName(e.name()));
                inner.keyInputs.add(in);
                out.put(in, key);
                place(e.value(), "{{inputs.parameters." + in + "}}", inner, allNodes, c.pos(), "`" + e.name() + "`");
            }
        }
        return out;
    }

    /** The branch an export comes from: the one defining a node its value reads (the first branch otherwise). */
    private static int branchOf(Ir.Export e, List<List<Ir.Node>> bodies) {
        Map<String, Refs.Ref> refs = new LinkedHashMap<>();
        Refs.collect(e.value(), refs);
        for (int i = 0; i < bodies.size(); i++) {
            Set<String> ids = new LinkedHashSet<>();
            Refs.defined(bodies.get(i), ids);
            for (Refs.Ref r : refs.values()) {
                if (r.kind() == Refs.Kind.OUTPUT && ids.contains(r.a())) {
                    return i;
                }
            }
        }
        return 0;
    }

    /** The guard of branch {@code i}: its condition and the negation of the earlier ones (all negated for else). */
    private Ir.Expr guard(Ir.Cond c, int i) {
        Ir.Expr g = null;
        int n = c.branches().size();
        for (int k = 0; k <= Math.min(i, n - 1); k++) {
            Ir.Expr cond = c.branches().get(k).condition();
            Ir.Expr term = k < i ? new Ir.Unary("not", cond, IrType.BOOL) : cond;
            g = g == null ? term : new Ir.Binary("and", g, term, IrType.BOOL);
        }
        return g;
    }

    // --- free references -----------------------------------------------------------------------------------

    /**
     * A nested body that reads {@code oneof} over exports of a conditional of an outer block: the conditional is
     * made known to the inner template (to name the merged value it computed, passed like any value); for a
     * {@code oneof} of artifacts, which the reader computes, the conditional's branch guards are needed too (which
     * branch ran is known from them, not from the values): their references are added to what the body is passed.
     */
    private List<Refs.Ref> withGuards(List<Refs.Ref> free, List<Ir.Node> nodes, List<Ir.Expr> extra, Ctx outer, Ctx inner) {
        List<Ir.Expr> exprs = new ArrayList<>(extra);
        List<Ir.Node> all = new ArrayList<>();
        Refs.walk(nodes, all);
        all.forEach(n -> exprs.addAll(Refs.exprsOf(n)));
        Set<String> condIds = new TreeSet<>();
        Set<String> merged = new TreeSet<>();
        for (Ir.Expr e : exprs) {
            outerConds(e, outer, condIds, merged);
        }
        // A guard the inner template computes (for a oneof of artifacts) may read a merged value itself
        // (`if oneof(p.x, q.x) > t`): that value is passed too, so its conditional must be known inside.
        List<String> pending = new ArrayList<>(condIds);
        while (!pending.isEmpty()) {
            Ir.Cond c = outer.conds.get(pending.remove(pending.size() - 1)).cond();
            for (int i = 0; i < c.branches().size(); i++) {
                Set<String> more = new TreeSet<>();
                outerConds(c.branches().get(i).condition(), outer, more, merged);
                for (String id : more) {
                    if (condIds.add(id)) {
                        pending.add(id);
                    }
                }
            }
        }
        // a merged value is passed as one value (its conditional computed it); the inner template only needs
        // to know the conditional to name that value
        merged.forEach(id -> inner.conds.put(id, outer.conds.get(id)));
        if (condIds.isEmpty()) {
            return free;
        }
        Map<String, Refs.Ref> refs = new LinkedHashMap<>();
        free.forEach(r -> refs.put(r.key(), r));
        for (String id : condIds) {
            CondInfo info = outer.conds.get(id);
            inner.conds.put(id, info);
            int bodies = info.cond().branches().size() + (info.cond().elseBody().isEmpty() ? 0 : 1);
            for (int i = 0; i < bodies; i++) {
                Refs.collect(substMerged(guard(info.cond(), i), outer), refs);
            }
        }
        return freeOf(new ArrayList<>(refs.values()), outer);
    }

    /**
     * The conditionals of {@code ctx} whose exports {@code e} merges with {@code oneof}: in {@code merged} those
     * whose template computes the merge, in {@code out} those whose guards the reader needs (artifacts).
     */
    private void outerConds(Ir.Expr e, Ctx ctx, Set<String> out, Set<String> merged) {
        if (e instanceof Ir.Builtin b && b.function().equals("oneof")) {
            boolean computed = mergedRef(b, ctx) != null;
            for (Ir.Expr a : b.args()) {
                if (a instanceof Ir.OutputRef o && ctx.conds.containsKey(o.node())) {
                    (computed ? merged : out).add(o.node());
                }
            }
        }
        Refs.children(e).forEach(a -> outerConds(a, ctx, out, merged));
    }

    // --- merged values (oneof) -----------------------------------------------------------------------------

    /** Records each {@code oneof} of {@code dag} that merges parameter exports of one of its conditionals. */
    private void findMerges(Ir.Dag dag) {
        List<Ir.Node> all = nodesOf(dag);
        Map<String, Ir.Cond> conds = new HashMap<>();
        for (Ir.Node n : all) {
            if (n instanceof Ir.Cond c) {
                conds.putIfAbsent(c.id(), c);
            }
        }
        dagExprs(dag, all).forEach(e -> findMerges(e, conds));
    }

    private void findMerges(Ir.Expr e, Map<String, Ir.Cond> conds) {
        if (e instanceof Ir.Builtin b && b.function().equals("oneof")) {
            List<String> names = mergedNames(b);
            Ir.Cond c = names == null ? null : conds.get(((Ir.OutputRef) b.args().get(0)).node());
            // a merge of lists of artifacts that may be null has no Argo form (a tree of keys has no null)
            boolean nullList = isArtifactList(b.type()) && b.type().isOptional();
            if (c != null && !nullList && c.exports().stream().map(Ir.Export::name).toList().containsAll(names)) {
                Map<List<String>, String> m = merges.computeIfAbsent(c, k -> new LinkedHashMap<>());
                m.computeIfAbsent(names, k -> "fs-oneof-" + m.size());
            }
        }
        Refs.children(e).forEach(x -> findMerges(x, conds));
    }

    /**
     * The export names a {@code oneof} of parameters (or of lists of artifacts) merges, when all are outputs of one
     * node; null otherwise.
     */
    private List<String> mergedNames(Ir.Builtin b) {
        // a oneof of single artifacts is computed by its reader (see oneof); a list of artifacts is two parameters
        return isArtifact(b.type()) ? null : Refs.oneofOutputs(b);
    }

    /** The output of a conditional known in {@code ctx} that computes {@code e}, as a reference; null if none does. */
    private Ir.OutputRef mergedRef(Ir.Expr e, Ctx ctx) {
        List<String> names = e instanceof Ir.Builtin b ? mergedNames(b) : null;
        if (names == null) {
            return null;
        }
        Ir.Builtin b = (Ir.Builtin) e;
        String node = ((Ir.OutputRef) b.args().get(0)).node();
        Ir.Cond c = ctx.local.get(node) instanceof Ir.Cond lc ? lc
                : ctx.conds.containsKey(node) ? ctx.conds.get(node).cond() : null;
        String out = c == null ? null : merges.getOrDefault(c, Map.of()).get(names);
        return out == null ? null : new Ir.OutputRef(node, out, b.type());
    }

    /** {@code e} with each {@code oneof} that a conditional computes replaced by a reference to that value. */
    private Ir.Expr substMerged(Ir.Expr e, Ctx ctx) {
        Ir.OutputRef m = mergedRef(e, ctx);
        return m != null ? m : Refs.mapChildren(e, a -> substMerged(a, ctx));
    }

    /** Drops references the nested template reads without being passed them (the root pipeline's parameters). */
    private List<Refs.Ref> freeOf(List<Refs.Ref> refs, Ctx ctx) {
        List<Refs.Ref> out = new ArrayList<>();
        for (Refs.Ref r : refs) {
            if (r.kind() == Refs.Kind.PARAM && !ctx.inputs.containsKey(r.key()) && isGlobalParam(r, ctx)) {
                continue;
            }
            out.add(r);
        }
        return out;
    }

    private boolean isGlobalParam(Refs.Ref r, Ctx ctx) {
        return ctx.rootParams && !isArtifact(r.type()) && !isArtifactList(r.type());
    }

    /** A nested body of a called pipeline's exit handler reads {@code run.status} as its caller does: passed to it. */
    private static void passRunStatus(List<Refs.Ref> free, Ctx outer, Ctx inner) {
        if (outer.runStatus != null) {
            inner.runStatus = outer.runStatus;
            free.add(outer.runStatus);
        }
    }

    private void bindAll(List<Refs.Ref> free, Ctx inner, Ctx outer) {
        for (Refs.Ref r : free) {
            Src s = resolve(r, outer);
            String wanted = switch (r.kind()) {
                case PARAM -> r.a();
                case OUTPUT -> r.a() + "-" + r.b();
                case ITEM -> r.a() + "-item";
            };
            InKind kind;
            if (s instanceof ASrc) {
                kind = InKind.ART;
            } else if (s instanceof FSrc) {
                kind = InKind.FAN;
            } else {
                kind = ((PSrc) s).aggregated() ? InKind.AGG : InKind.PARAM;
            }
            inner.bind(r, wanted, kind);
        }
    }

    /** Where reference {@code r} comes from in {@code ctx}. */
    private Src resolve(Refs.Ref r, Ctx ctx) {
        In in = ctx.inputs.get(r.key());
        if (in != null) {
            return switch (in.kind()) {
                case PARAM -> new PSrc("inputs.parameters." + in.name(), marker(in.name()), Scope.INPUT, false);
                case AGG -> new PSrc("inputs.parameters." + in.name(), marker(in.name()), Scope.INPUT, true);
                case ART -> new ASrc("inputs.artifacts." + in.name(), "inputs.artifacts" + Lit.key(in.name()),
                        in.type().isOptional());
                case FAN -> new FSrc("{{inputs.parameters." + in.name() + "-key}}",
                        new PSrc("inputs.parameters." + in.name(), marker(in.name()), Scope.INPUT, true));
            };
        }
        String global = ctx.globalReads.get(r.key());
        if (global != null && isArtifactList(r.type())) {
            // both published (see publish); empty when never published, and a step reading that fails
            String tree = publishedOutput(global);
            String key = publishedOutput(global + "-key");
            return new FSrc("{{=" + key + "}}", new PSrc("=" + tree, tree, Scope.GLOBAL, true));
        }
        if (global != null && isArtifact(r.type())) {
            // optional: a DAG task drops an optional argument artifact it cannot resolve (never published)
            return new ASrc("workflow.outputs.artifacts." + global, "workflow.outputs.artifacts" + Lit.key(global), true);
        }
        if (global != null) {
            // sprig.dig, not {{workflow.outputs.parameters.G}}: a value never published (the body failed) is empty
            String code = publishedOutput(global);
            return new PSrc("=" + code, code, Scope.GLOBAL, false);
        }
        if (r.kind() == Refs.Kind.PARAM && isGlobalParam(r, ctx)) {
            return new PSrc("workflow.parameters." + r.a(), "workflow.parameters" + Lit.key(r.a()), Scope.GLOBAL, false);
        }
        if (r.kind() == Refs.Kind.OUTPUT) {
            Ir.Node n = ctx.local.get(r.a());
            String task = ctx.taskNames.get(r.a());
            if (n != null) {
                String tasks = "tasks." + task + ".outputs.";
                String path = "tasks" + Lit.key(task) + ".outputs.";
                String out = n instanceof Ir.Task ? r.b() : argoName(r.b());
                if (isArtifactList(r.type())) {
                    // a called pipeline returns a list of artifacts as its tree and its key prefix (`<output>-key`),
                    // a conditional so its merge of the lists of its branches (fs-oneof-<k>, see mergeListOutput)
                    String key = n instanceof Ir.Loop ? collectionPrefix(ctx, n.id(), r.b())
                            : "{{" + tasks + "parameters." + out + "-key}}";
                    return new FSrc(key, n instanceof Ir.Loop ? PSrc.collected(task, out)
                            : new PSrc(tasks + "parameters." + out, path + "parameters" + Lit.key(out), Scope.TASK, true));
                }
                if (n instanceof Ir.Loop) {
                    return PSrc.collected(task, out);
                }
                boolean optional = n instanceof Ir.Cond || r.type().isOptional();
                if (isArtifact(r.type())) {
                    return new ASrc(tasks + "artifacts." + out, path + "artifacts" + Lit.key(out), optional);
                }
                return new PSrc(tasks + "parameters." + out, path + "parameters" + Lit.key(out), Scope.TASK, false);
            }
        }
        throw new IllegalStateException("reference " + r.key() + " is not in scope in template " + ctx.template);
    }

    /** An export name as an Argo parameter or artifact name ({@code fit.model} becomes {@code fit-model}). */
    static String argoName(String name) {
        return name.replaceAll("[^-a-zA-Z0-9_]", "-");
    }

    private static String marker(String input) {
        return "\u0001" + input + "\u0001";
    }

    // --- arguments -----------------------------------------------------------------------------------------

    /** The arguments of one DAG task, and the local tasks they read (which must be its ancestors). */
    private final class Args {
        final Ctx ctx;
        final ArrayNode params = F.arrayNode();
        final ArrayNode artifacts = F.arrayNode();
        final Set<String> tasks = new LinkedHashSet<>();

        Args(Ctx ctx) {
            this.ctx = ctx;
        }

        void param(String name, String value) {
            params.add(F.objectNode().put("name", name).put("value", value));
        }

        /**
         * Binds input {@code name} of type {@code type} to the value of {@code e}; {@code component}: the input of a
         * component step (a list of artifacts is then one directory and its paths), else of a called pipeline.
         */
        void add(String name, IrType type, Ir.Expr e, Ir.Pos pos, boolean component) {
            if (isArtifactList(type) && component && e instanceof Ir.ListOf l) {
                // a list literal: one artifact per element, at the paths the list gives (the template has them)
                for (Map.Entry<String, Ir.Expr> leaf : leaves(l, "", new LinkedHashMap<>()).entrySet()) {
                    if (leaf.getValue().type().isOptional() || isArtifactList(leaf.getValue().type())) {
                        error(pos, "`" + name + "` takes a list literal whose element " + leaf.getKey().replace('/', '.')
                                + (isArtifactList(leaf.getValue().type()) ? " is a list of artifacts itself; write its elements in the literal"
                                : " may be null; on Argo every element of a list of artifacts must exist"));
                        return;
                    }
                    artifact(literalArtifact(name, leaf.getKey()), leaf.getValue().type(), leaf.getValue(), pos);
                }
                param(name + "-paths", literalPaths(l, INPUTS_DIR + name + "/").toString());
            } else if (isArtifactList(type)) {
                FSrc f = listSrc(e, ctx);
                if (f == null) {
                    if (!madeInIf(e, ctx)) { // a list that may be null is reported at its `if`
                        error(pos, "`" + name + "` takes a list of artifacts; on Argo it must be collected by a loop, a parameter,"
                                + " an output of a called pipeline, or a list of step outputs (`[a.model, b.model]`)");
                    }
                    return;
                }
                String tree = f.tree();
                if (f.indices() != null) {
                    noteTask(f.indices());
                }
                if (f.keyText().startsWith("{{tasks.")) {
                    tasks.add(f.keyText().substring(8).split("\\.")[0]);
                }
                if (component) {
                    // optional here too: the pod's input takes the argument's flag (ProcessArgs copies only path
                    // and mode from the template's input)
                    artifacts.add(F.objectNode().put("name", name).put("optional", true)
                            .set("s3", F.objectNode().put("key", f.keyText() + "/")));
                    String code = "toJson(" + pathsTree(tree, type, Lit.str(INPUTS_DIR + name + "/")) + ")";
                    param(name + "-paths", "{{=" + unmark(Lit.unbrace(code)) + "}}");
                } else {
                    param(name, f.constTree() != null ? f.constTree() : "{{" + f.indices().tag() + "}}");
                    param(name + "-key", f.keyText());
                }
            } else if (isArtifact(type)) {
                artifact(name, type, e, pos);
            } else {
                param(name, text(e, pos));
            }
        }

        void artifact(String name, IrType type, Ir.Expr e, Ir.Pos pos) {
            ObjectNode a = F.objectNode().put("name", name);
            if (e instanceof Ir.Const c && c.value().isTextual()) {
                location(a, c.value().asText());
            } else if (e instanceof Ir.Builtin b && b.function().equals("oneof")) {
                Acc acc = new Acc();
                ExprCode code = oneof(b, ctx, acc, true);
                tasks.addAll(acc.tasks);
                a.put("fromExpression", code.render());
                a.put("optional", true);
            } else if (e instanceof Ir.OutputRef || e instanceof Ir.ParamRef || e instanceof Ir.ItemRef) {
                Src s = resolve(refOf(e), ctx);
                if (!(s instanceof ASrc as)) {
                    error(pos, "`" + name + "` takes an artifact, but the value is not one");
                    return;
                }
                if (as.tag().startsWith("tasks.")) {
                    tasks.add(as.tag().split("\\.")[1]);
                }
                a.put("from", "{{" + as.tag() + "}}");
                if (as.optional() || type.isOptional()) {
                    a.put("optional", true);
                }
            } else {
                error(pos, "`" + name + "` takes an artifact; Argo can pass only an artifact of a step or a parameter");
                return;
            }
            artifacts.add(a);
        }

        /** The paths a step sees for a list literal of artifacts under {@code base}: nested lists as lists. */
        private ArrayNode literalPaths(Ir.ListOf l, String base) {
            ArrayNode out = F.arrayNode();
            for (int k = 0; k < l.elements().size(); k++) {
                Ir.Expr e = l.elements().get(k);
                if (e instanceof Ir.ListOf sub) {
                    out.add(literalPaths(sub, base + k + "/"));
                } else {
                    out.add(base + k);
                }
            }
            return out;
        }

        /** Passes reference {@code r} (resolved here) to input {@code in} of a nested template. */
        void pass(Refs.Ref r, In in) {
            Src s = resolve(r, ctx);
            if (s instanceof PSrc p) {
                noteTask(p);
                param(in.name(), "{{" + p.tag() + "}}");
            } else if (s instanceof ASrc a) {
                if (a.tag().startsWith("tasks.")) {
                    tasks.add(a.tag().split("\\.")[1]);
                }
                ObjectNode art = F.objectNode().put("name", in.name()).put("from", "{{" + a.tag() + "}}");
                if (a.optional()) {
                    art.put("optional", true);
                }
                artifacts.add(art);
            } else {
                FSrc f = (FSrc) s;
                noteTask(f.indices());
                param(in.name(), "{{" + f.indices().tag() + "}}");
                param(in.name() + "-key", f.keyText());
            }
        }

        private void noteTask(PSrc p) {
            if (p.scope() == Scope.TASK) {
                tasks.add(p.task());
            }
        }

        /** The text of a parameter argument: plain text and {@code {{tags}}} where possible, an expression otherwise. */
        String text(Ir.Expr e, Ir.Pos pos) {
            String simple = simpleText(e, ctx, tasks);
            if (simple != null) {
                return simple;
            }
            Acc acc = new Acc();
            acc.pos = pos;
            ExprCode code = textCode(e, e.type(), ctx, acc);
            tasks.addAll(acc.tasks);
            return finish(code, acc);
        }

        String guardText(Ir.Cond c, int i, Ctx at) {
            Acc acc = new Acc();
            acc.pos = c.pos();
            // a condition over a merged value that no branch gave: the branch does not run
            ExprCode code = code(guard(c, i), at, acc).noneAs("false");
            tasks.addAll(acc.tasks);
            return finish(code, acc);
        }

        void putInto(ObjectNode task) {
            ObjectNode a = F.objectNode();
            putIfNotEmpty(a, "parameters", params);
            putIfNotEmpty(a, "artifacts", artifacts);
            putIfNotEmpty(task, "arguments", a);
        }
    }

    /** Where a constant artifact comes from: a URL, or a key in the workflow's artifact repository. */
    private static void location(ObjectNode a, String where) {
        if (where.startsWith("http://") || where.startsWith("https://")) {
            a.set("http", F.objectNode().put("url", where));
        } else if (where.startsWith("s3://")) {
            String rest = where.substring(5);
            int slash = rest.indexOf('/');
            ObjectNode s3 = F.objectNode();
            if (slash > 0) {
                s3.put("bucket", rest.substring(0, slash)).put("key", rest.substring(slash + 1));
            } else {
                s3.put("key", rest);
            }
            a.set("s3", s3);
        } else if (where.startsWith("gs://")) {
            String rest = where.substring(5);
            int slash = rest.indexOf('/');
            ObjectNode gcs = F.objectNode();
            if (slash > 0) {
                gcs.put("bucket", rest.substring(0, slash)).put("key", rest.substring(slash + 1));
            } else {
                gcs.put("key", rest);
            }
            a.set("gcs", gcs);
        } else {
            a.set("s3", F.objectNode().put("key", where));
        }
    }

    // --- expressions ---------------------------------------------------------------------------------------

    /** What an expression reads, collected while its code is generated. */
    private static final class Acc {
        final EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        final Set<String> tasks = new LinkedHashSet<>();
        boolean aggregatedRoot;
        Ir.Pos pos;

        /** Notes that the code reads parameter {@code p}: its scope, and its task when a local task outputs it. */
        void read(PSrc p) {
            scopes.add(p.scope());
            if (p.scope() == Scope.TASK) {
                tasks.add(p.task());
            }
        }
    }

    /** Plain text for constants, references and string interpolation of those; null when code is needed. */
    private String simpleText(Ir.Expr e, Ctx ctx, Set<String> tasks) {
        if (e instanceof Ir.Const c) {
            String t = constText(c.value());
            if (t.contains("{{") || t.contains("}}")) {
                return null;
            }
            return t.length() > LARGE_CONST ? "{{workflow.parameters." + largeConst(t) + "}}" : t;
        }
        if (e instanceof Ir.ListOf || e instanceof Ir.MapOf) {
            // a literal is constant text, written as the engine writes it: toJson would write 1.0 as `1`, 1e-07 as `1e-7`
            JsonNode v = constValue(e, e.type());
            if (v != null) {
                return simpleText(new Ir.Const(v, e.type()), ctx, tasks);
            }
        }
        if (e instanceof Ir.RunRef r && r.field().equals("status") && ctx.runStatus != null) {
            return simpleText(new Ir.ParamRef(ctx.runStatus.a(), IrType.STRING), ctx, tasks);
        }
        if (e instanceof Ir.RunRef r && r.field().equals("failures")) {
            return null; // a list computed from Argo's: code
        }
        if (e instanceof Ir.RunRef r) {
            return "{{" + runTag(r) + "}}";
        }
        Ir.OutputRef merged = mergedRef(e, ctx);
        if (merged != null) {
            return simpleText(merged, ctx, tasks);
        }
        if (e instanceof Ir.ParamRef || e instanceof Ir.OutputRef || e instanceof Ir.ItemRef) {
            Src s = resolve(refOf(e), ctx);
            if (s instanceof PSrc p && (!p.aggregated() || !needsConversion(e.type()))) {
                if (p.scope() == Scope.TASK) {
                    tasks.add(p.task());
                }
                return "{{" + p.tag() + "}}";
            }
            return null;
        }
        if (e instanceof Ir.Concat c) {
            StringBuilder b = new StringBuilder();
            for (Ir.Expr p : c.parts()) {
                if (p.type().isList() || p.type().isMap() || isStruct(p.type())) {
                    return null;
                }
                String t = simpleText(p, ctx, tasks);
                if (t == null) {
                    return null;
                }
                b.append(t);
            }
            return b.toString();
        }
        return null;
    }

    private String largeConst(String text) {
        String name = "fs-const-" + IrJson.sha256Hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        largeConsts.put(name, text);
        return name;
    }

    /**
     * {@code run.failures} from Argo's {@code workflow.failures}: the JSON of every node that ended Failed or Error
     * (Go's {@code strconv.Quote} of it, {@code null} when there is none), in no order, holding the DAGs around a
     * failed step and each attempt of a retried one as well. Kept: the nodes named as a step of the body
     * ({@code steps}, Argo task names), each with its last attempt's message and phase where it was retried (the
     * {@code Retry} node says "No more retries left"); named by their IR ids ({@code renamed}, where DNS-1123 changed
     * them); sorted by finish time (whole seconds) and then by name, as the engine sorts its list. Written without
     * {@code let} (Argo v4 fails an expression naming a variable its environment lacks): what one element needs of
     * the others is recomputed inside its closure.
     */
    static String failuresCode(Set<String> steps, Map<String, String> renamed) {
        String all = "sprig.default([], jsonpath(jsonpath(workflow.failures, '$'), '$'))";
        String attempt = Lit.str("\\([0-9]+\\)$");
        // the attempts `fit(0)`, `fit(1)` of each retried step, in order, by the step's name
        String attempts = "groupBy(sortBy(filter(" + all + ", {sprig.regexMatch(" + attempt + ", #.displayName)}),"
                + " {sprig.atoi(sprig.regexFind('[0-9]+', sprig.regexFind(" + attempt + ", #.displayName)))}),"
                + " {sprig.regexReplaceAll(" + attempt + ", #.displayName, '')})";
        String chosen = "sprig.default(#, last(" + attempts + "[#.displayName]))";
        String names = "[" + String.join(", ", steps.stream().map(Lit::str).toList()) + "]";
        String name = "#.displayName";
        if (steps.stream().anyMatch(renamed::containsKey)) {
            List<String> entries = new ArrayList<>();
            steps.stream().filter(renamed::containsKey)
                    .forEach(t -> entries.add(Lit.str(t) + ": " + Lit.str(renamed.get(t))));
            name = "sprig.default(#.displayName, {" + String.join(", ", entries) + "}[#.displayName])";
        }
        return Lit.unbrace("map(sortBy(filter(" + all + ", {#.displayName in " + names + "}),"
                + " {sprig.toString(#.finishedAt) + ' ' + " + name + "}),"
                + " {{'message': (" + chosen + ").message, 'phase': (" + chosen + ").phase, 'step': " + name + "}})");
    }

    private static String runTag(Ir.RunRef r) {
        return switch (r.field()) {
            case "id" -> "workflow.uid";
            case "name" -> "workflow.name";
            case "status" -> "workflow.status";
            default -> throw new IllegalStateException("unknown run field " + r.field());
        };
    }

    /**
     * The value of a list or map literal made of constants only (no artifact among them), else null; an Int where a
     * Float is expected is a Float, as the engine has it ({@code [1, 2.5]} is {@code [1.0,2.5]}).
     */
    private JsonNode constValue(Ir.Expr e, IrType expected) {
        IrType t = expected == null ? null : expected.stripOptional();
        if (e instanceof Ir.Const c) {
            if (isArtifact(c.type())) {
                return null;
            }
            boolean widen = IrType.FLOAT.equals(t) && c.value().isIntegralNumber();
            return widen ? F.numberNode(c.value().doubleValue()) : c.value();
        }
        if (e instanceof Ir.ListOf l) {
            IrType el = t != null && t.isList() ? t.element() : null;
            ArrayNode a = F.arrayNode();
            for (Ir.Expr x : l.elements()) {
                JsonNode v = constValue(x, el);
                if (v == null) {
                    return null;
                }
                a.add(v);
            }
            return a;
        }
        if (e instanceof Ir.MapOf m) {
            // a struct's fields: each constant's own type
            IrType value = t != null && t.isMap() ? t.mapValue() : null;
            ObjectNode o = F.objectNode();
            for (int i = 0; i < m.keys().size(); i++) {
                JsonNode v = constValue(m.values().get(i), value != null ? value : m.values().get(i).type());
                if (v == null) {
                    return null;
                }
                o.set(m.keys().get(i), v);
            }
            return o;
        }
        return null;
    }

    /** A value as parameter text: strings as they are, null as empty, everything else as JSON. */
    static String constText(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isTextual()) {
            return v.asText();
        }
        // the engine's text: a Float as Python's repr (1e-05, not Java's 1.0E-5), also inside JSON
        return v.isNumber() && !v.isIntegralNumber() ? ValueText.floatRepr(v.doubleValue()) : ValueText.json(v, false);
    }

    /** Typed expr-lang code for {@code e}. */
    private ExprCode code(Ir.Expr e, Ctx ctx, Acc acc) {
        if (e instanceof Ir.Const c) {
            return ExprCode.leaf(constCode(c.value()));
        }
        if (e instanceof Ir.RunRef r && r.field().equals("status") && ctx.runStatus != null) {
            return code(new Ir.ParamRef(ctx.runStatus.a(), IrType.STRING), ctx, acc);
        }
        if (e instanceof Ir.RunRef r && r.field().equals("failures")) {
            // only the workflow's exit handler has one; a called pipeline's `finally` reading it was reported
            acc.scopes.add(Scope.GLOBAL);
            return ExprCode.leaf(runFailures != null ? runFailures : "[]");
        }
        if (e instanceof Ir.RunRef r) {
            acc.scopes.add(Scope.GLOBAL);
            return ExprCode.leaf(runTag(r));
        }
        if (e instanceof Ir.ParamRef || e instanceof Ir.OutputRef || e instanceof Ir.ItemRef) {
            Src s = resolve(refOf(e), ctx);
            if (!(s instanceof PSrc p)) {
                String what = e instanceof Ir.ParamRef pr ? "parameter `" + pr.name() + "`"
                        : e instanceof Ir.OutputRef or ? "`" + or.node() + "." + or.output() + "`" : "loop variable";
                // an expression is Argo's expr-lang over parameters: a file is no value there (`if extra != null`)
                error(acc.pos, "the artifact " + what + " cannot be used in an expression (a condition, an interpolation,"
                        + " a value) on Argo, which reads files only as step inputs: test a parameter instead (a `Bool`"
                        + " such as `use_extra`, or a step's output that says what the file holds)");
                return ExprCode.leaf("nil");
            }
            acc.read(p);
            if (p.aggregated()) {
                acc.aggregatedRoot = true;
                IrType el = e.type().stripOptional().isList() ? e.type().stripOptional().element() : IrType.STRING;
                if (!needsConversion(e.type())) {
                    return ExprCode.leaf("jsonpath(" + p.path() + ", '$')");
                }
                if (el.isOptional()) {
                    return ExprCode.leaf("map(jsonpath(" + p.path() + ", '$'), {" + optionalElement(el) + "})");
                }
                return ExprCode.leaf("map(jsonpath(" + p.path() + ", '$'), {" + convert("#", el) + "})");
            }
            return ExprCode.leaf(convert(p.path(), e.type()));
        }
        if (e instanceof Ir.FieldOf f) {
            return wholeIfInt(code(f.target(), ctx, acc).map(t -> "(" + t + ")" + Lit.key(f.field())), e.type());
        }
        if (e instanceof Ir.IndexOf i) {
            return wholeIfInt(ExprCode.combine(List.of(code(i.target(), ctx, acc), code(i.index(), ctx, acc)),
                    p -> "(" + p.get(0) + ")[" + p.get(1) + "]"), e.type());
        }
        if (e instanceof Ir.Unary u) {
            String op = u.op().equals("not") || u.op().equals("!") ? "!" : "-";
            if (op.equals("-") && isInt(u.operand().type())) {
                // -(least int64) wraps around in Go, where the engine fails: `# - 1 < #` is false for it alone
                return code(u.operand(), ctx, acc).map(t -> "map([" + t + "], { -sprig.ternary(#, nil, # - 1 < #) })[0]");
            }
            return code(u.operand(), ctx, acc).map(t -> op + "(" + t + ")");
        }
        if (e instanceof Ir.Binary b) {
            return binary(b, ctx, acc);
        }
        if (e instanceof Ir.Builtin b) {
            return builtin(b, ctx, acc);
        }
        if (e instanceof Ir.Concat c) {
            if (c.parts().isEmpty()) {
                return ExprCode.leaf("''");
            }
            List<ExprCode> parts = new ArrayList<>();
            for (Ir.Expr p : c.parts()) {
                // a merged value no branch gave reads as the empty text here, as in the engine
                parts.add(code(p, ctx, acc).map(t -> textOf(t, p.type())).noneAs("''"));
            }
            return ExprCode.combine(parts, p -> "(" + String.join(" + ", p) + ")");
        }
        if (e instanceof Ir.ListOf l) {
            List<ExprCode> parts = new ArrayList<>();
            l.elements().forEach(x -> parts.add(code(x, ctx, acc)));
            return ExprCode.combine(parts, p -> "[" + String.join(", ", p) + "]");
        }
        Ir.MapOf m = (Ir.MapOf) e;
        List<ExprCode> parts = new ArrayList<>();
        m.values().forEach(x -> parts.add(code(x, ctx, acc)));
        return ExprCode.combine(parts, p -> {
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                entries.add(Lit.str(m.keys().get(i)) + ": " + p.get(i));
            }
            return "{" + String.join(", ", entries) + "}";
        });
    }

    private ExprCode binary(Ir.Binary b, Ctx ctx, Acc acc) {
        ExprCode nullTest = nullTest(b, ctx, acc);
        if (nullTest != null) {
            return nullTest;
        }
        ExprCode l = code(b.left(), ctx, acc);
        ExprCode r = code(b.right(), ctx, acc);
        boolean ints = isInt(b.left().type()) && isInt(b.right().type());
        String op = b.op();
        return ExprCode.combine(List.of(l, r), p -> {
            String x = "(" + p.get(0) + ")";
            String y = "(" + p.get(1) + ")";
            return switch (op) {
                case "and", "&&" -> x + " && " + y;
                case "or", "||" -> x + " || " + y;
                // `/` and `%` of two Ints floor, as the engine's (Python's): Go truncates toward zero, and expr-lang
                // has no `%` of Floats. A zero divisor fails the expression, as it fails the engine's step: Go would
                // give +Inf, or the least int64 for an Int. Both operands are bound once, as #[0] and #[1]
                case "/" -> bound(p, ints ? INT_DIVISION : "#[0] / " + NONZERO);
                case "%" -> bound(p, ints ? "#[0] % " + NONZERO + " + sprig.ternary(#[1], 0, " + FLOOR_ADJUSTS + ")"
                        : "#[0] - #[1] * floor(#[0] / " + NONZERO + ")");
                // an Int result past int64 wraps around in Go, where the engine fails: the right operand becomes nil
                // then, which fails the expression (expr-lang refuses `x + nil`)
                case "+" -> b.type().isList() ? "concat(" + p.get(0) + ", " + p.get(1) + ")"
                        : ints ? bound(p, "#[0] + sprig.ternary(#[1], nil, " + ADD_FITS + ")") : x + " + " + y;
                case "-" -> ints ? bound(p, "#[0] - sprig.ternary(#[1], nil, " + SUB_FITS + ")") : x + " - " + y;
                case "*" -> ints ? bound(p, "#[0] * sprig.ternary(#[1], nil, " + MUL_FITS + ")") : x + " * " + y;
                default -> x + " " + op + " " + y;
            };
        });
    }

    /**
     * {@code x == null} / {@code x != null} of a {@code T?} read from a parameter's text (a pipeline parameter, a step's
     * output, an export of a conditional, a {@code oneof} it merges), else null: Argo has the engine's {@code null} as
     * the empty text, which is no {@code nil} (the branch of {@code if tag != null} would run for a null) and which
     * {@code asInt} cannot read. A {@code String?} that holds the empty text is null here too (docs/argo.md).
     */
    private ExprCode nullTest(Ir.Binary b, Ctx ctx, Acc acc) {
        if (!b.op().equals("==") && !b.op().equals("!=")) {
            return null;
        }
        Ir.Expr tested = isNull(b.right()) ? b.left() : isNull(b.left()) ? b.right() : null;
        Ir.OutputRef merged = tested == null ? null : mergedRef(tested, ctx);
        Ir.Expr x = merged != null ? merged : tested;
        if (x == null || !x.type().isOptional() || !(x instanceof Ir.ParamRef || x instanceof Ir.OutputRef || x instanceof Ir.ItemRef)
                || !(resolve(refOf(x), ctx) instanceof PSrc p) || p.aggregated()) {
            return null;
        }
        acc.read(p);
        return ExprCode.leaf("(" + p.path() + ") " + b.op() + " ''");
    }

    private static boolean isNull(Ir.Expr e) {
        return e instanceof Ir.Const c && c.value().isNull();
    }

    /** The divisor {@code #[1]}, or nil when it is zero: expr-lang refuses {@code x / nil}, so the expression fails. */
    private static final String NONZERO = "sprig.ternary(#[1], nil, #[1] != 0)";

    /** Whether {@code #[0] + #[1]} of two Ints fits an int64: operands of one sign keep it. */
    private static final String ADD_FITS = "(#[0] >= 0) != (#[1] >= 0) || (#[0] + #[1] >= 0) == (#[0] >= 0)";

    /** Whether {@code #[0] - #[1]} of two Ints fits an int64. */
    private static final String SUB_FITS = "(#[0] >= 0) == (#[1] >= 0) || (#[0] - #[1] >= 0) == (#[0] >= 0)";

    /**
     * Whether {@code #[0] * #[1]} of two non-zero Ints fits an int64. Below 1.3e19 the float64 product (within 2^-51 of
     * the true one) leaves a true product under 2^64, and one in [2^63, 2^64) wraps to the wrong sign; from 1.3e19 on
     * the true product is past 2^63.
     */
    private static final String MUL_FITS = "#[0] == 0 || #[1] == 0 || max(float(#[0]) * float(#[1]), -(float(#[0]) * float(#[1]))) "
            + "< 13000000000000000000.0 && (#[0] * #[1] > 0) == ((#[0] > 0) == (#[1] > 0))";

    /** Whether a floor of {@code #[0]} by {@code #[1]} is one below the truncation: a remainder of the other sign. */
    private static final String FLOOR_ADJUSTS = "#[0] % #[1] != 0 && (#[0] % #[1] < 0) != (#[1] < 0)";

    /**
     * {@code #[0]} floor-divided by {@code #[1]}, exactly: expr-lang's {@code /} is a float64 division, which loses digits
     * past 2^53. {@code #[2]}, {@code #[0]} less its truncated remainder, is the truncated quotient times the divisor; its
     * float64 division is within 2^12 of that quotient, and the rest of it, a small multiple of the divisor computed in
     * int64, divides exactly (int64 wraps around, so the rest is right even when the first guess is not an int64).
     */
    private static final String INT_DIVISION = "map([[#[0], #[1], #[0] - #[0] % " + NONZERO + "]], { "
            + "int(#[2] / #[1]) + int(round((#[2] - int(#[2] / #[1]) * #[1]) / #[1])) - sprig.ternary(1, 0, " + FLOOR_ADJUSTS + ") })[0]";

    /** {@code body} over {@code #[0]} and {@code #[1]}, the operands computed once (an operand may use an outer {@code #}). */
    private static String bound(List<String> operands, String body) {
        return "map([[" + operands.get(0) + ", " + operands.get(1) + "]], { " + body + " })[0]";
    }

    private ExprCode builtin(Ir.Builtin b, Ctx ctx, Acc acc) {
        String f = b.function();
        if (f.equals("oneof")) {
            Ir.OutputRef m = mergedRef(b, ctx);
            return m != null ? code(m, ctx, acc) : oneof(b, ctx, acc, false);
        }
        if (f.equals("len") && isArtifactList(b.args().get(0).type())) {
            return lengthOfArtifacts(b.args().get(0), ctx, acc);
        }
        List<ExprCode> args = new ArrayList<>();
        b.args().forEach(a -> args.add(code(a, ctx, acc)));
        IrType argType = b.args().isEmpty() ? IrType.STRING : b.args().get(0).type();
        return switch (f) {
            case "len" -> ExprCode.combine(args, p -> "len(" + p.get(0) + ")");
            case "str" -> ExprCode.combine(args, p -> textOf(p.get(0), argType));
            // of a text, spaces around the number are ignored, as by the engine (and Python); Go's Atoi refuses them
            // of a Float past int64 (or an infinity, NaN), Go's conversion gives a wrong Int where the engine fails:
            // dividing by nil then fails the expression
            case "int" -> ExprCode.combine(args, p -> isTextType(argType) ? "int(sprig.trim(" + p.get(0) + "))"
                    : isInt(argType) ? "int(" + p.get(0) + ")"
                    : "map([" + p.get(0) + "], { int(# / sprig.ternary(1, nil, max(#, -#) < 9200000000000000000.0)) })[0]");
            case "float" -> ExprCode.combine(args, p -> "float(" + (isTextType(argType) ? "sprig.trim(" + p.get(0) + ")" : p.get(0)) + ")");
            case "json" -> {
                Ir.Expr arg = b.args().get(0);
                ExprCode joined = arg instanceof Ir.ListOf || arg instanceof Ir.MapOf ? jsonText(arg, null, ctx, acc) : collectedJson(arg, ctx, acc);
                yield joined != null ? joined : ExprCode.combine(args, p -> jsonOf(p.get(0)));
            }
            case "pvc" -> args.get(0); // the claim's name (only a Volume input reads it)
            case "min", "max", "sum", "mean" -> aggregate(f, b, args);
            default -> {
                error(acc.pos, "the builtin `" + f + "` has no Argo expression");
                yield ExprCode.leaf("nil");
            }
        };
    }

    /**
     * {@code min max sum mean} as {@link dev.freestone.diag.Aggregate} computes them, with expr-lang's own {@code min},
     * {@code max} and {@code sum} of an array (expr-lang 1.16 on, which Argo 3.6 and 4 carry). A list's nulls are
     * filtered out; of nothing, {@code min}, {@code max} and {@code mean} multiply or divide by nil, which fails the
     * expression as the engine fails. An Int sum wraps around in Go: it is kept only when the float64 sum of the
     * same elements is near it (an overflow puts it 2^64 away), and a Float sum adds float64s, so an Int among
     * them is made a float64 first.
     */
    private static ExprCode aggregate(String f, Ir.Builtin b, List<ExprCode> args) {
        boolean asFloat = b.type().stripOptional().equals(IrType.FLOAT);
        if (args.size() == 2) {
            ExprCode pair = ExprCode.combine(args, p -> f + "(" + p.get(0) + ", " + p.get(1) + ")");
            return asFloat ? pair.map(c -> "float(" + c + ")") : wholeIfInt(pair, b.type());
        }
        IrType element = b.args().get(0).type().stripOptional().element();
        boolean intList = element.stripOptional().equals(IrType.INT);
        String nonEmpty = "sprig.ternary(1, nil, len(#) > 0)";
        String floats = "sum(map(#, { float(#) }))";
        String body = switch (f) {
            case "sum" -> intList ? "sum(#) + sprig.ternary(0, nil, max(float(sum(#)) - " + floats + ", " + floats
                    + " - float(sum(#))) < 9000000000000000000.0)" : floats;
            case "mean" -> floats + " / sprig.ternary(len(#), nil, len(#) > 0)";
            default -> f + "(#) * " + nonEmpty;
        };
        String list = intList ? "map(%s, { int(#) })" : "%s";
        String present = element.isOptional() ? "filter(%s, { # != nil })" : "%s";
        ExprCode code = args.get(0).map(c -> "map([" + list.formatted(present.formatted(c)) + "], { " + body + " })[0]");
        return asFloat ? code.map(c -> "float(" + c + ")") : code;
    }

    /** {@code len} of a list of artifacts: the length of its tree of keys. */
    private ExprCode lengthOfArtifacts(Ir.Expr list, Ctx ctx, Acc acc) {
        if (list instanceof Ir.ListOf l) {
            return ExprCode.leaf(String.valueOf(l.elements().size())); // a literal's length is known, placed or not
        }
        FSrc f = listSrc(list, ctx);
        if (f == null) {
            error(acc.pos, "`len` of this list of artifacts has no Argo expression; count it where it is collected");
            return ExprCode.leaf("nil");
        }
        if (f.indices() != null) {
            acc.read(f.indices());
        }
        return ExprCode.leaf("len(" + f.tree() + ")");
    }

    /**
     * {@code oneof(a, b, ...)} over exports of one local conditional: the export of the branch whose guard
     * holds (the guards are the conditions the conditional's task was given), empty when none ran.
     */
    private ExprCode oneof(Ir.Builtin b, Ctx ctx, Acc acc, boolean artifacts) {
        ExprCode result = null;
        List<Ir.Expr> args = b.args();
        for (int i = args.size() - 1; i >= 0; i--) {
            Ir.Expr a = args.get(i);
            CondInfo info = a instanceof Ir.OutputRef o ? ctx.conds.get(o.node()) : null;
            ExprCode value;
            if (artifacts) {
                Src s = resolve(refOf(a), ctx);
                if (!(s instanceof ASrc as)) {
                    error(acc.pos, "`oneof` of artifacts needs artifacts of steps");
                    return ExprCode.leaf("nil");
                }
                if (as.tag().startsWith("tasks.")) {
                    acc.tasks.add(as.tag().split("\\.")[1]);
                }
                value = ExprCode.leaf(as.path());
            } else {
                value = code(a, ctx, acc);
            }
            if (info == null) {
                if (result != null) {
                    error(acc.pos, "on Argo `oneof` merges outputs of one `if` in the same block");
                }
                result = value;
                continue;
            }
            Ir.Cond c = info.cond();
            int branch = info.exportBranch().getOrDefault(((Ir.OutputRef) a).output(), 0);
            ExprCode guardCode = code(guard(c, branch), ctx, acc);
            ExprCode otherwise = result != null ? result : artifacts ? ExprCode.leaf("nil") : ExprCode.NONE;
            result = choose(guardCode, value, otherwise);
        }
        return result == null ? ExprCode.leaf("''") : result;
    }

    /**
     * {@code guard ? then : otherwise} where the guard may itself hold choices (an `if` over a merged value):
     * its choices are lifted above, since a ternary is only safe as the outermost operator.
     */
    private static ExprCode choose(ExprCode guard, ExprCode then, ExprCode otherwise) {
        if (guard instanceof ExprCode.Choice g) {
            return new ExprCode.Choice(g.guard(), choose(g.then(), then, otherwise), choose(g.otherwise(), then, otherwise));
        }
        if (guard instanceof ExprCode.None) {
            return otherwise; // the guard reads a merged value no branch gave: this branch did not run either
        }
        return new ExprCode.Choice("(" + ((ExprCode.Leaf) guard).text() + ")", then, otherwise);
    }

    private static String constCode(JsonNode v) {
        if (v == null || v.isNull()) {
            return "nil";
        }
        if (v.isTextual()) {
            return Lit.str(v.asText());
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (v.isNumber()) {
            return ValueText.floatRepr(v.doubleValue());
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        return "jsonpath(" + Lit.str(ValueText.json(v, false)) + ", '$')";
    }

    /**
     * An Int taken out of JSON (a struct's field, a list's element, the least of a list) is a float64 in expr-lang:
     * {@code %} refuses it and {@code sprig.toString} writes 1234567 as {@code 1.234567e+06}; made an integer again
     * it is the engine's Int.
     */
    private static ExprCode wholeIfInt(ExprCode code, IrType type) {
        return type.equals(IrType.INT) ? code.map(c -> "asInt(" + c + ")") : code;
    }

    /** ExprCode reading parameter text {@code path} as a value of {@code type}. */
    private String convert(String path, IrType type) {
        IrType t = type.stripOptional();
        String s = t.spelling();
        // spaces and a `\r` around a number are ignored, as the engine reads a step's output (` 42 `, `0.9\r`)
        if (s.equals("Int")) {
            return "asInt(sprig.trim(" + path + "))";
        }
        if (s.equals("Float") || s.equals("Duration")) { // a Duration is seconds, 0.25 for 250ms
            return "asFloat(sprig.trim(" + path + "))";
        }
        if (s.equals("Bool")) {
            // as the engine reads a Bool: any case, spaces ignored (Python writes `True`)
            return "(sprig.lower(sprig.trim(" + path + ")) == 'true')";
        }
        if (t.isList() || t.isMap() || isStruct(t)) {
            return "jsonpath(" + path + ", '$')";
        }
        return path;
    }

    /** ExprCode for the parameter text of {@code e}, a value of {@code type}. */
    private ExprCode textCode(Ir.Expr e, IrType type, Ctx ctx, Acc acc) {
        if (e instanceof Ir.ListOf || e instanceof Ir.MapOf) {
            return jsonText(e, type, ctx, acc); // a step's input: the engine gives it the input's type
        }
        ExprCode joined = type == null || type.stripOptional().equals(e.type().stripOptional()) ? collectedJson(e, ctx, acc) : null;
        return joined != null ? joined : code(e, ctx, acc).map(c -> textOf(c, type));
    }

    /**
     * The JSON text of a loop's collection of structures ({@code List[Cfg]}, {@code List[List[Int]]}), or null for
     * anything else: Argo's aggregation is a list of the texts the iterations wrote, which are joined as they are
     * ({@code sprig.default} gives {@code null} for a skipped {@code T?}). Go's {@code toJson} of the list parsed would
     * sort every object's keys, write {@code 1.0} as {@code 1}, escape {@code <} and lose an Int's digits
     * past 2^53.
     */
    private ExprCode collectedJson(Ir.Expr e, Ctx ctx, Acc acc) {
        IrType t = e.type().stripOptional();
        if (!(e instanceof Ir.ParamRef || e instanceof Ir.OutputRef || e instanceof Ir.ItemRef) || !t.isList() || !structured(t.element())) {
            return null;
        }
        if (!(resolve(refOf(e), ctx) instanceof PSrc p) || !p.aggregated()) {
            return null;
        }
        acc.read(p);
        acc.aggregatedRoot = true;
        return ExprCode.leaf("('[' + sprig.join(',', map(jsonpath(" + p.path() + ", '$'), {sprig.default('null', #)})) + ']')");
    }

    /**
     * The engine's JSON text of a list or map literal (a struct is one) holding computed values, written piece by
     * piece: Go's toJson of the value would sort a struct's fields by name and write a Float 1.0 as `1`. An element
     * is written as {@code type} says when there is one (an Int in a {@code List[Float]} given to a step is a Float,
     * as the engine coerces a step's inputs), else as its own type ({@code json([x, 1])} keeps the Int, as the engine).
     */
    private ExprCode jsonText(Ir.Expr e, IrType type, Ctx ctx, Acc acc) {
        IrType t = type == null ? e.type().stripOptional() : type.stripOptional();
        boolean widen = type != null;
        List<ExprCode> parts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        if (e instanceof Ir.ListOf l) {
            IrType el = widen && t.isList() ? t.element() : null;
            IrType scalar = commonScalar(l, el);
            if (scalar != null) {
                // one conversion for the whole list, not one per element: a wide fan-in has thousands
                List<ExprCode> values = new ArrayList<>();
                l.elements().forEach(x -> values.add(code(x, ctx, acc)));
                return ExprCode.combine(values, p -> {
                    String list = "[" + String.join(", ", p) + "]";
                    return scalar.equals(IrType.FLOAT) ? FloatText.jsonList(list) : "toJson(" + list + ")";
                });
            }
            l.elements().forEach(x -> parts.add(jsonElement(x, el != null ? el : x.type(), el, ctx, acc)));
        } else {
            Ir.MapOf m = (Ir.MapOf) e;
            for (int i = 0; i < m.keys().size(); i++) {
                Ir.Expr v = m.values().get(i);
                IrType vt = widen && t.isMap() ? t.mapValue() : null;
                parts.add(jsonElement(v, vt != null ? vt : v.type(), vt, ctx, acc));
                keys.add(F.textNode(m.keys().get(i)).toString() + ":");
            }
        }
        boolean list = e instanceof Ir.ListOf;
        return ExprCode.combine(parts, p -> {
            List<String> pieces = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                pieces.add((i > 0 ? "," : "") + (list ? "" : keys.get(i)));
                pieces.add(p.get(i));
            }
            StringBuilder b = new StringBuilder("(").append(Lit.str(list ? "[" : "{"));
            for (int i = 0; i < pieces.size(); i += 2) {
                if (!pieces.get(i).isEmpty()) {
                    b.append(" + ").append(Lit.str(pieces.get(i)));
                }
                b.append(" + ").append(pieces.get(i + 1));
            }
            return b.append(" + ").append(Lit.str(list ? "]" : "}")).append(")").toString();
        });
    }

    /**
     * The one type that every element of {@code l} is written as, when toJson of the list or {@link FloatText#jsonList}
     * gives the engine's text: Float (Ints among them widened when {@code expected} is Float), Int, Bool, String; else
     * null (nested literals, optional or mixed elements, Durations).
     */
    private IrType commonScalar(Ir.ListOf l, IrType expected) {
        IrType common = expected != null ? expected.stripOptional() : null;
        if (expected != null && expected.isOptional()) {
            return null;
        }
        for (Ir.Expr x : l.elements()) {
            IrType t = x.type();
            if (x instanceof Ir.ListOf || x instanceof Ir.MapOf || t.isOptional()) {
                return null;
            }
            if (common == null) {
                common = t;
            } else if (!common.equals(t) && !(expected != null && common.equals(IrType.FLOAT) && t.equals(IrType.INT))) {
                return null;
            }
        }
        if (common == null) {
            return null;
        }
        return common.equals(IrType.FLOAT) || common.equals(IrType.INT) || common.equals(IrType.BOOL)
                || common.equals(IrType.STRING) ? common : null;
    }

    private ExprCode jsonElement(Ir.Expr x, IrType type, IrType expected, Ctx ctx, Acc acc) {
        if (x instanceof Ir.ListOf || x instanceof Ir.MapOf) {
            return jsonText(x, expected, ctx, acc);
        }
        IrType t = type.stripOptional();
        if (type.isOptional() || isTextType(t)) {
            return code(x, ctx, acc).map(c -> "toJson(" + c + ")"); // a JSON string, or null
        }
        if (t.equals(IrType.FLOAT) || t.equals(IrType.DURATION)) {
            return code(x, ctx, acc).map(c -> FloatText.json(c, t.equals(IrType.DURATION)));
        }
        if (t.equals(IrType.INT) || t.equals(IrType.BOOL)) {
            return code(x, ctx, acc).map(c -> textOf(c, t));
        }
        return code(x, ctx, acc).map(ArgoLowering::jsonOf);
    }

    /** ExprCode turning a value of {@code type} into parameter text. */
    private String textOf(String code, IrType type) {
        IrType t = type.stripOptional();
        // Go writes 2.0 as `2` and 1000000.0 as `1e+06`, in text and in JSON: the engine writes Python's repr
        if (t.equals(IrType.FLOAT)) {
            return FloatText.repr(code);
        }
        if (t.equals(IrType.DURATION)) {
            return FloatText.seconds(code);
        }
        if (t.isList() && t.element().equals(IrType.FLOAT)) {
            return FloatText.jsonList(code);
        }
        if (t.isList() || t.isMap() || isStruct(t)) {
            return jsonOf(code);
        }
        if (isTextType(t)) {
            return code;
        }
        return "sprig.toString(" + code + ")";
    }

    /** JSON text of a list, map or struct: a parameter's text as it came, not Go's toJson of it, which sorts an object's keys and writes 1.0 as `1`. */
    private static String jsonOf(String code) {
        Matcher read = JSON_READ.matcher(code);
        return read.matches() ? read.group(1) : "toJson(" + code + ")";
    }

    /** A list, map or struct: a loop item that {@code {{item.v}}} can only carry as itself. */
    private boolean structured(IrType type) {
        IrType t = type.stripOptional();
        return t.isList() || t.isMap() || isStruct(t);
    }

    private boolean isTextType(IrType type) {
        String s = type.stripOptional().spelling();
        return s.equals("String") || s.equals("Quantity") || isVolume(type) || isArtifact(type);
    }

    /** A PersistentVolumeClaim: its name travels as a parameter, and the step sees the folder it is mounted at. */
    static boolean isVolume(IrType type) {
        return type.equals(IrType.VOLUME);
    }

    /** A loop's collected list of texts needs converting unless its elements are text themselves. */
    private boolean needsConversion(IrType listType) {
        IrType t = listType.stripOptional();
        return !t.isList() || !isTextType(t.element()) || t.element().isOptional();
    }

    /**
     * An element {@code #} of a loop's collection of {@code T?} (a step in an {@code if} in the loop body): an iteration
     * whose branch did not run gave the empty text (its conditional's default), which is the engine's {@code null}.
     * No ternary: Argo splits a tag's expression at its first {@code ?}, and a conversion like {@code asInt('')} would
     * fail even in a branch not taken. A text is picked from {@code [nil, #]} by its length; anything else is read as
     * JSON with {@code null} for the empty text (a Bool lower-cased first, as the engine reads {@code True}).
     */
    private String optionalElement(IrType el) {
        IrType t = el.stripOptional();
        if (isTextType(t)) {
            return "[nil, #][min(len(#), 1)]";
        }
        String text = t.spelling().equals("Bool") ? "sprig.lower(sprig.trim(#))" : "#";
        return "jsonpath(sprig.default('null', " + text + "), '$')";
    }

    /** The final {@code {{=...}}} text: inputs-only and task/global-only expressions directly, mixed ones staged. */
    private String finish(ExprCode code, Acc acc) {
        String c = Lit.unbrace(code.render());
        boolean mixed = acc.scopes.contains(Scope.INPUT)
                && (acc.scopes.contains(Scope.TASK) || acc.scopes.contains(Scope.GLOBAL));
        if (!mixed) {
            return "{{=" + unmark(c) + "}}";
        }
        // Stage: the inputs pass writes the task-pass expression, with each input as base64 in it.
        List<String> pieces = new ArrayList<>();
        StringBuilder lit = new StringBuilder("{{=");
        int i = 0;
        while (i < c.length()) {
            char ch = c.charAt(i);
            if (ch == '\u0001') {
                int end = c.indexOf('\u0001', i + 1);
                String name = c.substring(i + 1, end);
                lit.append("sprig.b64dec('");
                pieces.add(Lit.str(lit.toString()));
                pieces.add("sprig.b64enc(inputs.parameters" + Lit.key(name) + ")");
                lit.setLength(0);
                lit.append("')");
                i = end + 1;
            } else {
                lit.append(ch);
                i++;
            }
        }
        lit.append("}}");
        pieces.add(Lit.str(lit.toString()));
        return "{{=" + String.join(" + ", pieces) + "}}";
    }

    /** For {@code valueFrom.expression} (not a tag): input and workflow values enter as base64 written at template start. */
    private String inlineStaged(String code, Acc acc) {
        String c = code;
        if (acc.scopes.contains(Scope.GLOBAL)) {
            for (String g : List.of("workflow.uid", "workflow.name", "workflow.status")) {
                c = c.replace(g, "sprig.b64dec('{{=sprig.b64enc(" + g + ")}}')");
            }
            c = c.replaceAll("workflow\\.parameters\\['([^']*)'\\]",
                    "sprig.b64dec('{{=sprig.b64enc(workflow.parameters['$1'])}}')");
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < c.length()) {
            char ch = c.charAt(i);
            if (ch == '\u0001') {
                int end = c.indexOf('\u0001', i + 1);
                b.append("sprig.b64dec('{{=sprig.b64enc(inputs.parameters").append(Lit.key(c.substring(i + 1, end)))
                        .append(")}}')");
                i = end + 1;
            } else {
                b.append(ch);
                i++;
            }
        }
        return b.toString();
    }

    private static String unmark(String code) {
        return code.replaceAll("\u0001([^\u0001]*)\u0001", "inputs.parameters['$1']");
    }

    // --- components ----------------------------------------------------------------------------------------

    /** The input artifact of element {@code path} ({@code 0}, {@code 1/0}) of list literal input {@code input}. */
    private static String literalArtifact(String input, String path) {
        return input + "-" + path.replace('/', '-');
    }

    private static Ir.Settings merge(Ir.Settings base, Ir.Settings over) {
        if (base == null) {
            return over == null ? Ir.Settings.NONE : over;
        }
        if (over == null) {
            return base;
        }
        return new Ir.Settings(
                over.retry() != null ? over.retry() : base.retry(),
                over.timeoutSeconds() != null ? over.timeoutSeconds() : base.timeoutSeconds(),
                over.cache() != null ? over.cache() : base.cache(),
                over.resources() != null ? over.resources() : base.resources(),
                over.nodeSelector() != null ? over.nodeSelector() : base.nodeSelector(),
                over.tolerations() != null ? over.tolerations() : base.tolerations(),
                over.shm() != null ? over.shm() : base.shm(),
                over.mutexes() != null ? over.mutexes() : base.mutexes());
    }

    /**
     * {@code synchronization: {mutexes: [{name: ...}]}} on a template or a Workflow's spec (v3.6's list; the singular
     * {@code mutex} is gone from v4's schema), each in the Workflow's namespace, held by the node (or the Workflow)
     * while it runs; nothing for none.
     */
    private static void putMutexes(ObjectNode on, List<String> mutexes) {
        if (mutexes == null || mutexes.isEmpty()) {
            return;
        }
        ArrayNode list = F.arrayNode();
        mutexes.forEach(m -> list.addObject().put("name", m));
        on.putObject("synchronization").set("mutexes", list);
    }

    /** The template of a component with these settings (one per distinct digest and settings). */
    private String componentTemplate(Ir.Component c, Ir.Settings s, Set<String> fanOutputs, Map<String, List<String>> literals,
                                     Set<String> readOnly) {
        String key = c.digest() + "|" + IrJson.canonicalValue(s) + "|" + new TreeMap<>(Map.of("f", fanOutputs)) + "|" + literals
                + "|" + readOnly;
        String known = componentTemplates.get(key);
        if (known != null) {
            return known;
        }
        String name = templateNames.unique(c.name());
        componentTemplates.put(key, name);
        reserve(name);
        ObjectNode template = new ComponentTemplate(c, s, fanOutputs, literals, readOnly, name).build();
        if (!name.equals(c.name())) {
            // the run store shows the component as written in source, not its DNS-1123 template name
            template.with("metadata").with("annotations").put(COMPONENT_ANNOTATION, c.name());
        }
        templates.put(name, template);
        return name;
    }

    private final class ComponentTemplate {
        final Ir.Component c;
        final Ir.Settings s;
        final Set<String> fan;
        /** List-of-artifact inputs given as a list literal: the relative paths of their elements. */
        final Map<String, List<String>> literals;
        /** The {@code Volume} inputs this template mounts read-only (the call's {@code pvc(..., read_only = true)}). */
        final Set<String> readOnly;
        final String name;
        final Map<String, Ir.Param> inputs = new LinkedHashMap<>();
        final Map<String, Ir.Field> outputs = new LinkedHashMap<>();

        ComponentTemplate(Ir.Component c, Ir.Settings s, Set<String> fan, Map<String, List<String>> literals,
                          Set<String> readOnly, String name) {
            this.c = c;
            this.s = s;
            this.fan = fan;
            this.literals = literals;
            this.readOnly = readOnly;
            this.name = name;
            c.inputs().forEach(p -> inputs.put(p.name(), p));
            (c.outputs() == null ? List.<Ir.Field>of() : c.outputs()).forEach(o -> outputs.put(o.name(), o));
        }

        ObjectNode build() {
            ObjectNode t = F.objectNode().put("name", name);
            ObjectNode in = F.objectNode();
            ArrayNode ip = F.arrayNode();
            ArrayNode ia = F.arrayNode();
            boolean hasArtifacts = false;
            for (Ir.Param p : c.inputs()) {
                if (isArtifactList(p.type()) && literals.containsKey(p.name())) {
                    for (String leaf : literals.get(p.name())) {
                        ia.add(F.objectNode().put("name", literalArtifact(p.name(), leaf)).put("path", INPUTS_DIR + p.name() + "/" + leaf));
                    }
                    ip.add(F.objectNode().put("name", p.name() + "-paths"));
                    hasArtifacts = true;
                } else if (isArtifactList(p.type())) {
                    // optional: the prefix of an empty list (a loop over no items) holds no object, and the executor
                    // skips an optional input it does not find; the step then sees `[]`, as in the engine
                    ia.add(F.objectNode().put("name", p.name()).put("path", INPUTS_DIR + p.name()).put("optional", true));
                    ip.add(F.objectNode().put("name", p.name() + "-paths"));
                    hasArtifacts = true;
                } else if (isArtifact(p.type())) {
                    ObjectNode a = F.objectNode().put("name", p.name()).put("path", INPUTS_DIR + p.name());
                    if (p.type().isOptional()) {
                        a.put("optional", true);
                    }
                    ia.add(a);
                    hasArtifacts = true;
                } else {
                    ip.add(F.objectNode().put("name", p.name()));
                }
            }
            for (String o : new TreeMap<>(Map.of("f", fan)).get("f")) {
                ip.add(F.objectNode().put("name", "fs-key-" + o));
            }
            putIfNotEmpty(in, "parameters", ip);
            putIfNotEmpty(in, "artifacts", ia);
            putIfNotEmpty(t, "inputs", in);
            ObjectNode out = F.objectNode();
            ArrayNode op = F.arrayNode();
            ArrayNode oa = F.arrayNode();
            for (Ir.Field o : outputs.values()) {
                if (isArtifact(o.type())) {
                    ObjectNode a = F.objectNode().put("name", o.name()).put("path", OUTPUTS_DIR + o.name());
                    if (o.type().isOptional()) {
                        // `Model?` that the step did not write: null, as locally, not a failed node
                        a.put("optional", true);
                    }
                    if (fan.contains(o.name())) {
                        // Collected by a loop: stored unarchived under a key the consumer lists as one directory.
                        a.set("s3", F.objectNode().put("key", "{{inputs.parameters.fs-key-" + o.name() + "}}"));
                        a.set("archive", F.objectNode().set("none", F.objectNode()));
                    }
                    oa.add(a);
                    if (program.isMetrics(o.type()) && c.resource() == null) {
                        op.add(metricsParameter(o));
                    }
                } else if (c.resource() != null) {
                    op.add(F.objectNode().put("name", o.name()).set("valueFrom", resourceOutput(c.resource(), o.name())));
                } else {
                    ObjectNode from = F.objectNode().put("path", OUTPUTS_DIR + o.name());
                    if (o.type().isOptional()) {
                        // `Int?` that the step did not write: the empty text, which is null, as locally
                        from.put("default", "");
                    }
                    op.add(F.objectNode().put("name", o.name()).set("valueFrom", from));
                }
            }
            putIfNotEmpty(out, "parameters", op);
            putIfNotEmpty(out, "artifacts", oa);
            putIfNotEmpty(t, "outputs", out);
            if (c.resource() != null) {
                t.set("resource", resource(c.resource()));
            } else {
                ObjectNode container = F.objectNode().put("image", c.image());
                ArrayNode env = F.arrayNode();
                if (c.script() != null) {
                    ArrayNode cmd = F.arrayNode();
                    c.script().interpreter().forEach(cmd::add);
                    container.set("command", cmd);
                    container.put("source", c.script().source());
                    for (Ir.Param p : c.inputs()) {
                        env.add(F.objectNode().put("name", p.name()).put("value", valueOf(p.name())));
                    }
                    for (Ir.Field o : outputs.values()) {
                        env.add(F.objectNode().put("name", o.name()).put("value", OUTPUTS_DIR + o.name()));
                    }
                } else if (c.command() != null) {
                    ArrayNode cmd = F.arrayNode();
                    for (Ir.CommandArg a : c.command()) {
                        cmd.add(arg(a));
                    }
                    container.set("command", cmd);
                }
                if (c.env() != null) {
                    for (Map.Entry<String, Ir.EnvValue> e : c.env().entrySet()) {
                        if (e.getValue() instanceof Ir.EnvSecret sec) {
                            ObjectNode ref = F.objectNode().put("name", sec.secret()).put("key", sec.key());
                            env.add(F.objectNode().put("name", e.getKey())
                                    .set("valueFrom", F.objectNode().set("secretKeyRef", ref)));
                        } else {
                            env.add(F.objectNode().put("name", e.getKey()).put("value", arg(((Ir.EnvText) e.getValue()).value())));
                        }
                    }
                }
                putIfNotEmpty(container, "env", env);
                ObjectNode res = resources(s.resources());
                if (res != null) {
                    container.set("resources", res);
                }
                ArrayNode mounts = F.arrayNode();
                ArrayNode volumes = F.arrayNode();
                if (!outputs.isEmpty()) {
                    mounts.add(F.objectNode().put("name", OUT_VOLUME)
                            .put("mountPath", OUTPUTS_DIR.substring(0, OUTPUTS_DIR.length() - 1)));
                    volumes.add(F.objectNode().put("name", OUT_VOLUME).set("emptyDir", F.objectNode()));
                }
                if (s.shm() != null) {
                    // a pod's /dev/shm is 64 MiB; PyTorch's DataLoader workers need more (KFP's empty_dir_mount)
                    mounts.add(F.objectNode().put("name", SHM_VOLUME).put("mountPath", "/dev/shm"));
                    volumes.add(F.objectNode().put("name", SHM_VOLUME)
                            .set("emptyDir", F.objectNode().put("medium", "Memory").put("sizeLimit", s.shm())));
                }
                int v = 0;
                for (Ir.Param p : c.inputs()) {
                    if (isVolume(p.type())) {
                        // the claim is the input parameter's value, so one template serves every claim
                        String volume = "fs-volume-" + v++;
                        boolean ro = readOnly.contains(p.name());
                        ObjectNode mount = mounts.addObject().put("name", volume).put("mountPath", VOLUMES_DIR + p.name());
                        ObjectNode claim = volumes.addObject().put("name", volume).putObject("persistentVolumeClaim")
                                .put("claimName", "{{inputs.parameters." + p.name() + "}}");
                        if (ro) {
                            mount.put("readOnly", true);
                            claim.put("readOnly", true);
                        }
                    }
                }
                putIfNotEmpty(container, "volumeMounts", mounts);
                putIfNotEmpty(t, "volumes", volumes);
                t.set(c.script() != null ? "script" : "container", container);
            }
            if (s.nodeSelector() != null && !s.nodeSelector().isEmpty()) {
                ObjectNode ns = F.objectNode();
                s.nodeSelector().forEach(ns::put);
                t.set("nodeSelector", ns);
            }
            if (s.tolerations() != null && !s.tolerations().isEmpty()) {
                ArrayNode tol = F.arrayNode();
                for (Ir.Toleration x : s.tolerations()) {
                    ObjectNode o = F.objectNode();
                    putText(o, "key", x.key());
                    putText(o, "operator", x.operator());
                    putText(o, "value", x.value());
                    putText(o, "effect", x.effect());
                    tol.add(o);
                }
                t.set("tolerations", tol);
            }
            if (s.retry() != null) {
                t.set("retryStrategy", retry(s.retry()));
            }
            if (s.timeoutSeconds() != null) {
                t.put("activeDeadlineSeconds", s.timeoutSeconds());
            }
            putMutexes(t, s.mutexes());
            // a cache hit would give the artifact at the earlier run's key, not at the place this run's list reads
            // nor a step with a volume: what it did to the claim's files is not in the cache, and they may have changed
            if (!Boolean.FALSE.equals(s.cache()) && !hasArtifacts && fan.isEmpty() && c.resource() == null
                    && c.inputs().stream().noneMatch(p -> isVolume(p.type()))) {
                t.set("memoize", memoize());
            }
            return t;
        }

        /**
         * The text of a {@code Metrics} output as an output parameter too, so that the Workflow's status carries
         * it to the run store without the artifact repository (see {@link #METRICS_PARAMETER}). An optional
         * output the step did not write gives an empty text, which records nothing.
         */
        private ObjectNode metricsParameter(Ir.Field o) {
            ObjectNode from = F.objectNode().put("path", OUTPUTS_DIR + o.name());
            if (o.type().isOptional()) {
                from.put("default", "");
            }
            return F.objectNode().put("name", METRICS_PARAMETER + o.name()).set("valueFrom", from);
        }

        /** Memoize key: the component digest and a hash of the input values; Argo requires a valid ConfigMap key. */
        private ObjectNode memoize() {
            StringBuilder key = new StringBuilder("fs-").append(c.digest(), 0, Math.min(12, c.digest().length()));
            List<String> values = new ArrayList<>();
            for (Ir.Param p : c.inputs()) {
                values.add("inputs.parameters" + Lit.key(p.name()));
            }
            if (!values.isEmpty()) {
                key.append("-{{=sprig.sha1sum(toJson([").append(String.join(", ", values)).append("]))}}");
            }
            ObjectNode m = F.objectNode().put("key", key.toString()).put("maxAge", options.memoizeMaxAge());
            m.set("cache", F.objectNode().set("configMap", F.objectNode().put("name", options.memoizeConfigMap())));
            return m;
        }

        /** The text an input gives inside argv or env: its value, or the path of an artifact. */
        private String valueOf(String input) {
            Ir.Param p = inputs.get(input);
            if (p == null) {
                throw new IllegalStateException("component " + c.name() + " has no input " + input);
            }
            if (isArtifactList(p.type())) {
                return "{{inputs.parameters." + input + "-paths}}";
            }
            if (isArtifact(p.type())) {
                return INPUTS_DIR + input;
            }
            if (isVolume(p.type())) {
                return VOLUMES_DIR + input;
            }
            if (holdsSecret()) {
                // Kubernetes would expand a value's $(TOKEN) to the secret: the step gets the value as given
                return "{{=sprig.replace('$', '$$', inputs.parameters" + Lit.key(input) + ")}}";
            }
            return "{{inputs.parameters." + input + "}}";
        }

        /**
         * Whether the container has a secret in its env. Kubernetes expands {@code $(NAME)} of an env variable in
         * command, args and env values, so a parameter {@code $(TOKEN)} would reach the step as the secret (and
         * back to whoever may submit with parameters but not read secrets); in such a container every value has
         * its {@code $} doubled, which Kubernetes turns back into the value. Elsewhere a value names nothing
         * secret, and keeps Argo's plain tag.
         */
        private boolean holdsSecret() {
            return c.env() != null && c.env().values().stream().anyMatch(v -> v instanceof Ir.EnvSecret);
        }

        private String arg(Ir.CommandArg a) {
            StringBuilder b = new StringBuilder();
            for (Ir.ArgPart part : a.parts()) {
                if (part instanceof Ir.Text tx) {
                    b.append(kubeLiteral(tx.text()));
                } else if (part instanceof Ir.InputValue iv) {
                    b.append(valueOf(iv.input()));
                } else if (part instanceof Ir.InputPath ipth) {
                    b.append(valueOf(ipth.input()));
                } else if (part instanceof Ir.OutputPath opth) {
                    b.append(OUTPUTS_DIR).append(opth.output());
                }
            }
            return b.toString();
        }

        /**
         * Constant text of {@code command} or an {@code env} value as Kubernetes passes it on: it expands {@code $(NAME)}
         * for a variable of the container's {@code env} and turns {@code $$} into {@code $}, where the engine passes the
         * text as written. Doubling every {@code $} gives the text back; text without {@code $(} or {@code $$} is
         * passed as it is, so {@code "$0"} stays readable.
         */
        private static String kubeLiteral(String text) {
            return text.contains("$(") || text.contains("$$") ? text.replace("$", "$$") : text;
        }

        /** Read from the created resource: the query the component gives, else the field of its status so named. */
        private static ObjectNode resourceOutput(Ir.ResourceSpec r, String output) {
            Ir.ResourceOutput q = r.outputs() == null ? null : r.outputs().get(output);
            if (q != null && q.jqFilter() != null) {
                return F.objectNode().put("jqFilter", q.jqFilter());
            }
            return F.objectNode().put("jsonPath", q != null && q.jsonPath() != null ? q.jsonPath() : "{.status." + output + "}");
        }

        private ObjectNode resource(Ir.ResourceSpec r) {
            ObjectNode res = F.objectNode().put("action", r.action() == null ? "create" : r.action());
            if (r.manifest() != null) {
                res.put("manifest", ManifestText.render(r.manifest(), inputs));
            }
            putText(res, "successCondition", r.successCondition());
            putText(res, "failureCondition", r.failureCondition());
            if (r.setOwnerReference()) {
                res.put("setOwnerReference", true);
            }
            return res;
        }
    }

    private static ObjectNode retry(Ir.Retry r) {
        ObjectNode o = F.objectNode();
        // IntOrString fields are written as strings: Argo's JSON schema types them as string.
        o.put("limit", String.valueOf(r.limit()));
        putText(o, "retryPolicy", r.policy());
        ObjectNode b = F.objectNode();
        if (r.backoffSeconds() != null) {
            b.put("duration", r.backoffSeconds() + "s");
        }
        if (r.backoffFactor() != null) {
            b.put("factor", String.valueOf(r.backoffFactor()));
        }
        if (r.maxBackoffSeconds() != null) {
            b.put("cap", r.maxBackoffSeconds() + "s");
        }
        putIfNotEmpty(o, "backoff", b);
        return o;
    }

    private static ObjectNode resources(Ir.Resources r) {
        if (r == null) {
            return null;
        }
        ObjectNode q = F.objectNode();
        putText(q, "cpu", r.cpu());
        putText(q, "memory", r.memory());
        if (r.gpu() != null && r.gpu() > 0) {
            q.put(r.gpuResource() != null ? r.gpuResource() : "nvidia.com/gpu", String.valueOf(r.gpu()));
        }
        if (q.isEmpty()) {
            return null;
        }
        // Requests equal limits: the pod gets the Guaranteed class and the scheduler what the step uses.
        return F.objectNode().<ObjectNode>set("requests", q).set("limits", q.deepCopy());
    }

    // --- assembling the objects ----------------------------------------------------------------------------

    private Lowered assemble(String entry, Ir.Dag root) {
        ObjectNode spec = F.objectNode();
        spec.put("entrypoint", entry);
        ObjectNode arguments = F.objectNode();
        ArrayNode params = F.arrayNode();
        ArrayNode arts = F.arrayNode();
        for (Ir.Param p : root.params()) {
            if (isArtifact(p.type())) {
                ObjectNode a = F.objectNode().put("name", p.name());
                if (p.defaultValue() != null && p.defaultValue().isTextual()) {
                    location(a, p.defaultValue().asText());
                } else if (p.type().isOptional()) {
                    a.put("optional", true);
                }
                arts.add(a);
            } else {
                ObjectNode o = F.objectNode().put("name", p.name());
                if (p.defaultValue() != null) {
                    String value = constText(p.defaultValue());
                    // Argo fills a template's inputs with the global values first, then reads the result
                    // as a template again: `{{workflow.name}}` or `{{=...}}` in a value is evaluated before
                    // the step sees it, and Argo has no escape for `{{` (a constant can be written as an
                    // expression's string literal; a workflow parameter can only be its text)
                    if (value.contains("{{")) {
                        error(root.pos(), "parameter `" + p.name() + "`: its value holds `{{`, which Argo reads as a"
                                + " template tag (`{{workflow.name}}`, `{{=...}}`) and replaces before any step sees it;"
                                + " Argo has no escape for it: pass such text in an artifact");
                    }
                    o.put("value", value);
                }
                if (p.doc() != null && !p.doc().isBlank()) {
                    o.put("description", p.doc());
                }
                params.add(o);
            }
        }
        largeConsts.forEach((k, v) -> params.add(F.objectNode().put("name", k).put("value", v)));
        putIfNotEmpty(arguments, "parameters", params);
        putIfNotEmpty(arguments, "artifacts", arts);
        putIfNotEmpty(spec, "arguments", arguments);
        if (exitTemplate != null) {
            spec.put("onExit", exitTemplate);
        }
        // the Workflow holds them from its start to its end, its exit handler included
        putMutexes(spec, root.mutexes());
        if (root.timeoutSeconds() != null) {
            // the Workflow's deadline: Argo fails it and stops its pods then, and still runs its onExit
            spec.put("activeDeadlineSeconds", root.timeoutSeconds());
        }
        putText(spec, "serviceAccountName", options.serviceAccountName());
        if (options.podGcStrategy() != null) {
            spec.set("podGC", F.objectNode().put("strategy", options.podGcStrategy()));
        }
        if (options.ttlSecondsAfterCompletion() != null) {
            spec.set("ttlStrategy", F.objectNode().put("secondsAfterCompletion", options.ttlSecondsAfterCompletion()));
        }
        if (options.artifactRepositoryRef() != null) {
            ObjectNode ref = F.objectNode();
            putText(ref, "configMap", options.artifactRepositoryRef().configMap());
            putText(ref, "key", options.artifactRepositoryRef().key());
            spec.set("artifactRepositoryRef", ref);
        }
        if (!options.podAnnotations().isEmpty()) {
            ObjectNode annotations = F.objectNode();
            options.podAnnotations().forEach(annotations::put);
            spec.putObject("podMetadata").set("annotations", annotations);
        }

        ObjectNode metadataLabels = labels();
        ObjectNode obj;
        switch (options.kind()) {
            case WORKFLOW -> {
                obj = object("Workflow", null, Names.dns(program.name(), Names.MAX_OBJECT - 6) + "-", metadataLabels);
                taskAnnotations((ObjectNode) obj.get("metadata").get("annotations"));
                obj.set("spec", spec);
            }
            case TEMPLATE -> {
                obj = object("WorkflowTemplate", Names.dns(program.name(), Names.MAX_OBJECT), null, metadataLabels);
                taskAnnotations((ObjectNode) obj.get("metadata").get("annotations"));
                obj.set("spec", spec);
            }
            default -> {
                obj = object("CronWorkflow", Names.dns(program.name(), Names.MAX_CRON), null, metadataLabels);
                ObjectNode cron = F.objectNode();
                ArrayNode sched = F.arrayNode();
                options.schedules().forEach(sched::add);
                if (sched.isEmpty()) {
                    error(root.pos(), "a CronWorkflow needs at least one schedule");
                }
                cron.set("schedules", sched);
                cron.set("workflowSpec", spec);
                ObjectNode workflowMetadata = F.objectNode();
                workflowMetadata.set("labels", metadataLabels.deepCopy());
                ObjectNode workflowAnnotations = F.objectNode();
                taskAnnotations(workflowAnnotations);
                putIfNotEmpty(workflowMetadata, "annotations", workflowAnnotations);
                cron.set("workflowMetadata", workflowMetadata);
                obj.set("spec", cron);
            }
        }

        // Split templates into WorkflowTemplates when one object would hold more templates or more bytes
        // than Argo and etcd accept: movable templates leave the main object (callees before callers, so a
        // library never calls back into it) until it fits, packed into libraries that fit themselves.
        String base = Names.dns(program.name(), Names.MAX_OBJECT);
        List<String> order = new ArrayList<>(templates.keySet());
        Map<String, Integer> home = new LinkedHashMap<>();
        order.forEach(t -> home.put(t, 0));
        Map<String, Long> sizes = new HashMap<>();
        long mainBytes = yamlBytes(obj) + SPLIT_MARGIN;
        for (String t : order) {
            long b = templateBytes(templates.get(t));
            sizes.put(t, b);
            mainBytes += b;
        }
        long budget = options.maxManifestBytes();
        long libOverhead = yamlBytes(libraryObject(base + "-" + irHash.substring(0, 8) + "-lib-999", metadataLabels,
                F.arrayNode())) + SPLIT_MARGIN;
        int mainCount = order.size();
        List<String> libNames = new ArrayList<>();
        int inLib = 0;
        long libBytes = 0;
        for (String t : movableOrder(entry)) {
            if (mainCount <= MAX_TEMPLATES && mainBytes <= budget) {
                break;
            }
            long b = sizes.get(t);
            if (libNames.isEmpty() || inLib == MAX_TEMPLATES || (inLib > 0 && libBytes + b > budget)) {
                libNames.add(Names.shorten(base + "-" + irHash.substring(0, 8) + "-lib-" + (libNames.size() + 1),
                        Names.MAX_OBJECT));
                inLib = 0;
                libBytes = libOverhead;
            }
            home.put(t, libNames.size());
            inLib++;
            libBytes += b;
            mainCount--;
            mainBytes -= b;
        }
        for (String t : order) {
            ObjectNode tpl = templates.get(t);
            if (tpl.has("dag")) {
                for (JsonNode task : tpl.get("dag").get("tasks")) {
                    retarget((ObjectNode) task, home.get(t), home, libNames);
                }
            }
        }
        List<ObjectNode> manifests = new ArrayList<>();
        for (int k = 1; k <= libNames.size(); k++) {
            ArrayNode tpls = F.arrayNode();
            for (String t : order) {
                if (home.get(t) == k) {
                    tpls.add(templates.get(t));
                }
            }
            manifests.add(libraryObject(libNames.get(k - 1), metadataLabels, tpls));
        }
        ArrayNode mainTemplates = F.arrayNode();
        for (String t : order) {
            if (home.get(t) == 0) {
                mainTemplates.add(templates.get(t));
            }
        }
        spec.set("templates", mainTemplates);
        manifests.add(obj);
        StringBuilder text = new StringBuilder();
        for (ObjectNode m : manifests) {
            String doc = ManifestText.write(m);
            if (text.length() > 0) {
                text.append("---\n");
            }
            text.append(doc);
            long bytes = doc.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > options.maxManifestBytes()) {
                diagnostics.add(Diagnostic.of(dev.freestone.diag.Code.E0701, span(root.pos()),
                        m.get("kind").asText() + " " + name(m) + " of " + human(bytes)
                                + (m == obj ? "" : " (one template that cannot be split further)"),
                        human(options.maxManifestBytes())));
            }
        }
        String yaml = text.toString();
        long size = yaml.getBytes(StandardCharsets.UTF_8).length;
        return new Lowered(manifests, yaml, size, pods, podsPerItem, Diagnostic.sorted(diagnostics));
    }

    /**
     * Room kept free when packing objects by their estimated size: the estimate (each template's YAML on its
     * own, plus its indentation inside {@code spec.templates}) is checked against the real text afterwards.
     */
    private static final long SPLIT_MARGIN = 4 * 1024;

    private ObjectNode libraryObject(String name, ObjectNode labels, ArrayNode tpls) {
        ObjectNode wt = object("WorkflowTemplate", name, null, labels);
        wt.set("spec", F.objectNode().set("templates", tpls));
        return wt;
    }

    private static String name(ObjectNode m) {
        JsonNode md = m.get("metadata");
        return md.has("name") ? md.get("name").asText() : md.get("generateName").asText() + "*";
    }

    private static long yamlBytes(JsonNode node) {
        return ManifestText.write(node).getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * A bound of a template's YAML inside a list at the depth of a CronWorkflow's templates (the deepest place
     * it goes), computed without writing it: the objects' YAML is written once, after the split.
     */
    static long templateBytes(ObjectNode template) {
        return ManifestText.itemBytesBound(template, 4);
    }

    /** Templates that may move out of the main object: leaves first, then DAGs, callees before callers. */
    private List<String> movableOrder(String entry) {
        List<String> leaves = new ArrayList<>();
        List<String> dags = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        postOrder(entry, seen, dags);
        if (exitTemplate != null) {
            postOrder(exitTemplate, seen, dags);
        }
        for (String t : templates.keySet()) {
            if (!seen.contains(t)) {
                dags.add(t);
            }
        }
        List<String> out = new ArrayList<>();
        for (String t : dags) {
            ObjectNode tpl = templates.get(t);
            if (!tpl.has("dag")) {
                leaves.add(t);
            }
        }
        out.addAll(leaves);
        for (String t : dags) {
            if (templates.get(t).has("dag") && !t.equals(entry) && !t.equals(exitTemplate)) {
                out.add(t);
            }
        }
        return out;
    }

    private void postOrder(String t, Set<String> seen, List<String> out) {
        if (!seen.add(t)) {
            return;
        }
        for (String c : calls.getOrDefault(t, Set.of())) {
            postOrder(c, seen, out);
        }
        out.add(t);
    }

    private static void retarget(ObjectNode task, int from, Map<String, Integer> home, List<String> libNames) {
        JsonNode exitHook = task.path("hooks").path("exit");
        if (exitHook.has("template") && home.get(exitHook.get("template").asText()) != null
                && home.get(exitHook.get("template").asText()) != from) {
            int to = home.get(exitHook.get("template").asText());
            if (to == 0) {
                throw new IllegalStateException("template " + exitHook.get("template").asText()
                        + " stayed in the main object but is called from a library");
            }
            ObjectNode hook = (ObjectNode) exitHook;
            ObjectNode ref = F.objectNode().put("name", libNames.get(to - 1)).put("template", hook.get("template").asText());
            ObjectNode copy = hook.deepCopy();
            hook.removeAll();
            hook.set("templateRef", ref);
            copy.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("template")) {
                    hook.set(e.getKey(), e.getValue());
                }
            });
        }
        for (String field : List.of("template", "onExit")) {
            if (!task.has(field)) {
                continue;
            }
            String callee = task.get(field).asText();
            Integer to = home.get(callee);
            if (to == null || to == from) {
                continue;
            }
            if (to == 0) {
                throw new IllegalStateException("template " + callee + " stayed in the main object but is called from a library");
            }
            if (field.equals("template")) {
                task.remove("template");
                ObjectNode ref = F.objectNode().put("name", libNames.get(to - 1)).put("template", callee);
                // keep the key order: name, templateRef, then the rest
                ObjectNode copy = task.deepCopy();
                task.removeAll();
                task.set("name", copy.get("name"));
                task.set("templateRef", ref);
                copy.fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("name")) {
                        task.set(e.getKey(), e.getValue());
                    }
                });
            }
        }
    }

    /**
     * How the Argo backend maps nodes back to IR task ids (docs/argo-backend.md, "conventions"):
     * renamed tasks and the names of loop, conditional and split-body wrappers. Only written when
     * there is something to say.
     */
    private void taskAnnotations(ObjectNode annotations) {
        if (!taskIds.isEmpty()) {
            ObjectNode ids = F.objectNode();
            taskIds.forEach(ids::put);
            annotations.put(TASK_IDS_ANNOTATION, ids.toString());
        }
        if (!wrappers.isEmpty()) {
            ArrayNode names = F.arrayNode();
            wrappers.forEach(names::add);
            annotations.put(WRAPPERS_ANNOTATION, names.toString());
        }
    }

    private ObjectNode labels() {
        ObjectNode l = F.objectNode();
        l.put("freestone.dev/pipeline", Names.dns(program.name(), 63));
        l.put("freestone.dev/ir-hash", irHash.substring(0, Math.min(16, irHash.length())));
        return l;
    }

    private ObjectNode object(String kind, String name, String generateName, ObjectNode labels) {
        ObjectNode o = F.objectNode();
        o.put("apiVersion", "argoproj.io/v1alpha1");
        o.put("kind", kind);
        ObjectNode md = F.objectNode();
        putText(md, "name", name);
        putText(md, "generateName", generateName);
        putText(md, "namespace", options.namespace());
        md.set("labels", labels.deepCopy());
        ObjectNode ann = F.objectNode().put("freestone.dev/ir-hash", irHash);
        String source = options.sourceFile() != null ? options.sourceFile() : original.sourceFile();
        putText(ann, "freestone.dev/source", source);
        md.set("annotations", ann);
        o.set("metadata", md);
        return o;
    }

    // --- small things --------------------------------------------------------------------------------------

    boolean isArtifact(IrType type) {
        return program.isArtifact(type);
    }

    /** How a value of {@code type} travels between templates: a list of artifacts as its tree and key prefix (FAN). */
    private InKind kindOf(IrType type) {
        return isArtifactList(type) ? InKind.FAN : isArtifact(type) ? InKind.ART : InKind.PARAM;
    }

    /** A list of artifacts, or of such lists ({@code List[List[Model]]} from nested loops). */
    boolean isArtifactList(IrType type) {
        IrType t = type.stripOptional();
        return t.isList() && (isArtifact(t.element()) || isArtifactList(t.element()));
    }

    private boolean isStruct(IrType type) {
        return program.structs() != null && program.structs().containsKey(type.stripOptional().spelling());
    }

    private static boolean isInt(IrType t) {
        return t.stripOptional().spelling().equals("Int");
    }

    private static String describe(Refs.Ref r) {
        return switch (r.kind()) {
            case PARAM -> r.a();
            case OUTPUT -> r.a() + "." + r.b();
            case ITEM -> "the item of " + r.a();
        };
    }

    private void error(Ir.Pos pos, String message) {
        diagnostics.add(Diagnostic.of(dev.freestone.diag.Code.E0703, span(pos), message));
    }

    private Span span(Ir.Pos pos) {
        String file = options.sourceFile() != null ? options.sourceFile()
                : original.sourceFile() != null ? original.sourceFile() : program.name() + ".pipe";
        if (pos == null) {
            return Span.synthetic(file);
        }
        Source src = new Source(pos.file() != null ? pos.file() : file, "");
        return new Span(src, 0, 0, Math.max(1, pos.line()), Math.max(1, pos.column()), Math.max(1, pos.line()),
                Math.max(1, pos.column()));
    }

    static String human(long bytes) {
        if (bytes >= 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.2f MiB", bytes / (1024.0 * 1024.0));
        }
        if (bytes >= 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return bytes + " bytes";
    }

    private static ArrayNode array(ObjectNode o, String field) {
        return o.withArray(field);
    }

    private static void putIfNotEmpty(ObjectNode o, String field, JsonNode value) {
        if (value != null && !value.isEmpty()) {
            o.set(field, value);
        }
    }

    private static void putText(ObjectNode o, String field, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(field, value);
        }
    }

}
