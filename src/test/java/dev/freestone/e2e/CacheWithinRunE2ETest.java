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
 * whether or not the store has committed that step yet (the recorder's uncommitted successes).
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
}
