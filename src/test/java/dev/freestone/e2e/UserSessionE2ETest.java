package dev.freestone.e2e;

import static dev.freestone.e2e.Freestone.state;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
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
    }
}
