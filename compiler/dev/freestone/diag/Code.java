package dev.freestone.diag;

/**
 * The catalog of every diagnostic Freestone reports: a stable code, a severity, a message template
 * and a default help line. Templates use {@link String#format} placeholders; messages are lower case
 * without a trailing period. Warnings carry a lint name, which is what users write to suppress them
 * ({@code // freestone:allow unused-step} on the line or the line above, or {@code --allow unused-step}).
 *
 * <p>Codes are never reused or renumbered: E00xx syntax, E01xx names, E02xx types, E03xx ordering,
 * E04xx control flow, E05xx components and settings, E06xx run arguments, E07xx Argo limits,
 * W0xxx warnings.
 */
public enum Code {
    // --- syntax -------------------------------------------------------------------------------
    E0001("syntax error: %s", "check the spelling and the brackets around this place"),
    E0002("unterminated string", "close the string with `\"` on the same line, or use `\"\"\"` for text spanning lines"),
    E0003("invalid escape sequence `%s`", "valid escapes are \\n \\r \\t \\\" \\\\ \\$ \\0 \\uXXXX and \\u{X...}"),
    E0004("unexpected character `%s`", "remove it"),
    E0005("`else` without `if`", "an `else` must follow the closing `}` of an `if` block"),
    E0006("missing %s", "add it here"),
    E0007("`%s` is not a Freestone pipeline: it does not parse as one", "Freestone reads `.pipe` files (`freestone run"
            + " train.pipe`); a data file or a script is given to a pipeline as a parameter, or run by a component"),

    // --- names ----------------------------------------------------------------------------------
    E0101("unknown name `%s`", "declare it as a parameter, a step or a loop variable before using it"),
    E0102("unknown output `%s` of step `%s`", "the outputs of `%s` are: %s"),
    E0103("unknown argument `%s` for `%s`", "the inputs of `%s` are: %s"),
    E0104("unknown component or pipeline `%s`", "declare it with `component %s(...)` or import the module that has it"),
    E0105("unknown field `%s` of `%s`", "the fields of `%s` are: %s"),
    E0106("cannot import `%s`: %s", "import a `.pipe` file relative to this one, or a module under `stdlib/`"),
    E0107("import cycle: %s", "move the shared declarations into a module that both can import"),
    E0108("duplicate name `%s`", "`%s` is already declared at %s; rename one of them"),
    E0109("unknown type `%s`", "built-in types are String, Int, Float, Bool, Duration, Quantity, List[T], Map[String, T], Artifact, Dataset, Model, Metrics, ClassificationMetrics, HTML, Markdown, Volume, Failure"),
    E0110("unknown setting `%s`", "settings here are: %s"),
    E0111("`%s` has no member `%s`", "the members of `%s` are: %s"),
    E0112("unknown builtin function `%s`", "builtins are: %s"),

    // --- types ----------------------------------------------------------------------------------
    E0201("expected `%s`, found `%s`", "Int widens to Float; nothing else converts implicitly: use str(), int() or float()"),
    E0202("missing required argument `%s` of `%s`", "pass `%s = ...` or give the input a default value"),
    E0203("output `%s` is declared as `%s` but the value is `%s`", "change the declared type or the value bound to the output"),
    E0204("`oneof` arguments have different types: %s", "every branch must produce the same type"),
    E0205("cannot compare `%s` with `%s`", "compare values of the same type (Int and Float mix)"),
    E0206("condition must be `Bool`, found `%s`", "compare the value explicitly, e.g. `x > 0` or `s != \"\"`"),
    E0207("`%s` has no fields", "only structs, maps, step results and `run` have fields"),
    E0208("operator `%s` cannot be applied to %s", "arithmetic needs Int or Float, `+` also joins Strings and Lists; `and`/`or` need Bool"),
    E0209("wrong type arguments for `%s`: %s", "write List[T], Map[String, T] or T?"),
    E0210("%s", "name every argument: `name = value`"),
    E0211("cannot index `%s`", "only List (by Int) and Map (by String) can be indexed"),
    E0212("`%s` is a step, not a value", "use one of its outputs: %s"),
    E0213("`%s` produces no outputs to return", "use it as a statement, or name one of its outputs"),
    E0214("`null` needs an optional type, found `%s`", "declare the type as `%s?`"),
    E0215("a step result cannot be used here: `%s` has several outputs", "pick one: %s"),
    E0216("`%s` is defined in terms of itself: %s", "a struct cannot contain itself and an artifact type cannot be its own ancestor"),
    E0217("a call of %s `%s` must be a step of its own", "bind it first (`s = COMPONENT(...)`), then read its outputs by name (`s.NAME`)"),
    E0218("`%s` takes %s, found %s", "see the list of builtins in the language reference"),
    E0219("a `Volume` cannot be %s", "%s"),

