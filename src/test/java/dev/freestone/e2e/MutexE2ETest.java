package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mutex = "gpu"} across {@code freestone run} processes sharing one store: a step holding a mutex never runs
 * while another holds it, waits Pending with a message saying so (in a place of neither the run nor
 * {@code --parallelism}), and a holder killed with SIGKILL leaves no lock behind. Each step appends to one log file, so
 * the order of its lines is the order things happened in, whatever the clock.
 */
class MutexE2ETest {
    /**
     * {@code busy} holds {@code gpu} for a moment; {@code hold} holds it until a file exists; {@code other} holds
     * {@code db} for a moment. Each says when it starts and ends.
     */
    static final String PIPE = """
            component busy(name: String, log: String) {
              image = "alpine:3.20"
              mutex = "gpu"
              command = ["sh", "-c", "echo \\"start $0\\" >> \\"$1\\"; sleep 0.3; echo \\"end $0\\" >> \\"$1\\"", name, log]
            }
            component hold(name: String, log: String, release: String) {
              image = "alpine:3.20"
              mutex = "gpu"
              command = ["sh", "-c", "echo \\"start $0\\" >> \\"$1\\"; while [ ! -e \\"$2\\" ]; do sleep 0.05; done; echo \\"end $0\\" >> \\"$1\\"", name, log, release]
            }
            component other(name: String, log: String) {
              image = "alpine:3.20"
              mutex = "db"
              command = ["sh", "-c", "echo \\"start $0\\" >> \\"$1\\"; echo \\"end $0\\" >> \\"$1\\"", name, log]
            }
            pipeline pair(tag: String, log: String) {
              busy(name = "${tag}1", log = log)
              busy(name = "${tag}2", log = log)
            }
            pipeline holder(log: String, release: String) {
              h = hold(name = "h", log = log, release = release)
            }
            pipeline waiter(log: String, release: String) {
              w = hold(name = "w", log = log, release = release)
              d = other(name = "d", log = log)
            }
            pipeline deploy(name: String, log: String, release: String) with { mutex = "prod" } {
              hold(name = name, log = log, release = release) with { mutex = [] }
            }
            pipeline guarded(name: String, log: String) with { mutex = "registry" } {
              busy(name = name, log = log) with { mutex = [] }
            }
            pipeline twice(log: String) {
              guarded(name = "p1", log = log)
              guarded(name = "p2", log = log)
            }
            """;

    private static final Pattern RUN_ID = Pattern.compile("\\brun (run-[0-9]{8}-[0-9]{6}-[0-9a-f]+)");

    @TempDir
    Path tmp;
    Freestone fs;
    Path pipe;
    /** The file every step appends its start and end to. */
    Path log;
    /** The file the steps of `hold` wait for: made at the end of each test, which ends them. */
    Path release;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void store() throws Exception {
        fs = new Freestone(tmp.resolve("home"));
        pipe = Freestone.pipe(tmp, "m.pipe", PIPE);
        log = tmp.resolve("log");
        release = tmp.resolve("release");
    }

    @AfterEach
    void stop() throws Exception {
        // a failed assertion must leave no engine or step running
        Freestone.stopAll(started, release);
    }

    @Test
    void twoRunsOfStepsHoldingOneMutexNeverOverlap() throws Exception {
        for (String tag : List.of("a", "b")) {
            started.add(fs.start(tmp.resolve("engine-" + tag), List.of(), "run", "--progress", "plain", pipe.toString(),
                    "--pipeline", "pair", "-p", "tag=" + tag, "-p", "log=" + log));
        }
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            Freestone.Result r = Freestone.await(started.get(i), tmp.resolve("engine-" + List.of("a", "b").get(i)), 90)
                    .expect(0);
            Freestone.assertNoTrace(r.all());
            runs.add(r.runId());
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(8, lines.size(), lines.toString());
        for (int i = 0; i < lines.size(); i += 2) {
            // each holder's end comes right after its start: no other started in between
            String who = lines.get(i).replace("start ", "");
            assertEquals(List.of("start " + who, "end " + who), lines.subList(i, i + 2), "overlap in " + lines);
        }
        for (String id : runs) {
            assertEquals("Succeeded", fs.show(id).get("status").asText());
        }
        assertTrue(Files.exists(fs.home().resolve("locks").resolve("gpu.lock")), "the lock is a file of the store");
        fs.assertStoreIntact();
    }

