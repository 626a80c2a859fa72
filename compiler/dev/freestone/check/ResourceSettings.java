package dev.freestone.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freestone.check.ComponentSettings.CommandArg;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.DidYouMean;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates {@code resource { ... }} and {@code local { ... }}, the settings of a component that creates a
 * Kubernetes object (a SparkApplication, a TFJob, an InferenceService, ...) rather than running a container:
 *
 * <pre>
 * resource {
 *   action   = "create"                    // Argo's: create apply replace patch delete get
 *   manifest = """ YAML with ${input} """   // parameter inputs only
 *   success  = "status.completionTime"      // Argo conditions (label-selector syntax over the object's JSON)
 *   failure  = "status.conditions.0.type == Failed, ..."
 *   owner    = true                         // setOwnerReference: deleting the workflow deletes the object
 *   outputs  { url = "{.status.url}" }      // every output: a JSONPath ({...}) or a jq filter
 * }
 * local { command = [...] | script = python """...""" | unavailable = "why" }
 * requires = ["spark-submit"]                // programs the local run needs on the PATH (any component)
 * </pre>
 */
final class ResourceSettings {
    static final List<String> RESOURCE_KEYS = List.of("action", "manifest", "success", "failure", "owner", "outputs");
    static final List<String> LOCAL_KEYS = List.of("command", "args", "script", "unavailable");
    static final List<String> ACTIONS = List.of("create", "apply", "replace", "patch", "delete", "get");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Settings settings;
    private final Ctx ctx;

    ResourceSettings(Settings settings, Ctx ctx) {
        this.settings = settings;
        this.ctx = ctx;
    }

    ComponentSettings.Resource component(Symbol.Component c, Ast.Option resource, Ast.Option local,
                                         Map<String, Ast.Option> seen, Set<String> used) {
        if (resource == null) {
            ctx.report(Diagnostic.of(Code.E0502, Settings.keySpan(local), c.name(), "has `local` but no `resource`")
                    .withHelp("`local { ... }` says how this machine runs a `resource` component; a container "
                            + "component runs its own `command` or `script`"));
            local(c, local, seen.get("env"), used);
            return null;
        }
        for (String k : List.of("command", "args", "script")) {
            if (seen.containsKey(k)) {
                ctx.report(Diagnostic.of(Code.E0502, Settings.keySpan(seen.get(k)), c.name(), "has both `resource` and `" + k + "`")
                        .withHelp("a resource component runs no container; say how to run it locally with `local { " + k + " = ... }`"));
            }
        }
        if (!(resource instanceof Ast.BlockOption block)) {
            settings.wrongShape(resource, "resource", "a block `resource { manifest = \"\"\"...\"\"\" ... }`");
            return null;
        }
        String action = "create";
        JsonNode manifest = null;
        String success = null;
        String failure = null;
        boolean owner = true;
        TreeMap<String, ComponentSettings.ResourceQuery> outputs = new TreeMap<>();
        Set<String> written = new java.util.HashSet<>();
        for (Settings.Entry e : blockEntries(block, "resource", RESOURCE_KEYS)) {
            String setting = "resource." + e.key();
            switch (e.key()) {
                case "action" -> {
                    String a = settings.constantString(e.value(), setting);
                    if (a != null && !ACTIONS.contains(a)) {
                        ctx.report(Diagnostic.of(Code.E0503, e.value().span(), setting, "one of " + String.join(", ", ACTIONS), a,
                                DidYouMean.help(a, ACTIONS, "use one of " + String.join(", ", ACTIONS))));
                    } else if (a != null) {
                        action = a;
                    }
                }
                case "manifest" -> manifest = manifest(e, c, used);
                case "success" -> success = condition(e);
                case "failure" -> failure = condition(e);
                case "owner" -> {
                    Boolean b = settings.bool(e.option(), setting);
                    owner = b == null || b;
                }
                case "outputs" -> {
                    for (Settings.Entry q : settings.entries(e.option(), setting)) {
                        written.add(q.key());
                        query(q, c, outputs);
                    }
                }
                default -> throw new IllegalStateException(e.key());
            }
        }
        if (manifest == null && !hasKey(block, "manifest")) {
            ctx.report(Diagnostic.of(Code.E0502, Settings.keySpan(resource), c.name(), "has a `resource` without `manifest`")
                    .withHelp("write `manifest = \"\"\"` and the object in YAML, with `${input}` where an input goes"));
        }
        for (Symbol.Output o : c.outputs()) {
            if (Type.isArtifact(o.type())) {
                ctx.report(Diagnostic.of(Code.E0502, o.span(), c.name(), "creates a resource, which cannot write "
                        + "the artifact `" + o.name() + "`").withHelp("output its location as a String instead, e.g. "
                        + "`" + o.name() + "_uri: String`, read from the resource in `outputs { ... }`"));
            } else if (!written.contains(o.name())) {
                ctx.report(Diagnostic.of(Code.E0502, o.span(), c.name(), "does not say where its output `" + o.name()
                        + "` comes from").withHelp("add `outputs { " + o.name() + " = \"{.status.field}\" }` to `resource` "
                        + "(a JSONPath in braces, or a jq filter)"));
            }
        }
        ComponentSettings.Local l = local == null ? null : local(c, local, seen.get("env"), used);
        return new ComponentSettings.Resource(action, manifest, success, failure, owner, outputs, l);
    }