    // --- ordering -------------------------------------------------------------------------------
    E0301("dependency cycle: %s", "a step cannot depend, directly or through others, on itself"),
    E0302("`after` names `%s`, which is not a step of this pipeline", "name a step declared in this pipeline%s"),
    E0303("pipeline `%s` calls itself: %s", "pipelines cannot be recursive"),

    // --- control flow ---------------------------------------------------------------------------
    E0401("`%s` comes from a loop and is a `%s` here, not a `%s`", "use it inside the loop, take one iteration's with `%s[0]` (the list is in iteration order), or pass the whole list to a step that takes a List"),
    E0402("`%s` is produced inside an `if` and is `%s` here, not `%s`", "merge the branches with `oneof(...)`, use the value inside the `if`, or inside a later `if <value> != null { ... }`"),
    E0403("`oneof` is misplaced: %s", "use `oneof` only as the whole value of a binding, argument or output, and not inside another `oneof`"),
    E0404("`oneof` argument `%s` is not produced inside an `if`", "`oneof` merges values of different branches of an `if`"),
    E0405("`%s` is collected by a loop inside an `if` and cannot be used outside that `if`", "move the use inside the `if`, or move the loop out of it"),
    E0406("`oneof` arguments must come from different branches of one `if`: %s", "`oneof(a.x, b.x)` merges `a` made in one branch with `b` made in another branch of the same `if`"),
    E0407("condition is always %s", "remove the `if`, or make the condition depend on a parameter or a step output"),
    E0408("parallelism must be a non-negative Int, found %s", "use `parallel N` with N >= 1, or 0 for no limit"),
    E0409("pipeline output `%s` is produced inside %s", "bind pipeline outputs at the top level of the pipeline body; merge branches with `oneof(...)`"),
    E0410("%s", "the exit handler runs after everything else: steps cannot depend on it and it produces no outputs"),
    E0411("pipeline output `%s` is declared but never bound", "add `output %s = ...` to the pipeline body"),
    E0412("output `%s` is not declared in the signature of `%s`", "add `%s: Type` to the `-> (...)` list"),
    E0413("`finally` is allowed once, at the top level of a pipeline body", "move the steps into the one `finally` block"),
    E0414("`for` needs a List to iterate over, found `%s`", "iterate over a List parameter, a list literal or a step output of type List[T]"),
    E0415("`%s` is used outside the exit handler", "`run.status` and `run.failures` are known only inside `finally`"),
    E0416("`%s` is produced in another branch of the same `if`", "branches of one `if` never both run; use it after the `if`, merged with `oneof(...)`"),

    // --- literals, components and settings --------------------------------------------------------
    E0501("invalid %s `%s`", "%s"),
    E0502("component `%s` %s", "give a component an `image` and either `command` or `script`"),
    E0503("setting `%s` expects %s, found `%s`", "%s"),
    E0504("`secret(...)` is only allowed as a value of `env`", "write `env { NAME = secret(\"secret-name\", \"key\") }`"),
    E0505("setting `%s` is given twice", "keep one of them"),
    E0506("integer literal `%s` is out of range", "Int is a 64-bit signed integer"),
    E0507("step options need a step: `%s` is not a component or pipeline call", "`after` and `with { ... }` apply to steps only"),
    E0508("this expression does nothing", "bind it to a name (`x = ...`) or call a component"),
    E0509("`with { ... }` does not apply to a call of pipeline `%s`",
            "write the `with { ... }` on the steps inside `%s`, or its settings in their components"),
    E0510("`%s` splices a value into the code `%s` runs", "%s"),
    E0511("`%s` does not apply to a call of resource component `%s`: it runs no container of its own", "%s"),
    E0512("step `%s` waits for mutex `%s`, which pipeline `%s` holds while the step would run",
            "neither could go on, on Argo or on the engine: take `%s` off the step's `mutex`, or off the pipeline's `with { ... }`"),
    E0513("pipeline `%s` has a `timeout` of its own, which bounds a run of it, not a call of it",
            "Argo refuses a deadline on a pipeline called as a step: put `timeout` on the steps inside `%s` (a component's,"
                    + " or a call's `with { timeout = ... }`), or on the pipeline that is run"),

