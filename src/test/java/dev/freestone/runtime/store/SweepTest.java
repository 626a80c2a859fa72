package dev.freestone.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep's rule, between two stores of one home as between two processes: an object is removed
 * only when no row names it and no store holds the artifact store (a run puts an object before the row
 * that names it); the plan announces what the sweep then frees.
 */
class SweepTest {
    @TempDir
    Path home;

    private static StoredArtifact put(RunStore store, String text) throws Exception {
        return store.artifacts().put(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theDatabaseIsCompactedOnlyWhenNoStoreHoldsTheArtifacts() throws Exception {
        try (RunStore sweeper = RunStore.open(home)) {
            String message = "x".repeat(1000);
            RunRecord run = sweeper.createRun(NewRun.local("p", "ir", "p.pipe", "src", Optional.empty(), "{}"));
            sweeper.atomically("fill", () -> {
                for (int i = 0; i < 2000; i++) {
                    sweeper.appendEvent(run.id(), Optional.empty(), "log", i + message);
                }
            });
            assertTrue(sweeper.deleteRun(run.id()));
            long free = Sweep.gc(sweeper, true).databaseBytes();
            assertTrue(free > 1_000_000, "free pages: " + free);
            try (RunStore writer = RunStore.open(home)) {
                writer.artifacts().hold(); // a run in progress
                long size = Files.size(home.resolve("runs.db"));
                Sweep.Outcome held = Sweep.gc(sweeper, false);
                assertTrue(held.objectsHeld());
                assertEquals(0, held.databaseBytes());
                assertEquals(size, Files.size(home.resolve("runs.db")), "the database was compacted under a run");
            }
            assertEquals(free, Sweep.gc(sweeper, true).databaseBytes());
            assertTrue(Sweep.gc(sweeper, false).databaseBytes() >= free);
            assertEquals(0, Sweep.gc(sweeper, true).databaseBytes());
            assertEquals("ok", sweeper.integrityCheck());
        }
    }

    @Test
    void anObjectIsKeptWhileAStoreThatPutItIsOpenAndWhileARowNamesIt() throws Exception {
        try (RunStore sweeper = RunStore.open(home)) {
            StoredArtifact named;
            StoredArtifact loose;
            RunRecord run;
            try (RunStore writer = RunStore.open(home)) {
                // put, its row not written yet: a sweep now must not take it
                loose = put(writer, "written, not yet recorded");
                named = put(writer, "recorded");
                run = writer.createRun(NewRun.local("p", "ir", "p.pipe", "src", Optional.empty(), "{}"));
                writer.upsertTask(TaskRecord.pending(run.id(), "t", "t", "c"));
                writer.recordArtifact(ArtifactRecord.local(run.id(), "t", "out", "Dataset", named));
                Sweep.Outcome held = Sweep.run(sweeper);
                assertTrue(held.objectsHeld());
                assertEquals(List.of(), held.objects());
                assertTrue(Files.exists(loose.path()) && Files.exists(named.path()));
            }
            Files.writeString(sweeper.artifacts().root().resolve("tmp/left.part"), "half");

            Sweep.Outcome plan = Sweep.plan(sweeper, Set.of());
            assertFalse(plan.objectsHeld());
            assertEquals(List.of(loose.digest()), plan.objects());
            assertEquals(loose.size() + 4, plan.bytes());
            assertTrue(Files.exists(loose.path()), "a plan removed something");

            Sweep.Outcome swept = Sweep.run(sweeper);
            assertEquals(plan.objects(), swept.objects());
            assertEquals(plan.bytes(), swept.bytes());
            assertFalse(Files.exists(loose.path()));
            assertTrue(Files.exists(named.path()), "an object a row names was removed");
            assertEquals(List.of(), Files.list(sweeper.artifacts().root().resolve("tmp")).toList());

            assertEquals(List.of(named.digest()), Sweep.plan(sweeper, Set.of(run.id())).objects());
            assertTrue(sweeper.deleteRun(run.id()));
            assertFalse(sweeper.deleteRun(run.id()));
            assertEquals(List.of(named.digest()), Sweep.run(sweeper).objects());
            assertFalse(Files.exists(named.path()));
            assertEquals("ok", sweeper.integrityCheck());
        }
    }
}
