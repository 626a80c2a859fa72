package dev.freestone.e2e;

import static dev.freestone.e2e.Freestone.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step whose key a step of the same run had a moment before reuses its outputs, artifacts included,
 * whether or not the store has committed that step yet (the recorder's uncommitted successes); and one whose
 * component an earlier run of another pipeline ran, from the same shared module, reuses that run's.
 */
class CacheWithinRunE2ETest {
    @TempDir
    Path tmp;

    @Test
    void aSecondStepWithTheSameKeyReusesTheFirstOnesOutputs() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("twice.pipe"), """
                component make(seed: Int) -> (data: Dataset, n: Int) {
                  image  = "alpine:3.20"
                  script = sh \"""
                    seq 1 "$seed" > "$data"
                    echo "$seed" > "$n"
                  \"""
                }

                component count(data: Dataset) -> (lines: Int) {
                  image  = "alpine:3.20"
                  script = sh \"""
                    wc -l < "$data" > "$lines"
                  \"""
                }

                pipeline twice() -> (lines: Int, n: Int) {
                  first  = make(seed = 3)
                  second = make(seed = 3) after first
                  c      = count(data = second.data)
                  output lines = c.lines
                  output n = second.n
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", "--explain-cache", p.toString()).expect(0);
        assertTrue(r.out().contains("output lines = 3"), r::all);
        assertTrue(r.out().contains("output n = 3"), r::all);
        assertTrue(r.out().contains("cache second: hit - same key as task `first` of run " + r.runId()), r::all);

        JsonNode run = fs.show(r.runId());
        assertEquals("Succeeded", task(run, "first").get("state").asText());
        assertEquals("Cached", task(run, "second").get("state").asText());
        assertEquals(task(run, "first").get("outputs"), task(run, "second").get("outputs"),
                "the same outputs, the dataset's digest included");
    }

    /**
     * KFP's shared components module, imported by pipelines in two folders: each reaches it by another path, and the
     * component's digest counted that path, so the second pipeline ran again what the first had run (its key had never
     * been seen). The digest is what the component does, wherever it is declared.
     */
    @Test
    void aComponentOfASharedModuleIsOneStepForThePipelinesOfEveryFolder() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("proj/.git"));
        Files.createDirectories(tmp.resolve("proj/components"));
        Files.createDirectories(tmp.resolve("proj/eval"));
        Files.writeString(tmp.resolve("proj/components/common.pipe"), """
                component make(seed: Int) -> (n: Int) {
                  image  = "alpine:3.20"
                  script = sh \"""
                    echo "$seed" > "$n"
                  \"""
                }
                """);
        Path train = Files.writeString(tmp.resolve("proj/train.pipe"), """
                import "./components/common.pipe" as common
                pipeline train() -> (n: Int) {
                  m = common.make(seed = 7)
                  output n = m.n
                }
                """);
        Path eval = Files.writeString(tmp.resolve("proj/eval/eval.pipe"), """
                import "../components/common.pipe" as common
                pipeline eval() -> (n: Int) {
                  m = common.make(seed = 7)
                  output n = m.n
                }
                """);
        String first = fs.cli("run", "--progress", "none", train.toString()).expect(0).runId();
        Freestone.Result r = fs.cli("run", "--progress", "none", "--explain-cache", eval.toString()).expect(0);
        assertTrue(r.out().contains("output n = 7"), r::all);
        assertTrue(r.out().contains("cache m: hit - same key as task `m` of run " + first), r::all);
    }
}
