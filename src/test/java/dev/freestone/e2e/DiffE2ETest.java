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
 * {@code freestone diff A B}: of two runs of a sweep, the tasks that ran otherwise are listed with what changed (the
 * loop item, an input, the component, the state) and what came out otherwise (an output, a metric, an artifact); the
 * tasks alike, a cached one included, are counted; a task one run has is "only in".
 */
class DiffE2ETest {
    @TempDir
    Path tmp;

    private static final String SWEEP = """
            component prep(rows: Int) -> (data: Dataset) {
              image = "python:3.12-slim"
              script = python \"""
                import os
                open(os.environ["data"], "w").write("x\\n" * int(os.environ["rows"]))
              \"""
            }

            component fit(data: Dataset, lr: Float) -> (model: Model, acc: Float, metrics: Metrics) {
              image = "python:3.12-slim"
              script = python \"""
                import json, os
                n = len(open(os.environ["data"]).readlines())
                lr = float(os.environ["lr"])
                open(os.environ["model"], "w").write(f"{n} {lr}")
                open(os.environ["acc"], "w").write(str(round(1 - lr, 2)))
                json.dump({"loss": round(lr * 2, 2)}, open(os.environ["metrics"], "w"))
              \"""
            }

            component report(model: Model) -> (ok: Bool) {
              image = "python:3.12-slim"
              script = python \"""
                import os
                open(os.environ["ok"], "w").write("true")
              \"""
            }

            pipeline sweep(rows: Int = 10, rates: List[Float] = [0.1, 0.3]) -> (best: Float) {
              p = prep(rows = rows)
              for lr in rates {
                f = fit(data = p.data, lr = lr)
              }
              r = report(model = f.model[0])
              output best = max(f.acc)
            }
            """;

