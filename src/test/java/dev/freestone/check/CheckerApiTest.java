package dev.freestone.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the IR builder, the CLI and the language server read from a {@link Checked} program. */
class CheckerApiTest {

    static final String SWEEP = """
            component train(lr: Float, epochs: Int = 10) -> (model: Model, accuracy: Float) {
              image   = "python:3.12-slim"
              command = ["python3", "-c", "...", "--lr=${lr}", "${epochs}", model, accuracy]
              retry { limit = 2  backoff = 10s  factor = 2  max_backoff = 5m  policy = "OnError" }
              resources { cpu = 0.5  memory = 256Mi  gpu = 1 }
              env { TOKEN = secret("creds", "token")  MODE = "lr=${lr}" }
              timeout = 10m
              cache = false
            }

            component pick_best(models: List[Model], scores: List[Float]) -> (model: Model, score: Float) {
              image  = "python:3.12-slim"
              script = python \"""
                print("hi")
              \"""
            }

            component publish(model: Model, channel: String) -> (url: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "echo $0 $2 > $1", model, url, channel]
            }

            component notify(text: String) {
              image   = "alpine:3.20"
              command = ["echo", text]
            }

            pipeline sweep(rates: List[Float] = [0.1, 0.03], threshold: Float = 1) -> (url: String) {
              for lr in rates parallel 2 {
                fit = train(lr = lr)
              }
              best = pick_best(models = fit.model, scores = fit.accuracy)
              if best.score >= threshold {
                prod = publish(model = best.model, channel = "prod")
              } else {
                staging = publish(model = best.model, channel = "staging") with { retry { limit = 5 }  timeout = 1h }
              }
              url = oneof(prod.url, staging.url)
              notify(text = "published at ${url}") after best
              finally {
                notify(text = "sweep ${run.id} ended: ${run.status}")
              }
              output url = url
            }
            """;

    static CheckResult check(String text) {
        return Checker.check(new Source("sweep.pipe", text), new ModuleLoader(), CheckOptions.DEFAULT);
    }

    private static List<Ast.Stmt> body(Checked c) {
        return c.pipelines().get(0).decl().body().stmts();
    }

    @Test
    void sweepChecksClean() {
        CheckResult r = check(SWEEP);
        assertEquals(List.of(), r.diagnostics());
        assertFalse(r.failed(true));
    }

    @Test
    void stepsValuesAndIds() {
        Checked c = check(SWEEP).program();
        Symbol.Pipeline sweep = c.pipeline("sweep").orElseThrow();
        List<String> ids = c.steps(sweep).stream().map(Symbol.Step::id).toList();
        assertEquals(List.of("fit", "best", "prod", "staging", "notify", "notify-2"), ids);
        List<Ast.Stmt> body = body(c);
        Ast.For loop = (Ast.For) body.get(0);
        assertEquals("for-lr", c.idOf(loop));
        assertEquals("if", c.idOf(body.get(2)));
        Ast.Bind url = (Ast.Bind) body.get(3);
        assertNull(c.stepOf(url));
        assertEquals(Type.STRING, c.valueOf(url).type());
        Ast.Bind fit = (Ast.Bind) loop.body().stmts().get(0);
        assertEquals("train", c.stepOf(fit).callee().name());
        assertEquals(Type.INT, Type.INT);
        assertEquals(2, c.constantOf(loop.parallel()).intValue());
        Symbol.Input threshold = sweep.inputs().get(1);
        assertEquals(1.0, c.constantOf(threshold.decl().defaultValue()).doubleValue());
        assertTrue(c.constantOf(threshold.decl().defaultValue()).isDouble(), "an Int default of a Float is a Float");
    }

    @Test
    void exportsAndReferences() {
        Checked c = check(SWEEP).program();
        List<Ast.Stmt> body = body(c);
        List<Checked.Export> loopExports = c.exportsOf(body.get(0));
        assertEquals(List.of("fit.model", "fit.accuracy"), loopExports.stream().map(Checked.Export::name).toList());
        assertEquals(new Type.ListOf(Type.MODEL), loopExports.get(0).outside());
        assertEquals(Type.MODEL, loopExports.get(0).inside());
        List<Checked.Export> ifExports = c.exportsOf(body.get(2));
        assertEquals(List.of("prod.url", "staging.url"), ifExports.stream().map(Checked.Export::name).toList());
        assertEquals(new Type.Optional(Type.STRING), ifExports.get(0).outside());

        Ast.Bind best = (Ast.Bind) body.get(1);
        Ast.Call call = (Ast.Call) best.value();
        Ast.Expr models = call.args().get(0).value();
        Checked.Reference ref = c.referenceOf(models);
        assertInstanceOf(Symbol.StepOutput.class, ref.target());
        assertEquals(List.of(body.get(0)), ref.crossed());
        assertEquals(new Type.ListOf(Type.MODEL), c.typeOf(models));
        assertInstanceOf(Symbol.Component.class, c.symbolOf(call));
    }

