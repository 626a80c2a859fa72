package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freestone.testing.ExprSubset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Places where the local run and the Argo Workflow compiled from the same file could disagree: each file is run with
 * {@code freestone run} and compiled with {@code freestone compile}, and the YAML is checked for the form that gives
 * Argo the engine's meaning (no cluster here: what Argo does with that form is argued in docs/argo.md).
 */
class ArgoParityE2ETest {
    @TempDir
    Path tmp;

    private static final String COUNT = """
            component count(xs: List[String]) -> (n: Int) {
              image   = "python:3.12-slim"
              command = ["python3", "-c", "import json, sys; open(sys.argv[2], 'w').write(str(len(json.loads(sys.argv[1]))))", xs, n]
            }

            component emit(text: String) -> (s: String) {
              image   = "python:3.12-slim"
              command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write(sys.argv[1])", text, s]
            }
            """;

    private static final String NAMED_CFG = """

            struct Cfg {
              seed: Int
              lr: Float
              name: String
            }
            """;

    @Test
    void aLoopOverAnEmptyListCollectsTheEmptyListOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("empty.pipe"), COUNT + """

                pipeline empty(names: List[String] = []) -> (n: Int, texts: List[String]) {
                  for name in names {
                    e = emit(text = name)
                  }
                  c = count(xs = e.s)
                  output n = c.n
                  output texts = e.s
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output n = 0"), run::all);
        JsonNode shown = fs.show(run.runId());
        assertEquals("Skipped", Freestone.state(shown, "e[*]"));
        assertEquals("Succeeded", Freestone.state(shown, "c"));

        Path yaml = tmp.resolve("empty.yaml");
        fs.cli("compile", p.toString(), "-o", yaml.toString()).expect(0);
        String y = Files.readString(yaml);
        // Argo skips a task whose withParam is [] and a skipped task has no outputs: the collection is read with
        // the engine's value for it, the empty list, both by the step and by the pipeline's output
        String collected = "sprig.default('[]', sprig.dig('for-name', 'outputs', 'parameters', 'e-s', '', tasks))";
        assertTrue(y.contains("value: \"{{=" + collected + "}}\""), y);
        assertTrue(y.contains("expression: \"toJson(jsonpath(" + collected + ", '$'))\""), y);
        assertFalse(y.contains("{{tasks.for-name.outputs.parameters.e-s}}"), y);
    }

    @Test
    void aBoolOutputWrittenAsPythonPrintsItTakesTheSameBranchOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("flag.pipe"), """
                component check(value: Int) -> (big: Bool) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os
                    open(os.environ["big"], "w").write(str(int(os.environ["value"]) > 10) + "\\n")
                  \"""
                }

                component say(text: String) -> (s: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write(sys.argv[1])", text, s]
                }

                pipeline flag(value: Int = 42) -> (said: String) {
                  c = check(value = value)
                  if c.big {
                    hi = say(text = "big")
                  } else {
                    lo = say(text = "small")
                  }
                  output said = oneof(hi.s, lo.s)
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output said = big"), run::all);

        Path yaml = tmp.resolve("flag.yaml");
        fs.cli("compile", p.toString(), "-o", yaml.toString()).expect(0);
        String y = Files.readString(yaml);
        // the step wrote "True\n"; Argo drops the newline, and the guard reads the rest as the engine does
        assertTrue(y.contains("{{=(sprig.lower(sprig.trim(tasks['c'].outputs.parameters['big'])) == 'true')}}"), y);
        assertFalse(y.contains("outputs.parameters['big'] == 'true'"), y);
    }

    @Test
    void integerDivisionRemainderAndDurationsComputeWhatTheEngineComputes() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("arith.pipe"), COUNT + """