    @Test
    void aWaitingStepSaysWhoHoldsItsMutexTakesNoPlaceAndAKilledHolderReleasesIt() throws Exception {
        Path go = Files.writeString(tmp.resolve("go"), "go");
        Process holder = startUntil("holder", () -> Freestone.read(log), "start h", "--pipeline", "holder",
                "-p", "log=" + log, "-p", "release=" + release);
        String holderRun = runIdOf(tmp.resolve("holder"));
        // one place (-j 1): the waiting step must leave it to `d`, whose mutex is another
        Process waiter = fs.start(tmp.resolve("waiter"), List.of(), "run", "--progress", "plain", "-j", "1",
                pipe.toString(), "--pipeline", "waiter", "-p", "log=" + log, "-p", "release=" + go);
        started.add(waiter);
        assertTrue(Freestone.eventually(60_000, () -> Freestone.read(log).contains("end d") || !waiter.isAlive()),
                "`d` did not run while `w` waited: " + Freestone.read(log) + said(tmp.resolve("waiter")));
        String waiterRun = runIdOf(tmp.resolve("waiter"));
        String[] said = {""};
        assertTrue(Freestone.eventually(30_000, () -> {
            JsonNode w = Freestone.task(fs.show(waiterRun), "w");
            said[0] = w.toString();
            return w.get("state").asText().equals("Pending") && w.path("message").asText().contains("waiting for mutex `gpu`");
        }), said[0]);
        assertTrue(said[0].contains("held by step `h` of run " + holderRun), said[0]);
        assertFalse(Freestone.read(log).contains("start w"), Freestone.read(log));
        // the progress view writes its lines a moment later than the store has them
        assertTrue(Freestone.eventually(10_000, () -> said(tmp.resolve("waiter"))
                .contains("waiting    w  waiting for mutex `gpu`")), said(tmp.resolve("waiter")));

        holder.destroyForcibly(); // kill -9: the OS drops its lock with it
        holder.waitFor();
        Freestone.Result r = Freestone.await(waiter, tmp.resolve("waiter"), 60).expect(0);
        Freestone.assertNoTrace(r.all());
        assertTrue(Freestone.read(log).contains("start w\nend w"), Freestone.read(log));
        assertEquals("Succeeded", Freestone.state(fs.show(waiterRun), "w"));
    }

    @Test
    void ctrlCWhileWaitingCancelsAndResumeRunsTheStep() throws Exception {
        Process holder = startUntil("holder", () -> Freestone.read(log), "start h", "--pipeline", "holder",
                "-p", "log=" + log, "-p", "release=" + release);
        Process waiter = startUntil("waiter", () -> said(tmp.resolve("waiter")), "waiting for mutex `gpu`",
                "--pipeline", "waiter", "-p", "log=" + log, "-p", "release=" + release);
        JsonNode run = interrupted(waiter, "waiter");
        JsonNode w = Freestone.task(run, "w");
        assertEquals("Cancelled", w.get("state").asText(), w::toString);
        assertTrue(w.get("message").asText().contains("waited for mutex gpu"), w::toString);
        assertEquals(0, w.get("attempts").asInt(), "it never started: " + w);
        assertFalse(Freestone.read(log).contains("start w"), Freestone.read(log));

        Files.writeString(release, "go");
        Freestone.await(holder, tmp.resolve("holder"), 60).expect(0);
        Freestone.Result resumed = fs.process(tmp.resolve("resume"), 60, "resume", run.get("id").asText(), "--progress",
                "none").expect(0);
        assertEquals("Succeeded", Freestone.state(fs.show(resumed.runId()), "w"));
        assertTrue(Freestone.read(log).contains("start w\nend w"), Freestone.read(log));
        fs.assertStoreIntact();
    }

    @Test
    void aPipelinesMutexKeepsASecondRunWaitingBeforeItsFirstStep() throws Exception {
        Process first = startUntil("first", () -> Freestone.read(log), "start first", "--pipeline", "deploy",
                "-p", "name=first", "-p", "log=" + log, "-p", "release=" + release);
        String firstRun = runIdOf(tmp.resolve("first"));
        Process second = startUntil("second", () -> said(tmp.resolve("second")),
                "waiting    run  waiting for mutex `prod`, held by run " + firstRun, "--pipeline", "deploy",
                "-p", "name=second", "-p", "log=" + log, "-p", "release=" + release);
        // `show` in another terminal says why it has no step yet, as it says of a Workflow waiting for its own on Argo
        String secondRun = runIdOf(tmp.resolve("second"));
        JsonNode waiting = fs.show(secondRun);
        assertEquals("Pending", waiting.get("status").asText(), waiting::toPrettyString);
        assertEquals("waiting for mutex `prod`, held by run " + firstRun, waiting.get("message").asText(),
                waiting::toPrettyString);
        assertTrue(fs.cli("show", secondRun).expect(0).out().contains("Pending: waiting for mutex `prod`, held by run "
                + firstRun), () -> fs.cli("show", secondRun).all());
        // a third one, stopped with Ctrl-C while it waits: Cancelled, having started nothing
        Process third = startUntil("third", () -> said(tmp.resolve("third")), "waiting for mutex `prod`",
                "--pipeline", "deploy", "-p", "name=third", "-p", "log=" + log, "-p", "release=" + release);
        JsonNode cancelled = interrupted(third, "third");
        assertEquals("Cancelled", Freestone.state(cancelled, "hold"), cancelled::toPrettyString);

        Files.writeString(release, "go");
        Freestone.await(first, tmp.resolve("first"), 60).expect(0);
        Freestone.Result r = Freestone.await(second, tmp.resolve("second"), 60).expect(0);
        Freestone.assertNoTrace(r.all());
        // the second run's step (which holds no mutex of its own) started only once the first run had ended
        assertEquals(List.of("start first", "end first", "start second", "end second"), Files.readAllLines(log));
        JsonNode ran = fs.show(secondRun);
        assertEquals("Succeeded", ran.get("status").asText(), ran::toPrettyString);
        assertTrue(ran.get("message").isNull(), ran::toPrettyString);
    }

