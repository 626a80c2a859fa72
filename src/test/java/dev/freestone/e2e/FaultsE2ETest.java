package dev.freestone.e2e;

import static dev.freestone.e2e.Freestone.state;
import static dev.freestone.e2e.Freestone.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Steps that fail, hang, flood stdout, or get hostile parameters, all through the CLI. */
class FaultsE2ETest {
    @TempDir
    Path tmp;

    private Path pipe(String name, String text) throws IOException {
        return Freestone.pipe(tmp, name, text);
    }

    @Test
    void aStepThatFailsOnceSucceedsOnRetry() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("retry.pipe", """
                component flaky(count: String) -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo x >> \\"$0\\"; n=$(wc -l < \\"$0\\"); echo attempt $n; [ $n -ge 2 ] || exit 7; printf $n > \\"$1\\"", count, n]
                  retry { limit = 2  backoff = 1s }
                }
                pipeline retry(count: String) -> (n: Int) {
                  f = flaky(count = count)
                  output n = f.n
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString(), "-p", "count=" + tmp.resolve("count"))
                .expect(0);
        assertTrue(r.out().contains("output n = 2"), r::all);
        JsonNode f = task(fs.show(r.runId()), "f");
        assertEquals(2, f.get("attempts").asInt());
        assertEquals(0, f.get("exitCode").asInt());
        assertTrue(fs.cli("logs", r.runId(), "f", "--attempt", "1").expect(0).out().contains("attempt 1"));
        assertTrue(fs.cli("logs", r.runId(), "f").expect(0).out().contains("attempt 2"));
    }

    /** Every way a step starts: through the Python or the Perl launcher, or from the JVM under setsid. */
    @ParameterizedTest
    @ValueSource(strings = {"python", "perl", "jvm"})
    void aHangingStepIsKilledWithItsChildrenAtItsTimeout(String launcher) throws Exception {
        withLauncher(launcher, this::hangingStepIsKilled);
    }

    private void hangingStepIsKilled() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pids = tmp.resolve("pids");
        Path p = pipe("hang.pipe", """
                component hang(pids: String) -> (never: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "sleep 300 & echo $! >> \\"$0\\"; setsid sleep 301 & echo $! >> \\"$0\\"; sleep 302", pids, never]
                  timeout = 2s
                }
                pipeline hanging(pids: String) -> (never: String) {
                  h = hang(pids = pids)
                  output never = h.never
                }
                """);
        long start = System.nanoTime();
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString(), "-p", "pids=" + pids).expect(1);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < 20, "the timeout ended the run, took " + seconds + " s");
        Freestone.assertNoTrace(r.all());
        JsonNode run = fs.show(r.runId());
        assertEquals("Failed", run.get("status").asText());
        assertEquals("Failed", state(run, "h"));
        assertTrue(task(run, "h").get("message").asText().contains("timed out")
                || task(run, "h").get("message").asText().contains("timeout"), run::toPrettyString);
        List<Long> children = Files.readAllLines(pids).stream().map(String::strip).map(Long::parseLong).toList();
        assertEquals(2, children.size());
        for (long pid : children) {
            assertTrue(Freestone.eventually(5_000, () -> Freestone.gone(pid)),
                    "grandchild " + pid + " survived the timeout");
        }
    }

    @Test
    void aGigabyteOfStdoutKeepsTheEngineSmall() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        long gib = 1L << 30;
        long wide = 64L << 20;
        Path p = pipe("flood.pipe", """
                component flood(bytes: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "yes 'a line of output, 32 bytes....' | head -c $0", "${bytes}"]
                }
                component wide(bytes: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "head -c $0 /dev/zero | tr '\\\\0' w", "${bytes}"]
                }
                pipeline flooding(bytes: Int, wide_bytes: Int) {
                  f = flood(bytes = bytes)
                  w = wide(bytes = wide_bytes)
                }
                """);
        Path logs = tmp.resolve("engine");
        Freestone.Result r = Freestone.await(fs.start(logs, List.of("-Xmx96m"), "run", "--progress", "none",
                p.toString(), "-p", "bytes=" + gib, "-p", "wide_bytes=" + wide), logs, 120).expect(0);
        String runId = r.runId();
        assertEquals(gib, Files.size(fs.logOf(runId, "f")));
        assertEquals(wide, Files.size(fs.logOf(runId, "w")));

        // `logs` streams a long line without holding it whole, and prints a last line without a newline
        Path printed = tmp.resolve("logs");
        Freestone.await(fs.start(printed, List.of("-Xmx96m"), "logs", runId, "w"), printed, 120).expect(0);
        assertEquals(wide + 1, Files.size(printed.resolve("out.txt")));
        Files.delete(printed.resolve("out.txt"));
    }

    static final String HOSTILE = "it's \"quoted\" $(touch pwned) `touch pwned2` ${HOME} \\ back\\slash\n"
            + "second line\ttab; rm -rf / # ünïcödé 🚀 日本語 ";

    @ParameterizedTest
    @ValueSource(strings = {"python", "perl", "jvm"})
    void hostileParametersReachTheStepVerbatim(String launcher) throws Exception {
        withLauncher(launcher, this::hostileParameters);
    }

    /** A value no process can be given (a NUL, from a parameters file) fails the step, said plainly, on every launcher. */
    @ParameterizedTest
    @ValueSource(strings = {"python", "perl", "jvm"})
    void aNulInAParameterFailsTheStepNotTheEngine(String launcher) throws Exception {
        withLauncher(launcher, () -> {
            Freestone fs = new Freestone(tmp.resolve("home"));
            Path p = pipe("nul.pipe", """
                    component say(m: String) -> (out: String) {
                      image   = "alpine:3.20"
                      command = ["sh", "-c", "printf '%s' \\"$0\\" > \\"$1\\"", m, out]
                    }
                    pipeline nul(m: String) -> (out: String) {
                      s = say(m = m)
                      output out = s.out
                    }
                    """);
            Path params = Files.writeString(tmp.resolve("nul.json"), "{\"m\": \"a\\u0000b\"}");
            Freestone.Result r = fs.cli("run", "--progress", "none", p.toString(), "--params", params.toString()).expect(1);
            assertTrue(r.err().contains("could not be started"), r::all);
            assertFalse(r.err().contains("internal error"), r::all);
            Freestone.assertNoTrace(r.all());
            // no process, no log: `logs` says so, where it said the log file had been deleted by hand
            for (Freestone.Result logs : List.of(fs.cli("logs", r.runId()).expect(0), fs.cli("logs", r.runId(), "s").expect(0))) {
                assertTrue(logs.err().contains("has no log: its process was never started"), logs::all);
                assertFalse(logs.err().contains("deleted") || logs.err().contains("gone"), logs::all);
            }
        });
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static void withLauncher(String launcher, Body body) throws Exception {
        String before = System.getProperty("freestone.launcher");
        System.setProperty("freestone.launcher", launcher);
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty("freestone.launcher");
            } else {
                System.setProperty("freestone.launcher", before);
            }
        }
    }

    private void hostileParameters() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = pipe("echo.pipe", """
                component keep(text: String, file: String) -> (copy: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "printf '%s' \\"$0\\" > \\"$1\\"; printf '%s' \\"$0\\" > \\"$2\\"", text, file, copy]
                }
                pipeline echo(text: String, file: String) -> (copy: String) {
                  k = keep(text = text, file = file)
                  output copy = k.copy
                }
                """);
        Path viaFlag = tmp.resolve("via-flag.txt");
        Freestone.Result r = fs.cli("run", "--progress", "none", "--no-cache", p.toString(),
                "--param", "text=" + HOSTILE, "--param", "file=" + viaFlag).expect(0);
        assertEquals(HOSTILE, Files.readString(viaFlag, StandardCharsets.UTF_8));
        assertEquals(HOSTILE, task(fs.show(r.runId()), "k").get("outputs").get("copy").asText());

        Path viaFile = tmp.resolve("via-file.txt");
        Path params = tmp.resolve("params.yaml");
        Files.writeString(params, "text: " + Freestone.JSON.writeValueAsString(HOSTILE) + "\nfile: "
                + Freestone.JSON.writeValueAsString(viaFile.toString()) + "\n", StandardCharsets.UTF_8);
        fs.cli("run", "--progress", "none", "--no-cache", p.toString(), "--params", params.toString()).expect(0);
        assertEquals(HOSTILE, Files.readString(viaFile, StandardCharsets.UTF_8));

        // a block scalar, as people write multi-line values in YAML
        Path block = tmp.resolve("block.yaml");
        Path viaBlock = tmp.resolve("via-block.txt");
        Files.writeString(block, "text: |\n  line one $(x)\n  'line' \"two\" ✓\nfile: " + viaBlock + "\n",
                StandardCharsets.UTF_8);
        fs.cli("run", "--progress", "none", "--no-cache", p.toString(), "--params", block.toString()).expect(0);
        assertEquals("line one $(x)\n'line' \"two\" ✓\n", Files.readString(viaBlock, StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(Freestone.project())) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("pwned")), "a parameter was executed");
        }
    }
}
