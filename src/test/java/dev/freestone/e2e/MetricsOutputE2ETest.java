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
 * A step that writes its {@code Metrics} output the way a quick script does ({@code accuracy=0.9}) is
 * told which JSON to write, and the message never quotes what the step wrote (it may hold a secret).
 */
class MetricsOutputE2ETest {
    @TempDir
    Path tmp;

    @Test
    void metricsThatAreNotJsonAreToldTheTwoFormsWithoutQuotingTheText() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "m.pipe", """
                component train() -> (metrics: Metrics) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os
                    open(os.environ["metrics"], "w").write("tokenXYZ=0.9")
                  \"""
                }
                pipeline m() {
                  _t = train()
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        assertTrue(r.err().contains("error: task `_t` failed: step `_t` (component `train`, image `python:3.12-slim`): metrics"
                + " output `metrics` is not JSON (line 1, column "), r::all);
        assertTrue(r.err().contains("; write a JSON object of numbers, e.g. {\"accuracy\": 0.9}, or KFP's {\"metrics\":"
                + " [{\"name\": \"accuracy\", \"numberValue\": 0.9}]}"), r::all);
        assertFalse(r.all().contains("tokenXYZ"), r::all);
    }

    /**
     * A diverging loss written by Python's {@code json.dump} is {@code NaN}, an overflow {@code Infinity}: the step
     * succeeds and the values are recorded as such, where strict JSON failed the step as "not JSON".
     */
    @Test
    void nanAndInfinityAsPythonWritesThemAreRecorded() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "nan.pipe", """
                component train() -> (metrics: Metrics) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    json.dump({"loss": float("nan"), "grad": float("inf"), "low": float("-inf"), "acc": 0.5},
                              open(os.environ["metrics"], "w"))
                  \"""
                }
                pipeline m() {
                  _t = train()
                }
                """);
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        assertEquals(List.of("METRIC   " + run, "_t/acc   0.5", "_t/grad  +Inf", "_t/loss  NaN", "_t/low   -Inf"),
                fs.cli("metrics", run).expect(0).out().lines().map(String::stripTrailing).toList());
        JsonNode j = Freestone.JSON.readTree(fs.cli("metrics", run, "--output", "json").expect(0).out()).get(run);
        assertEquals(0.5, j.get("_t/acc").doubleValue());
        assertEquals("NaN", j.get("_t/loss").asText());
        assertEquals("Infinity", j.get("_t/grad").asText());
    }

    /** Comparing two runs, the parameter that changed is shown above the metrics it moved; the ones alike are not. */
    @Test
    void comparingRunsShowsTheParametersTheyDifferIn() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "fit.pipe", """
                component fit(lr: Float, epochs: Int) -> (metrics: Metrics) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    json.dump({"loss": round(1 - float(os.environ["lr"]), 2)}, open(os.environ["metrics"], "w"))
                  \"""
                }
                pipeline sweep(lr: Float = 0.1, epochs: Int = 3) {
                  _f = fit(lr = lr, epochs = epochs)
                }
                """);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String b = fs.cli("run", "--progress", "none", p.toString(), "-p", "lr=0.5").expect(0).runId();
        Freestone.Result both = fs.cli("metrics", a, b).expect(0);
        assertEquals(List.of(
                "PARAMETER  " + a + "  " + b,
                "lr         0.1                       0.5",
                "",
                "METRIC     " + a + "  " + b,
                "_f/loss    0.9                       0.5"), both.out().lines().map(String::stripTrailing).toList());
        // one run, or runs alike: the metrics alone
        assertEquals("METRIC   " + a, fs.cli("metrics", a).expect(0).out().lines().findFirst().orElseThrow().stripTrailing());
        String again = fs.cli("run", "--progress", "none", "--no-cache", p.toString()).expect(0).runId();
        assertTrue(fs.cli("metrics", a, again).expect(0).out().startsWith("METRIC "), a);
        // a run named twice (its id and a prefix of it) is one run: no parameter "differs" from itself
        Freestone.Result twice = fs.cli("metrics", a, a.substring(0, a.length() - 1)).expect(0);
        assertEquals(List.of("METRIC   " + a, "_f/loss  0.9"), twice.out().lines().map(String::stripTrailing).toList());
    }

    /**
     * {@code --output csv}: one row per run and metric with each run's parameters as columns, read back with a CSV
     * reader (Python's, as pandas users would) — a loop's iteration with its item, a text parameter with a comma and a
     * quote intact.
     */
    @Test
    void csvIsOneRowPerRunAndMetricWithTheParameters() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "fit.pipe", """
                component fit(lr: Float, note: String) -> (metrics: Metrics) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    json.dump({"loss": round(1 - float(os.environ["lr"]), 2), "acc": 0.5}, open(os.environ["metrics"], "w"))
                  \"""
                }
                pipeline sweep(rates: List[Float] = [0.1, 0.2], note: String = "plain") {
                  for lr in rates {
                    f = fit(lr = lr, note = note)
                  }
                }
                """);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String b = fs.cli("run", "--progress", "none", p.toString(), "-p", "note=a, \"b\"", "-p", "rates=[0.5]").expect(0).runId();
        Freestone.Result csv = fs.cli("metrics", a, b, "--output", "csv").expect(0);
        Path file = Files.writeString(tmp.resolve("m.csv"), csv.out());
        Process read = new ProcessBuilder("python3", "-c",
                "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))", file.toString())
                .redirectErrorStream(true).start();
        JsonNode rows = Freestone.JSON.readTree(read.getInputStream().readAllBytes());
        assertEquals(0, read.waitFor(), rows::toString);
        assertEquals(List.of(
                List.of("run", "pipeline", "task", "item", "metric", "value", "params.note", "params.rates"),
                List.of(a, "sweep", "f[0]", "lr=0.1", "acc", "0.5", "plain", "[0.1,0.2]"),
                List.of(a, "sweep", "f[0]", "lr=0.1", "loss", "0.9", "plain", "[0.1,0.2]"),
                List.of(a, "sweep", "f[1]", "lr=0.2", "acc", "0.5", "plain", "[0.1,0.2]"),
                List.of(a, "sweep", "f[1]", "lr=0.2", "loss", "0.8", "plain", "[0.1,0.2]"),
                List.of(b, "sweep", "f[0]", "lr=0.5", "acc", "0.5", "a, \"b\"", "[0.5]"),
                List.of(b, "sweep", "f[0]", "lr=0.5", "loss", "0.5", "a, \"b\"", "[0.5]")),
                Freestone.JSON.convertValue(rows, List.class));
    }

    /**
     * A small learning rate and a small loss read as the step was handed them and as {@code show}'s ITEM writes them
     * ({@code 1e-05}), not as Java writes a double ({@code 1.0E-5}), in the parameters and in the metrics alike.
     */
    @Test
    void smallNumbersReadAsTheEngineWritesThem() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "fit.pipe", """
                component fit(lr: Float) -> (metrics: Metrics) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    json.dump({"loss": round(float(os.environ["lr"]) / 10, 8)}, open(os.environ["metrics"], "w"))
                  \"""
                }
                pipeline sweep(rates: List[Float] = [0.001]) {
                  for lr in rates {
                    _f = fit(lr = lr)
                  }
                }
                """);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String b = fs.cli("run", "--progress", "none", p.toString(), "-p", "rates=[0.00001]").expect(0).runId();
        assertEquals(List.of(
                "PARAMETER   " + a + "  " + b,
                "rates       [0.001]                   [1e-05]",
                "",
                "METRIC      " + a + "  " + b,
                "_f[0]/loss  0.0001                    1e-06"), fs.cli("metrics", a, b).expect(0).out().lines().map(String::stripTrailing).toList());
    }

    /**
     * A loop's iterations are named with the item each ran with, as the loop's list was given; runs over
     * other lists name none (their parameters differ, above). The JSON keys stay the task ids.
     */
    @Test
    void aLoopsMetricsNameTheItemOfTheirIteration() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "loop.pipe", """
                component fit(lr: Float) -> (metrics: Metrics) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    json.dump({"loss": round(1 - float(os.environ["lr"]), 2)}, open(os.environ["metrics"], "w"))
                  \"""
                }
                pipeline sweep(rates: List[Float] = [0.1, 0.3]) {
                  for lr in rates {
                    _f = fit(lr = lr)
                  }
                }
                """);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        assertEquals(List.of("METRIC               " + a, "_f[0] (lr=0.1)/loss  0.9", "_f[1] (lr=0.3)/loss  0.7"),
                fs.cli("metrics", a).expect(0).out().lines().map(String::stripTrailing).toList());
        JsonNode json = Freestone.JSON.readTree(fs.cli("metrics", "--output", "json", a).expect(0).out());
        assertEquals(0.9, json.get(a).get("_f[0]/loss").asDouble());
        assertEquals("{\"_f[0]\":[{\"name\":\"lr\",\"value\":0.1}],\"_f[1]\":[{\"name\":\"lr\",\"value\":0.3}]}",
                json.get(a).get("items").toString());
        String b = fs.cli("run", "--progress", "none", p.toString(), "-p", "rates=[0.1, 0.5]").expect(0).runId();
        List<String> both = fs.cli("metrics", a, b).expect(0).out().lines().map(String::stripTrailing).toList();
        assertTrue(both.contains("_f[0] (lr=0.1)/loss  0.9                       0.9"), both::toString);
        assertTrue(both.contains("_f[1]/loss           0.7                       0.5"), both::toString);
        // a list written in the file
        Path written = Freestone.pipe(tmp, "written.pipe", Files.readString(p).replace("for lr in rates", "for lr in [0.2]"));
        String c = fs.cli("run", "--progress", "none", written.toString()).expect(0).runId();
        assertEquals("_f[0] (lr=0.2)/loss  0.8", fs.cli("metrics", c).expect(0).out().lines().toList().get(1).stripTrailing());
    }

    /**
     * {@code metrics} names an iteration with the items the run recorded, as {@code show} writes them: every level of
     * nested loops, a loop over a step's output, the steps of a called pipeline in a loop, texts quoted; {@code --output
     * json} gives them per run under {@code items}.
     */
    @Test
    void iterationsAreNamedWithTheItemsTheRunRecorded() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "nested.pipe", NESTED);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        List<String> text = fs.cli("metrics", a).expect(0).out().lines().map(String::stripTrailing).toList();
        assertEquals(List.of(
                "METRIC                            " + a,
                "g[0][0] (name=\"a\" lr=0.1)/loss    0.9",
                "g[0][1] (name=\"a\" lr=0.3)/loss    0.7",
                "g[1][0] (name=\"b c\" lr=0.1)/loss  0.9",
                "g[1][1] (name=\"b c\" lr=0.3)/loss  0.7",
                "h[0] (who=\"a\")/loss               0.6",
                "h[1] (who=\"b c\")/loss             0.6",
                "o[0] (tag=\"x\")/loss               0.5",
                "s[0]/f (lr=0.2)/loss              0.8"), text);
        JsonNode items = Freestone.JSON.readTree(fs.cli("metrics", "--output", "json", a).expect(0).out()).get(a).get("items");
        assertEquals("[{\"name\":\"name\",\"value\":\"b c\"},{\"name\":\"lr\",\"value\":0.3}]", items.get("g[1][1]").toString());
        assertEquals(Freestone.task(fs.show(a), "s[0]/f").get("items"), items.get("s[0]/f"));
        // each the label show prints in its ITEM column
        String show = fs.cli("show", a).expect(0).out();
        assertTrue(show.lines().anyMatch(l -> l.matches("g\\[1]\\[1] +name=\"b c\" lr=0\\.3 +Succeeded.*")), show);
    }

    /**
     * A run recorded before the store kept loop items (schema 5) has none: {@code metrics} names the iterations of its
     * top-level loops over a parameter or a written list from its parameters and pipeline, as {@code show} would write
     * them; the others' it cannot tell.
     */
    @Test
    void aRunRecordedBeforeItemsWereKeptHasItsTopLevelItemsWorkedOut() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "nested.pipe", NESTED);
        String a = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        // as a migrated store holds it: NULL items (RunStoreSchemaTest)
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + fs.home().resolve(dev.freestone.runtime.store.RunStore.DATABASE_FILE));
             java.sql.Statement s = c.createStatement()) {
            assertEquals(9, s.executeUpdate("UPDATE tasks SET items = NULL WHERE items IS NOT NULL"));
        }
        List<String> text = fs.cli("metrics", a).expect(0).out().lines().map(String::stripTrailing).toList();
        assertEquals(List.of(
                "METRIC                 " + a,
                "g[0][0]/loss           0.9",
                "g[0][1]/loss           0.7",
                "g[1][0]/loss           0.9",
                "g[1][1]/loss           0.7",
                "h[0] (who=\"a\")/loss    0.6",
                "h[1] (who=\"b c\")/loss  0.6",
                "o[0]/loss              0.5",
                "s[0]/f/loss            0.8"), text);
        assertEquals("{\"h[0]\":[{\"name\":\"who\",\"value\":\"a\"}],\"h[1]\":[{\"name\":\"who\",\"value\":\"b c\"}]}",
                Freestone.JSON.readTree(fs.cli("metrics", "--output", "json", a).expect(0).out()).get(a).get("items").toString());
    }

    private static final String NESTED = """
            component fit(lr: Float, name: String) -> (metrics: Metrics) {
              image  = "python:3.12-slim"
              script = python \"""
                import json, os
                json.dump({"loss": round(1 - float(os.environ["lr"]), 2)}, open(os.environ["metrics"], "w"))
              \"""
            }
            component tags() -> (names: List[String]) {
              image  = "python:3.12-slim"
              script = python \"""
                import json, os
                json.dump(["x"], open(os.environ["names"], "w"))
              \"""
            }
            pipeline one(lr: Float) {
              f = fit(lr = lr, name = "one")
            }
            pipeline nested(names: List[String] = ["a", "b c"]) {
              for name in names {
                for lr in [0.1, 0.3] {
                  g = fit(lr = lr, name = name)
                }
              }
              for lr in [0.2] {
                s = one(lr = lr)
              }
              for who in names {
                h = fit(lr = 0.4, name = who)
              }
              t = tags()
              for tag in t.names {
                o = fit(lr = 0.5, name = tag)
              }
            }
            """;
}
