package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the engine at random moments, then {@code freestone resume}: the run finishes, nothing
 * that had succeeded runs again, the store is intact, and step processes the dead engine left behind
 * are stopped.
 */
class KillResumeE2ETest {
    /**
     * Twelve steps in a small DAG with a loop and a nested pipeline; each appends its name to the
     * marker file when done.
     */
    static final String DAG = """
            component step(name: String, marker: String, _dep: String = "", _dep2: String = "") -> (done: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "sleep 0.15; echo \\"$0\\" >> \\"$1\\"; printf ok > \\"$2\\"", name, marker, done]
            }
            pipeline pair(name: String, marker: String, dep: String) -> (done: String) {
              first  = step(name = "${name}.1", marker = marker, _dep = dep)
              second = step(name = "${name}.2", marker = marker, _dep = first.done)
              output done = second.done
            }
            pipeline dag(marker: String) -> (last: String) {
              a  = step(name = "a", marker = marker)
              for x in ["p", "q", "r"] parallel 2 {
                l = step(name = "l-${x}", marker = marker, _dep = a.done)
              }
              b  = step(name = "b", marker = marker, _dep = a.done)
              n  = pair(name = "n", marker = marker, dep = a.done)
              c1 = step(name = "c1", marker = marker, _dep = b.done, _dep2 = n.done)
              c2 = step(name = "c2", marker = marker, _dep = b.done)
              d  = step(name = "d", marker = marker, _dep = c1.done) after l
              e  = step(name = "e", marker = marker, _dep = d.done)
              f  = step(name = "f", marker = marker, _dep = e.done, _dep2 = c2.done)
              output last = f.done
            }
            """;
    /** The name each step writes to the marker file, and its task id. */
    static final Map<String, String> STEPS = new java.util.LinkedHashMap<>();

    static {
        for (String s : List.of("a", "b", "c1", "c2", "d", "e", "f")) {
            STEPS.put(s, s);
        }
        STEPS.put("l-p", "l[0]");
        STEPS.put("l-q", "l[1]");
        STEPS.put("l-r", "l[2]");
        STEPS.put("n.1", "n/first");
        STEPS.put("n.2", "n/second");
    }

    @TempDir
    Path tmp;