                pipeline arith(n: Int = -7, m: Int = 2, x: Float = 7.5, wait: Duration = 250ms) -> (text: String) {
                  e = emit(text = "div=${n / m} mod=${n % m} fmod=${x % 2} wait=${wait}")
                  output text = e.s
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output text = div=-4 mod=1 fmod=1.5 wait=0.25"), run::all);

        JsonNode wf = compiled(fs, p);
        Map<String, Object> params = parameters(wf);
        // Go's int() and % truncate toward zero (-3, -1), expr-lang has no % of Floats, and asInt('0.25') of the
        // Duration would fail: the expression Argo evaluates gives what the engine gives
        String expression = tag(wf, "e");
        assertEquals("div=-4 mod=1 fmod=1.5 wait=0.25", ExprSubset.eval(expression, Map.of("workflow.parameters", params)));
        // a zero divisor fails the step on both: the engine's expression fails, and on Argo x / nil does
        params.put("m", "0");
        Freestone.Result zero = fs.cli("run", "--progress", "none", "--param", "m=0", p.toString()).expect(1);
        assertTrue(zero.all().contains("division by zero"), zero::all);
        Map<String, Object> byZero = Map.of("workflow.parameters", params);
        assertThrows(IllegalStateException.class, () -> ExprSubset.eval(expression, byZero));
    }

