package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step that fails once and is retried after a backoff: the progress view says so when the attempt
 * fails, not only that the step succeeded on attempt 2 in the end (a user waiting out a long backoff
 * would otherwise see a step that is simply still running).
 */
class RetryProgressE2ETest {
    @TempDir
    Path tmp;

    @Test
    void aFailedAttemptThatWillBeRetriedIsShownWithItsBackoff() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = flaky("sys.exit(\"service unavailable (503)\")", 2);
        Freestone.Result r = fs.cli("run", "--progress", "plain", p.toString(), "-p", "marker=" + tmp.resolve("marker"))
                .expect(0);
        String out = r.out();
        int retrying = out.indexOf("retrying   f  attempt 1 failed; retrying in 1.0s: ");
        assertTrue(retrying >= 0, out);
        assertTrue(out.indexOf("succeeded  f  (attempt 2)") > retrying, out);
    }

    /** The log's last line ends the retry line also when the message is too long for it: its end is what tells why. */
    @Test
    void aLongRetryLineKeepsTheEndOfTheLog() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = flaky("""
                print("GET https://models.example.com/v1/registry/" + "a" * 120 + " took 30.0s", file=sys.stderr)
                sys.exit("upstream answered 503")""", 1);
        String out = fs.cli("run", "--progress", "plain", p.toString(), "-p", "marker=" + tmp.resolve("marker"))
                .expect(0).out();
        String line = out.lines().filter(l -> l.contains("retrying   f  ")).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(line.contains("attempt 1 failed; retrying in 1.0s: "), line);
        assertTrue(line.endsWith("; its log ends: upstream answered 503"), line);
    }

    /**
     * A failed step's progress line says what happened and the log's last line, once; the log's lines
     * (they were joined on the line with `   |` and cut in the middle) are in the report after the run.
     */
    @Test
    void aFailedStepsLineSaysWhatHappenedAndTheLogsLastLine() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = flaky("""
                print("loading " + "a" * 150)
                raise ValueError("the data has no column named label")""", 0);
        Freestone.Result r = fs.cli("run", "--progress", "plain", p.toString(), "-p", "marker=" + tmp.resolve("marker"))
                .expect(1);
        String line = r.out().lines().filter(l -> l.contains("failed     f  ")).findFirst()
                .orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(line.matches(".*failed     f  [0-9.]+s  exited with code 1 on attempt 1; its log ends:"
                + " ValueError: the data has no column named label"), line);
        assertTrue(r.err().contains("\n  | loading " + "a".repeat(150) + "\n"), r.err());
        assertTrue(r.err().contains("\n  | ValueError: the data has no column named label\n"), r.err());
    }

    /** A step that fails its first attempt with {@code firstAttempt} (Python, after {@code import os, sys}), retried {@code limit} times. */
    private Path flaky(String firstAttempt, int limit) throws Exception {
        String failing = firstAttempt.lines().map(l -> "        " + l).collect(java.util.stream.Collectors.joining("\n"));
        return Freestone.pipe(tmp, "flaky.pipe", """
                component flaky(marker: String) -> (ok: Bool) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os, sys
                    if not os.path.exists(os.environ["marker"]):
                        open(os.environ["marker"], "w").write("1")
                %s
                    open(os.environ["ok"], "w").write("true")
                  \"""
                  retry { limit = %d  backoff = 1s }
                }
                pipeline once(marker: String) -> (ok: Bool) {
                  f = flaky(marker = marker)
                  output ok = f.ok
                }
                """.formatted(failing, limit));
    }
}
