package dev.freestone.e2e;

import static dev.freestone.e2e.Freestone.example;
import static dev.freestone.e2e.Freestone.state;
import static dev.freestone.e2e.Freestone.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every example runs locally through the CLI, and what a user would check afterwards holds. */
class ExamplesE2ETest {
    private static final Set<String> STATES =
            Set.of("Pending", "Running", "Succeeded", "Failed", "Skipped", "Cached", "Cancelled");

    @TempDir
    Path tmp;
    Freestone fs;

    @BeforeEach
    void store() {
        fs = new Freestone(tmp.resolve("home"));
    }

    /** The run's JSON has the documented shape and every task a known state. */
    private JsonNode shown(String runId, String status) {
        JsonNode run = fs.show(runId);
        for (String key : List.of("id", "pipeline", "version", "status", "startedAt", "finishedAt", "tasks")) {
            assertTrue(run.has(key), () -> "show --output json lacks " + key + ": " + run);
        }
        assertEquals(runId, run.get("id").asText());
        assertEquals(status, run.get("status").asText(), run::toPrettyString);
        assertEquals(64, run.get("version").asText().length());
        for (JsonNode t : run.get("tasks")) {
            for (String key : List.of("id", "state", "attempts", "cached", "exitCode", "outputs")) {
                assertTrue(t.has(key), () -> "task lacks " + key + ": " + t);
            }
            assertTrue(STATES.contains(t.get("state").asText()), t::toString);
        }
        return run;
    }

    @Test
    void hello() {
        Freestone.Result r = fs.cli("run", "--progress", "none", example("hello/hello.pipe").toString(),
                "--param", "name=e2e").expect(0);
        assertTrue(r.out().contains("output greeting = hello, e2e"), r::all);
        JsonNode run = shown(r.runId(), "Succeeded");
        assertEquals("hello", run.get("pipeline").asText());
        JsonNode greet = task(run, "greet");
        assertEquals("Succeeded", greet.get("state").asText());
        assertEquals(1, greet.get("attempts").asInt());
        assertEquals(0, greet.get("exitCode").asInt());
        assertFalse(greet.get("cached").asBoolean());
        assertEquals("hello, e2e", greet.get("outputs").get("echoed").asText());
        assertTrue(fs.cli("logs", r.runId(), "greet").expect(0).out().contains("hello, e2e"));
        assertTrue(fs.cli("runs").expect(0).out().contains(r.runId()));
    }

    @Test
    void secondRunIsCachedAndNoCacheExecutesAgain() {
        String file = example("hello/hello.pipe").toString();
        String first = fs.cli("run", "--progress", "none", file).expect(0).runId();
        Freestone.Result second = fs.cli("run", "--progress", "none", "--explain-cache", file).expect(0);
        JsonNode cached = shown(second.runId(), "Succeeded");
        assertEquals("Cached", state(cached, "greet"));
        assertTrue(task(cached, "greet").get("cached").asBoolean());
        assertEquals("hello, world", task(cached, "greet").get("outputs").get("echoed").asText());
        // the decision and why, then what the key is made of, digests shortened (not the key's JSON)
        String key = "\\n  key sha256:[0-9a-f]{12} = component `say` [0-9a-f]{12} \\+ input `message` sha256:[0-9a-f]{12}\\n";
        assertTrue(java.util.regex.Pattern.compile("cache greet: hit - same key as task `greet` of run " + first + key)
                .matcher(second.out()).find(), second::all);
        assertFalse(second.out().contains("{"), second::all);
        assertTrue(second.out().contains("output greeting = hello, world"), second::all);

        Freestone.Result changed = fs.cli("run", "--progress", "none", "--explain-cache", file, "-p", "name=you").expect(0);
        assertTrue(java.util.regex.Pattern.compile("cache greet: miss - input `message` changed since run " + second.runId() + key)
                .matcher(changed.out()).find(), () -> "a miss names the input that changed:\n" + changed.all());

        Freestone.Result again = fs.cli("run", "--progress", "none", "--no-cache", file).expect(0);
        JsonNode executed = shown(again.runId(), "Succeeded");
        assertEquals("Succeeded", state(executed, "greet"));
        assertEquals(1, task(executed, "greet").get("attempts").asInt());
        assertFalse(task(executed, "greet").get("cached").asBoolean());
    }