    // --- run arguments (--param, --params) --------------------------------------------------------
    E0601("unknown parameter `%s` of pipeline `%s`", "the parameters of `%s` are: %s"),
    E0602("missing required parameter `%s` of pipeline `%s`", "pass `--param %s=...`"),
    E0603("parameter `%s` expects `%s`: %s", "%s"),
    E0604("no pipeline to run in %s", "a component runs as a step of a pipeline: declare one that calls it,"
            + " `pipeline main() { s = COMPONENT(...) }`, here or in a file that imports this one"),
    E0605("%s", "choose one with `--pipeline NAME`"),
    E0606("parameter `%s`: no such file `%s`", "%s"),
    E0607("parameter `%s` is at %s, which a local run cannot read", "%s"),
    E0608("secret `%s` key `%s` (env `%s`) is not set on this machine", "%s"),
    E0609("parameter `%s`: its default `%s` is outside the workspace (%s)", "%s"),
    E0610("parameter `%s`: cannot read `%s`: %s", "%s"),

    // --- Argo limits -------------------------------------------------------------------------------
    E0701("the manifest is %s, over the budget of %s", "raise it with `--max-manifest-size`, split the pipeline, or pass large constants as artifacts"),
    E0702("the lowered manifest is not valid: %s", "this is a bug in Freestone; please report it with the .pipe file"),
    E0703("cannot lower to Argo: %s", "run the pipeline with the local engine, or restructure it as the message says"),

    // --- warnings ----------------------------------------------------------------------------------
    W0001("unused-step", "step `%s` is never used", "its outputs are not read by any step or pipeline output; remove it,"
            + " use `after %s`, or call it without a name if it runs for what it does"),
    W0002("unused-param", "parameter `%s` is never used", "remove it, or prefix its name with `_`"),
    W0003("unused-import", "import `%s` is never used", "remove the import"),
    W0004("shadowed-name", "`%s` shadows the %s declared at %s", "rename one of them"),
    W0005("unused-value", "value `%s` is never used", "remove it, or prefix its name with `_`"),
    W0006("missing-dollar", "`{%s}` is plain text, not the %s `%s`", "write `${%s}` to pass it"),
    W0007("unknown-lint", "no warning is called `%s`: this `freestone:allow` silences nothing",
            "the warnings are %s (or their codes W0001...)"),
    W0008("dollar-in-script", "`${%s}` in a Python script is that text, not the %s `%s`",
            "a script is not interpolated: it reads each input and output from its environment, `os.environ[\"%s\"]`"),
    W0009("argo-tag", "`%s` is Argo's syntax, passed as this text", "%s: Argo would put a value there, the local engine"
            + " does not"),
    W0010("constant-null-test", "`%s` has type `%s`, never null: `%s` is always %s", "%s");

    private final String lint;
    private final String template;
    private final String help;

    Code(String template, String help) {
        this(null, template, help);
    }

    Code(String lint, String template, String help) {
        this.lint = lint;
        this.template = template;
        this.help = help;
    }

    public Severity severity() {
        return name().startsWith("W") ? Severity.WARNING : Severity.ERROR;
    }

    /** A code no phase reports any more: kept in the catalog so that it is never given another meaning. */
    public boolean retired() {
        return this == E0213 || this == E0215;
    }

    /** The lint name users write to suppress a warning; null for errors. */
    public String lint() {
        return lint;
    }

    public String template() {
        return template;
    }

    public String helpTemplate() {
        return help;
    }

    public static Code byLint(String lint) {
        for (Code c : values()) {
            if (lint.equals(c.lint) || lint.equalsIgnoreCase(c.name())) {
                return c;
            }
        }
        return null;
    }
}
