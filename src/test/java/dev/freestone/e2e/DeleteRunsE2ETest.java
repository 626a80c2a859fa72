package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone delete} and {@code gc} as a user runs them: runs chosen by id and by filters, the
 * space a dry run announces, an artifact shared by runs kept until its last run goes, a run in
 * progress refused, the cache after a deletion, a delete killed at any moment then swept, links
 * in the home never followed out of it (nor written through), what could not be removed not counted as
 * freed, and the database compacted by gc, whole after a kill during it.
 */
class DeleteRunsE2ETest {
    /** A folder of `files` files whose content depends on `seed`, and a step that counts them. */
    static final String PIPE = """
            component make(seed: String, files: Int) -> (data: Dataset) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "mkdir -p \\"$1\\"; i=0; while [ $i -lt $2 ]; do echo \\"$0 $i\\" > \\"$1/f$i\\"; i=$((i+1)); done", seed, data, files]
            }
            component count(d: Dataset) -> (n: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "ls \\"$0\\" | wc -l > \\"$1\\"", d, n]
            }
            pipeline tree(seed: String = "a", files: Int = 3) -> (n: String) {
              m = make(seed = seed, files = files)
              c = count(d = m.data)
              output n = c.n
            }
            """;

    /** One step that waits for the release file, so the test decides how long its run is in progress. */
    static final String SLOW = """
            component wait(release: String) -> (done: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "while [ ! -f \\"$0\\" ]; do sleep 0.05; done; printf ok > \\"$1\\"", release, done]
            }
            pipeline slow(release: String) {
              w = wait(release = release)
            }
            """;

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEngines() throws Exception {
        Freestone.stopAll(started, tmp.resolve("release"));
    }

    private String run(Freestone fs, Path pipe, String... params) {
        List<String> args = new ArrayList<>(List.of("run", "--progress", "none", pipe.toString()));
        for (String p : params) {
            args.add("-p");
            args.add(p);
        }
        return fs.cli(args.toArray(String[]::new)).expect(0).runId();
    }

    /** The object of the run's artifact {@code task/output} in the home's artifact store. */
    private static Path object(Freestone fs, String runId, String task) {
        for (JsonNode a : json(fs.cli("artifacts", runId, "--output", "json").expect(0))) {
            if (a.get("task").asText().equals(task)) {
                String d = a.get("digest").asText();
                return fs.home().resolve("artifacts/sha256").resolve(d.substring(0, 2)).resolve(d);
            }
        }
        throw new AssertionError("no artifact of " + task + " in " + runId);
    }

    private static JsonNode json(Freestone.Result r) {
        try {
            return Freestone.JSON.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON:\n" + r.all(), e);
        }
    }

    /** Every command that reads a run says a deleted one is gone, as for an id that never was. */
    private static void assertGone(Freestone fs, String runId) {
        for (String command : List.of("show", "logs", "artifacts", "metrics", "resume")) {
            Freestone.Result r = fs.cli(command, runId);
            assertEquals(1, r.exit(), () -> command + ": " + r.all());
            assertTrue(r.err().contains("no run matches `" + runId + "`"), () -> command + ": " + r.all());
            Freestone.assertNoTrace(r.all());
        }
    }

    @Test
    void deletesByIdAndByFilterFreeingWhatTheDryRunSaid() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tree.pipe", PIPE);
        Path greet = Freestone.pipe(tmp, "greet.pipe", dev.freestone.testing.CliRun.GREET);
        String a = run(fs, pipe, "seed=a");
        String b = run(fs, pipe, "seed=b");
        String g = run(fs, greet);

        // a dry run changes nothing and says what would go
        JsonNode plan = json(fs.cli("delete", "--pipeline", "tree", "--dry-run", "--output", "json").expect(0));
        assertEquals(Set.of(a, b), ids(plan.get("runs")));
        assertTrue(plan.get("freedBytes").asLong() > 0, plan::toPrettyString);
        assertEquals(3, fs.cli("runs", "--output", "json").expect(0).out().split("\"id\"").length - 1);
        assertTrue(Files.exists(object(fs, a, "m")));