    @Test
    void anIterationWhoseBranchDidNotRunIsNullInTheCollectedListOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("holes.pipe"), """
                component square(v: Int) -> (n: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write(str(int(sys.argv[1]) ** 2))", "${v}", n]
                }

                component show(xs: List[Int?], names: List[String?]) -> (s: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[3], 'w').write(sys.argv[1] + ' ' + sys.argv[2])", xs, names, s]
                }

                component name(v: Int) -> (s: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write('n' + sys.argv[1])", "${v}", s]
                }

                pipeline holes(xs: List[Int] = [1, 2, 3]) -> (s: String) {
                  for x in xs {
                    if x != 2 {
                      sq = square(v = x)
                      nm = name(v = x)
                    }
                  }
                  out = show(xs = sq.n, names = nm.s)
                  output s = out.s
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output s = [1,null,9] [\"n1\",null,\"n3\"]"), run::all);

        Path yaml = tmp.resolve("holes.yaml");
        fs.cli("compile", p.toString(), "-o", yaml.toString()).expect(0);
        String y = Files.readString(yaml);
        // on Argo the iteration that skipped its branch gives its conditional's default, the empty text:
        // asInt('') would fail the step's arguments, and "" is not the engine's null
        assertTrue(y.contains("{jsonpath(sprig.default('null', #), '$')}"), y);
        assertTrue(y.contains("{[nil, #][min(len(#), 1)]}"), y);
        assertFalse(y.contains("{asInt(sprig.trim(#))}"), y);
    }

    @Test
    void anOutputLosesOneFinalNewlineAndNothingElseAsArgosExecutorDoes() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("crlf.pipe"), """
                component crlf() -> (s: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[1], 'w', newline='').write('line\\\\r\\\\n')", s]
                }

                component quote(text: String) -> (r: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write(repr(sys.argv[1]))", text, r]
                }

                pipeline ends() -> (r: String) {
                  c = crlf()
                  q = quote(text = c.s)
                  output r = q.r
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output r = 'line\\r'"), run::all);
    }

    @Test
    void aStepReadingTheModelsOfALoopOverNothingGetsAnEmptyListOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("nomodels.pipe"), """
                component make(x: String) -> (m: Model) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write(sys.argv[1])", x, m]
                }

                component count(ms: List[Model]) -> (n: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import json, sys; open(sys.argv[2], 'w').write(str(len(json.loads(sys.argv[1]))))", ms, n]
                }

                pipeline nomodels(xs: List[String] = []) -> (n: Int) {
                  for x in xs {
                    mk = make(x = x)
                  }
                  c = count(ms = mk.m)
                  output n = c.n
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output n = 0"), run::all);

        Path yaml = tmp.resolve("nomodels.yaml");
        fs.cli("compile", p.toString(), "-o", yaml.toString()).expect(0);
        String y = Files.readString(yaml);
        // nothing was stored under the loop's prefix: the executor skips an optional input it does not find
        assertTrue(y.contains("""
                          artifacts:
                          - name: ms
                            optional: true
                            s3:
                              key: "{{workflow.name}}/for-x/mk-m/"
                """), y);
        assertTrue(y.contains("""
                      artifacts:
                      - name: ms
                        path: /tmp/freestone/inputs/ms
                        optional: true
                """), y);
    }

    @Test
    void aFailureStopsOnlyWhatDependsOnItOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("failing.pipe"), """
                component step(code: Int) -> (o: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys, time; time.sleep(0.2); open(sys.argv[2], 'w').write(sys.argv[1]); sys.exit(int(sys.argv[1]))", "${code}", o]
                }

                pipeline failing(codes: List[Int] = [1, 0, 0]) -> (last: Int) {
                  for code in codes parallel 1 {
                    _s = step(code = code)
                  }
                  _bad = step(code = 2)
                  slow = step(code = 0)
                  after_slow = step(code = slow.o)
                  output last = after_slow.o
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", "--no-cache", p.toString()).expect(1);
        JsonNode shown = fs.show(run.runId());
        assertEquals("Failed", Freestone.state(shown, "_bad"));
        assertEquals("Failed", Freestone.state(shown, "_s[0]"));
        // the iterations after the failed one and the branch that does not read it still run
        assertEquals("Succeeded", Freestone.state(shown, "_s[2]"));
        assertEquals("Succeeded", Freestone.state(shown, "after_slow"));

        Path yaml = tmp.resolve("failing.yaml");
        fs.cli("compile", p.toString(), "-o", yaml.toString()).expect(0);
        String y = Files.readString(yaml);
        // Argo's DAGs fail fast by default: no new task after a failure, in the body and in the loop's template
        int dags = y.split("\n    dag:\n", -1).length - 1;
        assertTrue(dags >= 2, y);
        assertEquals(dags, y.split("\n      failFast: false\n", -1).length - 1, y);
    }

    @Test
    void aFloatDefaultIsTheSameTextOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("floats.pipe"), COUNT + """

                struct Opt {
                  lr: Float
                }

                pipeline floats(tiny: Float = 1e-5, big: Float = 123456789.0, opt: Opt = Opt(lr = 1e-5)) -> (s: String) {
                  e = emit(text = "${tiny} ${big}")
                  _o = emit(text = json(opt))
                  output s = e.s
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output s = 1e-05 123456789.0"), run::all);

        Path yaml = tmp.resolve("floats.yaml");
        fs.cli("compile", p.toString(), "-o", yaml.toString()).expect(0);
        String y = Files.readString(yaml);
        // Python's repr, as the engine writes them, not Java's 1.0E-5 and 1.23456789E8
        assertTrue(y.contains("- name: tiny\n      value: \"1e-05\""), y);
        assertTrue(y.contains("- name: big\n      value: \"123456789.0\""), y);
        assertTrue(y.contains("- name: opt\n      value: \"{\\\"lr\\\":1e-05}\""), y);
        assertFalse(y.contains("E-5") || y.contains("E8"), y);
    }

    @Test
    void dollarsInACommandReachTheProgramAsWrittenOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("dollars.pipe"), """
                component d(x: String) -> (o: String) {
                  image   = "python:3.12-slim"
                  command = ["sh", "-c", "printf '%s|%s|%s|%s' \\"$(echo sub)\\" \\"$X\\" \\"$0\\" \\"$$\\" > \\"$1\\"", x, o]
                  env { X = "v$(x)w" }
                }

                pipeline dollars() -> (o: String) {
                  a = d(x = "in")
                  output o = a.o
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().matches("(?s).*output o = sub\\|v\\$\\(x\\)w\\|in\\|[0-9]+\\R.*"), run::all);

        Path yaml = tmp.resolve("dollars.yaml");
        fs.cli("compile", p.toString(), "-o", yaml.toString()).expect(0);
        String y = Files.readString(yaml);
        // Kubernetes expands $(NAME) of the container's env and turns $$ into $: every $ doubled gives the text back
        assertTrue(y.contains("- printf '%s|%s|%s|%s' \"$$(echo sub)\" \"$$X\" \"$$0\" \"$$$$\" > \"$$1\""), y);
        assertTrue(y.contains("value: v$$(x)w"), y);
        // no $( or $$: as written
        assertTrue(y.contains("- \"{{inputs.parameters.x}}\""), y);
    }

    @Test
    void computedNumbersAreTheSameTextOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("numbers.pipe"), COUNT + """

                struct Cfg {
                  seed: Int
                  lr: Float
                }

                pipeline numbers(x: Float = 1.0, big: Float = 1000000.0, wait: Duration = 1000000s,
                                 cfg: Cfg = Cfg(seed = 1234567, lr = 1.0), t: String = " 12 ") -> (s: String, j: String, c: String) {
                  e = emit(text = "x2=${x * 2} big=${big * 1} f=${float(3)} w=${wait} seed=${cfg.seed} m=${cfg.seed % 10} lr=${cfg.lr} i=${int(t)} g=${float(t)}")
                  l = emit(text = json([x, big * 1, cfg.lr, 1e-7]))
                  m = emit(text = json(Cfg(seed = cfg.seed * 2, lr = cfg.lr * 3)))
                  output s = e.s
                  output j = l.s
                  output c = m.s
                }
                """);
        // what Argo's controller computes from the tags, with expr-lang's and sprig's Go semantics (ExprSubset):
        // before, Go's %v gave x2=2 big=1e+06 f=3 w=1e+06, the seed 1.234567e+06, `%` of a float64 failed the step,
        // and so did Atoi(" 12 ")
        sameTextOnBothBackends(fs, p, new Same("s", "e", "x2=2.0 big=1000000.0 f=3.0 w=1000000 seed=1234567 m=7 lr=1.0 i=12 g=12.0"),
                new Same("j", "l", "[1.0,1000000.0,1.0,1e-07]"), new Same("c", "m", "{\"seed\":2469134,\"lr\":3.0}"));
    }

    @Test
    void infinitiesAndNaNAreGosTextOnBothBackendsAndNullInJson() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("inf.pipe"), COUNT + """

                pipeline inf(x: Float = 1e308, s: String = " -Infinity ") -> (t: String, j: String) {
                  e = emit(text = "big=${x * 10.0} neg=${float(s)} nan=${x * 10.0 - x * 10.0} small=${-x * 10.0}")
                  l = emit(text = json([x * 10.0, 1.5, float(s)]))
                  output t = e.s
                  output j = l.s
                }
                """);
        // Go's %v, which Argo's expressions write and Python's float() reads (the engine wrote Python's inf, nan);
        // JSON has no infinity: null on both (Argo wrote +Inf into the list)
        sameTextOnBothBackends(fs, p, new Same("t", "e", "big=+Inf neg=-Inf nan=NaN small=-Inf"), new Same("j", "l", "[null,1.5,null]"));
    }

    /** Pipeline output {@code output} is {@code text}, computed on Argo by the argument {@code text} of task {@code task}. */
    private record Same(String output, String task, String text) {
    }

    /**
     * Runs {@code pipe} and compiles it: each output is the same text in the run and in what Argo's controller computes
     * from its task's tag over the workflow's parameters (ExprSubset: expr-lang and sprig with Go's semantics).
     */
    private void sameTextOnBothBackends(Freestone fs, Path pipe, Same... outputs) throws java.io.IOException {
        Freestone.Result run = fs.cli("run", "--progress", "none", pipe.toString()).expect(0);
        JsonNode wf = compiled(fs, pipe);
        Map<String, Object> env = Map.of("workflow.parameters", parameters(wf));
        for (Same o : outputs) {
            assertTrue(run.out().contains("output " + o.output() + " = " + o.text() + "\n"), run::all);
            assertEquals(o.text(), ExprSubset.eval(tag(wf, o.task()), env));
        }
    }

    @Test
    void aCollectionOfStructuresIsTheTextTheStepsWroteOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("collect.pipe"), COUNT + NAMED_CFG + """

                component make(seed: Int) -> (cfg: Cfg) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import json, sys; open(sys.argv[2], 'w').write(json.dumps({'seed': int(sys.argv[1]), 'lr': 1.0, 'name': 'a<b'}, separators=(',', ':')))", "${seed}", cfg]
                }

                pipeline collect(seeds: List[Int] = [1, 2]) -> (s: String) {
                  for seed in seeds {
                    c = make(seed = seed)
                  }
                  e = emit(text = json(c.cfg))
                  output s = e.s
                }
                """);
        String local = "[{\"seed\":1,\"lr\":1.0,\"name\":\"a<b\"},{\"seed\":2,\"lr\":1.0,\"name\":\"a<b\"}]";
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output s = " + local + "\n"), run::all);

        // Argo aggregates the texts the iterations wrote; they are joined as they are, where Go's toJson of the
        // parsed list gave [{"lr":1,"name":"a<b","seed":1},…] with its keys sorted, 1 for 1.0 and the < escaped
        JsonNode wf = compiled(fs, p);
        String aggregated = new ObjectMapper().writeValueAsString(List.of(
                "{\"seed\":1,\"lr\":1.0,\"name\":\"a<b\"}", "{\"seed\":2,\"lr\":1.0,\"name\":\"a<b\"}"));
        Map<String, Object> tasks = Map.of("for-seed", Map.of("outputs", Map.of("parameters", Map.of("c-cfg", aggregated))));
        assertEquals(local, ExprSubset.eval(tag(wf, "e"), Map.of("tasks", tasks)));
    }

    @Test
    void loopItemsOfLiteralsAreTheEnginesTextOnArgo() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("items.pipe"), COUNT + """

                component keep(text: String) -> (m: Model) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write(sys.argv[1])", text, m]
                }

                struct Cfg {
                  seed: Int
                  lr: Float
                  name: String
                }

                pipeline items() -> (f: List[String], c: List[String], k: List[String], models: List[Model]) {
                  for v in [1, 2.5, 1e-7, 1000000.0] {
                    ef = emit(text = "${v}")
                  }
                  for cfg in [Cfg(seed = 1, lr = 1.0, name = "a")] {
                    ec = emit(text = json(cfg))
                  }
                  for kc in [Cfg(seed = 2, lr = 0.5, name = "say \\"hi\\"")] {
                    kept = keep(text = json(kc))
                    ek = emit(text = json(kc))
                  }
                  output f = ef.s
                  output c = ec.s
                  output k = ek.s
                  output models = kept.m
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output f = [\"1.0\",\"2.5\",\"1e-07\",\"1000000.0\"]"), run::all);
        // a struct item reaches the step with its fields in Go's order (json.Marshal of a map), as on Argo
        String c = "{\"lr\":1.0,\"name\":\"a\",\"seed\":1}";
        String k = "{\"lr\":0.5,\"name\":\"say \\\"hi\\\"\",\"seed\":2}";
        assertTrue(run.out().contains("output c = [" + new ObjectMapper().writeValueAsString(c) + "]"), run::all);
        assertTrue(run.out().contains("output k = [" + new ObjectMapper().writeValueAsString(k) + "]"), run::all);

        Path yaml = tmp.resolve("items.yaml");
        fs.cli("compile", p.toString(), "-o", yaml.toString()).expect(0);
        String y = Files.readString(yaml);
        // Argo keeps each item's JSON text ({{item}} of 1.0 is `1.0`); toJson of the list would write 1, 1e-7, 1000000;
        // json(cfg) is the item's text, not Go's toJson of it (which wrote 1 for 1.0)
        assertTrue(y.contains("withParam: \"[1.0,2.5,1e-07,1000000.0]\""), y);
        assertFalse(y.contains("toJson(jsonpath(inputs.parameters['cfg'], '$'))"), y);
        // what Argo substitutes for {{item}} and, in the loop that collects its models (each item wrapped with its
        // index), for {{item.v}}: the engine's text. {{item.v}} of the struct's JSON *text* was `{\"lr\":…` with every
        // quote escaped (Item.String), so the struct is carried as itself
        JsonNode wf = new YAMLMapper().readTree(yaml.toFile());
        assertEquals(c, ExprSubset.argoItem(loopTask(wf, "for-cfg").path("withParam").asText(), 0, null));
        JsonNode kept = loopTask(wf, "for-kc");
        assertEquals("{{item.v}}", kept.path("arguments").path("parameters").get(0).path("value").asText());
        assertEquals(k, ExprSubset.argoItem(kept.path("withParam").asText(), 0, "v"));
    }

    @Test
    void aTextItemOfALoopThatCollectsArtifactsIsTheTextOnArgo() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        // for w in ["say \"hi\"", "a\\b <&>"] { k = mk(text = w) }, collecting k.m and k.t
        Path p = Files.copy(Freestone.project().resolve("src/test/resources/golden/compile/fan_in_texts.pipe"), tmp.resolve("quoted.pipe"));
        List<String> texts = List.of("say \"hi\"", "a\\b <&>");
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output ts = " + new ObjectMapper().writeValueAsString(texts) + "\n"), run::all);

        // the item travels with its index ({"i": "0", "v": …}, to place the iteration's model); {{item.v}} would give
        // the text with its JSON escapes (`say \"hi\"`), so the whole item goes to a template that takes the text out
        JsonNode wf = compiled(fs, p);
        JsonNode loop = loopTask(wf, "for-w");
        String withParam = loop.path("withParam").asText();
        assertEquals("say \\\"hi\\\"", ExprSubset.argoItem(withParam, 0, "v"));
        JsonNode unwrap = null;
        for (JsonNode t : wf.path("spec").path("templates")) {
            if (t.path("name").asText().equals(loop.path("template").asText())) {
                unwrap = t;
            }
        }
        String arg = unwrap.path("dag").path("tasks").get(0).path("arguments").path("parameters").get(0).path("value").asText();
        assertTrue(arg.startsWith("{{=") && arg.endsWith("}}"), arg);
        for (int i = 0; i < texts.size(); i++) {
            Map<String, Object> inputs = Map.of("fs-item", ExprSubset.argoItem(withParam, i, null));
            assertEquals(texts.get(i), ExprSubset.eval(arg.substring(3, arg.length() - 2), Map.of("inputs.parameters", inputs)));
        }
    }

    /** The looped task {@code name} of the compiled workflow. */
    private static JsonNode loopTask(JsonNode workflow, String name) {
        for (JsonNode t : workflow.path("spec").path("templates")) {
            for (JsonNode k : t.path("dag").path("tasks")) {
                if (k.path("name").asText().equals(name)) {
                    return k;
                }
            }
        }
        throw new AssertionError("no task " + name);
    }

    @Test
    void aBoolParameterWrittenAsPythonPrintsItIsTakenOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("pyflag.pipe"), COUNT + """

                pipeline pyflag(flag: Bool = false) -> (s: String?) {
                  if flag {
                    e = emit(text = "on")
                  }
                  output s = e.s
                }
                """);
        // Argo's guard reads `True` as true (sprig.lower): the engine and compile read the parameter the same way
        Freestone.Result run = fs.cli("run", "--progress", "none", "--param", "flag=True", p.toString()).expect(0);
        assertTrue(run.out().contains("output s = on"), run::all);
        Path yaml = tmp.resolve("pyflag.yaml");
        fs.cli("compile", p.toString(), "--param", "flag=True", "-o", yaml.toString()).expect(0);
        assertTrue(Files.readString(yaml).contains("- name: flag\n      value: \"true\""), () -> read(yaml));
        fs.cli("run", "--progress", "none", "--param", "flag=yes", p.toString()).expect(1);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void aNumberWrittenWithSpacesIsReadAsTheEngineReadsIt() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("spaced.pipe"), COUNT + """

                component spaced() -> (n: Int, x: Float) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[1], 'w', newline='').write(' 41 \\\\r\\\\n'); open(sys.argv[2], 'w').write('0.5 ')", n, x]
                }

                pipeline spaced_out() -> (s: String) {
                  c = spaced()
                  e = emit(text = "${c.n + 1} ${c.x * 2}")
                  output s = e.s
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output s = 42 1.0"), run::all);

        JsonNode wf = compiled(fs, p);
        // Argo drops the final newline only; asInt(' 41 \\r') would fail the step's arguments
        Map<String, Object> outputs = Map.of("n", " 41 \r", "x", "0.5 ");
        Map<String, Object> tasks = Map.of("c", Map.of("outputs", Map.of("parameters", outputs)));
        assertEquals("42 1.0", ExprSubset.eval(tag(wf, "e"), Map.of("tasks", tasks)));
    }

    /**
     * {@code with { image = ... }} gives one call's step another image (a mirror, a newer tag): the engine names it
     * for that step, Argo runs that step's template in it, and the component's other calls keep its own.
     */
    @Test
    void aCallsImageIsTheImageOfItsStepAndOfNoOtherOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("mirror.pipe"), """
                component step(code: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; sys.exit(int(sys.argv[1]))", "${code}"]
                }

                pipeline mirror() {
                  a = step(code = 0)
                  b = step(code = 3) after a with { image = "mirror.example.com/library/python:3.12-slim" }
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        assertTrue(run.err().contains("step `b` (component `step`, image `mirror.example.com/library/python:3.12-slim`)"
                + " exited with code 3"), run::all);
        assertEquals("Succeeded", Freestone.state(fs.show(run.runId()), "a"));

        JsonNode wf = compiled(fs, p);
        Map<String, String> images = new LinkedHashMap<>();
        for (JsonNode t : wf.path("spec").path("templates")) {
            for (JsonNode k : t.path("dag").path("tasks")) {
                JsonNode template = template(wf, k.path("template").asText());
                images.put(k.path("name").asText(), template.path("container").path("image").asText());
            }
        }
        assertEquals(Map.of("a", "python:3.12-slim", "b", "mirror.example.com/library/python:3.12-slim"), images);
    }

    private static JsonNode template(JsonNode workflow, String name) {
        for (JsonNode t : workflow.path("spec").path("templates")) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no template " + name);
    }

    /** The workflow {@code freestone compile} writes for {@code pipe}. */
    private static final String FAILURES = """
            component work(code: Int) {
              image   = "python:3.12-slim"
              command = ["python3", "-c", "import sys; print('oops', file=sys.stderr); sys.exit(int(sys.argv[1]))", "${code}"]
            }

            component notify(failures: List[Failure], status: String) -> (said: String) {
              image   = "python:3.12-slim"
              command = ["python3", "-c", "import sys; open(sys.argv[3], 'w').write(sys.argv[1])", failures, status, said]
            }

            pipeline watched(a: Int = 3, b: Int = 2, codes: List[Int] = [0, 4]) {
              fit_model = work(code = a) with { retry { limit = 1 } }
              check = work(code = b)
              fine = work(code = 0)
              for c in codes {
                it = work(code = c)
              }
              finally {
                tell = notify(failures = run.failures, status = run.status)
              }
            }
            """;

    @Test
    void runFailuresListsEachFailedStepOnceOnTheEngineAndFromArgosFailedNodes() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("watched.pipe"), FAILURES);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        JsonNode shown = fs.show(run.runId());
        JsonNode failures = JSON.readTree(Freestone.task(shown, "tell").path("outputs").path("said").asText());
        // each failed step once, named as `show` names it, a retried one with its last attempt's message
        Map<String, JsonNode> byStep = new LinkedHashMap<>();
        failures.forEach(f -> byStep.put(f.path("step").asText(), f));
        assertEquals(List.of("check", "fit_model", "it[1]"), byStep.keySet().stream().sorted().toList(), failures::toString);
        byStep.values().forEach(f -> assertEquals("Failed", f.path("phase").asText()));
        assertTrue(byStep.get("fit_model").path("message").asText().contains("exited with code 3 on attempt 2; its log ends: oops"),
                failures::toString);
        assertTrue(byStep.get("it[1]").path("message").asText().contains("exited with code 4"), failures::toString);
        // in the order of the second each finished at, then of the names
        List<String> expected = byStep.keySet().stream().sorted(java.util.Comparator
                .comparing((String id) -> Freestone.task(shown, id).path("finishedAt").asText().substring(0, 19))
                .thenComparing(id -> id)).toList();
        assertEquals(expected, List.copyOf(byStep.keySet()));

        // Argo's workflow.failures of the same run: every node that failed, in no order, the DAGs and each attempt too
        List<Map<String, Object>> nodes = new java.util.ArrayList<>();
        nodes.add(node("watched-x7k2p", "watched", "child 'check' failed", finished(shown, "it[1]")));
        nodes.add(node("it", "work", "Error (exit code 4)", finished(shown, "it[1]")));
        nodes.add(node("for-c(1:4)", "watched-for-c", "child 'it' failed", finished(shown, "it[1]")));
        nodes.add(node("fit-model(1)", "work", "Error (exit code 3)", finished(shown, "fit_model")));
        nodes.add(node("check", "work", "Error (exit code 2)", finished(shown, "check")));
        nodes.add(node("fit-model", "work", "No more retries left", finished(shown, "fit_model")));
        nodes.add(node("fit-model(0)", "work", "Error (exit code 3)", finished(shown, "fit_model")));
        Object argo = ExprSubset.eval(failuresTag(compiled(fs, p)), Map.of("workflow.failures", quoted(nodes)));
        List<String> argoSteps = new java.util.ArrayList<>();
        for (Object o : (List<?>) argo) {
            Map<?, ?> f = (Map<?, ?>) o;
            argoSteps.add(f.get("step") + " " + f.get("phase"));
            if (f.get("step").equals("fit_model")) {
                assertEquals("Error (exit code 3)", f.get("message"), "the last attempt's message, not the Retry node's");
            }
        }
        // the same steps in the same order; Argo's list names a loop's step without its iteration (docs/argo.md)
        assertEquals(byStep.keySet().stream().map(s -> s.replace("[1]", "") + " Failed").toList(), argoSteps);
    }

    @Test
    void runFailuresIsTheEmptyListWhenNothingFailedOnBothBackends() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("watched.pipe"), FAILURES);
        Freestone.Result run = fs.cli("run", "--progress", "none", "--param", "a=0", "--param", "b=0",
                "--param", "codes=[0, 0]", p.toString()).expect(0);
        assertEquals("[]", Freestone.task(fs.show(run.runId()), "tell").path("outputs").path("said").asText());
        // Argo's workflow.failures is the quoted `null` of Go's empty slice then (argoproj/argo-workflows#9883)
        Object argo = ExprSubset.eval(failuresTag(compiled(fs, p)), Map.of("workflow.failures", "\"null\""));
        assertEquals(List.of(), argo);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One entry of Argo's workflow.failures (operator.go's failedNodeStatus). */
    private static Map<String, Object> node(String displayName, String template, String message, String finishedAt) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("displayName", displayName);
        n.put("message", message);
        n.put("templateName", template);
        n.put("phase", "Failed");
        n.put("podName", "watched-x7k2p-" + Math.abs(displayName.hashCode()));
        n.put("finishedAt", finishedAt);
        return n;
    }

    /** A task's finish time as Argo writes it: RFC 3339 in whole seconds. */
    private static String finished(JsonNode shown, String task) {
        return Freestone.task(shown, task).path("finishedAt").asText().substring(0, 19) + "Z";
    }

    /** Argo's value of workflow.failures: Go's strconv.Quote of the JSON list. */
    private static String quoted(List<Map<String, Object>> nodes) throws Exception {
        return JSON.writeValueAsString(JSON.writeValueAsString(nodes));
    }

    /** The expression of the exit handler's argument {@code failures}. */
    private static String failuresTag(JsonNode workflow) {
        String v = workflow.path("spec").path("templates").findValues("tasks").stream()
                .flatMap(ts -> java.util.stream.StreamSupport.stream(ts.spliterator(), false))
                .filter(t -> t.path("name").asText().equals("tell")).findFirst().orElseThrow()
                .path("arguments").path("parameters").get(0).path("value").asText();
        assertTrue(v.startsWith("{{=toJson(") && v.endsWith(")}}"), v);
        return v.substring(10, v.length() - 3);
    }

    private JsonNode compiled(Freestone fs, Path pipe) throws java.io.IOException {
        Path yaml = tmp.resolve(pipe.getFileName() + ".yaml");
        fs.cli("compile", pipe.toString(), "-o", yaml.toString()).expect(0);
        return new YAMLMapper().readTree(yaml.toFile());
    }

    /** The values of the workflow's parameters, as the controller reads them ({@code workflow.parameters} of ExprSubset). */
    private static Map<String, Object> parameters(JsonNode workflow) {
        Map<String, Object> params = new LinkedHashMap<>();
        workflow.path("spec").path("arguments").path("parameters").forEach(a -> params.put(a.path("name").asText(), a.path("value").asText()));
        return params;
    }

    /** The expression of the argument {@code text} of task {@code task}, without its {@code {{=}} and {@code }}}. */
    private static String tag(JsonNode workflow, String task) {
        for (JsonNode t : workflow.path("spec").path("templates")) {
            for (JsonNode k : t.path("dag").path("tasks")) {
                if (k.path("name").asText().equals(task)) {
                    String v = k.path("arguments").path("parameters").get(0).path("value").asText();
                    assertTrue(v.startsWith("{{=") && v.endsWith("}}"), v);
                    return v.substring(3, v.length() - 2);
                }
            }
        }
        throw new AssertionError("no task " + task);
    }
}
