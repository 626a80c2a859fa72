package dev.freestone.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.check.ComponentSettings.ArgPart;
import dev.freestone.check.ComponentSettings.CommandArg;
import dev.freestone.check.ComponentSettings.EnvValue;
import dev.freestone.diag.ArgoWords;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.DidYouMean;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates and normalizes component settings and call-site {@code with { ... }} overrides. Settings
 * are constants, except that a component's {@code command}, {@code args} and {@code env} may name
 * its inputs (a value, or an artifact's path) and outputs (the path to write).
 */
final class Settings {
    /** A DNS-1123 subdomain, what Kubernetes accepts as a Secret's or a PersistentVolumeClaim's name. */
    static final Pattern OBJECT_NAME =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** What Kubernetes accepts as a key of a Secret's data. */
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

    static final List<String> COMPONENT_KEYS = List.of("image", "command", "args", "script", "env", "resources",
            "node_selector", "tolerations", "shm", "retry", "timeout", "cache", "mutex", "requires", "resource", "local");
    static final List<String> OVERRIDE_KEYS = List.of("retry", "timeout", "cache", "mutex", "resources", "node_selector",
            "tolerations", "shm", "env", "image");
    /** What a pipeline's own {@code with { ... }} may set: what holds for the whole pipeline. */
    static final List<String> PIPELINE_KEYS = List.of("mutex", "timeout");
    /**
     * A mutex's name: it names a lock file locally ({@code $FREESTONE_HOME/locks/<name>.lock}) and is part of Argo's lock
     * key ({@code <namespace>/Mutex/<name>}), so no {@code /}, and lower case so that a case-insensitive file system
     * and Argo tell the same names apart.
     */
    static final Pattern MUTEX_NAME = Pattern.compile("[a-z0-9][-._a-z0-9]{0,62}");
    static final List<String> RESOURCE_KEYS = List.of("cpu", "memory", "gpu", "gpu_resource");
    static final List<String> RETRY_KEYS = List.of("limit", "backoff", "factor", "max_backoff", "policy");
    static final List<String> RETRY_POLICIES = List.of("Always", "OnFailure", "OnError", "OnTransientError");
    static final List<String> TOLERATION_KEYS = List.of("key", "operator", "value", "effect");
    static final List<String> TOLERATION_OPERATORS = List.of("Exists", "Equal");
    static final List<String> TOLERATION_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    /**
     * An OCI image reference as the kubelet parses it (distribution/reference): an optional registry
     * host[:port], lower-case path components, an optional tag and an optional digest.
     */
    private static final Pattern IMAGE_REFERENCE;

    static {
        String host = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*";
        String domain = "(?:" + host + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
        String component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
        String name = "(?:" + domain + "/)?" + component + "(?:/" + component + ")*";
        IMAGE_REFERENCE = Pattern.compile("(" + name + ")(?::[\\w][\\w.-]{0,127})?"
                + "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]+))?");
    }

    /** The hex length of the digests the OCI image spec registers; their hex is lower case. */
    private static final Map<String, Integer> DIGEST_LENGTHS = Map.of("sha256", 64, "sha384", 96, "sha512", 128);

    /** A Kubernetes quantity: a decimal number with an optional binary, decimal or exponent suffix. */
    static final Pattern QUANTITY = Pattern.compile(
            "\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");

    private final Ctx ctx;
    private final Module module;
    /** Types the values of settings that are plain constants. */
    private final Exprs constants;

    Settings(Ctx ctx, Module module) {
        this.ctx = ctx;
        this.module = module;
        this.constants = new Exprs(ctx, module, Exprs.NOTHING, "settings are constants; only `command`, `args` and `env` "
                + "of a component may name its inputs and outputs");
    }

    /** One `key = value` of a block or of a map literal written in its place. */
    record Entry(String key, Span keySpan, Ast.Expr value, Ast.Option option) {
    }

    static String keyOf(Ast.Option o) {
        if (o instanceof Ast.ScriptOption) {
            return "script";
        }
        if (o instanceof Ast.ValueOption v) {
            return v.key().name();
        }
        return ((Ast.BlockOption) o).key().name();
    }

    static Span keySpan(Ast.Option o) {
        if (o instanceof Ast.ValueOption v) {
            return v.key().span();
        }
        if (o instanceof Ast.BlockOption b) {
            return b.key().span();
        }
        Span s = o.span();
        return Span.of(s.source(), s.start(), Math.min(s.end(), s.start() + "script".length()));
    }

    // --- components ----------------------------------------------------------------------------------------

    /** Validates a component's settings; {@code usedInputs} collects the inputs its command, args and env name. */
    ComponentSettings component(Symbol.Component c, Set<String> usedInputs) {
        String image = null;
        List<CommandArg> command = null;
        List<CommandArg> args = List.of();
        boolean hasArgs = false;
        ComponentSettings.Script script = null;
        Ast.Option scriptOption = null;
        Map<String, EnvValue> env = new TreeMap<>();
        Map<String, Ast.Option> seen = firstOfEachKey(c.decl().options());
        OverrideBuilder ob = new OverrideBuilder();
        Ast.Option resourceOption = null;
        Ast.Option localOption = null;
        List<String> requires = List.of();
        // a misspelt `command` or `image` (`comand`, KFP's `base_image`) by the setting it stands for
        Map<String, Ast.Option> misspelt = new HashMap<>();
        for (Map.Entry<String, Ast.Option> setting : seen.entrySet()) {
            String key = setting.getKey();
            Ast.Option o = setting.getValue();
            switch (key) {
                case "image" -> image = image(o);
                case "command" -> command = argv(o, "command", c, usedInputs);
                case "args" -> {
                    args = argv(o, "args", c, usedInputs);
                    hasArgs = true;
                }
                case "script" -> {
                    if (o instanceof Ast.ScriptOption s) {
                        script = script(s);
                        scriptOption = o;
                    } else {
                        wrongShape(o, "script", "`script = INTERPRETER \"\"\"...\"\"\"`");
                    }
                }
                case "requires" -> requires = new ResourceSettings(this, ctx).programs(o);
                case "resource" -> resourceOption = o;
                case "local" -> localOption = o;
                case "env" -> {
                    for (Entry e : entries(o, "env")) {
                        EnvValue v = envValue(e, c, usedInputs);
                        if (v != null) {
                            env.put(e.key(), v);
                        }
                    }
                }
                default -> {
                    if (!ob.accept(o, key)) {
                        String meant = standsFor(key);
                        if (meant != null) {
                            misspelt.putIfAbsent(meant, o);
                        }
                        if (meant != null && ARGV_SETTINGS.contains(meant)) {
                            // its value is the argv or environment it meant: the inputs there are neither unknown
                            // names nor unused, as for a `command` of the wrong shape (one mistake, one diagnostic)
                            reportUnknownSetting(o, key, COMPONENT_KEYS, "settings of a component are: ");
                            c.inputs().forEach(i -> usedInputs.add(i.name()));
                        } else {
                            unknownSetting(o, key, COMPONENT_KEYS, "settings of a component are: ");
                        }
                    }
                }
            }
        }
        Span name = c.decl().name().span();
        // a resource component runs no container: its `local { ... }` replaces command and script
        ComponentSettings.Resource resource = resourceOption == null && localOption == null ? null
                : new ResourceSettings(this, ctx).component(c, resourceOption, localOption, seen, usedInputs);
        if (resourceOption != null && seen.containsKey("shm")) {
            ctx.report(Diagnostic.of(Code.E0502, keySpan(seen.get("shm")), c.name(), "has `shm` but runs no container (it has `resource`)")
                    .withHelp("the pods the object makes are in its `resource { manifest }`: give their volumes there"));
        }
        if (resourceOption != null) {
            c.inputs().stream().filter(in -> in.type() instanceof Type.Volume).findFirst().ifPresent(in -> ctx.report(
                    Diagnostic.of(Code.E0502, in.span(), c.name(), "has a `Volume` input `" + in.name()
                                    + "` but runs no container to mount it in (it has `resource`)")
                            .withHelp("the pods the object makes are in its `resource { manifest }`: name the claim there")));
            return new ComponentSettings(image, null, List.of(), null, new TreeMap<>(env), ob.build(null, null), resource, requires);
        }
        // a misspelt setting (or KFP's `base_image`) is told as such (E0110): that one mistake is not also a missing one
        if (image == null && !seen.containsKey("image") && !misspelt.containsKey("image")) {
            ctx.report(Diagnostic.of(Code.E0502, name, c.name(), "has no `image`"));
        }
        boolean hasCommand = seen.containsKey("command");
        if (hasCommand && scriptOption != null) {
            ctx.report(Diagnostic.of(Code.E0502, keySpan(scriptOption), c.name(), "has both `command` and `script`"));
        } else if (!hasCommand && !seen.containsKey("script") && !misspelt.containsKey("command") && !misspelt.containsKey("script")) {
            ctx.report(Diagnostic.of(Code.E0502, name, c.name(), "has neither `command` nor `script`"));
        }
        if (hasArgs && !hasCommand && seen.containsKey("script")) {
            ctx.report(Diagnostic.of(Code.E0502, keySpan(seen.get("args")), c.name(), "has `args` but no `command`")
                    .withHelp("a script reads its inputs from the environment; `args` extend a `command`"));
        }
        if (script != null) {
            // a script reads every input from its environment
            c.inputs().forEach(i -> usedInputs.add(i.name()));
        }
        CodeSplices.check(ctx, c, seen.get("env"), seen.get("command"), seen.get("args"));
        if (scriptOption instanceof Ast.ScriptOption s) {
            CodeSplices.checkScript(ctx, c, seen.get("env"), s);
            if (CodeSplices.isPython(s)) {
                dollarsInPython(s, c);
            }
        }
        return new ComponentSettings(image, hasCommand ? (command == null ? List.of() : command) : null, args, script,
                new TreeMap<>(env), ob.build(null, null), resource, requires);
    }

    /** Validates a call site's {@code with { ... }}. */
    ComponentSettings.Overrides overrides(List<Ast.Option> options) {
        OverrideBuilder ob = new OverrideBuilder();
        Map<String, EnvValue> env = null;
        String image = null;
        for (Map.Entry<String, Ast.Option> setting : firstOfEachKey(options).entrySet()) {
            String key = setting.getKey();
            Ast.Option o = setting.getValue();
            if (key.equals("image")) {
                image = image(o);
            } else if (key.equals("env")) {
                env = new TreeMap<>();
                for (Entry e : entries(o, "env")) {
                    EnvValue v = envValue(e, null, null);
                    if (v != null) {
                        env.put(e.key(), v);
                    }
                }
            } else if (!ob.accept(o, key)) {
                unknownSetting(o, key, OVERRIDE_KEYS, "a call can override: ");
            }
        }
        return ob.build(env == null ? null : new TreeMap<>(env), image);
    }

    /** What a pipeline's own {@code with { ... }} sets: the mutexes it holds (none: empty), its timeout (none: null). */
    record PipelineSettings(List<String> mutexes, Long timeoutSeconds) {
    }

    /** Validates a pipeline's own {@code with { ... }}. */
    PipelineSettings pipeline(List<Ast.Option> options) {
        List<String> mutexes = List.of();
        Long timeout = null;
        for (Map.Entry<String, Ast.Option> setting : firstOfEachKey(options).entrySet()) {
            String key = setting.getKey();
            Ast.Option o = setting.getValue();
            if (key.equals("mutex")) {
                List<String> m = mutexes(o);
                mutexes = m == null ? List.of() : m;
            } else if (key.equals("timeout")) {
                timeout = positiveDuration(o, "timeout");
            } else if (OVERRIDE_KEYS.contains(key) || COMPONENT_KEYS.contains(key)) {
                ctx.report(Diagnostic.of(Code.E0110, keySpan(o), key, String.join(", ", PIPELINE_KEYS))
                        .withHelp("`" + key + "` is a setting of a step: write it in its components or in a call's"
                                + " `with { ... }`; a pipeline's own `with { ... }` can set: " + String.join(", ", PIPELINE_KEYS)));
                checkConstant(o);
            } else {
                unknownSetting(o, key, PIPELINE_KEYS, "a pipeline's `with { ... }` can set: ");
            }
        }
        return new PipelineSettings(mutexes, timeout);
    }

    /** A duration above zero: a deadline of none would stop the step or run as it starts (Argo's activeDeadlineSeconds is >= 1). */
    private Long positiveDuration(Ast.Option o, String setting) {
        Long seconds = duration(o, setting);
        if (seconds != null && seconds <= 0) {
            Ast.Expr e = ((Ast.ValueOption) o).value();
            ctx.report(Diagnostic.of(Code.E0503, e.span(), setting, "a Duration above zero", e.span().text(),
                    "write a duration such as `30m` or `6h`; leave `" + setting + "` out for none"));
            return null;
        }
        return seconds;
    }

    /** Each key's first setting, in the order written (a nameless one left out); a key given again is E0505 there. */
    private Map<String, Ast.Option> firstOfEachKey(List<Ast.Option> options) {
        Map<String, Ast.Option> first = new LinkedHashMap<>();
        for (Ast.Option o : options) {
            String key = keyOf(o);
            if (!key.isEmpty() && first.putIfAbsent(key, o) != null) {
                ctx.report(Diagnostic.of(Code.E0505, keySpan(o), key));
            }
        }
        return first;
    }

    /** KFP's words for settings (`@dsl.component(base_image=...)`, `set_caching_options`), with what is written here. */
    private static final Map<String, String> KFP_SETTINGS = Map.of(
            "base_image", "write `image = \"...\"`: KFP's `base_image` is the component's `image`",
            "target_image", "write `image = \"...\"`: the image is built outside Freestone and named here",
            "packages_to_install", "the image holds the packages (build one with them, or name one that has them in"
                    + " `image`); a local run uses the `python3` on your PATH",
            "enable_caching", "write `cache = false` (in the component, or at the call: `with { cache = false }`)",
            "caching", "write `cache = false` (in the component, or at the call: `with { cache = false }`)");

    /**
     * Other words a user writes for a setting, by the setting meant: nearer by spelling to another (`retries` is as near
     * to `requires` as to `retry`), so asked before the closest name is; KFP's `caching` is among {@link #KFP_SETTINGS}.
     */
    private static final Map<String, String> SYNONYMS = Map.of(
            "retries", "retry", "timeouts", "timeout", "env_vars", "env", "environment", "env", "env_variables", "env",
            "node_selectors", "node_selector", "gpus", "resources", "gpu", "resources");

    /** The setting {@code key} is another word for, when it is one of {@code allowed}. */
    private static Optional<String> synonym(String key, List<String> allowed) {
        return Optional.ofNullable(SYNONYMS.get(key)).filter(allowed::contains);
    }

    void unknownSetting(Ast.Option o, String key, List<String> allowed, String prefix) {
        reportUnknownSetting(o, key, allowed, prefix);
        checkConstant(o);
    }

    private void reportUnknownSetting(Ast.Option o, String key, List<String> allowed, String prefix) {
        // nested settings come as `local.KEY`, `resource.KEY`: only a component's or a call's own match
        String help = KFP_SETTINGS.containsKey(key) ? KFP_SETTINGS.get(key)
                : ArgoWords.help(key).orElseGet(() -> synonym(key, allowed)
                        .map(s -> s.equals("resources") ? "a GPU is asked for in `resources { gpu = 1 }`"
                                : "did you mean `" + s + "`?")
                        .orElseGet(() -> DidYouMean.help(key, allowed, prefix + String.join(", ", allowed))));
        ctx.report(Diagnostic.of(Code.E0110, keySpan(o), key, String.join(", ", allowed)).withHelp(help));
    }

    /** The settings whose value names a component's inputs and outputs (a script reads them all). */
    private static final Set<String> ARGV_SETTINGS = Set.of("command", "args", "env", "script");

    /**
     * The setting an unknown component setting stands for, the one its help names (`comand`: `command`; KFP's
     * `base_image`: `image`), when that is one a component must have or one that names its inputs; else null.
     */
    private static String standsFor(String key) {
        if (key.equals("base_image") || key.equals("target_image")) {
            return "image";
        }
        return synonym(key, COMPONENT_KEYS).or(() -> DidYouMean.closest(key, COMPONENT_KEYS))
                .filter(k -> k.equals("image") || ARGV_SETTINGS.contains(k)).orElse(null);
    }

    /** Types whatever an unknown setting holds, so that mistakes inside it are still reported. */
    private void checkConstant(Ast.Option o) {
        if (o instanceof Ast.ValueOption v) {
            constants.value(v.value(), false);
        } else if (o instanceof Ast.BlockOption b) {
            b.options().forEach(this::checkConstant);
        }
    }

    /** The settings that components and call sites share. */
    private final class OverrideBuilder {
        ComponentSettings.Retry retry;
        Long timeout;
        Boolean cache;
        ComponentSettings.Resources resources;
        TreeMap<String, String> nodeSelector;
        List<ComponentSettings.Toleration> tolerations;
        String shm;
        List<String> mutexes;

        boolean accept(Ast.Option o, String key) {
            switch (key) {
                case "mutex" -> mutexes = mutexes(o);
                case "retry" -> retry = retry(o);
                case "timeout" -> timeout = positiveDuration(o, "timeout");
                case "cache" -> cache = bool(o, "cache");
                case "resources" -> resources = resources(o);
                case "node_selector" -> {
                    nodeSelector = new TreeMap<>();
                    for (Entry e : entries(o, "node_selector")) {
                        String v = constantString(e.value(), "node_selector." + e.key());
                        if (v != null) {
                            nodeSelector.put(e.key(), v);
                        }
                    }
                }
                case "tolerations" -> tolerations = tolerations(o);
                case "shm" -> shm = shm(o);
                default -> {
                    return false;
                }
            }
            return true;
        }

        ComponentSettings.Overrides build(java.util.SortedMap<String, EnvValue> env, String image) {
            return new ComponentSettings.Overrides(retry, timeout, cache, resources, nodeSelector,
                    tolerations == null ? null : List.copyOf(tolerations), env, image, shm, mutexes);
        }
    }

    // --- values --------------------------------------------------------------------------------------------

    private Ast.Expr valueOf(Ast.Option o, String setting, String expected) {
        if (o instanceof Ast.ValueOption v) {
            return v.value();
        }
        wrongShape(o, setting, expected);
        return null;
    }

    void wrongShape(Ast.Option o, String setting, String expected) {
        String found = o instanceof Ast.BlockOption ? "a block" : o instanceof Ast.ScriptOption ? "a script" : "a value";
        String help = setting.equals("retry.backoff") && o instanceof Ast.BlockOption
                // Argo's `backoff: {duration: "10s", factor: 2, maxDuration: "1m"}`
                ? "Argo's `backoff` block is flat here, its delay the value of `backoff`: `retry { limit = 3  backoff = 10s"
                        + "  factor = 2  max_backoff = 1m }`"
                : "write `" + setting + " = ...`";
        ctx.report(Diagnostic.of(Code.E0503, keySpan(o), setting, expected, found, help));
        checkConstant(o);
    }

    /** E0503 (or E0504 for a secret) for a value of the wrong kind; types it for the message. */
    void wrong(Ast.Expr e, String setting, String expected, String help) {
        if (Exprs.isBuiltinCall(e, "secret")) {
            ctx.report(Diagnostic.of(Code.E0504, e.span()));
            return;
        }
        if (e instanceof Ast.BadUnitLit) {
            return; // the parser reported the unknown unit (E0501)
        }
        Set<String> read = namesRead(e);
        if (!read.isEmpty()) {
            // a parameter or an input known only when the run starts: that it reads one is what is wrong, not its type
            // (argv settings read inputs by name, and their help says how)
            boolean said = ARGV_SETTINGS.contains(setting.split("[.\\[]")[0]) || help.contains("cannot read");
            ctx.report(Diagnostic.of(Code.E0503, e.span(), setting, expected, e.span().text(), said ? help
                    : "a setting is a constant, fixed when the pipeline compiles (it is written into the step's Argo"
                            + " template), so it cannot read " + read.stream().map(n -> "`" + n + "`")
                            .collect(java.util.stream.Collectors.joining(", ")) + ": " + help));
            return;
        }
        int before = ctx.diagnostics.size();
        Type t = constants.value(e, false);
        if (ctx.diagnostics.size() > before || t instanceof Type.Error) {
            return; // the value itself was wrong and has been reported
        }
        ctx.report(Diagnostic.of(Code.E0503, e.span(), setting, expected, t.display(), help));
    }

    /** The names (inputs, parameters) the expression reads. */
    static Set<String> namesRead(Ast.Expr e) {
        Set<String> names = new java.util.TreeSet<>();
        java.util.ArrayDeque<Ast.Expr> todo = new java.util.ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Ast.Expr x = todo.pop();
            if (x instanceof Ast.Name n) {
                names.add(n.ident().name());
            } else if (x instanceof Ast.Member m) {
                todo.push(m.target());
            } else if (x instanceof Ast.Index i) {
                todo.push(i.target());
                todo.push(i.index());
            } else if (x instanceof Ast.Call c) {
                c.args().forEach(a -> todo.push(a.value()));
            } else if (x instanceof Ast.Unary u) {
                todo.push(u.operand());
            } else if (x instanceof Ast.Binary b) {
                todo.push(b.left());
                todo.push(b.right());
            } else if (x instanceof Ast.ListLit l) {
                l.elements().forEach(todo::push);
            } else if (x instanceof Ast.MapLit m) {
                m.entries().forEach(en -> todo.push(en.value()));
            } else if (x instanceof Ast.StringLit s) {
                for (Ast.StringPart p : s.parts()) {
                    if (p instanceof Ast.Interpolation i) {
                        todo.push(i.expr());
                    }
                }
            }
        }
        return names;
    }

    /**
     * An {@code image}: a constant String that names one. Kubernetes refuses a pod whose image is empty and cannot
     * pull one holding a blank, while the engine only records it: such an image would run locally and fail on Argo.
     */
    private String image(Ast.Option o) {
        String image = constantString(o, "image");
        if (image != null && (image.isBlank() || image.chars().anyMatch(Character::isWhitespace))) {
            ctx.report(Diagnostic.of(Code.E0501, valueOf(o, "image", "a String").span(), "image", image,
                    "name a container image without blanks, as `python:3.12-slim` or `registry.example.com/ml/train:1.4`"));
            return null;
        }
        String why = image == null ? null : imageProblem(image);
        if (why != null) {
            String lower = lowerCaseName(image);
            String help = !lower.equals(image) && imageProblem(lower) == null
                    ? "an image's name is lower case: write `" + lower + "`"
                    : why;
            ctx.report(Diagnostic.of(Code.E0501, valueOf(o, "image", "a String").span(), "image", image, help));
            return null;
        }
        return image;
    }

    /** {@code image} with its registry and name lower-cased, its tag and digest kept (a tag is case-sensitive). */
    private static String lowerCaseName(String image) {
        int at = image.indexOf('@');
        int end = at < 0 ? image.length() : at;
        int colon = image.indexOf(':', image.lastIndexOf('/', end - 1) + 1);
        int nameEnd = colon >= 0 && colon < end ? colon : end;
        return image.substring(0, nameEnd).toLowerCase(java.util.Locale.ROOT) + image.substring(nameEnd);
    }

    /** Why Kubernetes could not pull {@code image} (the OCI reference grammar), or null when it can. */
    static String imageProblem(String image) {
        java.util.regex.Matcher m = IMAGE_REFERENCE.matcher(image);
        if (!m.matches()) {
            return "an image is `[registry[:port]/]name[:tag][@algorithm:hex]`: a lower-case name of letters, digits,"
                    + " `.`, `_`, `-` and `/`, and a tag of at most 128 letters, digits, `_`, `.`, `-`, as in `python:3.12-slim`"
                    + " or `registry.example.com:5000/ml/train:1.4`";
        }
        if (m.group(1).length() > 255) {
            return "an image's name is at most 255 characters";
        }
        if (m.group(2) != null) {
            Integer hex = DIGEST_LENGTHS.get(m.group(2));
            String digits = m.group(3);
            if (hex != null && (digits.length() != hex || !digits.equals(digits.toLowerCase(java.util.Locale.ROOT)))) {
                return "a `" + m.group(2) + "` digest is " + hex + " lower-case hex digits (this one has " + digits.length() + ")";
            }
            if (digits.length() < 32) {
                return "a digest is at least 32 hex digits (this one has " + digits.length() + ")";
            }
        }
        return null;
    }

    private String constantString(Ast.Option o, String setting) {
        Ast.Expr e = valueOf(o, setting, "a String");
        return e == null ? null : constantString(e, setting);
    }

    String constantString(Ast.Expr e, String setting) {
        if (e instanceof Ast.StringLit s && s.constant() != null) {
            ctx.checked.types.put(e, Type.STRING);
            return s.constant();
        }
        wrong(e, setting, "a constant String", "write the text in quotes; settings cannot read inputs or parameters");
        return null;
    }

    private Long duration(Ast.Option o, String setting) {
        Ast.Expr e = valueOf(o, setting, "a Duration");
        return e == null ? null : duration(e, setting);
    }

    private Long duration(Ast.Expr e, String setting) {
        if (e instanceof Ast.DurationLit d) {
            ctx.checked.types.put(e, Type.DURATION);
            return (d.millis() + 999) / 1000;
        }
        wrong(e, setting, "a Duration", "write a duration such as `30s`, `10m` or `2h`");
        return null;
    }

    Boolean bool(Ast.Option o, String setting) {
        Ast.Expr e = valueOf(o, setting, "a Bool");
        if (e == null) {
            return null;
        }
        if (e instanceof Ast.BoolLit b) {
            ctx.checked.types.put(e, Type.BOOL);
            return b.value();
        }
        wrong(e, setting, "a Bool", "write `true` or `false`");
        return null;
    }

    private Integer integer(Ast.Expr e, String setting, int min) {
        JsonNode c = e instanceof Ast.IntLit || e instanceof Ast.Unary ? new Constants(ctx.checked).eval(e) : null;
        if (c != null && c.isIntegralNumber()) {
            ctx.checked.types.put(e, Type.INT);
            if (c.longValue() >= min && c.longValue() <= Integer.MAX_VALUE) {
                return (int) c.longValue();
            }
            ctx.report(Diagnostic.of(Code.E0503, e.span(), setting, "an Int of at least " + min, c.toString(),
                    "use a whole number from " + min));
            return null;
        }
        wrong(e, setting, "an Int", "use a whole number from " + min);
        return null;
    }

    List<Entry> entries(Ast.Option o, String setting) {
        List<Entry> out = new ArrayList<>();
        Map<String, Span> seen = new HashMap<>();
        if (o instanceof Ast.BlockOption b) {
            for (Ast.Option inner : b.options()) {
                String key = keyOf(inner);
                if (key.isEmpty()) {
                    continue;
                }
                if (seen.putIfAbsent(key, keySpan(inner)) != null) {
                    ctx.report(Diagnostic.of(Code.E0505, keySpan(inner), setting + "." + key));
                    continue;
                }
                if (inner instanceof Ast.ValueOption v) {
                    out.add(new Entry(key, v.key().span(), v.value(), inner));
                } else {
                    wrongShape(inner, setting + "." + key, "a value");
                }
            }
            return out;
        }
        Ast.Expr e = ((Ast.ValueOption) o).value();
        if (e instanceof Ast.MapLit m) {
            ctx.checked.types.put(e, new Type.MapOf(Type.ERROR));
            for (Ast.Entry x : m.entries()) {
                if (seen.putIfAbsent(x.key(), x.keySpan()) != null) {
                    ctx.report(Diagnostic.of(Code.E0505, x.keySpan(), setting + "." + x.key()));
                    continue;
                }
                out.add(new Entry(x.key(), x.keySpan(), x.value(), o));
            }
            return out;
        }
        wrong(e, setting, "a block", "write `" + setting + " { name = value ... }`");
        return out;
    }

    /** Checks the keys of a block against the known ones; returns the entries by key. */
    private Map<String, Entry> known(List<Entry> entries, String setting, List<String> keys) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (keys.contains(e.key())) {
                out.put(e.key(), e);
            } else {
                ctx.report(Diagnostic.of(Code.E0110, e.keySpan(), setting + "." + e.key(), String.join(", ", keys))
                        .withHelp((setting.equals("retry") ? ArgoWords.retryHelp(e.key()) : Optional.<String>empty())
                                .orElseGet(() -> DidYouMean.help(e.key(), keys,
                                "settings of `" + setting + "` are: " + String.join(", ", keys)))));
                constants.value(e.value(), false);
            }
        }
        return out;
    }

    private ComponentSettings.Retry retry(Ast.Option o) {
        if (o instanceof Ast.ValueOption v && v.value() instanceof Ast.IntLit) {
            // `retry = 3` is short for `retry { limit = 3 }`
            return new ComponentSettings.Retry(integer(v.value(), "retry", 0), null, null, null, null);
        }
        if (o instanceof Ast.ValueOption v && !(v.value() instanceof Ast.MapLit)) {
            // `retry = 3` is a value too: not only a block is what it expects
            wrong(v.value(), "retry", "an Int or a block", "write `retry = 3`, or `retry { limit = 3  backoff = 10s }`");
            return new ComponentSettings.Retry(null, null, null, null, null);
        }
        Map<String, Entry> m = known(entries(o, "retry"), "retry", RETRY_KEYS);
        Integer limit = m.containsKey("limit") ? integer(m.get("limit").value(), "retry.limit", 0) : null;
        Long backoff = m.containsKey("backoff") ? duration(m.get("backoff").value(), "retry.backoff") : null;
        Integer factor = m.containsKey("factor") ? integer(m.get("factor").value(), "retry.factor", 1) : null;
        Long max = m.containsKey("max_backoff") ? duration(m.get("max_backoff").value(), "retry.max_backoff") : null;
        String policy = null;
        if (m.containsKey("policy")) {
            Ast.Expr e = m.get("policy").value();
            policy = constantString(e, "retry.policy");
            if (policy != null && !RETRY_POLICIES.contains(policy)) {
                ctx.report(Diagnostic.of(Code.E0503, e.span(), "retry.policy", "one of " + String.join(", ", RETRY_POLICIES),
                        policy, DidYouMean.help(policy, RETRY_POLICIES, "use one of " + String.join(", ", RETRY_POLICIES))));
                policy = null;
            }
        }
        return new ComponentSettings.Retry(limit, backoff, factor, max, policy);
    }

    private ComponentSettings.Resources resources(Ast.Option o) {
        Map<String, Entry> m = known(entries(o, "resources"), "resources", RESOURCE_KEYS);
        String cpu = m.containsKey("cpu") ? cpu(m.get("cpu").value()) : null;
        String memory = m.containsKey("memory") ? memory(m.get("memory").value()) : null;
        Integer gpu = m.containsKey("gpu") ? integer(m.get("gpu").value(), "resources.gpu", 0) : null;
        String gpuResource = m.containsKey("gpu_resource") ? constantString(m.get("gpu_resource").value(),
                "resources.gpu_resource") : null;
        return new ComponentSettings.Resources(cpu, memory, gpu, gpuResource);
    }

    private String cpu(Ast.Expr e) {
        if (e instanceof Ast.IntLit i && i.value() >= 0) {
            ctx.checked.types.put(e, Type.INT);
            return String.valueOf(i.value());
        }
        if (e instanceof Ast.FloatLit f && f.value() >= 0) {
            ctx.checked.types.put(e, Type.FLOAT);
            return BigDecimal.valueOf(f.value()).stripTrailingZeros().toPlainString();
        }
        if (e instanceof Ast.DurationLit d) {
            ctx.report(Diagnostic.of(Code.E0501, e.span(), "cpu amount", d.text(),
                    "`" + d.text() + "` reads as a duration; write CPU as a number (`0.5`) or a string (`\"500m\"`)"));
            return null;
        }
        if (e instanceof Ast.QuantityLit q) {
            ctx.checked.types.put(e, Type.QUANTITY);
            return q.text();
        }
        if (e instanceof Ast.StringLit s && s.constant() != null) {
            ctx.checked.types.put(e, Type.STRING);
            return quantity(s.constant(), e.span(), "cpu amount");
        }
        wrong(e, "resources.cpu", "a number or a quantity String", "write `cpu = 0.5` or `cpu = \"500m\"`");
        return null;
    }

    private String memory(Ast.Expr e) {
        return memory(e, "resources.memory");
    }

    /**
     * {@code mutex}: a name, {@code "gpu"}, or a list of them, {@code ["gpu", "warehouse"]}, each of {@link #MUTEX_NAME}
     * and named once (Argo's lock keys would repeat). An empty list holds none (a call taking off its component's).
     */
    List<String> mutexes(Ast.Option o) {
        Ast.Expr e = valueOf(o, "mutex", "a String or a List of them");
        if (e == null) {
            return null;
        }
        List<Ast.Expr> names;
        if (e instanceof Ast.ListLit l) {
            ctx.checked.types.put(e, new Type.ListOf(Type.STRING));
            names = l.elements();
        } else if (e instanceof Ast.StringLit) {
            names = List.of(e);
        } else {
            // Argo's `mutexes: [{name: gpu}]` is written by its names here
            wrong(e, "mutex", "a String or a List of them", "write the mutex's name, `mutex = \"gpu\"`, or a list of"
                    + " names, `mutex = [\"gpu\", \"warehouse\"]`");
            return null;
        }
        List<String> out = new ArrayList<>();
        boolean bad = false;
        for (Ast.Expr item : names) {
            String name = constantString(item, "mutex");
            if (name == null) {
                bad = true;
            } else if (!MUTEX_NAME.matcher(name).matches()) {
                String fixed = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^-._a-z0-9]+", "-").replaceAll("^[-._]+", "");
                ctx.report(Diagnostic.of(Code.E0501, item.span(), "mutex name", name, (MUTEX_NAME.matcher(fixed).matches()
                        ? "write `\"" + fixed + "\"`: a" : "a") + " mutex name is lower-case letters, digits, `-`, `_` and"
                        + " `.`, starting with a letter or digit, at most 63 characters"));
                bad = true;
            } else if (out.contains(name)) {
                ctx.report(Diagnostic.of(Code.E0501, item.span(), "mutex name", name,
                        "`" + name + "` is already in this list: name each mutex once"));
                bad = true;
            } else {
                out.add(name);
            }
        }
        return bad ? null : out;
    }

    /**
     * {@code shm}: the size of the step's {@code /dev/shm}, a memory quantity more than zero (Kubernetes
     * would refuse a negative {@code sizeLimit}, and a zero one would leave no shared memory at all).
     */
    private String shm(Ast.Option o) {
        Ast.Expr e = valueOf(o, "shm", "a Quantity");
        if (e == null) {
            return null;
        }
        String help = "the size of the step's `/dev/shm`, more than zero, such as `1Gi` or `8Gi`";
        if (e instanceof Ast.Unary u && u.op() == Ast.UnaryOp.NEG && (u.operand() instanceof Ast.QuantityLit
                || u.operand() instanceof Ast.IntLit || u.operand() instanceof Ast.FloatLit)) {
            ctx.checked.types.put(e, Type.QUANTITY);
            ctx.report(Diagnostic.of(Code.E0501, e.span(), "shm size", e.span().text(), help));
            return null;
        }
        String q = memory(e, "shm");
        java.util.regex.Matcher m = q == null ? null : QUANTITY.matcher(q);
        if (m != null && m.matches() && new BigDecimal(m.group(1)).signum() == 0) {
            ctx.report(Diagnostic.of(Code.E0501, e.span(), "shm size", q, help));
            return null;
        }
        return q;
    }

    private String memory(Ast.Expr e, String setting) {
        if (e instanceof Ast.QuantityLit q) {
            ctx.checked.types.put(e, Type.QUANTITY);
            return q.text();
        }
        if (e instanceof Ast.IntLit i && i.value() >= 0) {
            ctx.checked.types.put(e, Type.INT);
            return String.valueOf(i.value());
        }
        if (e instanceof Ast.StringLit s && s.constant() != null) {
            ctx.checked.types.put(e, Type.STRING);
            return quantity(s.constant(), e.span(), "quantity");
        }
        if (e instanceof Ast.DurationLit d) {
            ctx.report(Diagnostic.of(Code.E0501, e.span(), "quantity", d.text(),
                    d.text().endsWith("m") && !d.text().endsWith("ms")
                            ? "`m` means thousandths; did you mean `" + d.text().substring(0, d.text().length() - 1) + "Mi`?"
                            : "memory is a quantity such as `512Mi` or `2Gi`"));
            return null;
        }
        if (e instanceof Ast.BadUnitLit) {
            return null; // the parser reported the unknown unit (E0501)
        }
        wrong(e, setting, "a Quantity", "write a quantity such as `512Mi` or `2Gi`");
        return null;
    }

    private String quantity(String text, Span span, String what) {
        if (QUANTITY.matcher(text).matches()) {
            return text;
        }
        ctx.report(Diagnostic.of(Code.E0501, span, what, text, quantityHelp(text)));
        return null;
    }

    private static String quantityHelp(String text) {
        String t = text.trim();
        if (t.matches("[0-9.]+[KMGTPE]B")) {
            return "did you mean `" + t.substring(0, t.length() - 2) + t.charAt(t.length() - 2) + "i`? Kubernetes writes "
                    + "binary units as Ki, Mi, Gi";
        }
        return "a Kubernetes quantity is a number with an optional suffix: Ki Mi Gi Ti Pi Ei, k M G T P E, or m (thousandths)";
    }

    private List<ComponentSettings.Toleration> tolerations(Ast.Option o) {
        Ast.Expr e = valueOf(o, "tolerations", "a list of maps");
        List<ComponentSettings.Toleration> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        if (!(e instanceof Ast.ListLit list)) {
            wrong(e, "tolerations", "a List of maps", "write `tolerations = [{key: \"gpu\", operator: \"Exists\", effect: \"NoSchedule\"}]`");
            return out;
        }
        ctx.checked.types.put(e, new Type.ListOf(new Type.MapOf(Type.STRING)));
        for (Ast.Expr item : list.elements()) {
            if (!(item instanceof Ast.MapLit map)) {
                wrong(item, "tolerations", "a map", "each toleration is `{key: ..., operator: ..., value: ..., effect: ...}`");
                continue;
            }
            ctx.checked.types.put(item, new Type.MapOf(Type.STRING));
            Map<String, String> values = new HashMap<>();
            Map<String, Span> seen = new HashMap<>();
            for (Ast.Entry x : map.entries()) {
                if (seen.putIfAbsent(x.key(), x.keySpan()) != null) {
                    ctx.report(Diagnostic.of(Code.E0505, x.keySpan(), "tolerations." + x.key()));
                    continue;
                }
                if (!TOLERATION_KEYS.contains(x.key())) {
                    ctx.report(Diagnostic.of(Code.E0110, x.keySpan(), "tolerations." + x.key(), String.join(", ", TOLERATION_KEYS))
                            .withHelp(DidYouMean.help(x.key(), TOLERATION_KEYS,
                                    "a toleration has: " + String.join(", ", TOLERATION_KEYS))));
                    continue;
                }
                String v = constantString(x.value(), "tolerations." + x.key());
                if (v == null) {
                    continue;
                }
                List<String> allowed = x.key().equals("operator") ? TOLERATION_OPERATORS
                        : x.key().equals("effect") ? TOLERATION_EFFECTS : null;
                if (allowed != null && !allowed.contains(v)) {
                    ctx.report(Diagnostic.of(Code.E0503, x.value().span(), "tolerations." + x.key(),
                            "one of " + String.join(", ", allowed), v,
                            DidYouMean.help(v, allowed, "use one of " + String.join(", ", allowed))));
                    continue;
                }
                values.put(x.key(), v);
            }
            out.add(new ComponentSettings.Toleration(values.get("key"), values.get("operator"), values.get("value"),
                    values.get("effect")));
        }
        return out;
    }

    // --- command, args, env, script ------------------------------------------------------------------------

    List<CommandArg> argv(Ast.Option o, String setting, Symbol.Component c, Set<String> used) {
        Ast.Expr e = valueOf(o, setting, "a List");
        List<CommandArg> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        if (!(e instanceof Ast.ListLit list)) {
            // the inputs it meant to name are not unused: the error says what is wrong
            c.inputs().forEach(i -> used.add(i.name()));
            if (e instanceof Ast.StringLit) {
                ctx.report(Diagnostic.of(Code.E0503, e.span(), setting, "a List of strings and input or output names",
                        "String", "write the argv as a list, `[\"python3\", \"train.py\"]`: no shell splits it"));
            } else {
                wrong(e, setting, "a List of strings and input or output names", "write the argv as a list: `[\"python3\", \"train.py\", data]`");
            }
            return out;
        }
        ctx.checked.types.put(e, new Type.ListOf(Type.STRING));
        for (Ast.Expr item : list.elements()) {
            CommandArg arg = commandArg(item, setting, c, used);
            if (arg != null) {
                out.add(arg);
            }
        }
        return out;
    }

    /** One argv element, or an env value: text, input values and paths, output paths. */
    private CommandArg commandArg(Ast.Expr item, String setting, Symbol.Component c, Set<String> used) {
        List<ArgPart> parts = new ArrayList<>();
        if (item instanceof Ast.StringLit s) {
            ctx.checked.types.put(item, Type.STRING);
            for (Ast.StringPart p : s.parts()) {
                if (p instanceof Ast.Text t) {
                    if (!t.text().isEmpty()) {
                        parts.add(new ComponentSettings.Text(t.text()));
                        if (!s.triple()) {
                            bracedNames(t, c, used);
                            argoTags(t, c, used);
                        }
                    }
                } else {
                    Ast.Expr inner = ((Ast.Interpolation) p).expr();
                    if (inner instanceof Ast.Name n) {
                        ArgPart part = reference(n, setting, c, used);
                        if (part != null) {
                            parts.add(part);
                        }
                    } else {
                        ctx.report(Diagnostic.of(Code.E0503, inner.span(), setting, "an input or output name inside `${...}`",
                                inner.span().text(), "compute the value in the pipeline and pass it as an input"));
                    }
                }
            }
            if (parts.isEmpty()) {
                parts.add(new ComponentSettings.Text(""));
            }
            return new CommandArg(parts);
        }
        if (item instanceof Ast.Name n) {
            ArgPart part = reference(n, setting, c, used);
            return part == null ? null : new CommandArg(List.of(part));
        }
        if (item instanceof Ast.IntLit || item instanceof Ast.FloatLit || item instanceof Ast.BoolLit
                || item instanceof Ast.DurationLit || item instanceof Ast.QuantityLit) {
            constants.value(item, false);
            return new CommandArg(List.of(new ComponentSettings.Text(item.span().text())));
        }
        wrong(item, setting, "a string or an input or output name", "an argv element is text, `\"--lr=${lr}\"`, "
                + "or the name of an input or output");
        return null;
    }

    /** {@code {name}} or {@code {step.output}} in text, not part of {@code ${..}}, {@code \${..}} or {@code {{..}}}. */
    private static final Pattern BRACED_NAME =
            Pattern.compile("(?<![$\\\\{])\\{([A-Za-z_][A-Za-z0-9_]*)((?:\\.[A-Za-z_][A-Za-z0-9_]*)*)\\}");

    /** A {@code {name}} or {@code {name.field...}} in a string's text: the name, the {@code .field...} after it, where. */
    record Braced(String name, String path, Span span) {
    }

    /** The {@link #BRACED_NAME}s of {@code t}, in order (W0006 of component settings and of expressions). */
    static List<Braced> braced(Ast.Text t) {
        List<Braced> out = new ArrayList<>();
        java.util.regex.Matcher m = BRACED_NAME.matcher(t.span().text());
        while (m.find()) {
            out.add(new Braced(m.group(1), m.group(2),
                    Span.of(t.span().source(), t.span().start() + m.start(), t.span().start() + m.end())));
        }
        return out;
    }

    /**
     * W0006: {@code "--lr={lr}"} names an input or output the way Python's format strings do, and is
     * passed as that text. The input then counts as used: the warning says what is wrong with it.
     */
    private void bracedNames(Ast.Text t, Symbol.Component c, Set<String> used) {
        for (Braced b : braced(t)) {
            String name = b.name();
            if (!b.path().isEmpty()) {
                continue;
            }
            String kind = c.inputs().stream().anyMatch(i -> i.name().equals(name)) ? "input"
                    : c.outputs().stream().anyMatch(o -> o.name().equals(name)) ? "output" : null;
            if (kind != null) {
                ctx.warn(module, Diagnostic.of(Code.W0006, b.span(), name, kind, name, name));
                used.add(name);
            }
        }
    }

    /**
     * An Argo tag in text, {@code {{inputs.parameters.lr}}}, {@code {{tasks.fit.outputs.result}}}, {@code {{item}}}: Argo
     * substitutes it and the engine passes it as written, so a file ported from Argo's YAML runs differently on each.
     * Group 1 the scope of a name ({@code inputs}, {@code workflow}), 2 that name; or 3 the step, 4 its output
     * ({@code result} for a script's); or 5 {@code item}; or 6 the run's {@code name}, {@code uid}, {@code status}.
     */
    private static final Pattern ARGO_TAG = Pattern.compile("\\{\\{\\s*(?:"
            + "(inputs|workflow)\\.(?:parameters|artifacts)\\.([A-Za-z_][-A-Za-z0-9_]*)(?:\\.path)?"
            + "|(?:tasks|steps)\\.([A-Za-z_][-A-Za-z0-9_]*)\\.outputs\\.(?:(?:parameters|artifacts)\\.)?([A-Za-z_][-A-Za-z0-9_]*)"
            + "|(item)(?:\\.[-A-Za-z0-9_.]+)?|workflow\\.(name|uid|status|failures))\\s*}}");

    /**
     * An Argo tag in a string's text: the name or step it reads, the step's output ({@code result} or another), whether
     * it is the loop's item, the {@code run.} field it stands for, where.
     */
    record ArgoTag(String name, String output, boolean item, String run, Span span) {
    }

    /** The {@link #ARGO_TAG}s of {@code t}, in order (W0009 of component settings and of expressions). */
    static List<ArgoTag> argoTags(Ast.Text t) {
        List<ArgoTag> out = new ArrayList<>();
        Matcher m = ARGO_TAG.matcher(t.span().text());
        while (m.find()) {
            Span at = Span.of(t.span().source(), t.span().start() + m.start(), t.span().start() + m.end());
            String run = m.group(6) == null ? null : m.group(6).equals("uid") ? "id" : m.group(6);
            out.add(m.group(5) != null || run != null ? new ArgoTag(null, null, m.group(5) != null, run, at)
                    : m.group(2) != null ? new ArgoTag(m.group(2), null, false, null, at)
                    : new ArgoTag(m.group(3), m.group(4), false, null, at));
        }
        return out;
    }

    /** W0009's help for a tag that reads the loop's item or the run, the same wherever it is written; else null. */
    static String fixedHelp(ArgoTag tag) {
        return tag.item() ? "a loop is `for x in LIST { ... }`, its item `${x}`"
                : tag.run() == null ? null
                : "write `${run." + tag.run() + "}`" + (Exprs.EXIT_ONLY.contains(tag.run()) ? " (in a `finally` block)" : "");
    }

    /**
     * W0009: {@code "{{inputs.parameters.message}}"} in {@code command} is what an Argo template writes; here it is the
     * text, where {@code ${message}} passes the input. The input then counts as used: the warning says what is wrong.
     */
    private void argoTags(Ast.Text t, Symbol.Component c, Set<String> used) {
        for (ArgoTag tag : argoTags(t)) {
            String help = fixedHelp(tag);
            if (tag.name() != null && tag.output() == null
                    && (c.inputs().stream().anyMatch(i -> i.name().equals(tag.name()))
                    || c.outputs().stream().anyMatch(o -> o.name().equals(tag.name())))) {
                help = "write `${" + tag.name() + "}` for the " + (c.inputs().stream().anyMatch(i -> i.name()
                        .equals(tag.name())) ? "input" : "output") + " `" + tag.name() + "`";
                used.add(tag.name());
            }
            if (help != null) {
                ctx.warn(module, Diagnostic.of(Code.W0009, tag.span(), tag.span().text(), help));
            }
        }
    }

    private static final Pattern DOLLAR_NAME = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z_0-9]*)}");

    /**
     * W0008: {@code ${lr}} in a Python script (a template's habit) names an input or output, but a script is passed as
     * it is written: Python gets that text, a syntax error or a wrong string at run time. A shell script's {@code ${lr}}
     * is its variable, as meant. A {@code """} body has no escapes, so its source text holds it where the body does.
     */
    private void dollarsInPython(Ast.ScriptOption s, Symbol.Component c) {
        Matcher m = DOLLAR_NAME.matcher(s.bodySpan().text());
        while (m.find()) {
            String name = m.group(1);
            String kind = c.inputs().stream().anyMatch(i -> i.name().equals(name)) ? "input"
                    : c.outputs().stream().anyMatch(o -> o.name().equals(name)) ? "output" : null;
            if (kind != null) {
                int start = s.bodySpan().start() + m.start();
                ctx.warn(module, Diagnostic.of(Code.W0008, Span.of(s.bodySpan().source(), start, start + m.group().length()),
                        name, kind, name, name));
            }
        }
    }

    private ArgPart reference(Ast.Name n, String setting, Symbol.Component c, Set<String> used) {
        String name = n.ident().name();
        for (Symbol.Input i : c.inputs()) {
            if (i.name().equals(name)) {
                used.add(name);
                ctx.checked.symbols.put(n, i);
                ctx.checked.types.put(n, i.type());
                return Type.isArtifact(i.type()) ? new ComponentSettings.InputPath(name) : new ComponentSettings.InputValue(name);
            }
        }
        for (Symbol.Output o : c.outputs()) {
            if (o.name().equals(name)) {
                ctx.checked.symbols.put(n, o);
                ctx.checked.types.put(n, o.type());
                return new ComponentSettings.OutputPath(name);
            }
        }
        if (name.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        c.inputs().forEach(i -> names.add(i.name()));
        c.outputs().forEach(o -> names.add(o.name()));
        String text = n.span().source().text();
        boolean interpolated = n.span().start() >= 2 && text.startsWith("${", n.span().start() - 2);
        if (interpolated && (envNames(c).contains(name) || name.matches("[A-Z][A-Z0-9_]*"))) {
            // `sh -c "echo ${TOKEN}"`: the shell's variable (the step's env, or HOME), written as an interpolation
            ctx.report(Diagnostic.of(Code.E0101, n.span(), name).withHelp("`${...}` interpolates an input or output of `"
                    + c.name() + "` here; for the shell's variable `" + name + "` write `\\${" + name + "}` or `$" + name + "`"));
            return null;
        }
        ctx.report(Diagnostic.of(Code.E0101, n.span(), name)
                .withHelp(DidYouMean.help(name, names, "`" + setting + "` can name the inputs and outputs of `" + c.name()
                        + "`: " + Ctx.list(names))));
        return null;
    }

    /** The variables the component's {@code env} block sets. */
    private static Set<String> envNames(Symbol.Component c) {
        Set<String> out = new java.util.HashSet<>();
        for (Ast.Option o : c.decl().options()) {
            if (o instanceof Ast.BlockOption b && b.key().name().equals("env")) {
                b.options().forEach(e -> out.add(e instanceof Ast.ValueOption v ? v.key().name() : ""));
            }
        }
        return out;
    }

    /** A component's env value ({@code c} non-null: it may name inputs) or a call site's (constants only). */
    private EnvValue envValue(Entry e, Symbol.Component c, Set<String> used) {
        Ast.Expr v = e.value();
        String setting = "env." + e.key();
        if (Exprs.isBuiltinCall(v, "secret")) {
            Ast.Call call = (Ast.Call) v;
            ctx.checked.types.put(v, Type.SECRET);
            ctx.checked.symbols.put(call, new Symbol.Builtin("secret"));
            if (call.args().size() != 2) {
                ctx.report(Diagnostic.of(Code.E0218, v.span(), "secret", "two arguments", String.valueOf(call.args().size())));
                return null;
            }
            String name = constantString(call.args().get(0).value(), setting);
            String key = constantString(call.args().get(1).value(), setting);
            if (c != null) {
                // an input read here is an error already (a secret's name is a constant): not also "never used" (W0002)
                call.args().forEach(a -> used.addAll(namesRead(a.value())));
            }
            // Kubernetes refuses other names when the pod is made; locally they would name files
            // outside the secrets folder (secrets/<name>/<key>)
            if (name != null && !OBJECT_NAME.matcher(name).matches()) {
                ctx.report(Diagnostic.of(Code.E0501, call.args().get(0).value().span(), "secret name", name,
                        "a Kubernetes secret name: lower-case letters, digits, `-` and `.`, starting and ending with a"
                                + " letter or digit, at most 253 characters"));
                name = null;
            }
            if (key != null && (!SECRET_KEY.matcher(key).matches() || key.startsWith(".."))) {
                ctx.report(Diagnostic.of(Code.E0501, call.args().get(1).value().span(), "secret key", key,
                        "a key of a Kubernetes secret: letters, digits, `-`, `_` and `.`, at most 253 characters,"
                                + " not starting with `..`"));
                key = null;
            }
            return name == null || key == null ? null : new ComponentSettings.EnvSecret(name, key);
        }
        if (c == null) {
            String text = v instanceof Ast.IntLit || v instanceof Ast.FloatLit || v instanceof Ast.BoolLit
                    ? v.span().text() : constantString(v, setting);
            return text == null ? null : new ComponentSettings.EnvText(new CommandArg(List.of(new ComponentSettings.Text(text))));
        }
        CommandArg arg = commandArg(v, setting, c, used);
        return arg == null ? null : new ComponentSettings.EnvText(arg);
    }

    ComponentSettings.Script script(Ast.ScriptOption s) {
        String interpreter = s.interpreter() == null ? "sh" : s.interpreter().name();
        List<String> argv = switch (interpreter) {
            case "python" -> List.of("python3");
            case "" -> List.of("sh");
            default -> List.of(interpreter);
        };
        return new ComponentSettings.Script(argv, s.body(), s.bodySpan());
    }
}