        // unknown ids: each named, nothing deleted, even with a good id among them
        Freestone.Result unknown = fs.cli("delete", a, "run-19990101", "nope").expect(1);
        assertTrue(unknown.err().contains("no run matches `run-19990101`") && unknown.err().contains("no run matches `nope`"),
                unknown::all);
        assertTrue(unknown.err().contains("freestone runs"), unknown::all);
        fs.show(a);

        // a filter that matches nothing is no error
        Freestone.Result none = fs.cli("delete", "--older", "1d", "--status", "failed").expect(0);
        assertTrue(none.out().contains("no run matches the selection: with status failed, older than 1d"), none::all);
        assertTrue(fs.cli("delete", "--older", "99999999999d").expect(0).out().contains("no run matches the selection: older than 99999999999d"));
        // a misspelt pipeline is told as `runs --pipeline` tells it
        Freestone.Result misspelt = fs.cli("delete", "--pipeline", "tre", "--dry-run").expect(0);
        assertTrue(misspelt.out().contains("no run matches the selection: of pipeline `tre`\n  = help: did you mean `tree`?\n"),
                misspelt::all);
        fs.cli("delete", "--older", "99999999999999999999d").expect(2);
        fs.cli("delete", "--pipeline", "tree", a).expect(2);
        fs.cli("delete").expect(2);
        fs.cli("delete", "--older", "7x").expect(2);
        fs.cli("delete", "--status", "Sucess").expect(2);

