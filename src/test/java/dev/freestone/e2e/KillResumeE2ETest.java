package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the engine at random moments, then {@code freestone resume}: the run finishes, nothing
 * that had succeeded runs again, the store is intact, and step processes the dead engine left behind
 * are stopped.
 */
class KillResumeE2ETest {
    /** Twelve steps in a small diamond-shaped DAG; each appends its name to the marker file when done. */
    static final String DAG = """
            component step(name: String, marker: String, dep: String = "", dep2: String = "") -> (done: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "sleep 0.15; echo \\"$0\\" >> \\"$1\\"; printf ok > \\"$2\\"", name, marker, done]
            }
            pipeline dag(marker: String) -> (last: String) {
              a  = step(name = "a",  marker = marker)
              b1 = step(name = "b1", marker = marker, dep = a.done)
              b2 = step(name = "b2", marker = marker, dep = a.done)
              b3 = step(name = "b3", marker = marker, dep = a.done)
              c1 = step(name = "c1", marker = marker, dep = b1.done, dep2 = b2.done)
              c2 = step(name = "c2", marker = marker, dep = b2.done, dep2 = b3.done)
              c3 = step(name = "c3", marker = marker, dep = b3.done)
              d1 = step(name = "d1", marker = marker, dep = c1.done, dep2 = c2.done)
              d2 = step(name = "d2", marker = marker, dep = c2.done, dep2 = c3.done)
              e1 = step(name = "e1", marker = marker, dep = d1.done)
              e2 = step(name = "e2", marker = marker, dep = d2.done)
              f  = step(name = "f",  marker = marker, dep = e1.done, dep2 = e2.done)
              output last = f.done
            }
            """;
    static final List<String> STEPS = List.of("a", "b1", "b2", "b3", "c1", "c2", "c3", "d1", "d2", "e1", "e2", "f");

    @TempDir
    Path tmp;

    @Test
    void resumeAfterKillNineFinishesWithoutRedoingSucceededSteps() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = tmp.resolve("dag.pipe");
        Files.writeString(pipe, DAG, StandardCharsets.UTF_8);
        int killedMidRun = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            Path dir = Files.createDirectories(tmp.resolve("seed" + seed));
            Path marker = dir.resolve("marker.txt");
            Process engine = fs.start(dir.resolve("run"), List.of(), "run", "--progress", "plain",
                    pipe.toString(), "-p", "marker=" + marker, "-j", "3");
            Path err = dir.resolve("run/err.txt");
            assertTrue(Freestone.eventually(30_000, () -> Freestone.read(err).contains("run run-")),
                    () -> "the run did not start: " + Freestone.read(err));
            String runId = new Freestone.Result(0, "", Freestone.read(err)).runId();
            Thread.sleep(random.nextInt(1200));
            boolean wasAlive = engine.isAlive();
            engine.destroyForcibly();
            engine.waitFor();
            long seedNo = seed;
            JsonNode killed = fs.show(runId);
            Set<String> succeededBefore = iterable(killed.get("tasks")).stream()
                    .filter(t -> t.get("state").asText().equals("Succeeded"))
                    .map(t -> t.get("id").asText()).collect(Collectors.toSet());
            fs.assertStoreIntact();
            if (!wasAlive || killed.get("status").asText().equals("Succeeded")) {
                assertEquals("Succeeded", killed.get("status").asText(), "seed " + seed);
                continue;
            }
            killedMidRun++;
            Freestone.Result resumed = fs.process(dir.resolve("resume"), 60, "resume", runId, "--progress", "none");
            resumed.expect(0);
            Freestone.assertNoTrace(resumed.all());
            JsonNode next = fs.show(resumed.runId());
            assertEquals("Succeeded", next.get("status").asText(), () -> "seed " + seedNo + ": " + next.toPrettyString());
            for (String s : STEPS) {
                String state = Freestone.state(next, s);
                assertTrue(state.equals("Succeeded") || state.equals("Cached"), s + " " + state);
                if (succeededBefore.contains(s)) {
                    assertEquals("Cached", state, "seed " + seed + ": " + s + " had succeeded before the kill");
                }
            }
            Map<String, Long> counts = Files.readAllLines(marker).stream()
                    .collect(Collectors.groupingBy(l -> l, TreeMap::new, Collectors.counting()));
            for (String s : STEPS) {
                assertTrue(counts.getOrDefault(s, 0L) >= 1, "seed " + seed + ": " + s + " never ran: " + counts);
                if (succeededBefore.contains(s)) {
                    assertEquals(1L, counts.get(s), "seed " + seed + ": " + s + " ran again after it had succeeded; "
                            + counts);
                }
            }
            JsonNode closed = fs.show(runId);
            assertEquals("Failed", closed.get("status").asText(), "the killed run no longer shows Running");
            assertTrue(closed.get("message").asText().contains(resumed.runId()), closed::toPrettyString);
            fs.assertStoreIntact();
        }
        assertTrue(killedMidRun >= 2, "most seeds must kill the engine mid-run, got " + killedMidRun);
    }

    @Test
    void resumeStopsStepProcessesTheKilledEngineLeftBehind() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pids = tmp.resolve("pids.txt");
        Path pipe = tmp.resolve("orphan.pipe");
        // the first execution sleeps for a minute; the one after resume finishes at once
        Files.writeString(pipe, """
                component slow(pids: String) -> (done: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo $$ >> \\"$0\\"; if [ \\"$(wc -l < \\"$0\\")\\" -eq 1 ]; then exec sleep 60; fi; printf ok > \\"$1\\"", pids, done]
                }
                pipeline orphan(pids: String) -> (done: String) {
                  s = slow(pids = pids)
                  output done = s.done
                }
                """, StandardCharsets.UTF_8);
        Process engine = fs.start(tmp.resolve("run"), List.of(), "run", "--progress", "none", pipe.toString(),
                "-p", "pids=" + pids);
        assertTrue(Freestone.eventually(30_000, () -> Files.exists(pids) && !Freestone.read(pids).isBlank()),
                "the step did not start");
        long pid = Long.parseLong(Freestone.read(pids).strip());
        String runId = new Freestone.Result(0, "", Freestone.read(tmp.resolve("run/err.txt"))).runId();
        Freestone.Result refused = fs.cli("resume", runId);
        refused.expect(1);
        assertTrue(refused.err().contains("is still running (engine process " + engine.pid() + ")"), refused::all);
        Freestone.assertNoTrace(refused.all());
        assertFalse(Freestone.gone(pid), "a refused resume leaves the running step alone");

        engine.destroyForcibly();
        engine.waitFor();
        assertFalse(Freestone.gone(pid),
                "the step outlives a killed engine (it leads its own process group)");

        Process resume = fs.start(tmp.resolve("resume"), List.of(), "resume", runId, "--progress", "none");
        assertTrue(Freestone.eventually(20_000, () -> Freestone.gone(pid)),
                "resume did not stop the orphaned step " + pid);
        Freestone.Result r = Freestone.await(resume, tmp.resolve("resume"), 60).expect(0);
        assertTrue(r.out().contains("output done = ok"), r::all);
        assertTrue(Freestone.gone(pid));
        fs.assertStoreIntact();
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