    @Test
    void trainPublishesOrAlertsAndRecordsMetricsAndArtifacts() throws Exception {
        Path registry = tmp.resolve("registry");
        String file = example("train/train.pipe").toString();
        Freestone.Result good = fs.cli("run", "--progress", "none", file, "-p", "registry=" + registry).expect(0);
        JsonNode run = shown(good.runId(), "Succeeded");
        for (String t : List.of("parts", "fit", "score", "publish")) {
            assertEquals("Succeeded", state(run, t), t);
        }
        assertEquals("Skipped", state(run, "alert"));
        assertEquals(0, task(run, "alert").get("attempts").asInt());
        assertTrue(Files.exists(registry.resolve("flowers.json")), "publish copied the model");
        double accuracy = task(run, "score").get("outputs").get("accuracy").asDouble();
        assertTrue(good.out().contains("output accuracy = " + task(run, "score").get("outputs").get("accuracy")), good::all);

        Freestone.Result low = fs.cli("run", "--progress", "none", file, "-p", "registry=" + registry,
                "--param", "threshold=1.1").expect(0);
        JsonNode lowRun = shown(low.runId(), "Succeeded");
        assertEquals("Skipped", state(lowRun, "publish"));
        assertEquals("Succeeded", state(lowRun, "alert"));
        assertEquals("Cached", state(lowRun, "score"));
        String alertLog = fs.cli("logs", low.runId(), "alert").expect(0).out();
        assertTrue(alertLog.contains("is below 1.1: not published"), alertLog);

        Freestone.Result metrics = fs.cli("metrics", good.runId()).expect(0);
        assertTrue(metrics.out().contains("score/accuracy"), metrics::all);
        JsonNode m = Freestone.JSON.readTree(fs.cli("metrics", "--output", "json", good.runId()).expect(0).out());
        assertEquals(accuracy, m.get(good.runId()).get("score/accuracy").asDouble(), 1e-9);
        Freestone.Result both = fs.cli("metrics", good.runId(), low.runId()).expect(0);
        String header = both.out().lines().findFirst().orElse("");
        assertTrue(header.contains(good.runId()) && header.contains(low.runId()), both::all);
        assertTrue(both.out().lines().anyMatch(l -> l.startsWith("score/accuracy")), both::all);

        JsonNode artifacts = Freestone.JSON.readTree(fs.cli("artifacts", "--output", "json", good.runId()).expect(0).out());
        boolean sawMetrics = false;
        for (JsonNode a : artifacts) {
            Path stored = Path.of(java.net.URI.create(a.get("uri").asText()));
            assertEquals(a.get("size").asLong(), Files.size(stored), a::toString);
            if (a.get("type").asText().equals("Metrics")) {
                sawMetrics = true;
                assertTrue(Files.readString(stored).contains("\"accuracy\""));
            }
        }
        assertTrue(sawMetrics, artifacts::toPrettyString);
        assertTrue(fs.cli("artifacts", good.runId()).expect(0).out().contains("model"));
    }

    @Test
    void sweepCollectsInIterationOrder() {
        Freestone.Result r = fs.cli("run", "--progress", "none", example("sweep/sweep.pipe").toString()).expect(0);
        assertTrue(r.out().contains("output best_index = 2"), r::all);
        assertTrue(r.out().contains("output best_score = 0.95"), r::all);
        JsonNode run = shown(r.runId(), "Succeeded");
        double[] rates = {0.3, 0.1, 0.03, 0.01, 0.003};
        for (int i = 0; i < rates.length; i++) {
            JsonNode fit = task(run, "fit[" + i + "]");
            assertEquals("Succeeded", fit.get("state").asText());
            double expected = Math.round((0.95 - Math.abs(Math.log10(rates[i]) - Math.log10(0.03)) / 10) * 1e4) / 1e4;
            assertEquals(expected, fit.get("outputs").get("accuracy").asDouble(), 1e-9, "fit[" + i + "]");
        }
        assertEquals(2, task(run, "best").get("outputs").get("index").asInt());
    }

