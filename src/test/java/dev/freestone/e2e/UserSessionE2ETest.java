package dev.freestone.e2e;

import static dev.freestone.e2e.Freestone.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a data scientist meets running pipelines again and again: the same pipeline run twice, a run
 * resumed, a task's log asked for. Each case came from using the CLI and finding it did not do what
 * the user meant.
 */
class UserSessionE2ETest {
    @TempDir
    Path tmp;

    private Path pipe(String name, String text) throws IOException {
        return Freestone.pipe(tmp, name, text);
    }

    /** A `finally` block notifies or cleans up: a cache hit would skip that on every run after the first. */
    @Test
    void theExitHandlerRunsOnEveryRunEvenWithTheSameInputs() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path log = tmp.resolve("notified.log");
        Path p = pipe("notify.pipe", """
                component work() -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "printf 1 > \\"$0\\"", n]
                }
                component notify(status: String, log: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo \\"$0\\" >> \\"$1\\"", status, log]
                }
                pipeline notified(log: String) -> (n: Int) {
                  w = work()
                  finally {
                    notify(status = run.status, log = log)
                  }
                  output n = w.n
                }
                """);
        String first = fs.cli("run", "--progress", "none", p.toString(), "-p", "log=" + log).expect(0).runId();
        String second = fs.cli("run", "--progress", "none", p.toString(), "-p", "log=" + log).expect(0).runId();
        assertEquals(List.of("Succeeded", "Succeeded"), Files.readAllLines(log));
        JsonNode run = fs.show(second);
        assertEquals("Cached", state(run, "w"), "a body step is still cached");
        assertEquals("Succeeded", state(run, "notify"));
        assertEquals("Succeeded", state(fs.show(first), "notify"));
        Freestone.Result explained = fs.cli("run", "--progress", "none", "--explain-cache", p.toString(), "-p", "log=" + log)
                .expect(0);
        assertTrue(explained.out().contains("cache notify: disabled - a `finally` step is not cached unless its call says "
                + "`with { cache = true }`"), explained::all);
    }

    /** `--no-cache` asked for every step to execute: resuming that run must not take steps from the cache. */
    @Test
    void resumingANoCacheRunExecutesWhatItHadNotRun() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path broken = tmp.resolve("broken");
        Path p = pipe("chain.pipe", """
                component first() -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "printf 1 > \\"$0\\"", n]
                }
                component second(n: Int, broken: String) -> (m: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "[ ! -e \\"$2\\" ] || exit 4; printf 2 > \\"$1\\"", "${n}", m, broken]
                }
                pipeline chain(broken: String) -> (m: Int) {
                  a = first()
                  b = second(n = a.n, broken = broken)
                  output m = b.m
                }
                """);
        fs.cli("run", "--progress", "none", p.toString(), "-p", "broken=" + broken).expect(0);
        Files.writeString(broken, "");
        String failed = fs.cli("run", "--no-cache", "--progress", "none", p.toString(), "-p", "broken=" + broken)
                .expect(1).runId();
        Files.delete(broken);
        String resumed = fs.cli("resume", failed, "--progress", "none").expect(0).runId();
        JsonNode run = fs.show(resumed);
        assertEquals("Cached", state(run, "a"), "what the resumed run did is reused");
        assertEquals("Succeeded", state(run, "b"), "the step runs: its run asked for no cache");
        assertEquals(1, Freestone.task(run, "b").get("attempts").asInt());
    }

    /** Starts `freestone run` of a step that sleeps for two minutes in a child JVM; returns once the step runs. */
    private Process startSleepyRun(Freestone fs, Path logs) throws Exception {
        Path started = tmp.resolve("started");
        Path p = pipe("sleepy.pipe", """
                component sleepy(started: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo up > \\"$0\\"; sleep 120", started]
                }
                pipeline sleepy_run(started: String) {
                  sleepy(started = started)
                }
                """);
        Process engine = fs.start(logs, List.of(), "run", "--progress", "plain", p.toString(), "-p", "started=" + started);
        assertTrue(Freestone.eventually(30_000, () -> Files.exists(started) || !engine.isAlive()),
                "the step did not start: " + Freestone.read(logs.resolve("err.txt")));
        return engine;
    }

    /** After Ctrl-C the user is told how the run ended and how to continue it, before the JVM exits. */
    @Test
    void ctrlCPrintsTheRunsEndAndHowToResumeIt() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path logs = tmp.resolve("engine");
        Process engine = startSleepyRun(fs, logs);
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(engine.pid())).start().waitFor());
        Freestone.Result r = Freestone.await(engine, logs, 60);
        assertEquals(130, r.exit(), r::all);
        String id = r.runId();
        assertTrue(r.out().contains("Cancelled  run " + id), r::all);
        assertTrue(r.err().contains("error: run " + id + " was cancelled"), r::all);
        assertTrue(r.err().contains("= help:") && r.err().contains("freestone resume " + id), r::all);
        // show's status line says what the cancel did, not "Cancelled: cancelled"
        assertTrue(fs.cli("show", id).expect(0).out().contains(
                "\nstatus   Cancelled: its running steps were stopped, the rest did not start\n"), r::all);
    }

    /** `logs RUN TASK` of a task that did not execute in that run says why instead of printing nothing. */
    @Test
    void theLogsOfATaskThatDidNotExecuteSayWhy() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("branch.pipe", """
                component say(text: String) -> (said: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo \\"$0\\"; printf %s \\"$0\\" > \\"$1\\"", text, said]
                }
                pipeline branch(big: Bool = false) -> (said: String) {
                  s = say(text = "hello")
                  if big {
                    shout = say(text = "HELLO")
                  }
                  output said = s.said
                }
                """);
        String first = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String second = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        Freestone.Result executed = fs.cli("logs", first, "s").expect(0);
        assertEquals("hello\n", executed.out());
        assertEquals("", executed.err());
        Freestone.Result cached = fs.cli("logs", second, "s").expect(0);
        assertEquals("", cached.out());
        assertTrue(cached.err().contains("task `s` of run " + second + " has no log: it was Cached")
                && cached.err().contains("run " + first), cached::all);
        // where the log is, until that run is deleted
        assertTrue(cached.err().contains("; `freestone logs " + first + " s` prints the log it wrote there\n"), cached::all);
        fs.cli("delete", first).expect(0);
        assertTrue(fs.cli("logs", second, "s").expect(0).err().endsWith("; that run was deleted since, with its logs\n"));
        Freestone.Result skipped = fs.cli("logs", second, "shout").expect(0);
        assertTrue(skipped.err().contains("has no log: it was Skipped (its condition was false)"), skipped::all);
    }

    /**
     * `show`, `artifacts` and `metrics` list tasks in one order whatever order they ran in: by task id,
     * loop iterations by number (`f[2]` before `f[10]`), a called pipeline's steps after its call.
     */
    @Test
    void tasksAreListedInTheOrderOfTheirIdsWithIterationsByNumber() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("sweep.pipe", """
                component fit(lr: Int) -> (m: Metrics) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "printf '{\\"lr\\": %s}' \\"$0\\" > \\"$1\\"; echo $0", "${lr}", m]
                }
                pipeline pair(lr: Int) -> (m: Metrics) {
                  b = fit(lr = lr)
                  a = fit(lr = lr)
                  output m = a.m
                }
                pipeline sweep() {
                  for lr in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] parallel 12 {
                    f = fit(lr = lr)
                  }
                  z = pair(lr = 20)
                  c = pair(lr = 30)
                }
                """);
        String id = fs.cli("run", "--progress", "none", "--allow", "unused-step", "--pipeline", "sweep", p.toString())
                .expect(0).runId();
        List<String> expected = List.of("c", "c/a", "c/b", "f[0]", "f[1]", "f[2]", "f[3]", "f[4]", "f[5]", "f[6]",
                "f[7]", "f[8]", "f[9]", "f[10]", "f[11]", "z", "z/a", "z/b");
        List<String> shown = new java.util.ArrayList<>();
        fs.show(id).get("tasks").forEach(t -> shown.add(t.get("id").asText()));
        assertEquals(expected, shown);
        List<String> produced = new java.util.ArrayList<>();
        Freestone.JSON.readTree(fs.cli("artifacts", id, "--output", "json").expect(0).out())
                .forEach(a -> produced.add(a.get("task").asText()));
        assertEquals(expected, produced, "a pipeline call's outputs are artifacts of its task too");
        List<String> metrics = fs.cli("metrics", id).expect(0).out().lines().skip(1)
                .map(l -> l.substring(0, l.indexOf("  "))).toList();
        // an iteration is named with its item too: `f[10] (lr=10)/lr`
        assertEquals(expected.stream().filter(t -> t.contains("/") || t.startsWith("f"))
                .map(t -> t.startsWith("f") ? t + " (lr=" + t.substring(2, t.length() - 1) + ")/lr" : t + "/lr").toList(),
                metrics);
        List<String> logged = fs.cli("logs", id).expect(0).out().lines().map(l -> l.substring(1, l.lastIndexOf("] ")))
                .toList();
        // and so in the logs
        assertEquals(expected.stream().filter(t -> t.contains("/") || t.startsWith("f"))
                .map(t -> t.startsWith("f") ? t + " (lr=" + t.substring(2, t.length() - 1) + ")" : t).toList(), logged);
    }

    /** Two runs are compared by their parameters: a default the run used is as much a parameter as a given one. */
    @Test
    void aRunRecordsTheDefaultsItUsedBesideTheGivenParameters() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("train.pipe", """
                component fit(lr: Float, epochs: Int, tag: String?) -> (m: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "printf '%s %s %s' \\"$0\\" \\"$1\\" \\"$2\\" > \\"$3\\"", "${lr}", "${epochs}", tag, m]
                }
                pipeline train(lr: Float = 0.1, epochs: Int = 5, tag: String? = null) -> (m: String) {
                  f = fit(lr = lr, epochs = epochs, tag = tag)
                  output m = f.m
                }
                """);
        String id = fs.cli("run", "--progress", "none", p.toString(), "-p", "lr=0.5").expect(0).runId();
        JsonNode params = fs.show(id).get("params");
        assertEquals(Freestone.JSON.readTree("{\"epochs\": 5, \"lr\": 0.5, \"tag\": null}"), params);
        String second = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        assertEquals(Freestone.JSON.readTree("{\"epochs\": 5, \"lr\": 0.1, \"tag\": null}"), fs.show(second).get("params"));
    }

    /**
     * A user fixes the data file a run failed on and resumes it: the resumed run reads the copy the run
     * took (as Argo's retry does), so it says the file changed and how to use the new one.
     */
    @Test
    void resumingARunWhoseInputFileChangedSaysItUsesTheCopyTakenThen() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path data = tmp.resolve("rows.csv");
        Files.writeString(data, "x\n1\nbad\n");
        Path p = pipe("validate.pipe", """
                component validate(data: Dataset) -> (rows: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "! grep -q bad \\"$0\\" || exit 3; wc -l < \\"$0\\" > \\"$1\\"", data, rows]
                }
                pipeline check(data: Dataset) -> (rows: Int) {
                  v = validate(data = data)
                  output rows = v.rows
                }
                """);
        String failed = fs.cli("run", "--progress", "none", p.toString(), "-p", "data=" + data).expect(1).runId();
        Freestone.Result same = fs.cli("resume", failed, "--progress", "none").expect(1);
        assertTrue(!same.err().contains("warning:"), same::all);
        Files.writeString(data, "x\n1\n2\n");
        Freestone.Result r = fs.cli("resume", failed, "--progress", "none").expect(1);
        assertTrue(r.err().contains("warning: parameter `data`: " + data + " changed since run " + failed
                + " read it; the resumed run uses the copy taken then"), r::all);
        assertTrue(r.err().contains("= help: `freestone run` reads it again"), r::all);
        fs.cli("run", "--progress", "none", p.toString(), "-p", "data=" + data).expect(0);
    }

    /** `runs --pipeline` with a misspelt name is not "no runs yet": it says which pipelines have runs. */
    @Test
    void runsOfAPipelineWithNoRunsNamesTheClosestOne() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("hello.pipe", """
                component say(text: String) {
                  image   = "alpine:3.20"
                  command = ["echo", text]
                }
                pipeline greeting() {
                  say(text = "hi")
                }
                """);
        fs.cli("run", "--progress", "none", p.toString()).expect(0);
        Freestone.Result r = fs.cli("runs", "--pipeline", "greting").expect(0);
        assertEquals("no runs of pipeline `greting`\n  = help: did you mean `greeting`?\n", r.out());
        assertEquals("no runs of pipeline `other`\n  = help: the pipelines with runs are: greeting\n",
                fs.cli("runs", "--pipeline", "other").expect(0).out());
        assertEquals("[ ]\n", fs.cli("runs", "--pipeline", "other", "--output", "json").expect(0).out());
    }

    /** A run whose engine was killed is not shown as simply Running: `show` and `runs` say its engine is gone, their clocks stopped. */
    @Test
    void aRunWhoseEngineDiedIsShownAsSuch() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path logs = tmp.resolve("engine");
        Process engine = startSleepyRun(fs, logs);
        String id = new Freestone.Result(0, "", Freestone.read(logs.resolve("err.txt"))).runId();
        // the store has the step Running (the engine writes it a moment after the step starts)
        assertTrue(Freestone.eventually(30_000, () -> "Running".equals(state(fs.show(id), "sleepy"))), id);
        engine.destroyForcibly();
        engine.waitFor();
        Freestone.Result show = fs.cli("show", id).expect(0);
        assertTrue(show.out().contains("status   Running (its engine, process " + engine.pid() + ", is gone; `freestone resume "
                + id + "` continues the run)"), show::all);
        assertEquals("Running", fs.show(id).get("status").asText(), "the JSON keeps the recorded status");
        // its step is said to be left by the engine, and no clock goes on: the run stopped with its engine
        String task = show.out().lines().filter(l -> l.startsWith("sleepy ")).findFirst().orElseThrow();
        assertTrue(task.matches("sleepy +Running \\(engine gone\\) +1 +\\S+ .*"), show::all);
        String listed = fs.cli("runs").expect(0).out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        Thread.sleep(1_500);
        Freestone.Result later = fs.cli("show", id).expect(0);
        assertEquals(task, later.out().lines().filter(l -> l.startsWith("sleepy ")).findFirst().orElseThrow(), later::all);
        String started = show.out().lines().filter(l -> l.startsWith("started  ")).findFirst().orElseThrow();
        assertTrue(started.contains(", the last it recorded)"), started);
        assertEquals(started, later.out().lines().filter(l -> l.startsWith("started  ")).findFirst().orElseThrow());
        JsonNode json = fs.show(id);
        assertEquals(engine.pid(), json.get("engineGone").get("pid").asLong(), json::toString);
        assertEquals("freestone resume " + id, json.get("engineGone").get("resume").asText());
        assertEquals("Running", state(json, "sleepy"), "the JSON keeps the recorded state");
        assertTrue(listed.startsWith(id + "  sleepy_run  Running (engine gone)"), listed);
        // nor in its picture
        String picture = fs.cli("graph", "--run", id, "--format", "mermaid").expect(0).out();
        assertTrue(picture.startsWith("---\ntitle: \"" + id + " sleepy_run: Running (engine gone)\"\n---\n"), picture);
        assertTrue(picture.contains("[\"sleepy<br/>Running (engine gone)\"]:::running"), picture);
        // nor in `runs`: its ELAPSED stops where show's does
        assertEquals(listed, fs.cli("runs").expect(0).out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow());
        // `logs --follow` ends too: nothing will write the logs again, and it waited for an end that never came
        Path follow = tmp.resolve("follow");
        Freestone.Result logs2 = Freestone.await(fs.start(follow, List.of(), "logs", id, "--follow"), follow, 30).expect(0);
        assertTrue(logs2.err().contains("note: run " + id + " stopped when its engine (process " + engine.pid()
                + ") died; `freestone resume " + id + "` continues it"), logs2::all);
    }

    /** A step that exits 0 without writing its output fails with one `error:`, not `error: ... failed: error: ...`. */
    @Test
    void aStepThatForgetsItsOutputFailsWithOneErrorLine() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("forgets.pipe", """
                component forgets() -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["echo", "did nothing"]
                }
                pipeline forgetful() -> (n: Int) {
                  f = forgets()
                  output n = f.n
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        assertTrue(r.err().contains("error: task `f` failed: step `f` (component `forgets`, image `alpine:3.20`) did not "
                + "write its output `n`"), r::all);
    }

    /** A misspelt option or command gets the same `= help:` line as every other mistake. */
    @Test
    void aMisspeltOptionOrCommandGetsAHelpLine() {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Freestone.Result option = fs.cli("run", "x.pipe", "--progres", "plain").expect(2);
        assertEquals("error: Unknown options: '--progres', 'plain'\n  = help: did you mean `--progress`?\n", option.err());
        Freestone.Result command = fs.cli("shw", "run-1").expect(2);
        assertTrue(command.err().contains("\n  = help: did you mean `show`"), command::all);
        Freestone.Result missing = fs.cli("show").expect(2);
        assertEquals("error: Missing required parameter: 'RUN'\n  = help: see `freestone show --help`\n", missing.err());
        // a parameter written as `kfp run create` and argparse take it: the NAME=VALUE meant
        Freestone.Result apart = fs.cli("run", "x.pipe", "--param", "lr", "0.1").expect(2);
        assertEquals("error: --param takes NAME=VALUE as one argument, got `lr` and `0.1`\n"
                + "  = help: write `--param lr=0.1`\n", apart.err());
        Freestone.Result quoted = fs.cli("compile", "x.pipe", "-p", "tag", "a b").expect(2);
        assertEquals("error: --param takes NAME=VALUE as one argument, got `tag` and `a b`\n"
                + "  = help: write `--param 'tag=a b'`\n", quoted.err());
    }

    /** KFP runs a lone component as a pipeline; here a file of components alone is told how to run one. */
    @Test
    void aFileOfComponentsAloneSaysHowToRunOne() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("steps.pipe", """
                component prep(rows: Int = 3) -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "printf $0 > \\"$1\\"", "${rows}", n]
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        assertTrue(r.err().contains("error[E0604]: no pipeline to run in "), r::all);
        assertTrue(r.err().contains("= help: a component runs as a step of a pipeline: declare one that calls it,"
                + " `pipeline main() { s = COMPONENT(...) }`, here or in a file that imports this one"), r::all);
        Freestone.assertNoTrace(r.all());
    }

    /** `check .`, as linters take it: the folder's .pipe files are named, to give one (or all) of them. */
    @Test
    void aFolderGivenAsAFileNamesItsPipeFiles() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path dir = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(dir.resolve("train.pipe"), "");
        Files.writeString(dir.resolve("sweep.pipe"), "");
        Files.writeString(dir.resolve("notes.txt"), "");
        Freestone.Result check = fs.cli("check", dir.toString()).expect(2);
        assertEquals("error: " + dir + " is a directory, not a .pipe file\n"
                + "  = help: name a .pipe file; it holds 2: sweep.pipe, train.pipe\n", check.err());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(fs.cli("run", empty.toString()).expect(2).err().endsWith("  = help: name a .pipe file\n"));
    }

    /** A wrong element of a list parameter is named by its place and its value. */
    @Test
    void aWrongElementOfAListParameterIsNamedWithItsValue() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("grid.pipe", """
                component fit(lr: Float) {
                  image   = "alpine:3.20"
                  command = ["echo", "${lr}"]
                }
                pipeline grid(rates: List[Float] = [0.1]) {
                  for lr in rates {
                    fit(lr = lr)
                  }
                }
                """);
        Freestone.Result r = fs.cli("run", p.toString(), "-p", "rates=[0.1, \"fast\"]").expect(1);
        assertTrue(r.err().contains("error[E0603]: parameter `rates` expects `List[Float]`: the value at `[1]`, `\"fast\"`, "
                + "is not a number"), r::all);
    }

    /** `show` says where a cached task's outputs came from: the run and task that produced them. */
    @Test
    void showSaysWhichRunACachedTaskReused() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("once.pipe", """
                component make() -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "printf 7 > \\"$0\\"", n]
                }
                pipeline once() -> (n: Int) {
                  m = make()
                  output n = m.n
                }
                """);
        String first = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String second = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        assertEquals("same key as task `m` of run " + first, Freestone.task(fs.show(second), "m").get("message").asText());
        assertTrue(fs.cli("show", second).expect(0).out().contains("\ncached from run " + first + ": m\n"));
    }

    /** A user fixes the .pipe file a run failed on and resumes it: the resumed run runs the old pipeline, and says so. */
    @Test
    void resumingARunWhoseSourceChangedSaysItRunsThePipelineAsItWas() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String text = """
                component step() -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "exit CODE; printf 1 > \\"$0\\"", n]
                }
                pipeline buggy() -> (n: Int) {
                  s = step()
                  output n = s.n
                }
                """;
        Path p = pipe("buggy.pipe", text.replace("CODE", "3"));
        String failed = fs.cli("run", "--progress", "none", p.toString()).expect(1).runId();
        Freestone.Result unchanged = fs.cli("resume", failed, "--progress", "none").expect(1);
        assertTrue(!unchanged.err().contains("warning:"), unchanged::all);
        pipe("buggy.pipe", text.replace("exit CODE; ", ""));
        Freestone.Result r = fs.cli("resume", failed, "--progress", "none").expect(1);
        assertTrue(r.err().contains("warning: " + p + " changed since run " + failed + " ran it; the resumed run runs the "
                + "pipeline as it was then"), r::all);
        assertTrue(r.err().contains("= help: `freestone run " + p + "` runs it as it is now"), r::all);
    }

    /** A run with two failed steps shows both under `status`, aligned, each line whole. */
    @Test
    void showAlignsTheStatusOfARunWithSeveralFailures() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("two.pipe", """
                component fail(code: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo failing; exit $0", "${code}"]
                }
                pipeline two() {
                  a = fail(code = 3)
                  b = fail(code = 4)
                }
                """);
        String id = fs.cli("run", "--progress", "none", "--allow", "unused-step", p.toString()).expect(1).runId();
        List<String> lines = fs.cli("show", id).expect(0).out().lines().toList();
        int status = lines.indexOf(lines.stream().filter(l -> l.startsWith("status   Failed: task `a` failed: ")).findFirst()
                .orElseThrow());
        assertTrue(lines.get(status + 1).startsWith("         task `b` failed: step `b`"), () -> String.join("\n", lines));
        // each line whole: what happened and the log's last line, not a path that promises lines after it
        assertTrue(lines.get(status).endsWith("exited with code 3 on attempt 1; its log ends: failing"), lines.get(status));
        assertTrue(lines.get(status + 2).startsWith("started  "), () -> String.join("\n", lines));
    }
}