        JsonNode done = json(fs.cli("delete", "--pipeline", "tree", "--status", "Succeeded", "--output", "json").expect(0));
        assertEquals(Set.of(a, b), ids(done.get("runs")));
        assertEquals(plan.get("freedBytes").asLong(), done.get("freedBytes").asLong(), done::toPrettyString);
        assertEquals(plan.get("artifacts"), done.get("artifacts"));
        assertGone(fs, a);
        assertGone(fs, b);
        assertFalse(Files.exists(fs.home().resolve("runs").resolve(a)));
        fs.show(g);
        Freestone.Result byId = fs.cli("delete", g.substring(0, g.length() - 2)).expect(0);
        assertTrue(byId.out().contains("deleted " + g) && byId.out().contains("deleted 1 run, freed "), byId::all);
        assertGone(fs, g);
        fs.assertStoreIntact();
        // nothing is left: no objects, no run folders
        assertEquals(List.of(), files(fs.home().resolve("artifacts/sha256")));
        assertEquals(List.of(), files(fs.home().resolve("runs")));
    }

    @Test
    void anArtifactSharedByRunsStaysUntilTheLastOfThemIsDeletedAndTheCacheThenMisses() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tree.pipe", PIPE);
        String first = run(fs, pipe);
        String reuser = run(fs, pipe);
        assertEquals("Cached", Freestone.state(fs.show(reuser), "m"));
        Path shared = object(fs, first, "m");
        assertEquals(shared, object(fs, reuser, "m"));

        fs.cli("delete", first).expect(0);
        assertTrue(Files.isDirectory(shared), "the object the other run reuses was removed");
        // the run that reused it keeps its outputs, and says where they came from
        assertEquals(List.of(), missing(fs, reuser));
        Freestone.Result shown = fs.cli("show", reuser).expect(0);
        assertTrue(shown.out().contains("cached from run " + first + " (deleted since): "), shown::all);

        // the deleted run's successes are no cache entries any more: the steps run again, cleanly
        String again = run(fs, pipe);
        JsonNode rerun = fs.show(again);
        assertEquals("Succeeded", Freestone.state(rerun, "m"), rerun::toPrettyString);
        assertEquals("Succeeded", Freestone.state(rerun, "c"), rerun::toPrettyString);
        assertEquals(shared, object(fs, again, "m"));

        fs.cli("delete", reuser).expect(0);
        assertTrue(Files.isDirectory(shared));
        fs.cli("delete", again).expect(0);
        assertFalse(Files.exists(shared), "the object outlived the last run that referred to it");
        fs.assertStoreIntact();
    }

    @Test
    void aRunInProgressIsRefusedAndOnceItsEngineIsGoneItIsDeleted() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tree.pipe", PIPE);
        String old = run(fs, pipe, "seed=old");
        Path oldObject = object(fs, old, "m");
        Path slow = Freestone.pipe(tmp, "slow.pipe", SLOW);
        Process engine = fs.start(tmp.resolve("engine"), List.of(), "run", "--progress", "none", slow.toString(),
                "-p", "release=" + tmp.resolve("release"));
        started.add(engine);
        assertTrue(Freestone.eventually(30_000, () -> Freestone.read(tmp.resolve("engine/err.txt")).contains("run run-")),
                () -> Freestone.read(tmp.resolve("engine/err.txt")));
        String live = new Freestone.Result(0, "", Freestone.read(tmp.resolve("engine/err.txt"))).runId();
        assertTrue(Freestone.eventually(30_000, () -> fs.show(live).get("tasks").toString().contains("\"Running\"")));

        Freestone.Result refused = fs.cli("delete", live, old).expect(1);
        assertTrue(refused.err().contains("run " + live + " is in progress (engine process " + engine.pid() + ")"), refused::all);
        fs.show(old); // nothing was deleted

        // by a filter: the live run is left with a note, the others go; their objects wait for the run to end
        Freestone.Result all = fs.cli("delete", "--all").expect(0);
        assertTrue(all.err().contains("note: run " + live + " is in progress"), all::all);
        assertTrue(all.err().contains("artifacts no run refers to are kept until it ends"), all::all);
        assertGone(fs, old);
        assertEquals("Running", fs.show(live).get("status").asText());
        assertTrue(Files.isDirectory(oldObject), "an object was removed while a run was in progress");
        assertTrue(fs.cli("gc").expect(0).err().contains("kept until it ends"));

        // kill -9: the engine is gone (its step with it), the run is interrupted and may be deleted
        engine.destroyForcibly();
        engine.waitFor();
        fs.cli("delete", live).expect(0);
        assertGone(fs, live);
        assertFalse(Files.exists(oldObject), "the sweep after the run removes what no run refers to");
        assertEquals(List.of(), files(fs.home().resolve("artifacts/sha256")));
        fs.assertStoreIntact();
    }

    @Test
    void aRunBeingResumedIsRefusedUntilItsContinuationEnds() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "owned.pipe", ResumeOwnershipE2ETest.PIPE);
        Path marker = tmp.resolve("marker.txt");
        Path flag = Files.writeString(tmp.resolve("flag"), "fail");
        String failed = fs.cli("run", "--progress", "none", pipe.toString(), "-p", "marker=" + marker, "-p", "flag=" + flag,
                "-p", "release=" + tmp.resolve("release")).expect(1).runId();
        Files.delete(flag);
        Process resume = fs.start(tmp.resolve("resume"), List.of(), "resume", failed, "--progress", "none");
        started.add(resume);
        // the continuation's step runs (it waits for the release file): it reuses what the failed run recorded
        assertTrue(Freestone.eventually(30_000, () -> Freestone.read(marker).lines().count() == 2),
                () -> Freestone.read(tmp.resolve("resume/err.txt")));
        String continuation = new Freestone.Result(0, "", Freestone.read(tmp.resolve("resume/err.txt"))).runId();

        Freestone.Result refused = fs.cli("delete", failed).expect(1);
        assertTrue(refused.err().contains("run " + failed + " is being resumed by run " + continuation
                + " (engine process " + resume.pid() + ")"), refused::all);
        Freestone.Result all = fs.cli("delete", "--all").expect(0);
        assertTrue(all.out().contains("no runs to delete: the runs selected are in progress"), all::all);
        fs.show(failed);
        fs.show(continuation);

        Files.writeString(tmp.resolve("release"), "go");
        Freestone.await(resume, tmp.resolve("resume"), 60).expect(0);
        JsonNode deleted = json(fs.cli("delete", "--all", "--output", "json").expect(0));
        assertEquals(Set.of(failed, continuation), ids(deleted.get("runs")));
        assertEquals(List.of(), files(fs.home().resolve("artifacts/sha256")));
    }

    @Test
    void anArgoRunIsDeletedOnlyOnceItsRecordSaysItEnded() {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String id;
        try (var store = fs.openStore()) {
            id = store.createRun(new dev.freestone.runtime.store.NewRun("p", "v", "p.pipe", "s", java.util.Optional.empty(),
                    "{}", dev.freestone.runtime.store.Backend.Argo,
                    java.util.Optional.of(new dev.freestone.runtime.store.RemoteRef("ml", "p-x7k2")))).id();
            store.updateRunStatus(id, dev.freestone.runtime.store.RunStatus.Running, java.util.Optional.empty());
        }
        Freestone.Result refused = fs.cli("delete", id).expect(1);
        assertTrue(refused.err().contains("run " + id + " is Running on the cluster (Workflow ml/p-x7k2)"), refused::all);
        assertTrue(refused.err().contains("freestone watch " + id), refused::all);
        assertTrue(fs.cli("delete", "--all").expect(0).err().contains("note: run " + id + " is Running on the cluster"));
        try (var store = fs.openStore()) {
            store.updateRunStatus(id, dev.freestone.runtime.store.RunStatus.Failed, java.util.Optional.of("terminated"));
        }
        fs.cli("delete", id).expect(0);
        assertGone(fs, id);
    }

    @Test
    void runsThatStartWhileOthersAreDeletedAndSweptLoseNothing() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tree.pipe", PIPE);
        run(fs, pipe);
        // runs in other processes, each reusing (or, its source deleted, making again) the same objects,
        // while this one deletes every run it may and sweeps, as fast as it can
        List<Freestone.Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread runner = new Thread(() -> {
            try {
                for (int i = 0; i < 4; i++) {
                    results.add(fs.process(tmp.resolve("run" + i), 60, "run", "--progress", "none", pipe.toString()));
                }
            } catch (Exception e) {
                results.add(new Freestone.Result(-1, "", e.toString()));
            }
        });
        runner.start();
        int sweeps = 0;
        while (runner.isAlive()) {
            fs.cli("delete", "--all").expect(0);
            fs.cli("gc").expect(0);
            sweeps++;
        }
        runner.join();
        assertEquals(4, results.size());
        for (Freestone.Result r : results) {
            r.expect(0);
            Freestone.assertNoTrace(r.all());
        }
        assertTrue(sweeps > 1, "no sweep ran while the runs did");
        for (JsonNode r : json(fs.cli("runs", "--output", "json").expect(0))) {
            assertEquals(List.of(), missing(fs, r.get("id").asText()));
        }
        fs.assertStoreIntact();
    }

    @Test
    void aDeleteKilledAtAnyMomentLeavesAConsistentStoreThatTheNextSweepCleans() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tree.pipe", PIPE);
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(run(fs, pipe, "seed=s" + i, "files=150"));
        }
        Random random = new Random(7);
        int killedWhileRunning = 0;
        for (int round = 0; round < 4 && !runs.isEmpty(); round++) {
            Path logs = tmp.resolve("delete" + round);
            // two deletions in each round: the first one half the runs
            List<String> chosen = runs.subList(0, Math.max(1, runs.size() / 2));
            List<String> args = new ArrayList<>(List.of("delete"));
            args.addAll(chosen);
            Process delete = fs.start(logs, List.of(), args.toArray(String[]::new));
            if (round % 2 == 0) {
                Thread.sleep(300 + random.nextInt(900));
            } else {
                // as soon as the rows are gone: in the middle of removing the files
                Freestone.eventually(30_000, () -> !delete.isAlive() || gone(fs, chosen.get(0)));
            }
            killedWhileRunning += delete.isAlive() ? 1 : 0;
            delete.destroyForcibly();
            delete.waitFor();
            fs.assertStoreIntact();
            // each run is whole or gone: never a row without its files
            List<String> left = new ArrayList<>();
            for (String r : runs) {
                if (gone(fs, r)) {
                    continue;
                }
                left.add(r);
                assertEquals(List.of(), missing(fs, r), "round " + round + ": " + r + " lost artifacts");
            }
            fs.cli("gc").expect(0);
            assertEquals(new TreeSet<>(left), new TreeSet<>(files(fs.home().resolve("runs"))), "round " + round);
            assertEquals(List.of(), files(fs.home().resolve("artifacts/tmp")));
            for (String r : left) {
                assertEquals(List.of(), missing(fs, r));
                assertEquals("150", Freestone.task(fs.show(r), "c").get("outputs").get("n").asText().trim());
            }
            runs = left;
        }
        assertTrue(killedWhileRunning > 0, "no delete was killed before it ended");
        fs.cli("delete", "--all").expect(0);
        assertEquals(List.of(), files(fs.home().resolve("artifacts/sha256")));
        assertEquals(List.of(), files(fs.home().resolve("runs")));
        fs.assertStoreIntact();
    }

    @Test
    void linksInTheHomeAreRemovedNeverFollowed() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tree.pipe", PIPE);
        String a = run(fs, pipe, "seed=a");
        String b = run(fs, pipe, "seed=b");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path victim = Files.writeString(outside.resolve("victim.txt"), "keep me");
        Files.createDirectories(outside.resolve("sub"));
        Files.writeString(outside.resolve("sub/f0"), "keep me too");
        // a run folder, an object and a shard replaced by links to elsewhere, a stray link among run folders
        Path runFolder = fs.home().resolve("runs").resolve(a);
        deleteTree(runFolder);
        Files.createSymbolicLink(runFolder, outside);
        Path objectB = object(fs, b, "m");
        deleteTree(objectB);
        Files.createSymbolicLink(objectB, outside);
        Path objectA = object(fs, a, "m");
        Path shard = objectA.getParent();
        if (!shard.equals(objectB.getParent())) {
            deleteTree(shard);
            Files.createSymbolicLink(shard, outside);
        }
        Files.createSymbolicLink(fs.home().resolve("runs/run-20200101-000000-dead"), outside);

        fs.cli("delete", a, b).expect(0);
        fs.cli("gc").expect(0);
        assertEquals(List.of("sub", "victim.txt"), files(outside), "something was made or removed outside the home");
        assertEquals(List.of("f0"), files(outside.resolve("sub")));
        assertEquals("keep me", Files.readString(victim));
        assertEquals("keep me too", Files.readString(outside.resolve("sub/f0")));
        assertFalse(Files.exists(runFolder, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link in place of a run folder stays");
        assertFalse(Files.exists(objectB, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link in place of an object stays");
        assertFalse(Files.exists(fs.home().resolve("runs/run-20200101-000000-dead"), java.nio.file.LinkOption.NOFOLLOW_LINKS));

        // the temporaries' folder, whose old entries every opening and every sweep removes, and where an
        // object goes before it is deleted: replaced by a link, nothing is removed or put there
        String c = run(fs, pipe, "seed=c");
        Path temporaries = fs.home().resolve("artifacts/tmp");
        deleteTree(temporaries);
        Files.createSymbolicLink(temporaries, outside);
        Files.setLastModifiedTime(victim, java.nio.file.attribute.FileTime.fromMillis(0));
        Freestone.Result deleted = fs.cli("delete", c).expect(0);
        assertTrue(deleted.err().contains("note: artifacts/tmp is not a folder inside"), deleted::all);
        // a run would write its artifacts there first: it is refused before it starts
        Freestone.Result refused = fs.cli("run", "--progress", "none", pipe.toString(), "-p", "seed=d").expect(1);
        assertTrue(refused.err().contains("error: " + temporaries + " is not a folder (a link to elsewhere?)"), refused::all);
        assertTrue(refused.err().contains("  = help: make it a folder again: `rm " + temporaries), refused::all);
        Freestone.assertNoTrace(refused.all());
        assertEquals(List.of("sub", "victim.txt"), files(outside));
        assertEquals("keep me", Files.readString(victim));
        fs.assertStoreIntact();
    }

    @Test
    void aFileThatCannotBeRemovedIsAnErrorAndTheRestIsRemoved() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tree.pipe", PIPE);
        String a = run(fs, pipe, "seed=a");
        Path objectA = object(fs, a, "m");
        // a file of the run's folder made immutable (as a step run with sudo might): no one may remove it
        Path stuck = Files.writeString(fs.home().resolve("runs").resolve(a).resolve("m/stuck.txt"), "x");
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", stuck), "chattr +i works here (root, ext4)");
        try {
            Freestone.Result deleted = fs.cli("delete", a).expect(1);
            assertTrue(deleted.out().startsWith("deleted " + a + "  tree  Succeeded"), deleted::all);
            assertTrue(deleted.err().contains("error: could not remove runs/" + a + ": Operation not permitted (" + stuck + ")\n"
                    + "  = help: make it removable"), deleted::all);
            Freestone.assertNoTrace(deleted.all());
            // the run is deleted, its artifacts swept; only the folder holding the file is left
            assertGone(fs, a);
            assertFalse(Files.exists(objectA), "the run's artifact is swept all the same");
            assertTrue(Files.exists(stuck));
            Freestone.Result again = fs.cli("gc", "--output", "json").expect(1);
            assertEquals(1, json(again).get("failures").size(), again::all);
        } finally {
            chattr("-i", stuck);
        }
        Freestone.Result gc = fs.cli("gc").expect(0);
        assertTrue(gc.out().startsWith("freed ") && gc.out().contains("(1 run folder, 0 artifacts"), gc::all);
        assertFalse(Files.exists(fs.home().resolve("runs").resolve(a)));
        fs.assertStoreIntact();
    }

    @Test
    void anArtifactThatCannotBeDeletedOnceAsideIsNamedThereAndNotCountedAsFreed() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tree.pipe", PIPE);
        String a = run(fs, pipe, "seed=a");
        Path stuck = object(fs, a, "m").resolve("f0");
        long stuckBytes = Files.size(stuck);
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", stuck), "chattr +i works here (root, ext4)");
        Path aside = null;
        long planned;
        long freed;
        try {
            planned = json(fs.cli("delete", a, "--dry-run", "--output", "json").expect(0)).get("freedBytes").asLong();
            Freestone.Result deleted = fs.cli("delete", a, "--output", "json").expect(1);
            Freestone.assertNoTrace(deleted.all());
            // the object left sha256/ whole, then its file could not be deleted: it is in tmp/ and not freed
            List<String> temporaries = files(fs.home().resolve("artifacts/tmp"));
            assertEquals(1, temporaries.size(), deleted::all);
            aside = fs.home().resolve("artifacts/tmp").resolve(temporaries.get(0)).resolve("f0");
            assertTrue(deleted.err().contains("error: could not remove artifacts/tmp/" + temporaries.get(0)
                    + ": Operation not permitted (" + aside + ")"), deleted::all);
            freed = json(deleted).get("freedBytes").asLong();
            assertTrue(freed <= planned - stuckBytes, deleted::all);
        } finally {
            chattr("-i", aside != null ? aside : stuck);
        }
        // what is left (the file, which the run's folder links too) is freed once, by the next sweep
        JsonNode gc = json(fs.cli("gc", "--output", "json").expect(0));
        assertEquals(planned, freed + gc.get("freedBytes").asLong(), gc::toString);
        assertEquals(1, gc.get("leftovers").asInt(), gc::toString);
        assertEquals(List.of(), files(fs.home().resolve("artifacts/tmp")));
        fs.assertStoreIntact();
    }

    @Test
    void gcGivesBackTheDatabasesFreePagesAndAKillDuringItLeavesAWholeDatabase() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tree.pipe", PIPE);
        String real = run(fs, pipe, "seed=a");
        // runs with many events (as long runs log): 60 MB, of which the half that stays takes a while to copy
        List<String> filler = new ArrayList<>();
        String message = "x".repeat(1000);
        try (dev.freestone.runtime.store.RunStore store = fs.openStore()) {
            store.atomically("fill", () -> {
                for (int r = 0; r < 20; r++) {
                    String id = store.createRun(dev.freestone.runtime.store.NewRun.local("filler", "ir", "p.pipe", "src",
                            java.util.Optional.empty(), "{}")).id();
                    store.updateRunStatus(id, dev.freestone.runtime.store.RunStatus.Failed, java.util.Optional.of("filler"));
                    for (int e = 0; e < 3000; e++) {
                        store.appendEvent(id, java.util.Optional.empty(), "log", e + message);
                    }
                    filler.add(id);
                }
            });
        }
        List<String> args = new ArrayList<>(List.of("delete"));
        args.addAll(filler.subList(0, 10));
        fs.cli(args.toArray(String[]::new)).expect(0);
        Path database = fs.home().resolve("runs.db");
        Path wal = fs.home().resolve("runs.db-wal");
        long before = Files.size(database);
        long free = json(fs.cli("gc", "--dry-run", "--output", "json").expect(0)).get("databaseBytes").asLong();
        assertTrue(free > 25_000_000, "free pages: " + free);
        assertEquals(before, Files.size(database), "a dry run changed the database");

        // killed while VACUUM copies the database into the log: the old database is whole
        Process gc = fs.start(tmp.resolve("gc"), List.of(), "gc");
        started.add(gc);
        Freestone.eventually(60_000, () -> !gc.isAlive() || size(wal) > 2_000_000);
        assertTrue(gc.isAlive(), "gc ended before it was killed: " + Freestone.read(tmp.resolve("gc/err.txt")));
        gc.destroyForcibly();
        gc.waitFor();
        fs.assertStoreIntact();
        try (dev.freestone.runtime.store.RunStore store = fs.openStore()) {
            for (String id : filler.subList(10, 20)) {
                assertEquals(3000, store.events(id).size(), id);
            }
        }

        Freestone.Result done = fs.cli("gc").expect(0);
        assertTrue(done.out().matches("freed .* \\(0 run folders, 0 artifacts, 0 temporary files, .* of the database\\)\n"),
                done::all);
        assertTrue(Files.size(database) < before - free / 2, "runs.db: " + before + " -> " + Files.size(database));
        assertEquals(0, size(wal), "the log is emptied after");
        fs.assertStoreIntact();
        assertEquals(List.of(), missing(fs, real));
        assertEquals(0, json(fs.cli("gc", "--output", "json").expect(0)).get("databaseBytes").asLong() / 1_000_000);
        // the run's cache entries survive the copy
        String again = run(fs, pipe, "seed=a");
        assertEquals("Cached", Freestone.state(fs.show(again), "m"), "no cache hit after a vacuum");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException gone) {
            return 0;
        }
    }

    private static boolean chattr(String flag, Path file) throws Exception {
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException noChattr) {
            return false;
        }
    }

    private static boolean gone(Freestone fs, String runId) {
        return fs.cli("show", runId).exit() == 1;
    }

    /** The run's artifacts that `artifacts` marks missing. */
    private static List<String> missing(Freestone fs, String runId) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : json(fs.cli("artifacts", runId, "--output", "json").expect(0))) {
            if (a.get("missing").asBoolean()) {
                out.add(a.get("task").asText() + "." + a.get("output").asText());
            }
        }
        return out;
    }

    private static Set<String> ids(JsonNode runs) {
        Set<String> out = new TreeSet<>();
        runs.forEach(r -> out.add(r.get("id").asText()));
        return out;
    }

    /** The names in a folder (links not followed); none when it is missing. */
    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                q.toFile().setWritable(true);
                q.getParent().toFile().setWritable(true);
                Files.delete(q);
            }
        }
    }
}