    @Test
    void nestedPipelineAddsUp() {
        Freestone.Result r = fs.cli("run", "--progress", "none", example("nested/nested.pipe").toString()).expect(0);
        assertTrue(r.out().contains("output total = 9"), r::all);
        JsonNode run = shown(r.runId(), "Succeeded");
        assertEquals(4, task(run, "a/c").get("outputs").get("n").asInt());
        assertEquals(5, task(run, "b/c").get("outputs").get("n").asInt());
        assertEquals(9, task(run, "sum").get("outputs").get("sum").asInt());
    }

    @Test
    void modulesLoopOverStructsThroughAnImportedSubPipeline() throws Exception {
        Freestone.Result r = fs.cli("run", "--progress", "none", example("modules/text_sweep.pipe").toString()).expect(0);
        assertTrue(r.out().contains("output best = big"), r::all);
        JsonNode run = shown(r.runId(), "Succeeded");
        assertEquals(0.29412, task(run, "run_one[0]/f").get("outputs").get("loss").asDouble(), 1e-9);
        assertEquals(0.04, task(run, "run_one[1]/f").get("outputs").get("loss").asDouble(), 1e-9);
        assertEquals(9, task(run, "run_one[1]").get("outputs").get("vocab").asInt());
        String summary = r.out().lines().filter(l -> l.contains("output summary = ")).findFirst().orElseThrow()
                .replaceFirst(".*output summary = ", "").trim();
        assertEquals("| tag | loss |\n|---|---|\n| small | 0.29412 |\n| big | 0.04 |\n",
                Files.readString(Path.of(summary), StandardCharsets.UTF_8));
        // `fit` says `cache = false`: a second run trains again and reuses only the tokenizing
        JsonNode again = shown(fs.cli("run", "--progress", "none", example("modules/text_sweep.pipe").toString())
                .expect(0).runId(), "Succeeded");
        assertEquals("Succeeded", state(again, "run_one[0]/f"));
        assertEquals("Cached", state(again, "run_one[0]/t"));
    }

    @Test
    void resilientRetriesAndReportsInItsExitHandler() throws Exception {
        Path work = tmp.resolve("resilient");
        Freestone.Result r = fs.cli("run", "--progress", "none", example("resilient/resilient.pipe").toString(),
                "-p", "workdir=" + work).expect(0);
        assertTrue(r.out().contains("output attempts = 2"), r::all);
        assertTrue(r.out().contains("output finished = true"), r::all);
        JsonNode run = shown(r.runId(), "Succeeded");
        assertEquals(2, task(run, "f").get("attempts").asInt());
        assertEquals("Succeeded", state(run, "report"));
        assertEquals(r.runId() + " Succeeded", Files.readString(work.resolve("report.log")).strip());
    }

    @Test
    void resilientsExitHandlerSaysWhichStepFailedAndWhy() throws Exception {
        // a negative pause fails `quick` on both of its attempts: run.failures names it once, with the last one's message
        Path work = tmp.resolve("resilient-failing");
        Freestone.Result r = fs.cli("run", "--progress", "none", example("resilient/resilient.pipe").toString(),
                "-p", "workdir=" + work, "-p", "pause=-1").expect(1);
        Freestone.assertNoTrace(r.all());
        assertEquals(r.runId() + " Failed; q: step `q` (component `quick`, image `python:3.12-slim`) exited with code 1 on"
                + " attempt 2; its log ends: ValueError: sleep length must be non-negative",
                Files.readString(work.resolve("report.log")).strip());
    }

