package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run records the item each loop iteration ran with, and {@code show} says it: an ITEM column in text (only for a
 * run with loops), {@code items} in JSON; {@code run}'s progress line and closing error name a failed iteration's.
 */
class LoopItemsE2ETest {
    @TempDir
    Path tmp;

    private static final String TRAIN = """
            component train(lr: Float, tag: String) -> (acc: Float) {
              image  = "python:3.12-slim"
              script = python \"""
                import os, sys
                if os.environ["lr"] == "0.01" and os.environ["tag"] == "b":
                    sys.exit("diverged")
                open(os.environ["acc"], "w").write("0.9")
              \"""
            }
            """;

    @Test
    void showNamesTheItemsOfEveryLoopLevelAndRunNamesTheFailedOnes() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "sweep.pipe", TRAIN + """
                pipeline sweep(rates: List[Float] = [0.3, 0.01]) {
                  for lr in rates parallel 2 {
                    for tag in ["a", "b"] {
                      fit = train(lr = lr, tag = tag)
                    }
                  }
                  done = train(lr = 1.0, tag = "z")
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "plain", p.toString()).expect(1);
        String run = r.runId();
        // the progress view's line and the closing error name the iteration by its items too
        assertTrue(r.out().contains("failed     fit[1][1] (lr=0.01 tag=\"b\")  "), r::all);
        assertTrue(r.err().contains("error: task `fit[1][1]` (lr=0.01 tag=\"b\") failed: "), r::all);

        JsonNode shown = fs.show(run);
        assertEquals("[{\"name\":\"lr\",\"value\":0.3},{\"name\":\"tag\",\"value\":\"a\"}]",
                Freestone.task(shown, "fit[0][0]").get("items").toString());
        assertEquals("[{\"name\":\"lr\",\"value\":0.01},{\"name\":\"tag\",\"value\":\"b\"}]",
                Freestone.task(shown, "fit[1][1]").get("items").toString());
        assertEquals("Failed", Freestone.task(shown, "fit[1][1]").get("state").asText());
        // a task outside loops has none; the fields that were there stay
        assertEquals("[]", Freestone.task(shown, "done").get("items").toString());
        assertEquals("Succeeded", Freestone.task(shown, "done").get("state").asText());

        String text = fs.cli("show", run).expect(0).out();
        List<String> lines = text.lines().toList();
        String header = lines.stream().filter(l -> l.startsWith("TASK ")).findFirst().orElseThrow();
        assertTrue(header.matches("TASK +ITEM +STATE +ATTEMPTS +EXIT +ELAPSED +OUTPUTS"), header);
        int item = header.indexOf("ITEM");
        int state = header.indexOf("STATE");
        String failed = lines.stream().filter(l -> l.startsWith("fit[1][1] ")).findFirst().orElseThrow();
        assertEquals("lr=0.01 tag=\"b\"", failed.substring(item, state).strip(), failed);
        assertEquals("Failed", failed.substring(state).split(" +")[0], failed);
        String other = lines.stream().filter(l -> l.startsWith("done ")).findFirst().orElseThrow();
        assertEquals("", other.substring(item, state).strip(), other);
    }

    @Test
    void structItemsKeepTheEnginesKeyOrderAndLongOnesAreCutInText() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "structs.pipe", """
                struct Config {
                  tag: String
                  lr: Float
                }
                """ + TRAIN + """
                pipeline structs(configs: List[Config] = [Config(tag = "a-rather-long-name-for-a-run", lr = 0.1)]) {
                  for cfg in configs {
                    fit = train(lr = cfg.lr, tag = cfg.tag)
                  }
                }
                """);
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        JsonNode items = Freestone.task(fs.show(run), "fit[0]").get("items");
        assertEquals("[{\"name\":\"cfg\",\"value\":{\"lr\":0.1,\"tag\":\"a-rather-long-name-for-a-run\"}}]", items.toString());
        String text = fs.cli("show", run).expect(0).out();
        assertTrue(text.contains("fit[0]  cfg={\"lr\":0.1,\"tag\":\"a-rather-long-…  Succeeded"), text);
        assertFalse(text.lines().filter(l -> l.startsWith("fit[0] ")).findFirst().orElseThrow()
                .contains("a-rather-long-name-for-a-run"), text);
    }

    /** A long value is cut between characters: an emoji where the cut falls is left out whole, not split in two. */
    @Test
    void aLongItemIsCutBetweenCharacters() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String a30 = "a".repeat(30);
        Path p = Freestone.pipe(tmp, "tags.pipe", TRAIN + """
                pipeline tags(names: List[String] = ["%s🚀b"]) {
                  for name in names {
                    fit = train(lr = 0.1, tag = name)
                  }
                }
                """.formatted(a30));
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String text = fs.cli("show", run).expect(0).out();
        String row = text.lines().filter(l -> l.startsWith("fit[0] ")).findFirst().orElseThrow();
        assertTrue(row.startsWith("fit[0]  name=\"" + a30 + "…  Succeeded"), row);
    }

    /**
     * {@code logs} and {@code artifacts} name an iteration by its item too, as {@code show} does: with
     * {@code fit[0]..fit[7]} alone a user cannot tell which log or model is lr=0.03's.
     */
    @Test
    void logsAndArtifactsNameEachIterationByItsItem() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String wide = "学".repeat(20);
        Path p = Freestone.pipe(tmp, "models.pipe", """
                component fit(tag: String) -> (model: Model) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo training $0; printf %%s \\"$0\\" > \\"$1\\"", tag, model]
                }

                pipeline models(tags: List[String] = ["0.03", "%s"]) -> () {
                  for tag in tags {
                    _fit = fit(tag = tag)
                  }
                  _last = fit(tag = "z")
                }
                """.formatted(wide));
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        // a wide item is cut at 32 terminal columns, as show cuts it
        String cut = "\"" + "学".repeat(15) + "…";
        String expected = "[_fit[0] (tag=\"0.03\")] training 0.03\n[_fit[1] (tag=" + cut + ")] training " + wide + "\n";
        assertEquals(expected, fs.cli("logs", run, "_fit").expect(0).out());
        assertEquals(expected + "[_last] training z\n", fs.cli("logs", run).expect(0).out());
        assertEquals(expected + "[_last] training z\n", fs.cli("logs", run, "--follow").expect(0).out());

        List<String> lines = fs.cli("artifacts", run).expect(0).out().lines().toList();
        assertTrue(lines.get(0).matches("TASK +ITEM +OUTPUT +TYPE +SIZE +DIGEST +URI"), lines.get(0));
        int item = lines.get(0).indexOf("ITEM");
        int output = lines.get(0).indexOf("OUTPUT");
        String first = lines.stream().filter(l -> l.startsWith("_fit[0] ")).findFirst().orElseThrow();
        assertEquals("tag=\"0.03\"", first.substring(item, output).strip(), first);
        String last = lines.stream().filter(l -> l.startsWith("_last ")).findFirst().orElseThrow();
        assertEquals("", last.substring(item, output).strip(), last);

        JsonNode json = Freestone.JSON.readTree(fs.cli("artifacts", run, "--output", "json").expect(0).out());
        java.util.Map<String, String> items = new java.util.TreeMap<>();
        json.forEach(a -> items.put(a.get("task").asText(), a.get("items").toString()));
        assertEquals(java.util.Map.of("_fit[0]", "[{\"name\":\"tag\",\"value\":\"0.03\"}]",
                "_fit[1]", "[{\"name\":\"tag\",\"value\":\"" + wide + "\"}]", "_last", "[]"), items);
    }

    @Test
    void aRunWithoutLoopsHasNoItemColumn() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "greet.pipe", dev.freestone.testing.CliRun.GREET);
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String text = fs.cli("show", run).expect(0).out();
        assertTrue(text.lines().anyMatch(l -> l.matches("TASK +STATE +ATTEMPTS +EXIT +ELAPSED +OUTPUTS")), text);
        assertFalse(text.contains("ITEM"), text);
    }

    /** --explain-cache names an iteration as show does, with its item: `fit[0]` alone did not say which rate it was. */
    @Test
    void explainCacheNamesAnIterationByItsItem() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "rates.pipe", """
                component train(lr: Float) -> (acc: Float) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo 0.9 > \\"$0\\"", acc]
                }
                pipeline rates() {
                  for lr in [0.5, 0.25] {
                    fit = train(lr = lr)
                  }
                }
                """);
        fs.cli("run", "--progress", "none", p.toString()).expect(0);
        Freestone.Result r = fs.cli("run", "--progress", "none", "--explain-cache", p.toString()).expect(0);
        assertTrue(r.out().contains("cache fit[0] (lr=0.5): hit - same key as task `fit[0]` of run "), r::all);
        assertTrue(r.out().contains("cache fit[1] (lr=0.25): hit - "), r::all);
    }
}