    @Test
    void dependenciesSeeThroughValues() {
        Checked c = check(SWEEP).program();
        List<Ast.Stmt> body = body(c);
        assertEquals(List.of(body.get(0)), c.dependenciesOf(body.get(1)), "best waits for the loop");
        assertEquals(List.of(body.get(1)), c.dependenciesOf(body.get(2)), "the if reads best");
        // notify reads the value `url`, which reads the if: the step waits for the if (and `after best`)
        assertEquals(List.of(body.get(1), body.get(2)), c.dependenciesOf(body.get(4)));
    }

    @Test
    void settingsAreNormalized() {
        Checked c = check(SWEEP).program();
        Symbol.Component train = c.components().get(0);
        ComponentSettings s = c.settingsOf(train);
        assertEquals("python:3.12-slim", s.image());
        assertEquals(List.of(new ComponentSettings.Text("--lr="), new ComponentSettings.InputValue("lr")),
                s.command().get(3).parts());
        assertEquals(List.of(new ComponentSettings.OutputPath("model")), s.command().get(5).parts());
        assertEquals(new ComponentSettings.Retry(2, 10L, 2, 300L, "OnError"), s.overrides().retry());
        assertEquals(new ComponentSettings.Resources("0.5", "256Mi", 1, null), s.overrides().resources());
        assertEquals(600L, s.overrides().timeoutSeconds());
        assertEquals(false, s.overrides().cache());
        assertEquals(new ComponentSettings.EnvSecret("creds", "token"), s.env().get("TOKEN"));
        assertNull(s.script());
        ComponentSettings pick = c.settingsOf(c.components().get(1));
        assertEquals(List.of("python3"), pick.script().interpreter());
        assertNull(pick.command());
        assertEquals(List.of(new ComponentSettings.InputPath("model"), new ComponentSettings.OutputPath("url"),
                        new ComponentSettings.InputValue("channel")),
                c.settingsOf(c.components().get(2)).command().subList(3, 6).stream().map(a -> a.parts().get(0)).toList());

        Ast.If branch = (Ast.If) body(c).get(2);
        Ast.Bind staging = (Ast.Bind) branch.elseBlock().stmts().get(0);
        ComponentSettings.Overrides o = c.overridesOf(staging);
        assertEquals(3600L, o.timeoutSeconds());
        ComponentSettings.Overrides merged = o.over(c.settingsOf(c.stepOf(staging).callee() instanceof Symbol.Component k ? k : null).overrides());
        assertEquals(new ComponentSettings.Retry(5, null, null, null, null), merged.retry());
    }

    @Test
    void overridesMergeFieldByField() {
        Checked c = check(SWEEP).program();
        ComponentSettings.Overrides base = c.settingsOf(c.components().get(0)).overrides();
        ComponentSettings.Overrides call = new ComponentSettings.Overrides(
                new ComponentSettings.Retry(5, null, null, null, null), 3600L, null, null, null, null, null);
        ComponentSettings.Overrides merged = call.over(base);
        assertEquals(new ComponentSettings.Retry(5, 10L, 2, 300L, "OnError"), merged.retry());
        assertEquals(3600L, merged.timeoutSeconds());
        assertEquals(false, merged.cache());
    }

    @Test
    void strictAndAllowed() {
        String text = "pipeline p(unused: Int = 1) {\n}\n";
        CheckResult plain = check(text);
        assertEquals(List.of(Code.W0002), plain.diagnostics().stream().map(Diagnostic::code).toList());
        assertFalse(plain.failed(false));
        assertTrue(plain.failed(true));
        CheckResult allowed = Checker.check(new Source("p.pipe", text), new ModuleLoader(),
                new CheckOptions(Set.of("unused-param"), true, null));
        assertEquals(List.of(), allowed.diagnostics());
        CheckResult byCode = Checker.check(new Source("p.pipe", text), new ModuleLoader(),
                new CheckOptions(Set.of("W0002"), false, null));
        assertEquals(List.of(), byCode.diagnostics());
        CheckResult unknownPipeline = Checker.check(new Source("p.pipe", text), new ModuleLoader(),
                new CheckOptions(Set.of(), false, "q"));
        assertTrue(unknownPipeline.diagnostics().stream().anyMatch(d -> d.code() == Code.E0605));
    }

