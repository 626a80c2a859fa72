package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
}