    @Test
    void aChangedParameterShowsWhichTasksItMovedAndWhatCameOutOtherwise() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "sweep.pipe", SWEEP);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String b = fs.cli("run", "--progress", "none", p.toString(), "-p", "rates=[0.05, 0.5, 0.7]").expect(0).runId();

        Freestone.Result d = fs.cli("diff", a, b).expect(0);
        List<String> lines = d.out().lines().map(String::stripTrailing).toList();
        assertTrue(lines.contains("rates      [0.1,0.3]                 [0.05,0.5,0.7]"), d::all);
        assertFalse(d.out().contains("rows "), "a parameter alike is not listed: " + d.out());
        // the pipeline output that came out otherwise, under the parameters
        assertTrue(lines.contains("best       0.9                       0.95"), d::all);
        String f1 = row(lines, "f[1] ");
        assertTrue(f1.contains("Succeeded                 Succeeded"), f1);
        assertTrue(f1.endsWith("item lr=0.3 -> lr=0.5; input `lr` changed; output `acc` 0.7 -> 0.5;"
                + " metric `loss` 0.6 -> 1; artifact `model`: other content (sha256:" + f1.substring(f1.indexOf("(sha256:") + 8)), f1);
        assertTrue(f1.matches(".*\\(sha256:[0-9a-f]{12} -> sha256:[0-9a-f]{12}\\)$"), f1);
        String f2 = row(lines, "f[2] ");
        assertTrue(f2.matches("f\\[2] +- +Succeeded +only in " + b), f2);
        // what the second run took from the cache came out the same: alike, counted, not listed
        assertTrue(row(lines, "r ").endsWith("input `model` changed"), d::all);
        assertEquals("1 task alike (same component, inputs and results): p", lines.get(lines.size() - 1), d::all);

        Freestone.Result every = fs.cli("diff", a, b, "--all").expect(0);
        assertTrue(row(every.out().lines().map(String::stripTrailing).toList(), "p ").matches("p +Succeeded +Cached +alike"),
                every::all);

        JsonNode j = Freestone.JSON.readTree(fs.cli("diff", a, b, "--output", "json").expect(0).out());
        assertEquals("[[0.1,0.3],[0.05,0.5,0.7]]", j.get("params").get("rates").toString());
        assertEquals("{\"best\":[0.9,0.95]}", j.get("outputs").toString());
        assertEquals("[\"p\"]", j.get("alike").toString());
        assertEquals(List.of("f[0]", "f[1]", "f[2]", "r"), j.get("tasks").findValuesAsText("id"));
        assertEquals("[\"Succeeded\",\"Succeeded\"]", j.get("tasks").get(1).get("states").toString());
        assertEquals("[null,\"Succeeded\"]", j.get("tasks").get(2).get("states").toString());
        assertEquals(a, j.get("runs").get(0).get("id").asText());
    }

    @Test
    void aChangedComponentAndAFailureAreSaidWithTheOutputsTheyCost() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "sweep.pipe", SWEEP);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        Files.writeString(p, SWEEP.replace("open(os.environ[\"ok\"], \"w\").write(\"true\")", "raise SystemExit(3)"));
        String b = fs.cli("run", "--progress", "none", p.toString(), "-p", "rows=20").expect(1).runId();

        Freestone.Result d = fs.cli("diff", a, b).expect(0);
        List<String> lines = d.out().lines().map(String::stripTrailing).toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("version +[0-9a-f]{12} +[0-9a-f]{12}")), d::all);
        assertTrue(lines.stream().anyMatch(l -> l.matches("status +Succeeded +Failed")), d::all);
        assertTrue(row(lines, "p ").endsWith("input `rows` changed; artifact `data`: other content ("
                + row(lines, "p ").substring(row(lines, "p ").indexOf("(sha256:") + 1)), d::all);
        String r = row(lines, "r ");
        assertTrue(r.contains("the component changed; input `model` changed; Succeeded -> Failed (step `r` (component"
                + " `report`, image `python:3.12-slim`) exited with code 3"), r);
        assertTrue(r.endsWith("; output `ok` true -> none"), r);
        // the iterations read the new data: their inputs changed, the outputs that did not are not listed
        String f0 = row(lines, "f[0] ");
        assertTrue(f0.contains("input `data` changed; artifact `model`: other content"), f0);
        assertFalse(f0.contains("output `acc`"), f0);
        assertFalse(d.out().contains("no task differs"), d::all);
    }

    @Test
    void mistakesAreOneLineWithTheWayOut() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "sweep.pipe", SWEEP);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        Freestone.Result same = fs.cli("diff", a, "@latest").expect(1);
        assertTrue(same.err().startsWith("error: `" + a + "` and `@latest` are the same run, " + a), same::all);
        assertTrue(same.err().contains("help: name two runs: `freestone runs` lists them"), same::all);
        Freestone.Result none = fs.cli("diff", a, "run-nope").expect(1);
        assertTrue(none.err().startsWith("error: no run matches `run-nope`"), none::all);
        Freestone.Result one = fs.cli("diff", a).expect(2);
        assertTrue(one.err().contains("Missing required parameter: 'OTHER'"), one::all);
        assertFalse((same.all() + none.all() + one.all()).contains("Exception"));
        // a run and a run that ran again from the cache: alike
        String again = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        Freestone.Result alike = fs.cli("diff", a, again).expect(0);
        assertTrue(alike.out().contains("no task differs\n\n4 tasks alike (same component, inputs and results): f[0], f[1], p, r"),
                alike::all);
    }

    @Test
    void aMultiLineOutputStaysOnItsTasksRow() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "talk.pipe", """
                component talk(n: Int) -> (log: String) {
                  image = "python:3.12-slim"
                  script = python \"""
                    import os
                    open(os.environ["log"], "w").write("\\n".join(f"line {i} ünï" for i in range(int(os.environ["n"]))))
                  \"""
                }

                pipeline talking(n: Int = 2) -> (log: String) {
                  t = talk(n = n)
                  output log = t.log
                }
                """);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String b = fs.cli("run", "--progress", "none", p.toString(), "-p", "n=3").expect(0).runId();
        Freestone.Result d = fs.cli("diff", a, b).expect(0);
        List<String> lines = d.out().lines().map(String::stripTrailing).toList();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("line ")), d::all);
        assertTrue(row(lines, "t ").endsWith("output `log` line 0 ünï line 1 ünï -> line 0 ünï line 1 ünï line 2 ünï"), d::all);
        assertTrue(row(lines, "log ").endsWith("line 0 ünï line 1 ünï line 2 ünï"), d::all);
    }

    /**
     * A run recorded before loop items were (schema 5) has none: its iterations are compared by what they ran and
     * gave, not said to have changed item ("item lr=0.1 -> ", with nothing after the arrow).
     */
    @Test
    void aRunWithoutRecordedItemsSaysNothingOfThem() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "sweep.pipe", SWEEP);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String b = fs.cli("run", "--progress", "none", "--no-cache", p.toString()).expect(0).runId();
        try (var store = fs.openStore()) {
            for (var t : store.tasks(b)) {
                store.upsertTask(new dev.freestone.runtime.store.TaskRecord(t.runId(), t.taskId(), t.name(), t.component(),
                        t.state(), t.attempts(), t.cacheKey(), t.exitCode(), t.outputsJson(), t.startedAt(), t.finishedAt(),
                        t.message(), List.of()));
            }
        }
        Freestone.Result d = fs.cli("diff", a, b).expect(0);
        assertFalse(d.out().contains("item "), d::all);
        assertTrue(d.out().contains("no task differs"), d::all);
    }

    /** The row of the task table whose line starts with {@code start}. */
    private static String row(List<String> lines, String start) {
        return lines.stream().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + start + " in\n" + String.join("\n", lines)));
    }
}