    @Test
    void aCalledPipelinesMutexIsHeldWhileItsBodyRuns() throws Exception {
        Freestone.Result r = fs.cli("run", "--progress", "plain", "-j", "2", pipe.toString(), "--pipeline", "twice",
                "-p", "log=" + log).expect(0);
        List<String> lines = Files.readAllLines(log);
        assertEquals(4, lines.size(), lines.toString());
        String firstIn = lines.get(0).replace("start ", "");
        String then = firstIn.equals("p1") ? "p2" : "p1";
        assertEquals(List.of("start " + firstIn, "end " + firstIn, "start " + then, "end " + then), lines,
                "overlap in " + lines);
        Freestone.assertNoTrace(r.all());
    }

    @Test
    void aLockFolderThatCannotBeMadeFailsTheStepWithoutATrace() throws Exception {
        fs.cli("runs").expect(0); // makes the store
        Files.writeString(fs.home().resolve("locks"), "a file where the folder goes");
        Freestone.Result r = fs.cli("run", "--progress", "plain", pipe.toString(), "--pipeline", "waiter",
                "-p", "log=" + log, "-p", "release=" + Files.writeString(release, "go"));
        assertEquals(1, r.exit(), r::all);
        Freestone.assertNoTrace(r.all());
        JsonNode w = Freestone.task(fs.show(r.runId()), "w");
        assertEquals("Failed", w.get("state").asText(), w::toString);
        assertTrue(w.get("message").asText().contains("could not take mutex gpu: " + fs.home().resolve("locks")
                + " is a file, where the folder of lock files goes"), w::toString);
    }

    @Test
    void aMutexAddedToAComponentKeepsItsCacheEntries() throws Exception {
        String plain = PIPE.replace("  mutex = \"db\"\n", "");
        Path before = Freestone.pipe(tmp, "before.pipe", plain);
        fs.cli("run", "--progress", "none", before.toString(), "--pipeline", "waiter", "-p", "log=" + log,
                "-p", "release=" + Files.writeString(release, "go")).expect(0);
        // the same file with `mutex = "db"` on `other`: it changes when the step runs, not what it makes
        Freestone.Result r = fs.cli("run", "--progress", "none", pipe.toString(), "--pipeline", "waiter",
                "-p", "log=" + log, "-p", "release=" + release).expect(0);
        JsonNode run = fs.show(r.runId());
        assertEquals("Cached", Freestone.state(run, "d"), run::toPrettyString);
        assertEquals("Cached", Freestone.state(run, "w"), run::toPrettyString);
    }

    /**
     * Starts {@code freestone run --progress plain PIPE ARGS...} in a child JVM (its output in {@code tmp/<name>}) and
     * returns once {@code watched} (the steps' log, or what the engine printed) holds {@code line}.
     */
    private Process startUntil(String name, Supplier<String> watched, String line, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("run", "--progress", "plain", pipe.toString()));
        argv.addAll(List.of(args));
        Process p = fs.start(tmp.resolve(name), List.of(), argv.toArray(String[]::new));
        started.add(p);
        assertTrue(Freestone.eventually(60_000, () -> watched.get().contains(line) || !p.isAlive()),
                "`" + name + "` never showed `" + line + "`: " + said(tmp.resolve(name)));
        return p;
    }

    /** Sends Ctrl-C (SIGINT) to a child engine: it ends with 130 and no trace; its run, Cancelled, as `show` gives it. */
    private JsonNode interrupted(Process engine, String name) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(engine.pid())).inheritIO().start().waitFor());
        Freestone.Result r = Freestone.await(engine, tmp.resolve(name), 60);
        assertEquals(130, r.exit(), r::all);
        Freestone.assertNoTrace(r.all());
        JsonNode run = fs.show(r.runId());
        assertEquals("Cancelled", run.get("status").asText(), run::toPrettyString);
        return run;
    }

    /** What a child engine printed so far, its progress included. */
    private static String said(Path logs) {
        return Freestone.read(logs.resolve("err.txt")) + Freestone.read(logs.resolve("out.txt"));
    }

    /** The run a child engine started, from the line its progress opens with. */
    private static String runIdOf(Path logs) throws InterruptedException {
        String[] id = {null};
        Freestone.eventually(30_000, () -> {
            Matcher m = RUN_ID.matcher(said(logs));
            id[0] = m.find() ? m.group(1) : null;
            return id[0] != null;
        });
        assertTrue(id[0] != null, "no run id yet in " + logs);
        return id[0];
    }
}