    @Test
    void exitHandlerSeesAFailedRun() throws Exception {
        Path work = tmp.resolve("failing");
        Path pipe = tmp.resolve("failing.pipe");
        Files.writeString(pipe, """
                component broken() -> (x: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; print('boom', file=sys.stderr); sys.exit(4)"]
                }
                component report(run_id: String, status: String, log: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[3], 'a').write(sys.argv[1] + ' ' + sys.argv[2])", run_id, status, log]
                }
                pipeline failing(log: String) -> (x: Int) {
                  b = broken()
                  finally {
                    report(run_id = run.id, status = run.status, log = log)
                  }
                  output x = b.x
                }
                """, StandardCharsets.UTF_8);
        Files.createDirectories(work);
        Freestone.Result r = fs.cli("run", "--progress", "none", pipe.toString(), "-p", "log=" + work.resolve("report.log"))
                .expect(1);
        Freestone.assertNoTrace(r.all());
        assertTrue(r.err().contains("freestone logs " + r.runId()), r::all);
        assertTrue(r.err().contains("error: task `b` failed: ") && r.err().contains("| boom"),
                () -> "the failure shows the tail of the step's log:\n" + r.all());
        JsonNode run = shown(r.runId(), "Failed");
        assertEquals("Failed", state(run, "b"));
        assertEquals(4, task(run, "b").get("exitCode").asInt());
        assertEquals("Succeeded", state(run, "report"));
        assertEquals(r.runId() + " Failed", Files.readString(work.resolve("report.log")).strip());
        assertTrue(fs.cli("logs", r.runId(), "b").expect(0).all().contains("boom"));
    }

    @Test
    void aCalledPipelinesFinallyListsTheFailuresOfItsCallAndTheRunsFinallyAllOfThem() throws Exception {
        Path pipe = tmp.resolve("stages.pipe");
        Files.writeString(pipe, """
                component work(code: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; sys.exit(int(sys.argv[1]))", "${code}"]
                }
                component notify(failures: List[Failure]) -> (said: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys, json; open(sys.argv[2], 'w').write(' '.join(f['step'] for f in json.loads(sys.argv[1])))", failures, said]
                }
                pipeline stage(code: Int) {
                  inner = work(code = code)
                  finally {
                    told = notify(failures = run.failures)
                  }
                }
                pipeline stages() {
                  a = stage(code = 3)
                  b = stage(code = 0)
                  top = work(code = 4)
                  finally {
                    told = notify(failures = run.failures)
                  }
                }
                """, StandardCharsets.UTF_8);
        Freestone.Result r = fs.cli("run", "--progress", "none", pipe.toString()).expect(1);
        JsonNode run = shown(r.runId(), "Failed");
        assertEquals("a/inner", task(run, "a/told").path("outputs").path("said").asText());
        assertEquals("", task(run, "b/told").path("outputs").path("said").asText());
        // the calls `a` and `b` are no steps; the run's list has every failed step, sorted by second then name
        List<String> told = List.of(task(run, "told").path("outputs").path("said").asText().split(" "));
        assertEquals(List.of("a/inner", "top"), told.stream().sorted().toList());
    }

    @Test
    void aResumedRunsFinallyListsWhatFailedInItNotBefore() throws Exception {
        // `gate` fails until its file exists; `never` always fails: resumed once the file is there, only `never` failed
        Path pipe = tmp.resolve("gates.pipe");
        Path open = tmp.resolve("open");
        Files.writeString(pipe, """
                component gate(file: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import os, sys; sys.exit(0 if os.path.exists(sys.argv[1]) else 3)", file]
                }
                component notify(failures: List[Failure]) -> (said: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys, json; open(sys.argv[2], 'w').write(' '.join(f['step'] for f in json.loads(sys.argv[1])))", failures, said]
                }
                pipeline gates(file: String) {
                  for f in [file, file] {
                    g = gate(file = f)
                  }
                  never = gate(file = "/nonexistent/freestone")
                  finally {
                    told = notify(failures = run.failures)
                  }
                }
                """, StandardCharsets.UTF_8);
        Freestone.Result first = fs.cli("run", "--progress", "none", pipe.toString(), "-p", "file=" + open).expect(1);
        // sorted here: the list is in the order of the second each step finished at, which two may straddle
        assertEquals(List.of("g[0]", "g[1]", "never"), List.of(task(shown(first.runId(), "Failed"), "told").path("outputs")
                .path("said").asText().split(" ")).stream().sorted().toList());
        Files.writeString(open, "");
        Freestone.Result resumed = fs.cli("resume", first.runId(), "--progress", "none").expect(1);
        JsonNode run = shown(resumed.runId(), "Failed");
        assertEquals("Succeeded", state(run, "g[1]"));
        assertEquals("never", task(run, "told").path("outputs").path("said").asText());
    }