    private static boolean hasKey(Ast.BlockOption b, String key) {
        return b.options().stream().anyMatch(o -> Settings.keyOf(o).equals(key));
    }

    /**
     * The settings of a block with known keys (unknown and repeated keys reported): values, or nested blocks
     * (entry value null) where {@code blocks} allows them.
     */
    private List<Settings.Entry> blockEntries(Ast.BlockOption block, String setting, List<String> keys) {
        List<Settings.Entry> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Ast.Option o : block.options()) {
            String key = Settings.keyOf(o);
            if (key.isEmpty()) {
                continue;
            }
            if (!keys.contains(key)) {
                settings.unknownSetting(o, setting + "." + key, keys, "settings of `" + setting + "` are: ");
            } else if (!seen.add(key)) {
                ctx.report(Diagnostic.of(Code.E0505, Settings.keySpan(o), setting + "." + key));
            } else if (o instanceof Ast.ValueOption v) {
                out.add(new Settings.Entry(key, v.key().span(), v.value(), o));
            } else if (o instanceof Ast.BlockOption b && key.equals("outputs")) {
                out.add(new Settings.Entry(key, b.key().span(), null, o));
            } else {
                settings.wrongShape(o, setting + "." + key, key.equals("outputs") ? "a block" : "a value");
            }
        }
        return out;
    }

    private JsonNode manifest(Settings.Entry e, Symbol.Component c, Set<String> used) {
        String text = settings.constantString(e.value(), "resource.manifest");
        if (text == null) {
            return null;
        }
        JsonNode m;
        try {
            m = YAML.readTree(text);
        } catch (java.io.IOException | RuntimeException ex) {
            String why = ex.getMessage() == null ? "invalid YAML" : ex.getMessage().lines().findFirst().orElse("invalid YAML");
            ctx.report(Diagnostic.of(Code.E0503, e.value().span(), "resource.manifest", "a Kubernetes object in YAML",
                    "invalid YAML", why));
            return null;
        }
        List<String> missing = new ArrayList<>();
        if (m == null || !m.isObject()) {
            missing.add("an object");
        } else {
            for (String f : List.of("apiVersion", "kind")) {
                if (!m.path(f).isTextual() || m.path(f).asText().isBlank()) {
                    missing.add("`" + f + "`");
                }
            }
            if (!m.path("metadata").path("name").isTextual() && !m.path("metadata").path("generateName").isTextual()) {
                missing.add("`metadata.name` or `metadata.generateName`");
            }
        }
        if (!missing.isEmpty()) {
            ctx.report(Diagnostic.of(Code.E0503, e.value().span(), "resource.manifest", "a Kubernetes object in YAML",
                    "no " + String.join(", no ", missing), "a manifest has `apiVersion`, `kind` and `metadata` with a "
                            + "`name` or a `generateName`"));
            return null;
        }
        placeholders(m, e.value().span(), c, used);
        return m;
    }

    /** Every {@code ${name}} in the manifest's strings names a parameter input. */
    private void placeholders(JsonNode node, Span manifest, Symbol.Component c, Set<String> used) {
        if (node.isTextual()) {
            Matcher m = PLACEHOLDER.matcher(node.asText());
            while (m.find()) {
                String name = m.group(1);
                Span at = spanOf(manifest, m.group());
                Symbol.Input input = c.inputs().stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
                if (input == null) {
                    List<String> names = c.inputs().stream().map(Symbol.Input::name).toList();
                    ctx.report(Diagnostic.of(Code.E0101, at, name).withHelp(DidYouMean.help(name, names,
                            "a manifest can use the inputs of `" + c.name() + "`: " + Ctx.list(names))));
                } else if (Type.isArtifact(input.type())) {
                    ctx.report(Diagnostic.of(Code.E0503, at, "resource.manifest", "a parameter input", name + ": "
                            + input.type().display(), "a resource cannot read a file; pass its location as a String"));
                } else {
                    used.add(name);
                }
            }
        }
        node.forEach(child -> placeholders(child, manifest, c, used));
    }

    /** The first place of {@code text} inside the span, for a caret under the placeholder itself. */
    private static Span spanOf(Span whole, String text) {
        int i = whole.text().indexOf(text);
        return i < 0 ? whole : Span.of(whole.source(), whole.start() + i, whole.start() + i + text.length());
    }

    private String condition(Settings.Entry e) {
        String setting = "resource." + e.key();
        String text = settings.constantString(e.value(), setting);
        if (text == null) {
            return null;
        }
        List<String> problems = ArgoCondition.problems(text);
        if (!problems.isEmpty()) {
            ctx.report(Diagnostic.of(Code.E0503, e.value().span(), setting, "an Argo resource condition", text,
                    problems.get(0) + "; write requirements such as `status.phase == Done`, `status.completionTime` "
                            + "(exists) or `status.state in (A,B)`, separated by commas"));
            return null;
        }
        return text;
    }

    private void query(Settings.Entry q, Symbol.Component c, TreeMap<String, ComponentSettings.ResourceQuery> outputs) {
        String setting = "resource.outputs." + q.key();
        if (c.outputs().stream().noneMatch(o -> o.name().equals(q.key()))) {
            List<String> names = c.outputs().stream().map(Symbol.Output::name).toList();
            ctx.report(Diagnostic.of(Code.E0110, q.keySpan(), setting, Ctx.list(names))
                    .withHelp(DidYouMean.help(q.key(), names, "the outputs of `" + c.name() + "` are: " + Ctx.list(names))));
            return;
        }
        String text = settings.constantString(q.value(), setting);
        if (text == null) {
            return;
        }
        String t = text.strip();
        if (t.isEmpty()) {
            ctx.report(Diagnostic.of(Code.E0503, q.value().span(), setting, "a JSONPath or a jq filter", "\"\"",
                    "write `\"{.status.url}\"` (JSONPath) or `\".status.url\"` (jq)"));
            return;
        }
        outputs.put(q.key(), t.startsWith("{") ? new ComponentSettings.ResourceQuery(t, null)
                : new ComponentSettings.ResourceQuery(null, t));
    }

    private ComponentSettings.Local local(Symbol.Component c, Ast.Option local, Ast.Option env, Set<String> used) {
        if (!(local instanceof Ast.BlockOption block)) {
            settings.wrongShape(local, "local", "a block `local { command = [...] }`");
            return null;
        }
        List<CommandArg> command = null;
        List<CommandArg> args = List.of();
        ComponentSettings.Script script = null;
        String unavailable = null;
        List<String> ways = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        Ast.Option commandOption = null;
        Ast.Option argsOption = null;
        for (Ast.Option o : block.options()) {
            String key = Settings.keyOf(o);
            if (key.isEmpty()) {
                continue;
            }
            if (!seen.add(key)) {
                ctx.report(Diagnostic.of(Code.E0505, Settings.keySpan(o), "local." + key));
                continue;
            }
            switch (key) {
                case "command" -> {
                    command = settings.argv(o, "local.command", c, used);
                    commandOption = o;
                    ways.add(key);
                }
                case "args" -> {
                    args = settings.argv(o, "local.args", c, used);
                    argsOption = o;
                }
                case "script" -> {
                    if (o instanceof Ast.ScriptOption s) {
                        script = settings.script(s);
                        CodeSplices.checkScript(ctx, c, env, s);
                        // a script reads every input from its environment
                        c.inputs().forEach(i -> used.add(i.name()));
                    } else {
                        settings.wrongShape(o, "local.script", "`script = INTERPRETER \"\"\"...\"\"\"`");
                    }
                    ways.add(key);
                }
                case "unavailable" -> {
                    if (o instanceof Ast.ValueOption v) {
                        unavailable = settings.constantString(v.value(), "local.unavailable");
                    } else {
                        settings.wrongShape(o, "local.unavailable", "a String saying why");
                    }
                    ways.add(key);
                }
                default -> settings.unknownSetting(o, "local." + key, LOCAL_KEYS, "settings of `local` are: ");
            }
        }
        if (ways.size() != 1) {
            ctx.report(Diagnostic.of(Code.E0502, Settings.keySpan(local), c.name(), ways.isEmpty()
                    ? "has a `local` block without `command`, `script` or `unavailable`"
                    : "has a `local` block with " + String.join(" and ", ways.stream().map(w -> "`" + w + "`").toList()))
                    .withHelp("give `local` exactly one of `command`, `script` and `unavailable = \"why\"`"));
        }
        if (command != null) {
            command = new ArrayList<>(command);
            command.addAll(args);
            CodeSplices.check(ctx, c, env, commandOption, argsOption);
        }
        return new ComponentSettings.Local(command, script, unavailable);
    }

    /** {@code requires = ["papermill"]}: program names. */
    List<String> programs(Ast.Option o) {
        List<String> out = new ArrayList<>();
        if (!(o instanceof Ast.ValueOption v) || !(v.value() instanceof Ast.ListLit list)) {
            if (o instanceof Ast.ValueOption v) {
                settings.wrong(v.value(), "requires", "a List of program names", "write `requires = [\"spark-submit\"]`");
            } else {
                settings.wrongShape(o, "requires", "a List of program names");
            }
            return out;
        }
        ctx.checked.types.put(list, new Type.ListOf(Type.STRING));
        for (Ast.Expr item : list.elements()) {
            String p = settings.constantString(item, "requires");
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }
}
