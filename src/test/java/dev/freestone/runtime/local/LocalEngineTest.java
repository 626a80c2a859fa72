package dev.freestone.runtime.local;

import static dev.freestone.runtime.local.IrFixture.binary;
import static dev.freestone.runtime.local.IrFixture.branch;
import static dev.freestone.runtime.local.IrFixture.builtin;
import static dev.freestone.runtime.local.IrFixture.call;
import static dev.freestone.runtime.local.IrFixture.component;
import static dev.freestone.runtime.local.IrFixture.concat;
import static dev.freestone.runtime.local.IrFixture.cond;
import static dev.freestone.runtime.local.IrFixture.constant;
import static dev.freestone.runtime.local.IrFixture.dag;
import static dev.freestone.runtime.local.IrFixture.export;
import static dev.freestone.runtime.local.IrFixture.inputs;
import static dev.freestone.runtime.local.IrFixture.item;
import static dev.freestone.runtime.local.IrFixture.json;
import static dev.freestone.runtime.local.IrFixture.loop;
import static dev.freestone.runtime.local.IrFixture.out;
import static dev.freestone.runtime.local.IrFixture.output;
import static dev.freestone.runtime.local.IrFixture.param;
import static dev.freestone.runtime.local.IrFixture.paramRef;
import static dev.freestone.runtime.local.IrFixture.pipelineOutput;
import static dev.freestone.runtime.local.IrFixture.program;
import static dev.freestone.runtime.local.IrFixture.retry;
import static dev.freestone.runtime.local.IrFixture.runField;
import static dev.freestone.runtime.local.IrFixture.str;
import static dev.freestone.runtime.local.IrFixture.task;
import static dev.freestone.runtime.local.IrFixture.timeout;
import static dev.freestone.runtime.local.IrFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.ir.Ir;
import dev.freestone.runtime.store.MetricsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The local engine on real processes ({@code sh}, {@code python3}), each test a small pipeline. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalEngineTest {
    @TempDir
    Path home;

    final MemoryRecorder recorder = new MemoryRecorder();

    EngineOptions options(int parallelism) {
        return EngineOptions.defaults().withHome(home).withParallelism(parallelism).withKillGrace(Duration.ofSeconds(1));
    }

    LocalEngine engine(int parallelism) {
        return new LocalEngine(options(parallelism), recorder);
    }

    /** {@code name(x: Int) -> (y: Int)} computing {@code y = $((expr))} in sh, with x as $0. */
    static Ir.Component arith(String name, String shellExpr) {
        return component(name).in("x", "Int").out("y", "Int")
                .sh("echo $((" + shellExpr + ")) > \"$1\"", value("x"), output("y")).build();
    }

    /** {@code echo(s: String) -> (o: String)}: writes its input verbatim. */
    static final Ir.Component ECHO = component("echo").in("s", "String").out("o", "String")
            .sh("printf '%s' \"$0\" > \"$1\"", value("s"), output("o")).build();

    static String text(RunOutcome o, String task, String output) {
        return o.task(task).outputs().get(output).asText();
    }

    // --- DAG shapes -------------------------------------------------------------------------------------

    @Test
    void diamondRunsEachStepAfterItsInputs() {
        Ir.Component two = component("two").out("n", "Int").sh("echo 2 > \"$0\"", output("n")).build();
        Ir.Component inc = arith("inc", "$0 + 1");
        Ir.Component times10 = arith("times10", "$0 * 10");
        Ir.Component add = component("add").in("l", "Int").in("r", "Int").out("sum", "Int")
                .sh("echo $(($0 + $1)) > \"$2\"", value("l"), value("r"), output("sum")).build();
        Ir.Dag root = dag("diamond", List.of(), List.of(pipelineOutput("sum", "Int", out("d", "sum", "Int"))), List.of(
                task("a", two, inputs()),
                task("b", inc, inputs("x", out("a", "n", "Int")), "a"),
                task("c", times10, inputs("x", out("a", "n", "Int")), "a"),
                task("d", add, inputs("l", out("b", "y", "Int"), "r", out("c", "y", "Int")), "b", "c")), List.of());

        RunOutcome o = engine(4).run(program(root, two, inc, times10, add), Map.of());

        assertEquals(RunStatus.SUCCEEDED, o.status(), o.message());
        assertEquals(23, o.outputs().get("sum").asInt());
        Instant dStart = o.task("d").attempts().get(0).startedAt();
        assertFalse(dStart.isBefore(o.task("b").finishedAt()));
        assertFalse(dStart.isBefore(o.task("c").finishedAt()));
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(recorder.tasks(o.runId()).keySet().stream().sorted().toList()));
        assertEquals(o, recorder.outcome(o.runId()).orElseThrow());
    }

    @Test
    void loopFansOutUnderItsLimitAndCollectsInIterationOrder() throws IOException {
        // iteration i sleeps (3 - i) * 0.2 s: later iterations finish first
        Ir.Component fit = component("fit").in("k", "Int").out("sq", "Int").out("model", "Model")
                .sh("sleep 0.$(( 6 - 2 * $0 )); echo \"model $0\" > \"$2\"; echo $(( $0 * $0 )) > \"$1\"",
                        value("k"), output("sq"), output("model")).build();
        Ir.Component pick = component("pick").in("models", "List[Model]").in("scores", "List[Int]").out("seen", "String")
                .command("python3", "-c", "import json,sys; ms=json.loads(sys.argv[1]);"
                                + " open(sys.argv[3],'w').write(json.dumps([open(m).read().strip() for m in ms]) + '|' + sys.argv[2])",
                        value("models"), value("scores"), output("seen")).build();
        Ir.Dag root = dag("sweep", List.of(param("ks", "List[Int]", List.of(0, 1, 2, 3))), List.of(
                loop("for-k", "k", "Int", paramRef("ks", "List[Int]"), 2,
                        List.of(task("fit", fit, inputs("k", item("for-k", "Int")))),
                        List.of(export("fit.sq", "List[Int]", out("fit", "sq", "Int")),
                                export("fit.model", "List[Model]", out("fit", "model", "Model")))),
                task("pick", pick, inputs("models", out("for-k", "fit.model", "List[Model]"),
                        "scores", out("for-k", "fit.sq", "List[Int]")), "for-k")));

        RunOutcome o = engine(4).run(program(root, fit, pick), Map.of());

        assertEquals(RunStatus.SUCCEEDED, o.status(), o.message());
        assertEquals("[\"model 0\", \"model 1\", \"model 2\", \"model 3\"]|[0,1,4,9]", text(o, "pick", "seen"));
        assertTrue(o.task("fit[1]").finishedAt().isBefore(o.task("fit[0]").finishedAt()), "iterations finished out of order");
        List<TaskRecord.Attempt> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(o.task("fit[" + i + "]").attempts().get(0));
        }
        for (TaskRecord.Attempt a : runs) {
            // how many were running at the moment this one started (itself included)
            Instant t = a.startedAt();
            long running = runs.stream().filter(b -> !b.startedAt().isAfter(t) && b.finishedAt().isAfter(t)).count();
            assertTrue(running <= 2, "at most 2 iterations at once, saw " + running);
        }
        Path firstModel = o.task("pick").attempts().get(0).workDir().resolve("in/models/0");
        assertEquals("model 0\n", Files.readString(firstModel));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(firstModel)));
    }

    @Test
    void conditionsSkipTheBranchNotTakenAndOneofPicksTheOneThatRan() {
        Ir.Component score = component("score").in("v", "Float").out("s", "Float")
                .sh("echo \"$0\" > \"$1\"", value("v"), output("s")).build();
        Ir.Component publish = component("publish").in("channel", "String").out("url", "String")
                .sh("echo \"file://$0\" > \"$1\"", value("channel"), output("url")).build();
        Ir.Component show = component("show").in("text", "String").in("extra", "String?").out("o", "String")
                .sh("printf '%s|%s' \"$0\" \"$1\" > \"$2\"", value("text"), value("extra"), output("o")).build();
        Ir.Expr url = builtin("oneof", "String", out("gate", "prod.url", "String?"), out("gate", "staging.url", "String?"));
        Ir.Dag root = dag("release", List.of(param("v", "Float")), List.of(
                task("score", score, inputs("v", paramRef("v", "Float"))),
                cond("gate", List.of(branch(binary(">=", out("score", "s", "Float"), constant(0.9, "Float"), "Bool"),
                                task("prod", publish, inputs("channel", str("prod"))))),
                        List.of(task("staging", publish, inputs("channel", str("staging")))),
                        List.of(export("prod.url", "String?", out("prod", "url", "String")),
                                export("staging.url", "String?", out("staging", "url", "String"))), "score"),
                cond("never", List.of(branch(binary("<", out("score", "s", "Float"), constant(0, "Int"), "Bool"),
                                task("extra", publish, inputs("channel", str("extra"))))), List.of(),
                        List.of(export("extra.url", "String?", out("extra", "url", "String"))), "score"),
                task("notify", show, inputs("text", concat(str("published at "), url),
                        "extra", out("never", "extra.url", "String?")), "gate", "never")));
        Ir.Program p = program(root, score, publish, show);

        RunOutcome high = engine(2).run(p, Map.of("v", json(0.95)));
        assertEquals(RunStatus.SUCCEEDED, high.status(), high.message());
        assertEquals(TaskState.SUCCEEDED, high.task("prod").state());
        assertEquals(TaskState.SKIPPED, high.task("staging").state());
        assertEquals(TaskState.SKIPPED, high.task("extra").state());
        assertEquals("published at file://prod|", text(high, "notify", "o"));

        RunOutcome low = engine(2).run(p, Map.of("v", json(0.5)));
        assertEquals(TaskState.SKIPPED, low.task("prod").state());
        assertEquals(TaskState.SUCCEEDED, low.task("staging").state());
        assertEquals("published at file://staging|", text(low, "notify", "o"));
    }

    @Test
    void nestedPipelinesRunTheirDagWithTaskIdsAsPaths() {
        Ir.Component twice = arith("double", "2 * $0");
        Ir.Dag quadruple = dag("quadruple", List.of(param("x", "Int")),
                List.of(pipelineOutput("y", "Int", out("b", "y", "Int"))), List.of(
                        task("a", twice, inputs("x", paramRef("x", "Int"))),
                        task("b", twice, inputs("x", out("a", "y", "Int")), "a")), List.of());
        Ir.Dag root = dag("main", List.of(param("xs", "List[Int]", List.of(1, 2))),
                List.of(pipelineOutput("ys", "List[Int]", out("each", "q.y", "List[Int]"))), List.of(
                        loop("each", "x", "Int", paramRef("xs", "List[Int]"), 0,
                                List.of(call("q", "quadruple", inputs("x", item("each", "Int")))),
                                List.of(export("q.y", "List[Int]", out("q", "y", "Int"))))), List.of());

        RunOutcome o = engine(2).run(program(root, Map.of("quadruple", quadruple), twice), Map.of());

        assertEquals(RunStatus.SUCCEEDED, o.status(), o.message());
        assertEquals("[4,8]", Values.json(o.outputs().get("ys")));
        assertEquals("pipeline", o.task("q[1]").kind());
        assertEquals(8, o.task("q[1]").outputs().get("y").asInt());
        assertEquals(4, o.task("q[1]/a").outputs().get("y").asInt());
        assertTrue(o.task("q[0]/b").succeeded()); // it may hit the cache: q[1]/a computed double(2) too
    }

    // --- failure, retry, timeout ------------------------------------------------------------------------

    @Test
    void exitHandlerRunsAfterAFailureAndSeesFailed() {
        Ir.Component bad = component("bad").sh("for i in $(seq 1 30); do echo line$i; done; echo oops >&2; exit 3").build();
        Ir.Component report = component("report").in("status", "String").out("seen", "String")
                .sh("printf '%s' \"$0\" > \"$1\"", value("status"), output("seen")).build();
        Ir.Dag root = dag("fails", List.of(), List.of(), List.of(
                task("bad", bad, inputs()),
                task("after_bad", ECHO, inputs("s", str("never")), "bad"),
                task("good", ECHO, inputs("s", str("independent")))),
                List.of(task("report", report, inputs("status", runField("status")))));

        RunOutcome o = engine(2).run(program(root, bad, report, ECHO), Map.of());

        assertEquals(RunStatus.FAILED, o.status());
        TaskRecord b = o.task("bad");
        assertEquals(TaskState.FAILED, b.state());
        assertEquals(3, b.attempts().get(0).exitCode());
        assertTrue(b.message().contains("exited with code 3"), b.message());
        assertTrue(b.message().contains("| oops") && b.message().contains("| line30") && !b.message().contains("| line5\n"),
                "the tail of the log: " + b.message());
        assertEquals(TaskState.OMITTED, o.task("after_bad").state());
        assertEquals(TaskState.SUCCEEDED, o.task("good").state());
        assertEquals("Failed", text(o, "report", "seen"));
        assertTrue(o.message().contains("task `bad` failed"), o.message());
    }

    @Test
    void aFlakyStepIsRetriedAfterItsBackoff(@TempDir Path scratch) {
        Ir.Component flaky = component("flaky").in("marker", "String").out("r", "String")
                .sh("if [ -f \"$0\" ]; then echo ok > \"$1\"; else : > \"$0\"; echo first attempt fails; exit 1; fi",
                        value("marker"), output("r"))
                .settings(retry(2, 1L)).build();
        Ir.Dag root = dag("flaky", List.of(), List.of(task("f", flaky, inputs("marker", str(scratch.resolve("m").toString())))));

        RunOutcome o = engine(1).run(program(root, flaky), Map.of());

        TaskRecord f = o.task("f");
        assertEquals(TaskState.SUCCEEDED, f.state(), f.message());
        assertEquals(2, f.attempts().size());
        assertEquals(1, f.attempts().get(0).exitCode());
        assertEquals(0, f.attempts().get(1).exitCode());
        assertTrue(Duration.between(f.attempts().get(0).finishedAt(), f.attempts().get(1).startedAt()).toMillis() >= 900,
                "waited for the backoff");
        assertEquals("ok", text(o, "f", "r"));
    }

    @Test
    void aTimeoutKillsTheWholeProcessTree(@TempDir Path scratch) throws IOException {
        Path pidFile = scratch.resolve("pid");
        Ir.Component hang = component("hang").in("pidfile", "String")
                .sh("sleep 60 & echo $! > \"$0\"; wait", value("pidfile"))
                .settings(timeout(1)).build();
        Ir.Dag root = dag("hang", List.of(), List.of(task("hang", hang, inputs("pidfile", str(pidFile.toString())))));

        long t0 = System.nanoTime();
        RunOutcome o = engine(1).run(program(root, hang), Map.of());

        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
        TaskRecord h = o.task("hang");
        assertEquals(TaskState.FAILED, h.state());
        assertTrue(h.attempts().get(0).timedOut());
        assertTrue(h.message().contains("timed out after 1s"), h.message());
        long grandchild = Long.parseLong(Files.readString(pidFile).strip());
        assertGone(grandchild);
    }

    static void assertGone(long pid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline && ProcessHandle.of(pid).map(ProcessTree::alive).orElse(false)) {
            Thread.onSpinWait();
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessTree::alive).orElse(false), "process " + pid + " is still alive");
    }

    @Test
    void aGigabyteOfOutputLeavesTheEngineHeapFlat() throws Exception {
        long bytes = 1L << 30;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HeapProbe.class.getName(), home.toString(), Long.toString(bytes))
                .redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(50, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), printed);
        String[] words = printed.strip().split("\\s+");
        assertEquals("SUCCEEDED", words[0], printed);
        assertEquals(bytes, Long.parseLong(words[1]));
        assertTrue(Long.parseLong(words[2]) <= 64L << 20, "the child's heap was limited: " + printed);
    }

    // --- values -----------------------------------------------------------------------------------------

    @Test
    void parametersReachTheStepVerbatim() {
        String nasty = "it's \"quoted\" $(echo pwned) `id` ${HOME} \\ back\nsecond line\t tab ünïcödé 🎉 ;|& *";
        Ir.Component viaEnv = component("via_env").in("s", "String").out("o", "String")
                .script("sh", "printf '%s' \"$s\" > \"$o\"\n").build();
        Ir.Component floats = component("floats").in("xs", "List[Float]").in("big", "Float").in("d", "Duration").out("o", "String")
                .sh("printf '%s %s %s' \"$0\" \"$1\" \"$2\" > \"$3\"", value("xs"), value("big"), value("d"), output("o")).build();
        Ir.Dag root = dag("verbatim", List.of(param("s", "String")), List.of(
                task("argv", ECHO, inputs("s", paramRef("s", "String"))),
                task("env", viaEnv, inputs("s", paramRef("s", "String"))),
                task("floats", floats, inputs("xs", constant(List.of(0.1, 1e-5, 3), "List[Float]"),
                        "big", constant(1e16, "Float"), "d", constant(250e-3, "Duration")))));

        RunOutcome o = engine(2).run(program(root, ECHO, viaEnv, floats), Map.of("s", json(nasty)));

        assertEquals(RunStatus.SUCCEEDED, o.status(), o.message());
        assertEquals(nasty, text(o, "argv", "o"));
        assertEquals(nasty, text(o, "env", "o"));
        assertEquals("[0.1,1e-05,3.0] 1e+16 0.25", text(o, "floats", "o"));
    }

    @Test
    void metricsArtifactsAreRecorded() {
        Ir.Component eval = component("eval").out("m", "Metrics").out("kfp", "Metrics")
                .sh("echo '{\"accuracy\": 0.93, \"loss\": 0.1}' > \"$0\";"
                        + " echo '{\"metrics\": [{\"name\": \"auc\", \"numberValue\": 0.8}]}' > \"$1\"", output("m"), output("kfp"))
                .build();
        RunOutcome o = engine(1).run(program(dag("eval", List.of(), List.of(task("eval", eval, inputs()))), eval), Map.of());

        assertEquals(RunStatus.SUCCEEDED, o.status(), o.message());
        assertEquals(List.of(new MetricsFile.Metric("kfp", "auc", 0.8), new MetricsFile.Metric("m", "accuracy", 0.93),
                new MetricsFile.Metric("m", "loss", 0.1)), o.task("eval").metrics().stream()
                .sorted(java.util.Comparator.comparing(MetricsFile.Metric::output).thenComparing(MetricsFile.Metric::name)).toList());
        assertTrue(Values.isArtifactValue(o.task("eval").outputs().get("m")));
    }

    // --- cache and resume -------------------------------------------------------------------------------

    @Test
    void aSecondRunHitsTheCacheAndAChangedInputMisses(@TempDir Path scratch) throws IOException {
        Path calls = scratch.resolve("calls");
        Ir.Component counted = component("counted").in("log", "String").in("x", "Int").out("y", "Int").out("data", "Dataset")
                .sh("echo run >> \"$0\"; echo $(( $1 * 2 )) > \"$2\"; echo data > \"$3\"",
                        value("log"), value("x"), output("y"), output("data")).build();
        Ir.Dag root = dag("cached", List.of(param("x", "Int")),
                List.of(task("c", counted, inputs("log", str(calls.toString()), "x", paramRef("x", "Int")))));
        Ir.Program p = program(root, counted);
        LocalEngine engine = new LocalEngine(options(1).withExplainCache(true), recorder);

        RunOutcome first = engine.run(p, Map.of("x", json(2)));
        RunOutcome second = engine.run(p, Map.of("x", json(2)));
        RunOutcome third = engine.run(p, Map.of("x", json(3)));

        assertEquals(TaskRecord.CacheDecision.MISS, first.task("c").cache().decision());
        TaskRecord hit = second.task("c");
        assertEquals(TaskState.CACHED, hit.state());
        assertEquals(TaskRecord.CacheDecision.HIT, hit.cache().decision());
        assertEquals(first.runId(), hit.cache().sourceRunId());
        assertEquals(first.task("c").outputs(), hit.outputs());
        assertTrue(hit.attempts().isEmpty());
        TaskRecord miss = third.task("c");
        assertEquals(TaskRecord.CacheDecision.MISS, miss.cache().decision());
        assertTrue(miss.cache().reason().startsWith("input `x` changed since run " + second.runId()), miss.cache().reason());
        assertEquals(6, miss.outputs().get("y").asInt());
        assertEquals(2, Files.readAllLines(calls).size());

        RunOutcome forced = new LocalEngine(options(1).withNoCache(true), recorder).run(p, Map.of("x", json(2)));
        assertEquals(TaskRecord.CacheDecision.DISABLED, forced.task("c").cache().decision());
        assertEquals(3, Files.readAllLines(calls).size());
    }

    @Test
    void resumeReusesWhatSucceededAndKillsOrphans(@TempDir Path scratch) throws Exception {
        Path calls = scratch.resolve("calls");
        Path flag = scratch.resolve("flag");
        Ir.Component counted = arith("counted", "$0 + 1");
        Ir.Component first = component("first").in("log", "String").out("v", "Int")
                .sh("echo run >> \"$0\"; echo 7 > \"$1\"", value("log"), output("v")).build();
        Ir.Component gated = component("gated").in("flag", "String").in("v", "Int").out("w", "Int")
                .sh("test -f \"$0\" || { echo no flag; exit 1; }; echo $(( $1 * 2 )) > \"$2\"", value("flag"), value("v"), output("w"))
                .build();
        Ir.Dag root = dag("resumable", List.of(), List.of(
                task("a", first, inputs("log", str(calls.toString()))),
                task("b", gated, inputs("flag", str(flag.toString()), "v", out("a", "v", "Int")), "a")));
        Ir.Program p = program(root, first, gated, counted);
        LocalEngine engine = new LocalEngine(options(1).withNoCache(true), recorder);

        RunOutcome broken = engine.run(p, Map.of());
        assertEquals(RunStatus.FAILED, broken.status());

        // a step process of the killed engine, still running, and one whose pid was reused by another process
        Process orphan = new ProcessBuilder("setsid", "sleep", "60").start();
        Process stranger = new ProcessBuilder("sleep", "60").start();
        Map<String, TaskRecord> tasks = new HashMap<>(recorder.prior(broken.runId()).tasks());
        tasks.put("ghost", ghost(broken, "ghost", orphan.pid(), ProcessTree.startOf(orphan.toHandle())));
        tasks.put("ghost2", ghost(broken, "ghost2", stranger.pid(), ProcessTree.startOf(stranger.toHandle()).minusSeconds(3600)));
        Files.writeString(flag, "");

        RunOutcome resumed = engine.resume(p, Map.of(), new PriorRun(broken.runId(), tasks));

        assertEquals(RunStatus.SUCCEEDED, resumed.status(), resumed.message());
        assertEquals(TaskState.CACHED, resumed.task("a").state());
        assertEquals(TaskRecord.CacheDecision.RESUMED, resumed.task("a").cache().decision());
        assertEquals(14, resumed.task("b").outputs().get("w").asInt());
        assertEquals(1, Files.readAllLines(calls).size(), "the step that succeeded did not run again");
        assertTrue(orphan.waitFor(5, TimeUnit.SECONDS), "the orphan was killed");
        assertTrue(stranger.isAlive(), "a process with a reused pid is left alone");
        stranger.destroyForcibly();
    }

    private static TaskRecord ghost(RunOutcome run, String id, long pid, Instant start) {
        TaskRecord.Attempt a = new TaskRecord.Attempt(1, pid, start, start, null, null, false, null, null, null);
        return new TaskRecord(run.runId(), id, id, "component", "ghost", null, null, TaskState.RUNNING, List.of(a),
                start, null, null, null, null, List.of(), null);
    }

    // --- before the run, secrets, cancellation ----------------------------------------------------------

    @Test
    void aProgramGivenAsAPathSaysWhyItCannotStart() throws IOException {
        Path script = Files.writeString(home.resolve("not-executable.sh"), "#!/bin/sh\necho hi\n");
        Ir.Component plain = component("plain").image("alpine:3.20").command(script.toString()).build();
        Ir.Component gone = component("gone").image("alpine:3.20").command(home.resolve("nowhere.sh").toString()).build();
        Ir.Program p = program(dag("paths", List.of(), List.of(task("a", plain, inputs()), task("b", gone, inputs()))),
                plain, gone);

        RunOutcome rejected = engine(1).run(p, Map.of());

        assertEquals(RunStatus.REJECTED, rejected.status());
        String all = String.join("\n", rejected.problems());
        assertTrue(all.contains("program `" + script + "` is not executable (chmod +x " + script + ")"), all);
        assertTrue(all.contains("program `" + home.resolve("nowhere.sh") + "` does not exist"), all);
    }

    @Test
    void missingProgramsAndSecretsAreRejectedBeforeTheRunStarts() throws IOException {
        Ir.Component missing = component("tool").image("ghcr.io/acme/tool:1").command("definitely-missing-program-4711").build();
        Ir.Component secretive = component("login").out("ok", "String")
                .secret("PASSWORD", "db-creds", "password").secret("USER_NAME", "db-creds", "user")
                .sh("test \"$PASSWORD\" = 's3cr3t-value' && test \"$USER_NAME\" = admin && echo yes > \"$0\"", output("ok")).build();
        Ir.Program bad = program(dag("bad", List.of(), List.of(task("t", missing, inputs()), task("login", secretive, inputs()))),
                missing, secretive);

        RunOutcome rejected = engine(1).run(bad, Map.of("nope", json(1)));

        assertEquals(RunStatus.REJECTED, rejected.status());
        String all = String.join("\n", rejected.problems());
        assertTrue(all.contains("step `t` (component `tool`, image `ghcr.io/acme/tool:1`): program `definitely-missing-program-4711` is not on the PATH"), all);
        assertTrue(all.contains("secret `db-creds` key `password`") && all.contains("FREESTONE_SECRET_DB_CREDS_PASSWORD"), all);
        assertTrue(all.contains("unknown parameter `nope`"), all);
        assertTrue(recorder.history().isEmpty(), "nothing ran, nothing was recorded");

        Ir.Program good = program(dag("good", List.of(), List.of(task("login", secretive, inputs()))), secretive);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("FREESTONE_SECRET_DB_CREDS_PASSWORD", "s3cr3t-value");
        Files.createDirectories(home.resolve("secrets/db-creds"));
        Files.writeString(home.resolve("secrets/db-creds/user"), "admin\n");
        RunOutcome o = new LocalEngine(options(1).withEnvironment(env), recorder).run(good, Map.of());

        assertEquals(RunStatus.SUCCEEDED, o.status(), o.message());
        assertEquals("yes", text(o, "login", "ok"));
        String recorded = recorder.history() + " " + o;
        assertFalse(recorded.contains("s3cr3t-value"), "the secret value is never recorded");
        assertFalse(Files.readString(o.task("login").attempts().get(0).log()).contains("s3cr3t-value"));
    }

    @Test
    void cancellationKillsRunningStepsAndStillRunsTheExitHandler(@TempDir Path scratch) throws Exception {
        Path pidFile = scratch.resolve("pid");
        Ir.Component slow = component("slow").in("pidfile", "String").out("o", "String")
                .sh("sleep 60 & echo $! > \"$0\"; wait; echo done > \"$1\"", value("pidfile"), output("o")).build();
        Ir.Component report = component("report").in("status", "String").out("seen", "String")
                .sh("printf '%s' \"$0\" > \"$1\"", value("status"), output("seen")).build();
        Ir.Dag root = dag("cancelled", List.of(), List.of(), List.of(
                task("slow", slow, inputs("pidfile", str(pidFile.toString()))),
                task("next", ECHO, inputs("s", out("slow", "o", "String")), "slow")),
                List.of(task("report", report, inputs("status", runField("status")))));
        CountDownLatch running = new CountDownLatch(1);
        LocalEngine engine = new LocalEngine(options(2).withProgress(e -> {
            if (e instanceof ProgressListener.TaskChanged c && c.taskId().equals("slow") && c.to() == TaskState.RUNNING) {
                running.countDown();
            }
        }), recorder);

        CompletableFuture<RunOutcome> run = CompletableFuture.supplyAsync(() -> engine.run(program(root, slow, report, ECHO), Map.of()));
        assertTrue(running.await(20, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && (!Files.exists(pidFile) || Files.readString(pidFile).isBlank())) {
            Thread.sleep(10);
        }
        long grandchild = Long.parseLong(Files.readString(pidFile).strip());
        long step = recorder.history().stream().filter(t -> t.taskId().equals("slow") && !t.attempts().isEmpty())
                .findFirst().orElseThrow().attempts().get(0).pid();
        if (ProcessTree.onPath("setsid", System.getenv("PATH")).isPresent()) {
            String stat = Files.readString(Path.of("/proc", Long.toString(step), "stat"));
            String pgrp = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2];
            assertEquals(Long.toString(step), pgrp, "the step leads its own process group");
        }
        engine.cancel();
        RunOutcome o = run.get(20, TimeUnit.SECONDS);

        assertEquals(RunStatus.CANCELLED, o.status());
        assertEquals(TaskState.CANCELLED, o.task("slow").state());
        assertEquals(TaskState.CANCELLED, o.task("next").state());
        assertEquals("Failed", text(o, "report", "seen"));
        assertGone(grandchild);
        assertTrue(recorder.tasks(o.runId()).values().stream().allMatch(t -> t.state().isTerminal()));
        assertNotNull(recorder.outcome(o.runId()).orElse(null));
    }

    @Test
    void atMostParallelismStepsRunAtOnce(@TempDir Path scratch) throws IOException {
        // each step counts the steps running beside it (markers it and they made and remove before they end)
        Path marks = Files.createDirectories(scratch.resolve("running"));
        Ir.Component busy = component("busy").in("dir", "String").in("i", "Int").out("seen", "Int")
                .sh("touch \"$0/$$\"; ls \"$0\" | wc -l > \"$2\"; sleep 0.4; rm \"$0/$$\"",
                        value("dir"), value("i"), output("seen")).build();
        List<Ir.Node> steps = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            steps.add(task("b" + i, busy, inputs("dir", str(marks.toString()), "i", constant(i, "Int"))));
        }
        RunOutcome o = engine(2).run(program(dag("busy", List.of(), steps), busy), Map.of());

        assertEquals(RunStatus.SUCCEEDED, o.status(), o.message());
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(o.task("b" + i).outputs().get("seen").asInt());
        }
        assertTrue(seen.stream().allMatch(n -> n >= 1 && n <= 2), "never more than 2 at once: " + seen);
        assertTrue(seen.contains(2), "2 at once: " + seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "jvm"})
    void aCancelWithdrawsTheStepsWaitingForAPlace(String launcher, @TempDir Path scratch) throws Exception {
        String before = System.getProperty(Launcher.CHOICE_PROPERTY);
        System.setProperty(Launcher.CHOICE_PROPERTY, launcher);
        try {
            cancelWithdrawsTheStepsWaitingForAPlace(scratch);
        } finally {
            if (before == null) {
                System.clearProperty(Launcher.CHOICE_PROPERTY);
            } else {
                System.setProperty(Launcher.CHOICE_PROPERTY, before);
            }
        }
    }

    private void cancelWithdrawsTheStepsWaitingForAPlace(Path scratch) throws Exception {
        Ir.Component slow = component("slow").in("marker", "String").out("o", "String")
                .sh("touch \"$0\"; sleep 60; echo done > \"$1\"", value("marker"), output("o")).build();
        Ir.Dag root = dag("withdrawn", List.of(), List.of(
                task("one", slow, inputs("marker", str(scratch.resolve("one").toString()))),
                task("two", slow, inputs("marker", str(scratch.resolve("two").toString())))));
        CountDownLatch running = new CountDownLatch(1);
        LocalEngine engine = new LocalEngine(options(1).withProgress(e -> {
            if (e instanceof ProgressListener.TaskChanged c && c.to() == TaskState.RUNNING) {
                running.countDown();
            }
        }), recorder);

        CompletableFuture<RunOutcome> run = CompletableFuture.supplyAsync(() -> engine.run(program(root, slow), Map.of()));
        assertTrue(running.await(20, TimeUnit.SECONDS));
        Thread.sleep(300); // the other step is handed over by now, and waits for the one place
        long cancelled = System.nanoTime();
        engine.cancel();
        RunOutcome o = run.get(20, TimeUnit.SECONDS);

        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - cancelled) < 10, "the run ended soon after the cancel");
        assertEquals(RunStatus.CANCELLED, o.status());
        assertEquals(TaskState.CANCELLED, o.task("one").state());
        assertEquals(TaskState.CANCELLED, o.task("two").state());
        long started = o.tasks().values().stream().filter(t -> !t.attempts().isEmpty()).count();
        assertEquals(1, started, "only the step that had the place ran: " + o.tasks());
        assertEquals(1, java.util.stream.Stream.of("one", "two").filter(t -> Files.exists(scratch.resolve(t))).count(),
                "the waiting step never started");
    }

    @Test
    void progressEventsCarryEveryStateChange() {
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        LocalEngine engine = new LocalEngine(options(1).withProgress(e -> {
            if (e instanceof ProgressListener.TaskChanged c) {
                seen.add(c.taskId() + ":" + c.to());
            }
        }), recorder);
        RunOutcome o = engine.run(program(dag("one", List.of(), List.of(task("e", ECHO, inputs("s", str("x"))))), ECHO), Map.of());
        assertEquals(RunStatus.SUCCEEDED, o.status());
        assertEquals(List.of("e:PENDING", "e:RUNNING", "e:SUCCEEDED"), seen);
        JsonNode v = o.task("e").outputs().get("o");
        assertEquals("x", v.asText());
    }
}