    /** A folder artifact of shards, a loop over the names a step reported, and the gathered results in day order. */
    @Test
    void shardsFanOutOverAFolderAndGatherInDayOrder() throws Exception {
        Freestone.Result r = fs.cli("run", "--progress", "none", example("shards/shards.pipe").toString()).expect(0);
        assertTrue(r.out().contains("output total = 686"), r::all);
        JsonNode run = shown(r.runId(), "Succeeded");
        assertEquals(7, task(run, "ex").get("outputs").get("names").size());
        assertEquals(117, task(run, "day[0]").get("outputs").get("clicks").asInt());
        assertEquals("u07", task(run, "day[6]").get("outputs").get("top_user").asText());
        String table = r.out().lines().filter(l -> l.contains("output table = ")).findFirst().orElseThrow()
                .replaceFirst(".*output table = ", "").trim();
        List<String> rows = Files.readAllLines(Path.of(table));
        assertEquals("| day-000.csv | 117 | u09 |", rows.get(2));
        assertEquals("| day-006.csv | 114 | u07 |", rows.get(8));

        JsonNode artifacts = Freestone.JSON.readTree(fs.cli("artifacts", "--output", "json", r.runId()).expect(0).out());
        Path folder = null;
        for (JsonNode a : artifacts) {
            if (a.get("output").asText().equals("shards")) {
                folder = Path.of(java.net.URI.create(a.get("uri").asText()));
            }
        }
        assertTrue(folder != null && Files.isDirectory(folder), artifacts::toPrettyString);
        try (var files = Files.list(folder)) {
            assertEquals(7, files.filter(f -> f.getFileName().toString().matches("day-00[0-6]\\.csv")).count());
        }
        JsonNode m = Freestone.JSON.readTree(fs.cli("metrics", "--output", "json", r.runId()).expect(0).out());
        assertEquals(686, m.get(r.runId()).get("rep/total_clicks").asInt());
        assertEquals(7, m.get(r.runId()).get("rep/days").asInt());
    }

    /**
     * The examples whose parameters default to files run from a copy that is no git checkout (a tarball
     * of the project): each default must lie in its example's own folder, the workspace then.
     * with_stdlib's default was in examples/train, refused there as outside the workspace.
     */
    @Test
    void theExamplesRunFromACopyThatIsNoGitCheckout() throws Exception {
        Path copy = tmp.resolve("copy");
        Path examples = Freestone.project().resolve("examples");
        try (var files = Files.walk(examples)) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(examples.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        // train publishes to a folder of its own choosing: here, one of this test's
        Freestone.Result train = fs.cli("run", "--progress", "none", copy.resolve("train/train.pipe").toString(),
                "-p", "registry=" + tmp.resolve("registry"));
        assertEquals(0, train.exit(), train::all);
        for (String example : List.of("stdlib/with_stdlib.pipe", "modules/text_sweep.pipe")) {
            Freestone.Result r = fs.cli("run", "--progress", "none", copy.resolve(example).toString());
            assertEquals(0, r.exit(), () -> example + ":\n" + r.all());
        }
        // what cli.md's session shows: the evaluation's log says how it went
        assertEquals("accuracy " + task(fs.show(train.runId()), "score").get("outputs").get("accuracy").asText()
                + " on 45 test rows\n", fs.cli("logs", train.runId(), "score").expect(0).out());
    }

    @Test
    void stdlibSplitsTheCsv() throws Exception {
        Freestone.Result r = fs.cli("run", "--progress", "none", example("stdlib/with_stdlib.pipe").toString()).expect(0);
        JsonNode run = shown(r.runId(), "Succeeded");
        for (JsonNode t : run.get("tasks")) {
            assertEquals("Succeeded", t.get("state").asText(), t::toString);
        }
        List<String> outputs = r.out().lines().filter(l -> l.startsWith("  output ")).toList();
        assertEquals(2, outputs.size(), r::all);
        long rows = 0;
        for (String line : outputs) {
            Path file = Path.of(line.substring(line.indexOf('=') + 1).strip());
            List<String> lines = Files.readAllLines(file);
            assertTrue(lines.get(0).contains("species"), line);
            rows += lines.size() - 1;
        }
        assertTrue(rows > 100, "train and test hold the rows: " + rows);
    }
}