    @Test
    void resumeAfterKillNineFinishesWithoutRedoingSucceededSteps() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = tmp.resolve("dag.pipe");
        Files.writeString(pipe, DAG, StandardCharsets.UTF_8);
        int killedMidRun = 0;
        int killedResumes = 0;
        // seeds until three runs and one resume were killed mid-run (a fast machine may finish first)
        for (long seed = 1; seed <= 8 && (killedMidRun < 3 || killedResumes < 1); seed++) {
            Random random = new Random(seed);
            Path dir = Files.createDirectories(tmp.resolve("seed" + seed));
            Path marker = dir.resolve("marker.txt");
            // for each task recorded Succeeded or Cached when an engine was killed: how often it had run
            Map<String, Long> succeededBefore = new TreeMap<>();
            Killed first = runAndKill(fs, dir.resolve("run"), random, marker, succeededBefore,
                    "run", "--progress", "plain", pipe.toString(), "--pipeline", "dag", "-p", "marker=" + marker, "-j", "3");
            if (!first.midRun()) {
                assertEquals(STEPS.size(), Files.readAllLines(marker).size(), "seed " + seed);
                continue;
            }
            killedMidRun++;
            long seedNumber = seed;
            succeededBefore.forEach((s, n) -> assertEquals(1L, n, "seed " + seedNumber + ": " + s + " ran once before it succeeded"));
            List<String> interrupted = new ArrayList<>(List.of(first.runId()));
            String last = null; // the run that finished the work
            if (seed % 2 == 0) {
                // kill the resume too: a resume of a resume must not redo what either had finished
                Killed second = runAndKill(fs, dir.resolve("resume1"), random, marker, succeededBefore,
                        "resume", first.runId(), "--progress", "plain");
                if (second.midRun()) {
                    killedResumes++;
                    interrupted.add(second.runId());
                } else {
                    last = second.runId();
                }
            }
            if (last == null) {
                Freestone.Result resumed = fs.process(dir.resolve("resume2"), 60, "resume",
                        interrupted.get(interrupted.size() - 1), "--progress", "none");
                resumed.expect(0);
                Freestone.assertNoTrace(resumed.all());
                last = resumed.runId();
            }
            long seedNo = seed;
            JsonNode done = fs.show(last);
            assertEquals("Succeeded", done.get("status").asText(), () -> "seed " + seedNo + ": " + done.toPrettyString());
            for (String s : STEPS.values()) {
                String state = Freestone.state(done, s);
                assertTrue(state.equals("Succeeded") || state.equals("Cached"), s + " " + state);
            }
            Map<String, Long> counts = counts(marker);
            for (Map.Entry<String, String> s : STEPS.entrySet()) {
                long ran = counts.getOrDefault(s.getKey(), 0L);
                assertTrue(ran >= 1, "seed " + seed + ": " + s.getValue() + " never ran: " + counts);
                if (succeededBefore.containsKey(s.getValue())) {
                    assertEquals(succeededBefore.get(s.getValue()), ran, "seed " + seed + ": " + s.getValue()
                            + " ran again after it had succeeded; " + counts);
                }
            }
            for (String id : interrupted) {
                JsonNode closed = fs.show(id);
                if (!closed.get("status").asText().equals("Succeeded")) {
                    assertEquals("Failed", closed.get("status").asText(), "the killed run " + id + " no longer shows Running");
                    assertTrue(closed.get("message").asText().contains("resumed as"), closed::toPrettyString);
                }
            }
            fs.assertStoreIntact();
        }
        assertTrue(killedMidRun >= 3, "three engines must be killed mid-run, got " + killedMidRun);
        assertTrue(killedResumes >= 1, "at least one resume must be killed too");
    }

    private static String attempts(Freestone fs, String runId) {
        try (dev.freestone.runtime.store.RunStore store = fs.openStore()) {
            return store.attempts(runId).toString();
        } catch (RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static Map<String, Long> counts(Path marker) throws java.io.IOException {
        if (!Files.exists(marker)) {
            return new TreeMap<>(); // killed before any step finished
        }
        return Files.readAllLines(marker).stream()
                .collect(Collectors.groupingBy(l -> l, TreeMap::new, Collectors.counting()));
    }

    /** The run a killed engine worked on, and whether it was still working when killed. */
    record Killed(String runId, boolean midRun) {
    }

    /**
     * Starts {@code freestone args...}, kills it with SIGKILL at a random moment after its run began,
     * and adds the tasks the store has as Succeeded or Cached by then to {@code succeeded}.
     */
    private static Killed runAndKill(Freestone fs, Path logs, Random random, Path marker, Map<String, Long> succeeded,
                                     String... args)
            throws Exception {
        Process engine = fs.start(logs, List.of(), args);
        Path err = logs.resolve("err.txt");
        assertTrue(Freestone.eventually(30_000, () -> Freestone.read(err).contains("run run-") || !engine.isAlive()),
                () -> "the run did not start: " + Freestone.read(err));
        String runId = new Freestone.Result(0, "", Freestone.read(err)).runId();
        Thread.sleep(random.nextInt(1200));
        boolean wasAlive = engine.isAlive();
        engine.destroyForcibly();
        engine.waitFor();
        JsonNode killed = fs.show(runId);
        Map<String, Long> ran = counts(marker);
        Map<String, String> states = new TreeMap<>(); // loop iterations appear once their loop starts
        killed.get("tasks").forEach(t -> states.put(t.get("id").asText(), t.get("state").asText()));
        STEPS.forEach((name, id) -> {
            String state = states.getOrDefault(id, "absent");
            if (state.equals("Succeeded") || state.equals("Cached")) {
                succeeded.putIfAbsent(id, ran.getOrDefault(name, 0L));
            }
        });
        fs.assertStoreIntact();
        boolean midRun = wasAlive && !killed.get("status").asText().equals("Succeeded");
        if (!midRun) {
            assertEquals("Succeeded", killed.get("status").asText(), killed::toPrettyString);
        }
        return new Killed(runId, midRun);
    }

    /** The first execution of the step records its pid and sleeps for a minute; the one after resume finishes at once. */
    private static final String ORPHAN = """
            component slow(pids: String) -> (done: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "echo $$ >> \\"$0\\"; if [ \\"$(wc -l < \\"$0\\")\\" -eq 1 ]; then exec sleep 60; fi; printf ok > \\"$1\\"", pids, done]
            }
            pipeline orphan(pids: String) -> (done: String) {
              s = slow(pids = pids)
              output done = s.done
            }
            """;

    /** An engine running {@link #ORPHAN}'s step, the step's pid and the run's id. */
    private record Sleeping(Process engine, long pid, String runId) {
    }

    /** Starts {@link #ORPHAN} in a new engine and returns once its step runs; {@code pids} gets the step's pid. */
    private Sleeping startSleepingStep(Freestone fs, Path pids, List<String> jvmOptions) throws Exception {
        Path pipe = tmp.resolve("orphan.pipe");
        Files.writeString(pipe, ORPHAN, StandardCharsets.UTF_8);
        Process engine = fs.start(tmp.resolve("run"), jvmOptions, "run", "--progress", "none", pipe.toString(),
                "-p", "pids=" + pids);
        assertTrue(Freestone.eventually(30_000, () -> Files.exists(pids) && !Freestone.read(pids).isBlank()),
                "the step did not start");
        long pid = Long.parseLong(Freestone.read(pids).strip());
        String runId = new Freestone.Result(0, "", Freestone.read(tmp.resolve("run/err.txt"))).runId();
        return new Sleeping(engine, pid, runId);
    }

    @Test
    void stepsStartedByTheLauncherStopWhenTheEngineIsKilled() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pids = tmp.resolve("pids.txt");
        Sleeping s = startSleepingStep(fs, pids, List.of());
        Process engine = s.engine();
        long pid = s.pid();
        String runId = s.runId();
        engine.destroyForcibly();
        engine.waitFor();
        // the launcher reads the end of its input, sends TERM to the step's group, and `sleep` obeys it
        assertTrue(Freestone.eventually(10_000, () -> Freestone.gone(pid)),
                "the step outlived its killed engine: the launcher must stop what it started");
        Freestone.Result r = fs.process(tmp.resolve("resume"), 60, "resume", runId, "--progress", "none").expect(0);
        assertTrue(r.out().contains("output done = ok"), r::all);
        assertEquals(2, Freestone.read(pids).strip().lines().count(), "resume ran the stopped step again");
        fs.assertStoreIntact();
    }

    @Test
    void resumeStopsStepProcessesTheKilledEngineLeftBehind() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pids = tmp.resolve("pids.txt");
        // steps started from the JVM (no launcher) outlive a killed engine; resume finds them by their pid
        Sleeping s = startSleepingStep(fs, pids, List.of("-Dfreestone.launcher=jvm"));
        Process engine = s.engine();
        long pid = s.pid();
        String runId = s.runId();
        // the engine records a step's pid right after starting it; killed before that, nothing could find it
        assertTrue(Freestone.eventually(10_000, () -> attempts(fs, runId).contains("pid=" + pid + ",")),
                () -> "the step's pid was never recorded: " + attempts(fs, runId));
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
                () -> "resume did not stop the orphaned step " + pid + "; recorded attempts: " + attempts(fs, runId)
                        + "\nfirst engine:\n" + Freestone.read(tmp.resolve("run/err.txt"))
                        + "\nresume:\n" + Freestone.read(tmp.resolve("resume/err.txt")) + Freestone.read(tmp.resolve("resume/out.txt")));
        Freestone.Result r = Freestone.await(resume, tmp.resolve("resume"), 60).expect(0);
        assertTrue(r.out().contains("output done = ok"), r::all);
        assertTrue(Freestone.gone(pid));
        fs.assertStoreIntact();
    }

    /**
     * Killed while a step waits to retry: the resume takes the called pipeline's artifact default from
     * the store (the file is gone by then), runs the failed step's next attempt, the exit handler and
     * nothing that had succeeded.
     */
    @Test
    void killedDuringARetryBackoffResumesWithTheCalledPipelinesStoredDefault() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("proj/lib/data"));
        Files.createDirectories(tmp.resolve("proj/.git"));
        Path words = Files.writeString(tmp.resolve("proj/lib/data/words.txt"), "one two three\n");
        Files.writeString(tmp.resolve("proj/lib/count.pipe"), """
                component words(text: Dataset, marker: String) -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo count >> \\"$1\\"; wc -w < \\"$0\\" | tr -d ' ' > \\"$2\\"", text, marker, n]
                }
                pipeline count(marker: String, text: Dataset = "data/words.txt") -> (n: Int) {
                  w = words(text = text, marker = marker)
                  output n = w.n
                }
                """);
        Path main = Files.writeString(tmp.resolve("proj/main.pipe"), """
                import "lib/count.pipe" as c
                component flaky(marker: String, n: Int) -> (n2: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo try >> \\"$0\\"; [ $(grep -c try \\"$0\\") -ge 2 ] || exit 3; printf %s \\"$1\\" > \\"$2\\"", marker, n, n2]
                  retry { limit = 2  backoff = 30s }
                }
                component note(marker: String, status: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo \\"finally $1\\" >> \\"$0\\"", marker, status]
                }
                pipeline main(marker: String) -> (n: Int) {
                  k = c.count(marker = marker)
                  f = flaky(marker = marker, n = k.n)
                  finally {
                    fin = note(marker = marker, status = run.status)
                  }
                  output n = f.n2
                }
                """);
        Path marker = tmp.resolve("marker.txt");
        Process engine = fs.start(tmp.resolve("run"), List.of(), "run", "--progress", "plain", main.toString(),
                "-p", "marker=" + marker);
        // the first attempt failed and the engine waits 30 s before the next one; the store lags the engine by its
        // group commit (docs/local-engine.md), so the kill comes once the count's success is recorded too
        assertTrue(Freestone.eventually(30_000, () -> Freestone.read(tmp.resolve("run/out.txt")).contains("retrying")
                        && recorded(fs, Freestone.read(tmp.resolve("run/err.txt")), "k/w", TaskState.Succeeded)),
                () -> "no retry: " + Freestone.read(tmp.resolve("run/out.txt")) + Freestone.read(tmp.resolve("run/err.txt")));
        engine.destroyForcibly();
        engine.waitFor();
        fs.assertStoreIntact();
        String runId = new Freestone.Result(0, "", Freestone.read(tmp.resolve("run/err.txt"))).runId();
        assertEquals("Succeeded", Freestone.state(fs.show(runId), "k/w"));
        Files.delete(words);

        Freestone.Result r = fs.process(tmp.resolve("resume"), 60, "resume", runId, "--progress", "none").expect(0);
        assertTrue(r.out().contains("output n = 3"), r::all);
        assertEquals(List.of("count", "try", "try", "finally Succeeded"), Files.readAllLines(marker),
                "the count ran once, the flaky step's second attempt once, the exit handler once");
        JsonNode done = fs.show(r.runId());
        assertEquals("Cached", Freestone.state(done, "k/w"), done::toPrettyString);
        assertEquals("Failed", fs.show(runId).get("status").asText());
        for (String id : List.of(runId, r.runId())) {
            for (String view : List.of("show", "logs", "artifacts")) {
                Freestone.assertNoTrace(fs.cli(view, id).expect(0).all());
            }
        }
        fs.assertStoreIntact();
    }

    /** Whether the store has task {@code taskId} of the run whose start {@code err} (the engine's stderr) names in {@code state}. */
    private static boolean recorded(Freestone fs, String err, String taskId, TaskState state) {
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("\\brun (run-[0-9]{8}-[0-9]{6}-[0-9a-f]+):").matcher(err);
        if (!named.find()) {
            return false; // the engine has not said which run it started yet
        }
        String runId = named.group(1);
        try (RunStore store = fs.openStore()) {
            return store.tasks(runId).stream().anyMatch(t -> t.taskId().equals(taskId) && t.state() == state);
        }
    }
}
