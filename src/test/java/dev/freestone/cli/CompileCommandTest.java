package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrJson;
import dev.freestone.testing.CliRun;
import dev.freestone.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code freestone compile} and {@code freestone graph} through {@link Main#run}, on real files. */
class CompileCommandTest {
    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static String example(String name) {
        return Golden.projectDir().resolve("examples/" + name + "/" + name + ".pipe").toString();
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        return docs;
    }

    private Path pipe(String text) throws IOException {
        Path f = dir.resolve("p.pipe");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private static final String TYPED = """
            component show(n: Int, rate: Float, name: String) -> (out: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "echo $0 $1 $2 > $3", "${n}", "${rate}", name, out]
            }

            pipeline typed(n: Int, rate: Float = 0.5, name: String = "x") -> (out: String) {
              s = show(n = n, rate = rate, name = name)
              output out = s.out
            }
            """;

    private static JsonNode param(JsonNode workflow, String name) {
        for (JsonNode p : workflow.path("spec").path("arguments").path("parameters")) {
            if (p.path("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no parameter " + name + " in " + workflow);
    }

    @Test
    void compilesToYamlOnStdoutWithASizeAndPodReport() throws IOException {
        CliRun r = run("compile", example("hello"));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> docs = documents(r.out());
        assertEquals(1, docs.size());
        assertEquals("Workflow", docs.get(0).get("kind").asText());
        assertEquals("hello-", docs.get(0).get("metadata").get("generateName").asText());
        assertTrue(r.err().matches("(?s)compiled hello: 1 object, [0-9.]+ (B|KiB), about 1 pod, ir sha256 [0-9a-f]{12}\\s*"), r.err());
    }

    /**
     * A loop over a literal list counts its items; a loop over a parameter's list, known only at run
     * time, is counted per item instead of once ("about 3 pods" said a 3-item sweep was one pod).
     */
    @Test
    void thePodReportCountsLiteralLoopsAndSaysWhatLoopsAddPerItem() throws IOException {
        Path f = pipe("""
                component fit(lr: Float) -> (score: Float) {
                  image   = "python:3.12-slim"
                  command = ["python3", "fit.py", "${lr}", score]
                }

                pipeline sweep(rates: List[Float] = [0.1, 0.01]) {
                  prep = fit(lr = 1.0)
                  for d in [1, 2, 3] {
                    a = fit(lr = 0.5)
                    b = fit(lr = 0.2)
                  }
                  for lr in rates {
                    c = fit(lr = lr)
                  }
                }
                """);
        CliRun r = run("compile", f.toString(), "--allow", "unused-step,unused-value");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains(", about 7 pods + 1 per item of `for lr`, "), r.err());
    }

    /**
     * A pipeline called twice runs its steps twice; its template is lowered once and reused, and the reuse
     * added no pods ("about 3 pods" for 5), nor its loops' pods per item.
     */
    @Test
    void aPipelineCalledTwiceCountsItsPodsTwice() throws IOException {
        Path f = pipe("""
                component fit(lr: Float) -> (score: Float) {
                  image   = "python:3.12-slim"
                  command = ["python3", "fit.py", "${lr}", score]
                }

                pipeline pair(lr: Float, rates: List[Float]) {
                  a = fit(lr = lr)
                  b = fit(lr = lr)
                  for r in rates {
                    c = fit(lr = r)
                  }
                }

                pipeline twice(rates: List[Float] = [0.1, 0.01]) {
                  prep = fit(lr = 1.0)
                  one = pair(lr = 0.1, rates = rates)
                  two = pair(lr = 0.2, rates = rates)
                }
                """);
        CliRun r = run("compile", f.toString(), "--allow", "unused-step,unused-value");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains(", about 5 pods + 1 per item of `for r` in `one` + 1 per item of `for r` in `two`, "), r.err());
    }

    /** A loop reached through calls within calls is named by the path of calls that leads to it. */
    @Test
    void aLoopOfANestedCallIsNamedByItsCalls() throws IOException {
        Path f = pipe("""
                component fit(lr: Float) -> (score: Float) {
                  image   = "python:3.12-slim"
                  command = ["python3", "fit.py", "${lr}", score]
                }

                pipeline sweep(rates: List[Float]) {
                  for r in rates {
                    c = fit(lr = r)
                  }
                }

                pipeline pair(rates: List[Float]) {
                  one = sweep(rates = rates)
                  two = sweep(rates = rates)
                }

                pipeline top(rates: List[Float] = [0.1, 0.01]) {
                  for lr in rates {
                    x = fit(lr = lr)
                  }
                  p = pair(rates = rates)
                }
                """);
        CliRun r = run("compile", f.toString(), "--allow", "unused-step,unused-value");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains(", about 0 pods + 1 per item of `for lr` + 1 per item of `for r` in `p.one`"
                + " + 1 per item of `for r` in `p.two`, "), r.err());
    }

    @Test
    void writesTheOutputFileAtomicallyAndLeavesItAloneOnFailure() throws IOException {
        Path out = dir.resolve("sub/hello.yaml");
        CliRun r = run("compile", example("hello"), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out(), "nothing on stdout with -o");
        assertEquals(run("compile", example("hello")).out(), Files.readString(out));
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of("hello.yaml"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file is left");
        }
        Path bad = pipe("pipeline broken( {");
        CliRun failed = run("compile", bad.toString(), "-o", out.toString());
        assertEquals(1, failed.code());
        assertTrue(failed.err().contains("error["), failed.err());
        assertEquals(run("compile", example("hello")).out(), Files.readString(out), "a failed compile keeps the old file");
    }

    /** -o makes a file like any other here (mode from the umask) and keeps an existing file's mode; it made them rw-------. */
    @Test
    void theOutputFileHasTheModeOfAnyNewFileOrKeepsItsOwn() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "file modes are POSIX's");
        Path reference = Files.writeString(dir.resolve("reference.txt"), "made as any new file is");
        Path out = dir.resolve("hello.yaml");
        assertEquals(0, run("compile", example("hello"), "-o", out.toString()).code());
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(out));

        var shared = java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--");
        Files.setPosixFilePermissions(out, shared);
        assertEquals(0, run("compile", example("hello"), "-o", out.toString()).code());
        assertEquals(shared, Files.getPosixFilePermissions(out), "an existing file keeps its mode");
    }

    @Test
    void emitsTheIr() throws IOException {
        CliRun r = run("compile", "--emit", "ir", example("nested"));
        assertEquals(0, r.code(), r.err());
        Ir.Program ir = IrJson.read(r.out());
        assertEquals("two_texts", ir.name());
        assertEquals(r.out(), IrJson.pretty(ir), "the pretty canonical form");
        assertTrue(r.err().contains("ir two_texts: sha256 " + IrJson.sha256(ir)), r.err());
    }

    @Test
    void compilesToAWorkflowTemplateACronWorkflowAndIntoANamespace() throws IOException {
        JsonNode template = documents(run("compile", "--as", "template", "-n", "ml", example("hello")).out()).get(0);
        assertEquals("WorkflowTemplate", template.get("kind").asText());
        assertEquals("hello", template.get("metadata").get("name").asText());
        assertEquals("ml", template.get("metadata").get("namespace").asText());

        CliRun cron = run("compile", "--as", "cron", "--schedule", "0 3 * * *", "--schedule", "30 12 * * 1", example("hello"));
        assertEquals(0, cron.code(), cron.err());
        JsonNode c = documents(cron.out()).get(0);
        assertEquals("CronWorkflow", c.get("kind").asText());
        assertEquals("[\"0 3 * * *\",\"30 12 * * 1\"]", c.get("spec").get("schedules").toString());
        assertEquals("hello", c.get("spec").get("workflowSpec").get("entrypoint").asText());

        CliRun noSchedule = run("compile", "--as", "cron", example("hello"));
        assertEquals(2, noSchedule.code());
        assertTrue(noSchedule.err().contains("--as cron needs --schedule"), noSchedule.err());
        CliRun badSchedule = run("compile", "--as", "cron", "--schedule", "61 * * * *", example("hello"));
        // the user's mistake, a usage error like the missing --schedule above (it was E0702, "a bug in Freestone")
        assertEquals(2, badSchedule.code(), badSchedule.err());
        assertTrue(badSchedule.err().startsWith("error: \"61 * * * *\" is not a cron schedule: minute `61`"),
                badSchedule.err());
        assertFalse(badSchedule.err().contains("bug in Freestone"), badSchedule.err());
    }

    /** A pipeline's own `timeout` is the deadline of whatever object runs it: a Workflow's, a template's, a cron's runs'. */
    @Test
    void aPipelinesTimeoutIsTheActiveDeadlineOfEveryKindOfObject() throws IOException {
        Path f = pipe("""
                component hello(name: String) {
                  image   = "alpine:3.20"
                  command = ["echo", name]
                }
                pipeline bounded(name: String = "x") with { timeout = 90m } {
                  hello(name = name)
                }
                """);
        JsonNode workflow = documents(run("compile", f.toString()).out()).get(0);
        assertEquals(5400, workflow.get("spec").get("activeDeadlineSeconds").asInt(), workflow::toPrettyString);
        JsonNode template = documents(run("compile", "--as", "template", f.toString()).out()).get(0);
        assertEquals(5400, template.get("spec").get("activeDeadlineSeconds").asInt(), template::toPrettyString);
        CliRun cron = run("compile", "--as", "cron", "--schedule", "0 3 * * *", f.toString());
        assertEquals(0, cron.code(), cron.err());
        JsonNode c = documents(cron.out()).get(0);
        assertEquals(5400, c.get("spec").get("workflowSpec").get("activeDeadlineSeconds").asInt(), c::toPrettyString);
        // the leaf template has none: the deadline is the run's, not its step's
        assertTrue(workflow.get("spec").get("templates").findValues("activeDeadlineSeconds").isEmpty(),
                workflow::toPrettyString);
    }

    /** An Argo user names the kind of object (`--as WorkflowTemplate`, `--as CronWorkflow`): the same as its short name. */
    @Test
    void takesArgoKindNamesForAs() throws IOException {
        assertEquals(run("compile", "--as", "template", example("hello")).out(),
                run("compile", "--as", "WorkflowTemplate", example("hello")).out());
        CliRun cron = run("compile", "--as", "cronworkflow", "--schedule", "0 3 * * *", example("hello"));
        assertEquals(0, cron.code(), cron.err());
        assertEquals("CronWorkflow", documents(cron.out()).get(0).get("kind").asText());
        assertEquals("Workflow", documents(run("compile", "--as", "Workflow", example("hello")).out()).get(0)
                .get("kind").asText());
        CliRun wrong = run("compile", "--as", "ClusterWorkflowTemplate", example("hello"));
        assertEquals(2, wrong.code(), wrong.err());
        assertTrue(wrong.err().contains("`ClusterWorkflowTemplate` is none of workflow (a Workflow), template (a"
                + " WorkflowTemplate) or cron (a CronWorkflow, with --schedule)"), wrong.err());
    }

    @Test
    void runArgumentsAreCheckedAgainstTheSignature() throws IOException {
        Path f = pipe(TYPED);
        CliRun ok = run("compile", f.toString(), "--param", "n=3", "-p", "name=it's");
        assertEquals(0, ok.code(), ok.err());
        JsonNode wf = documents(ok.out()).get(0);
        assertEquals("3", param(wf, "n").get("value").asText());
        assertEquals("it's", param(wf, "name").get("value").asText());
        assertEquals("0.5", param(wf, "rate").get("value").asText());

        CliRun missing = run("compile", f.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("error[E0602]") && missing.err().contains("`n`"), missing.err());
        // at the parameter's declaration, where its type is read, not at a made-up `--param n:1:1`
        assertTrue(missing.err().contains(" --> " + f + ":6:16\n  |\n6 | pipeline typed(n: Int,"), missing.err());
        CliRun run = CliRun.of(java.util.Map.of("FREESTONE_HOME", dir.resolve("home").toString()), "run", f.toString());
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().startsWith("error[E0602]: missing required parameter `n` of pipeline `typed`\n --> " + f
                + ":6:16\n"), run.err());
        // KFP compiles without arguments: the help says why a Workflow needs one, and what compiles without
        assertTrue(missing.err().contains("= help: pass `--param n=...` or give it in a `--params` file: a Workflow holds the"
                + " value of every parameter (`--as template` leaves one without a default to whoever submits it)"), missing.err());
        // the IR and the graph hold no values: a parameter without a default needs none there
        CliRun ir = run("compile", "--emit", "ir", f.toString());
        assertEquals(0, ir.code(), ir.err());
        assertTrue(ir.out().contains("\"name\": \"typed\""), ir.out());
        CliRun graph = run("graph", f.toString());
        assertEquals(0, graph.code(), graph.err());
        assertTrue(graph.out().startsWith("digraph \"typed\""), graph.out());
        CliRun unknown = run("compile", f.toString(), "-p", "n=1", "-p", "nn=2");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("error[E0601]"), unknown.err());
        CliRun badType = run("compile", f.toString(), "-p", "n=three");
        assertEquals(1, badType.code());
        assertTrue(badType.err().contains("error[E0603]"), badType.err());
        assertFalse(badType.err().contains("Exception"), badType.err());
        CliRun malformed = run("compile", f.toString(), "-p", "n");
        assertEquals(2, malformed.code());

        Path params = dir.resolve("params.yaml");
        Files.writeString(params, "n: 7\nrate: 0.25\n");
        CliRun fromFile = run("compile", f.toString(), "--params", params.toString(), "-p", "rate=0.75");
        assertEquals(0, fromFile.code(), fromFile.err());
        JsonNode wf2 = documents(fromFile.out()).get(0);
        assertEquals("7", param(wf2, "n").get("value").asText());
        assertEquals("0.75", param(wf2, "rate").get("value").asText(), "the command line wins over the file");
        Files.writeString(params, "rate: [1, 2]\n");
        CliRun badFile = run("compile", f.toString(), "--params", params.toString(), "-p", "n=1");
        assertEquals(1, badFile.code());
        assertTrue(badFile.err().contains("error[E0603]"), badFile.err());

        // a WorkflowTemplate may leave a required parameter to whoever submits it
        CliRun template = run("compile", "--as", "template", f.toString());
        assertEquals(0, template.code(), template.err());
        assertFalse(param(documents(template.out()).get(0), "n").has("value"));
    }

    @Test
    void aSmallBudgetSplitsIntoWorkflowTemplatesAndATooLargeTemplateIsE0701() throws IOException {
        CliRun split = run("compile", example("train"), "--max-manifest-size", "6000");
        assertEquals(0, split.code(), split.err());
        List<JsonNode> docs = documents(split.out());
        assertTrue(docs.size() > 1, "split into several objects");
        assertEquals("Workflow", docs.get(docs.size() - 1).get("kind").asText());
        for (String doc : split.out().split("(?m)^---\n")) {
            assertTrue(doc.getBytes(StandardCharsets.UTF_8).length <= 6000, "each object fits: " + doc.length());
        }
        assertTrue(split.out().contains("templateRef:"));
        assertTrue(split.err().contains("compiled flowers: " + docs.size() + " objects"), split.err());

        CliRun tooSmall = run("compile", example("hello"), "--max-manifest-size", "300");
        assertEquals(1, tooSmall.code());
        assertTrue(tooSmall.err().contains("error[E0701]"), tooSmall.err());
        assertEquals("", tooSmall.out());
    }

    @Test
    void aConstructArgoCannotExpressIsOneE0703WithoutLintNoise() throws IOException {
        // A list of artifacts for a called pipeline holding a parameter: on Argo each element must be written to its
        // place by a step of the block, and Argo has no copy without a pod (docs/argo.md, "Lists of artifacts").
        Path f = pipe("""
                component train(lr: Float) -> (model: Model) {
                  image   = "python:3.12-slim"
                  command = ["python3", "train.py", "${lr}", model]
                }

                component pick(models: List[Model]) -> (best: Model) {
                  image   = "python:3.12-slim"
                  command = ["python3", "pick.py", models, best]
                }

                pipeline choose(models: List[Model]) -> (best: Model) {
                  p = pick(models = models)
                  output best = p.best
                }

                pipeline against_baseline(baseline: Model = "models/baseline") -> (best: Model) {
                  t = train(lr = 0.1)
                  c = choose(models = [baseline, t.model])
                  output best = c.best
                }
                """);
        CliRun r = run("compile", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error[E0703]"), r.err());
        assertTrue(r.err().contains("pass it through a step in the block"), r.err());
        assertFalse(r.err().contains("E0702"), r.err());
        assertEquals("", r.out());
        assertEquals(0, run("compile", "--emit", "ir", f.toString()).code(), "the IR has no Argo limit");
    }

    @Test
    void runFailuresInACalledPipelinesFinallyIsE0703ThatRunsLocally() throws IOException {
        // Argo sets workflow.failures for the workflow's exit handler only, not for a task's exit hook
        Path f = pipe("""
                component work(n: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "work.py", "${n}"]
                }

                component notify(failures: List[Failure]) {
                  image   = "python:3.12-slim"
                  command = ["python3", "notify.py", failures]
                }

                pipeline stage(n: Int) {
                  work(n = n)
                  finally {
                    notify(failures = run.failures)
                  }
                }

                pipeline all_stages() {
                  a = stage(n = 1)
                }
                """);
        CliRun r = run("compile", f.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("error[E0703]: cannot lower to Argo: `run.failures` in the `finally` block of pipeline"
                + " `stage`, which is called as a step: Argo knows the failed steps (`workflow.failures`) only in the"
                + " workflow's own exit handler"), r.err());
        assertTrue(r.err().contains(" --> " + f + ":14:5\n"), r.err());
        assertEquals(0, run("check", f.toString()).code(), "the engine runs it: the failures of the call's own steps");
    }

    @Test
    void anArtifactInAConditionIsE0703NamingItAndWhatToTestInstead() throws IOException {
        // KFP's `if extra is not None:` ported as `if extra != null`: runs locally, but Argo's conditions read parameters
        Path f = pipe("""
                component count(data: Dataset?) -> (n: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "count.py", data, n]
                }

                pipeline counts(extra: Dataset? = null) {
                  if extra != null {
                    c = count(data = extra)
                  }
                }
                """);
        CliRun r = run("compile", f.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("error[E0703]: cannot lower to Argo: the artifact parameter `extra` cannot be used in an"
                + " expression (a condition, an interpolation, a value) on Argo, which reads files only as step inputs: test a"
                + " parameter instead (a `Bool` such as `use_extra`, or a step's output that says what the file holds)\n"
                + " --> " + f + ":7:3\n"), r.err());
    }

    @Test
    void aListOfArtifactsAsAWorkflowParameterIsE0703WithWhatToWriteInstead() throws IOException {
        Path f = pipe("""
                component count(data: List[Dataset]) -> (n: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "count.py", data, n]
                }

                pipeline counts(data: List[Dataset]) -> (n: Int) {
                  c = count(data = data)
                  output n = c.n
                }
                """);
        CliRun r = run("compile", "--as", "template", f.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("error[E0703]"), r.err());
        assertTrue(r.err().contains("declare one artifact parameter per element"), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
        // like every diagnostic: file:line:col, the source line and a caret (under the pipeline's name)
        assertTrue(r.err().contains(".pipe:6:10"), r.err());
        assertTrue(r.err().contains("6 | pipeline counts(data: List[Dataset]) -> (n: Int) {"), r.err());
        assertTrue(r.err().contains("  |          ^"), r.err());
    }

    @Test
    void usageErrorsExitWithTwoAndNoStackTrace() {
        CliRun noFile = run("compile", dir.resolve("missing.pipe").toString());
        assertEquals(2, noFile.code());
        assertTrue(noFile.err().contains("no such file"), noFile.err());
        CliRun badOption = run("compile", "--emit", "svg", example("hello"));
        assertEquals(2, badOption.code());
        CliRun unknownPipeline = run("compile", "--pipeline", "nope", example("hello"));
        assertEquals(1, unknownPipeline.code());
        assertTrue(unknownPipeline.err().contains("E0605"), unknownPipeline.err());
        for (CliRun r : List.of(noFile, badOption, unknownPipeline)) {
            assertFalse(r.err().contains("\tat "), r.err());
        }
    }

    @Test
    void graphAsDotAndMermaid() {
        CliRun dot = run("graph", example("nested"));
        assertEquals(0, dot.code(), dot.err());
        assertTrue(dot.out().startsWith("digraph"), dot.out());
        assertTrue(dot.out().trim().endsWith("}"), dot.out());
        java.util.Map<String, String> ids = new java.util.HashMap<>();
        java.util.regex.Matcher node = java.util.regex.Pattern.compile("(n\\d+) \\[label=\"(\\w+)\\\\n(\\w+)\"").matcher(dot.out());
        while (node.find()) {
            ids.put(node.group(2), node.group(1));
        }
        assertEquals(java.util.Set.of("a", "b", "sum"), ids.keySet(), dot.out());
        assertTrue(dot.out().contains(ids.get("a") + " -> " + ids.get("sum") + ";"), dot.out());
        assertTrue(dot.out().contains(ids.get("b") + " -> " + ids.get("sum") + ";"), dot.out());
        assertEquals(2, dot.out().split(" -> ", -1).length - 1, "two edges");

        CliRun mermaid = run("graph", "--format", "mermaid", example("nested"));
        assertEquals(0, mermaid.code(), mermaid.err());
        String first = mermaid.out().lines().findFirst().orElse("");
        assertTrue(first.startsWith("flowchart") || first.startsWith("graph"), first);
        assertTrue(mermaid.out().contains(ids.get("a") + " --> " + ids.get("sum")), mermaid.out());
        assertTrue(mermaid.out().contains("sum<br/>add"), mermaid.out());

        assertEquals(2, run("graph", "--format", "png", example("nested")).code());
    }

    @Test
    void anEdgeToALoopEndsAtItsBorderAndItsLabelSaysWhatItIteratesOver() {
        // DOT joins nodes: `best` waits for the loop, drawn from the loop's `fit` with ltail at its cluster
        CliRun dot = run("graph", example("sweep"));
        assertEquals(0, dot.code(), dot.err());
        java.util.regex.Matcher fit = java.util.regex.Pattern.compile("(n\\d+) \\[label=\"fit\\\\ntrain\"\\]").matcher(dot.out());
        java.util.regex.Matcher best = java.util.regex.Pattern.compile("(n\\d+) \\[label=\"best\\\\npick_best\"\\]").matcher(dot.out());
        assertTrue(fit.find() && best.find(), dot.out());
        assertTrue(dot.out().contains("compound=true;"), dot.out());
        assertTrue(dot.out().contains("label=\"for lr in rates parallel 2\""), dot.out());
        assertTrue(dot.out().matches("(?s).*" + fit.group(1) + " -> " + best.group(1) + " \\[ltail=cluster_n\\d+\\];.*"), dot.out());
        assertEquals(1, dot.out().split(" -> ", -1).length - 1, "one edge");
    }

    @Test
    void everyBranchOfAnIfWaitsForWhatItsConditionReads() throws Exception {
        // the edge into an `if` used to join its first task only, as if the else branch did not wait
        Path f = pipe("""
                component score() -> (value: Float) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo 0.5 > $0", value]
                }
                component say(text: String) {
                  image   = "alpine:3.20"
                  command = ["echo", text]
                }
                pipeline p(threshold: Float = 0.9) {
                  s = score()
                  if s.value >= threshold {
                    say(text = "good")
                  } else {
                    say(text = "bad")
                  }
                }
                """);
        CliRun dot = run("graph", f.toString());
        assertEquals(0, dot.code(), dot.err());
        assertTrue(dot.out().contains("label=\"if s.value >= threshold\""), dot.out());
        assertTrue(dot.out().contains("label=\"then\"") && dot.out().contains("label=\"else\""), dot.out());
        java.util.regex.Matcher edge = java.util.regex.Pattern.compile("n1 -> n\\d+ \\[lhead=(cluster_n\\d+)\\];").matcher(dot.out());
        assertTrue(edge.find(), dot.out());
        assertTrue(dot.out().contains("subgraph " + edge.group(1) + " {\n    label=\"if s.value >= threshold\""), dot.out());

        CliRun mermaid = run("graph", "--format", "mermaid", f.toString());
        assertEquals(0, mermaid.code(), mermaid.err());
        java.util.regex.Matcher ifCluster = java.util.regex.Pattern.compile("subgraph (n\\d+)\\[\"if s.value >= threshold\"\\]").matcher(mermaid.out());
        assertTrue(ifCluster.find(), mermaid.out());
        assertTrue(mermaid.out().contains("n1 --> " + ifCluster.group(1) + "\n"), mermaid.out());
    }
}