    @Test
    void errorsCannotBeSuppressed() {
        CheckResult r = Checker.check(new Source("p.pipe", "pipeline p() {\n  x = y // freestone:allow E0101\n}\n"),
                new ModuleLoader(), new CheckOptions(Set.of("E0101"), false, null));
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.code() == Code.E0101));
    }

    @Test
    void standardLibraryIsListedAndClean() {
        assertTrue(ModuleLoader.stdlibModules().contains("util"), ModuleLoader.stdlibModules().toString());
        CheckResult r = check("import stdlib/util\n\npipeline p(url: String) -> (rows: Int) {\n"
                + "  d = util.download(url = url)\n  s = util.csv_split(data = d.data)\n"
                + "  v = util.csv_validate(data = s.train, columns = [\"a\"])\n  _t = s.test\n  output rows = v.rows\n}\n");
        assertEquals(List.of(), r.diagnostics());
        assertEquals(List.of("sweep.pipe", "stdlib/util.pipe"),
                r.program().modules().stream().map(m -> m.source().path()).toList());
    }

    @Test
    void overridesReplaceTheDisk() {
        java.nio.file.Path lib = java.nio.file.Path.of("no-such-dir", "lib.pipe").toAbsolutePath();
        ModuleLoader loader = new ModuleLoader(Map.of(lib, "component hi() {\n  image = \"a\"\n  command = [\"true\"]\n}\n"));
        CheckResult r = Checker.check(new Source("no-such-dir/main.pipe",
                "import \"./lib.pipe\"\n\npipeline p() {\n  lib.hi()\n}\n"), loader, CheckOptions.DEFAULT);
        assertEquals(List.of(), r.diagnostics());
        assertEquals("no-such-dir/lib.pipe", r.program().modules().get(1).source().path());
    }

    // --- run arguments ------------------------------------------------------------------------------------------

    static final String PARAMS = """
            struct Config {
              lr: Float
              tag: String?
            }

            component show(text: String) {
              image   = "alpine:3.20"
              command = ["echo", text]
            }

            pipeline p(name: String, n: Int, f: Float = 1.0, b: Bool = true, d: Duration = 30s, q: Quantity = 1Gi,
                       xs: List[Int] = [], m: Map[String, Float] = {}, cfg: Config = Config(lr = 0.1), data: Dataset,
                       o: Int? = null) {
              show(text = "${name}${n}${f}${b}${d}${q}${xs}${m}${cfg}${o}")
              _d = data
            }
            """;

    private static Checked params() {
        CheckResult r = check(PARAMS);
        assertEquals(List.of(), r.diagnostics());
        return r.program();
    }

    @Test
    void runArgumentsParseByType() {
        RunArguments a = Checker.checkRunArguments(params(), null, Map.ofEntries(
                Map.entry("name", "x y"), Map.entry("n", "1_000"), Map.entry("f", "2"), Map.entry("b", "false"),
                Map.entry("d", "2m"), Map.entry("q", "512Mi"), Map.entry("xs", "[1, 2]"), Map.entry("m", "{\"a\": 1}"),
                Map.entry("cfg", "{\"lr\": 1}"), Map.entry("data", "data/iris.csv"), Map.entry("o", "null")));
        assertEquals(List.of(), a.diagnostics());
        assertEquals("p", a.pipeline());
        assertEquals("x y", a.values().get("name").textValue());
        assertEquals(1000L, a.values().get("n").longValue());
        assertTrue(a.values().get("f").isDouble());
        assertFalse(a.values().get("b").booleanValue());
        assertEquals(120L, a.values().get("d").longValue());
        assertEquals("512Mi", a.values().get("q").textValue());
        assertEquals("[1,2]", a.values().get("xs").toString());
        assertEquals("{\"a\":1.0}", a.values().get("m").toString());
        assertEquals("{\"lr\":1.0,\"tag\":null}", a.values().get("cfg").toString());
        assertTrue(a.values().get("o").isNull());
    }

    @Test
    void runArgumentMistakes() {
        RunArguments a = Checker.checkRunArguments(params(), "p", Map.of(
                "nam", "x", "n", "ten", "f", "1.2.3", "b", "yes", "d", "30x", "q", "512MB", "xs", "[1, \"a\"]",
                "m", "{", "cfg", "{\"lr\": 1, \"rate\": 2}"));
        List<String> got = new ArrayList<>();
        for (Diagnostic d : a.diagnostics()) {
            got.add(d.code() + " " + d.span().path() + ": " + d.message() + " | " + d.help());
        }
        assertEquals(List.of(
                "E0603 --param b: parameter `b` expects `Bool`: `yes` is not a Bool | write `true` or `false`",
                "E0603 --param cfg: parameter `cfg` expects `Config`: `Config` has no field `rate` | the fields of `Config` are: `lr`, `tag`",
                "E0603 --param d: parameter `d` expects `Duration`: `30x` is not a Duration | write a duration such as `30s`, `10m` or `2h`",
                "E0603 --param f: parameter `f` expects `Float`: `1.2.3` is not a Float | write a number such as `0.5` or `1e-3`",
                "E0603 --param m: parameter `m` expects `Map[String, Float]`: it is not valid JSON: it ends too early (a closing `]`, `}` or `\"` is missing) | write a JSON object, e.g. `{\"a\": 0.1}`",
                "E0603 --param n: parameter `n` expects `Int`: `ten` is not an Int | write a whole number such as `42`",
                "E0601 --param nam: unknown parameter `nam` of pipeline `p` | did you mean `name`?",
                "E0603 --param q: parameter `q` expects `Quantity`: `512MB` is not a quantity | write a quantity such as `512Mi` or `2Gi`",
                "E0603 --param xs: parameter `xs` expects `List[Int]`: the value at `[1]`, `\"a\"`, is not an Int | write a whole number",
                // a missing value at the parameter's declaration in the file (sorted after the command line's places)
                "E0602 sweep.pipe: missing required parameter `name` of pipeline `p` | pass `--param name=...`",
                "E0602 sweep.pipe: missing required parameter `data` of pipeline `p` | pass `--param data=...`"), got);
        assertTrue(a.hasErrors());
    }

    /** A value written as in a .pipe file (names unquoted, single quotes) is told where it stops being JSON, and how JSON looks for the type. */
    @Test
    void runArgumentsWrittenAsPipeLiteralsSayWhereAndShowTheJson() {
        RunArguments a = Checker.checkRunArguments(params(), "p", Map.of(
                "name", "x", "n", "1", "data", "d.csv", "cfg", "{lr: 0.1}", "xs", "['a', 'b']"));
        List<String> got = new ArrayList<>();
        for (Diagnostic d : a.diagnostics()) {
            got.add(d.message() + " | " + d.help());
        }
        assertEquals(List.of(
                "parameter `cfg` expects `Config`: it is not valid JSON: unexpected `lr: 0.1}` at column 2 (names and text are"
                        + " written in double quotes) | write a JSON object with the fields of `Config`, e.g. `{\"lr\": 0.1, \"tag\": \"a\"}`",
                "parameter `xs` expects `List[Int]`: it is not valid JSON: unexpected `'a', 'b']` at column 2 (names and text are"
                        + " written in double quotes) | write a JSON list, e.g. `[1, 2]`"), got);
    }

    /** A value of several lines (`$(cat cfg.json)`) is told its line and column, and a mistake that is no missing quote gets no hint about quotes. */
    @Test
    void runArgumentsOfSeveralLinesSayTheLine() {
        RunArguments a = Checker.checkRunArguments(params(), "p", Map.of(
                "name", "x", "n", "1", "data", "d.csv", "cfg", "{\n  \"lr\": 0.1,\n  tag: \"a\"\n}", "xs", "[1, 2,]"));
        List<String> got = new ArrayList<>();
        for (Diagnostic d : a.diagnostics()) {
            got.add(d.message());
        }
        assertEquals(List.of(
                "parameter `cfg` expects `Config`: it is not valid JSON: unexpected `tag: \"a\"` at line 3, column 3 (names and text are"
                        + " written in double quotes)",
                "parameter `xs` expects `List[Int]`: it is not valid JSON: unexpected `]` at column 7"), got);
    }

    @Test
    void choosingThePipeline() {
        Checked none = check("component c() {\n  image = \"a\"\n  command = [\"true\"]\n}\n").program();
        assertEquals(Code.E0604, Checker.checkRunArguments(none, null, Map.of()).diagnostics().get(0).code());
        Checked two = check("pipeline a() {\n}\n\npipeline b() {\n}\n").program();
        RunArguments ambiguous = Checker.checkRunArguments(two, null, Map.of());
        assertEquals(Code.E0605, ambiguous.diagnostics().get(0).code());
        assertNull(ambiguous.pipeline());
        RunArguments misspelt = Checker.checkRunArguments(two, "c", Map.of());
        assertEquals("did you mean `a`?", misspelt.diagnostics().get(0).help());
        assertNotNull(Checker.checkRunArguments(two, "b", Map.of()).pipeline());
    }
}
