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

    @Test
    void aRunWithoutLoopsHasNoItemColumn() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "greet.pipe", dev.freestone.testing.CliRun.GREET);
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String text = fs.cli("show", run).expect(0).out();
        assertTrue(text.lines().anyMatch(l -> l.matches("TASK +STATE +ATTEMPTS +EXIT +ELAPSED +OUTPUTS")), text);
        assertFalse(text.contains("ITEM"), text);
    }
}
