package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone run --only STEP}: the step and the steps it needs run, as make builds a target; the rest of the
 * pipeline ends Skipped and needs nothing of this machine (a deploy step's missing program does not stop a run of the
 * evaluation); the {@code finally} block runs; a later run of more steps takes the same ones from the cache; resume
 * keeps the selection.
 */
class OnlyStepsE2ETest {
    private static final String PIPELINE = """
            component step(msg: String, _after: String = "", fail_if: String = "/nonexistent/freestone") -> (out: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "test ! -e \\"$2\\" && echo \\"$0\\" | tee \\"$1\\"", msg, out, fail_if]
            }

            component deploy(model: String) {
              image   = "bitnami/kubectl:1.30"
              command = ["freestone-test-no-such-kubectl", "apply", "-f", model]
            }

            pipeline train_eval(rates: List[String] = ["a", "b"], marker: String = "/nonexistent/freestone") -> (score: String) {
              prep = step(msg = "prep")
              for r in rates {
                fit = step(msg = r, _after = prep.out)
              }
              eval = step(msg = "eval", _after = prep.out, fail_if = marker)
              ship = deploy(model = eval.out)
              report = step(msg = "report")
              output score = eval.out
              finally {
                step(msg = "bye")
              }
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void theStepsAskedForRunWithWhatTheyNeedAndTheRestIsSkipped() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "train.pipe", PIPELINE);
        Freestone.Result r = fs.cli("run", p.toString(), "--only", "eval", "--progress", "none").expect(0);
        assertEquals("score = eval\n", r.out().replaceFirst("(?s).*output ", ""), r::all);
        JsonNode run = fs.show(r.runId());
        assertEquals("Succeeded", run.get("status").asText());
        assertEquals("Succeeded", Freestone.state(run, "prep"));
        assertEquals("Succeeded", Freestone.state(run, "eval"));
        for (String skipped : new String[] {"fit[*]", "ship", "report"}) {
            assertEquals("Skipped", Freestone.state(run, skipped), skipped);
            assertEquals("skipped: not asked for (--only eval)", Freestone.task(run, skipped).get("message").asText());
        }
        assertEquals("Succeeded", Freestone.state(run, "step"), "the finally block ran");

        // more of the pipeline: what ran already comes from the cache; a loop's step brings its loop
        Freestone.Result more = fs.cli("run", p.toString(), "--only", "fit,report", "--progress", "none").expect(0);
        JsonNode second = fs.show(more.runId());
        assertEquals("Cached", Freestone.state(second, "prep"));
        assertEquals("Succeeded", Freestone.state(second, "fit[0]"));
        assertEquals("Succeeded", Freestone.state(second, "fit[1]"));
        assertEquals("Succeeded", Freestone.state(second, "report"));
        assertEquals("Skipped", Freestone.state(second, "eval"));
        assertTrue(second.get("outputs").get("score").isNull(), second::toPrettyString);

        // all of it: the deploy step's program is missing, which --only did not need
        Freestone.Result all = fs.cli("run", p.toString(), "--progress", "none").expect(1);
        assertTrue(all.err().contains("freestone-test-no-such-kubectl"), all::all);
    }

    @Test
    void aNameThatIsNoStepIsAUsageErrorWithTheClosestStep() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "train.pipe", PIPELINE);
        Freestone.Result typo = fs.cli("run", p.toString(), "--only", "evl").expect(2);
        assertEquals("error: --only evl: the pipeline has no step `evl`\n  = help: did you mean `eval`?\n",
                typo.err().substring(typo.err().indexOf("error: ")));
        Freestone.Result output = fs.cli("run", p.toString(), "--only", "score").expect(2);
        assertTrue(output.err().contains("error: --only score: `score` is an output of the pipeline, not a step\n"
                + "  = help: ask for the step that makes it; the steps are: eval, fit, prep, report, ship\n"), output::all);
        Freestone.Result exit = fs.cli("run", p.toString(), "--only", "step").expect(2);
        assertTrue(exit.err().contains("error: --only step: `step` is a step of the `finally` block, which every run runs\n"),
                exit::all);
        Freestone.Result inner = fs.cli("run", p.toString(), "--only", "prep/x").expect(2);
        assertTrue(inner.err().contains("error: --only prep/x: `prep` runs a component, not a pipeline\n"
                + "  = help: ask for the step itself: --only prep\n"), inner::all);
        // a script's `--only "$A,$B"` with both empty: no step named, not every step run
        for (String empty : new String[] {",", ""}) {
            Freestone.Result none = fs.cli("run", p.toString(), "--only", empty).expect(2);
            assertTrue(none.err().contains("error: --only: a step's name is empty\n"), none::all);
        }
        try (var store = fs.openStore()) {
            assertTrue(store.listRuns(java.util.Optional.empty(), 0).isEmpty(), "no run was recorded");
        }
    }

    /**
     * A step of a called pipeline is asked for with its call's name, `a/norm`: the call runs whole. A name after the
     * call's that is no step of the called pipeline is a usage error, as a typo of a step of the root is.
     */
    @Test
    void aCalledPipelinesStepBringsItsCall() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String nested = Freestone.example("nested/nested.pipe").toString();
        Freestone.Result typo = fs.cli("run", nested, "--only", "a/nrom").expect(2);
        assertTrue(typo.err().contains("error: --only a/nrom: the pipeline `word_count` (called as `a`) has no step `nrom`\n"
                + "  = help: did you mean `a/norm`?\n"), typo::all);
        Freestone.Result deeper = fs.cli("run", nested, "--only", "a/norm/x").expect(2);
        assertTrue(deeper.err().contains("error: --only a/norm/x: `a/norm` runs a component, not a pipeline\n"), deeper::all);
        Freestone.Result r = fs.cli("run", nested, "--only", "a/norm", "--progress", "none").expect(0);
        JsonNode run = fs.show(r.runId());
        assertEquals("Succeeded", Freestone.state(run, "a/norm"));
        assertEquals("Succeeded", Freestone.state(run, "a/c"));
        assertEquals("Skipped", Freestone.state(run, "b"));
        assertEquals("Skipped", Freestone.state(run, "sum"));
    }

    /**
     * A run of part of the pipeline stopped by Ctrl-C: the step that was running is Cancelled, a step left out that
     * waited for it is Skipped as not asked for (it was never to run), and resume runs the same part again.
     */
    @Test
    void aStoppedRunKeepsWhatWasLeftOutSkipped() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path started = tmp.resolve("started");
        Path p = Freestone.pipe(tmp, "slow.pipe", """
                component slow(started: String) -> (out: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "if [ -e \\"$0\\" ]; then echo done > \\"$1\\"; exit 0; fi; touch \\"$0\\"; sleep 60 & wait", started, out]
                }

                component step(msg: String) -> (out: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo \\"$0\\" | tee \\"$1\\"", msg, out]
                }

                pipeline slow_then(started: String) {
                  s = slow(started = started)
                  later = step(msg = s.out)
                }
                """);
        Path logs = tmp.resolve("engine");
        Process engine = fs.start(logs, List.of(), "run", "--progress", "none", p.toString(), "--only", "s", "-p",
                "started=" + started);
        assertTrue(Freestone.eventually(30_000, () -> Files.exists(started) || !engine.isAlive()),
                () -> "the step did not start: " + Freestone.read(logs.resolve("err.txt")));
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(engine.pid())).inheritIO().start().waitFor(),
                () -> Freestone.read(logs.resolve("err.txt")));
        Freestone.Result stopped = Freestone.await(engine, logs, 60);
        assertEquals(130, stopped.exit(), stopped::all);
        String runId = stopped.runId();
        JsonNode run = fs.show(runId);
        assertEquals("Cancelled", run.get("status").asText(), run::toPrettyString);
        assertEquals("Cancelled", Freestone.state(run, "s"));
        assertEquals("Skipped", Freestone.state(run, "later"), run::toPrettyString);
        assertEquals("skipped: not asked for (--only s)", Freestone.task(run, "later").get("message").asText());
        JsonNode resumed = fs.show(fs.cli("resume", runId, "--progress", "none").expect(0).runId());
        assertEquals("Succeeded", Freestone.state(resumed, "s"));
        assertEquals("Skipped", Freestone.state(resumed, "later"));
    }

    /** A failed run of part of the pipeline, resumed after the fix: the same part runs, no more. */
    @Test
    void resumeRunsTheSamePart() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "train.pipe", PIPELINE);
        Path marker = Files.writeString(tmp.resolve("eval.fail"), "");
        // eval fails while the marker file exists
        Freestone.Result failed = fs.cli("run", p.toString(), "--progress", "none", "--only", "eval", "-p",
                "marker=" + marker);
        assertEquals(1, failed.exit(), failed::all);
        assertEquals("Failed", Freestone.state(fs.show(failed.runId()), "eval"));
        Files.delete(marker);
        Freestone.Result resumed = fs.cli("resume", failed.runId(), "--progress", "none");
        assertEquals(0, resumed.exit(), resumed::all);
        JsonNode run = fs.show(resumed.runId());
        assertEquals("Succeeded", Freestone.state(run, "eval"));
        assertEquals("Skipped", Freestone.state(run, "report"));
        assertFalse(resumed.all().contains("no-such-kubectl"), resumed::all);
    }
}
