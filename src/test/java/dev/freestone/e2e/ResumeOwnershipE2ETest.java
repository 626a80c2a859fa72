package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One engine owns a run at a time: of two {@code freestone resume}s of a run started at once, one
 * runs it and the other is refused at once, and a resume that was killed does not keep the run from
 * being resumed.
 */
class ResumeOwnershipE2ETest {
    /**
     * One step that notes each start in the marker file, fails while the flag file exists, else waits
     * for the release file (so the test decides how long a resume owns the run).
     */
    static final String PIPE = """
            component slow(marker: String, flag: String, release: String) -> (done: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "echo start >> \\"$0\\"; if [ -f \\"$1\\" ]; then exit 1; fi; while [ ! -f \\"$2\\" ]; do sleep 0.05; done; printf ok > \\"$3\\"", marker, flag, release, done]
            }
            pipeline owned(marker: String, flag: String, release: String) -> (last: String) {
              s = slow(marker = marker, flag = flag, release = release)
              output last = s.done
            }
            """;

    @TempDir
    Path tmp;

    /** The engines this test started: a failed assertion must not leave them waiting for the release file. */
    private final List<Process> started = new java.util.ArrayList<>();

    @AfterEach
    void stopEngines() throws Exception {
        Freestone.stopAll(started, tmp.resolve("release"));
    }

    private Process resume(Freestone fs, String name, String runId) throws java.io.IOException {
        Process p = fs.start(tmp.resolve(name), List.of(), "resume", runId, "--progress", "none");
        started.add(p);
        return p;
    }

    @Test
    void ofTwoResumesStartedAtOnceOneOwnsTheRunAndAKilledOneHoldsNothing() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "owned.pipe", PIPE);
        Path marker = tmp.resolve("marker.txt");
        Path flag = Files.writeString(tmp.resolve("flag"), "fail");
        String failed = fs.cli("run", "--progress", "none", pipe.toString(), "-p", "marker=" + marker, "-p", "flag=" + flag,
                "-p", "release=" + tmp.resolve("release"))
                .expect(1).runId();
        Files.delete(flag);

        // a resume killed while its step runs: it claimed the run, and is gone
        Process killed = resume(fs, "killed", failed);
        assertTrue(Freestone.eventually(30_000, () -> starts(marker) == 2), () -> "the first resume never started its step:\n"
                + Freestone.read(tmp.resolve("killed/err.txt")));
        killed.destroyForcibly();
        killed.waitFor();

        // two resumes at once: the step waits for the release file, so whichever claims the run first
        // holds it until the other has ended; without an atomic claim both would run the step
        Process one = resume(fs, "one", failed);
        Process two = resume(fs, "two", failed);
        assertTrue(Freestone.eventually(30_000, () -> !one.isAlive() || !two.isAlive()), () -> "neither resume was refused:\n"
                + Freestone.read(tmp.resolve("one/err.txt")) + Freestone.read(tmp.resolve("two/err.txt")));
        boolean oneRefused = !one.isAlive();
        Process owner = oneRefused ? two : one;
        Path ownerLogs = tmp.resolve(oneRefused ? "two" : "one");
        Freestone.Result refused = Freestone.await(oneRefused ? one : two, tmp.resolve(oneRefused ? "one" : "two"), 30);
        refused.expect(1);
        assertTrue(Freestone.eventually(30_000, () -> starts(marker) == 3), () -> "a killed resume kept the run from being resumed:\n"
                + Freestone.read(ownerLogs.resolve("err.txt")));
        String continuation = Freestone.read(ownerLogs.resolve("err.txt")).lines().filter(l -> l.contains("resuming"))
                .findFirst().map(l -> l.split(" ")[1].replace(":", "")).orElseThrow();
        assertTrue(refused.err().contains("error: run " + failed + " is being resumed by run " + continuation
                + " (engine process " + owner.pid() + ")"), refused::all);
        assertEquals(1, refused.err().lines().filter(l -> l.startsWith("error:")).count(), refused::all);
        assertTrue(refused.err().contains("  = help: wait for it to finish"), refused::all);
        Freestone.assertNoTrace(refused.all());

        Files.writeString(tmp.resolve("release"), "go");
        Freestone.Result finished = Freestone.await(owner, ownerLogs, 60).expect(0);
        assertTrue(finished.out().contains("output last = ok"), finished::all);
        assertEquals(3, starts(marker), "only the owner ran the remaining step");
        fs.assertStoreIntact();
    }

    private static long starts(Path marker) {
        return Freestone.read(marker).lines().count();
    }
}
