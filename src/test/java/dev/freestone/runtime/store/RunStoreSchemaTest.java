package dev.freestone.runtime.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.runtime.store.Schema.Migration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreSchemaTest {

    @TempDir
    Path home;

    @Test
    void aNewStoreHasTheLatestSchemaInWalMode() throws Exception {
        try (RunStore store = RunStore.open(home)) {
            assertEquals(Schema.latestVersion(), store.schemaVersion());
            assertEquals(home.resolve(RunStore.DATABASE_FILE), store.databaseFile());
            assertTrue(Files.isDirectory(home.resolve("artifacts").resolve("sha256")));
            assertEquals("ok", store.integrityCheck());
            assertEquals("wal", store.pragma("journal_mode"));
            assertEquals("1", store.pragma("synchronous"), "NORMAL");
            assertEquals("1", store.pragma("foreign_keys"));
            assertEquals(String.valueOf(RunStore.BUSY_TIMEOUT_MILLIS), store.pragma("busy_timeout"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve(RunStore.DATABASE_FILE))) {
            assertEquals("wal", query(c, "PRAGMA journal_mode").get(0));
            assertEquals(List.of("artifacts", "attempts", "events", "lineage", "metrics", "run_labels", "runs",
                    "schema_version", "tasks"),
                    query(c, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"));
            assertEquals(List.of("1", "2", "3", "4", "5", "6", "7"), query(c, "SELECT version FROM schema_version ORDER BY version"));
        }
    }

    @Test
    void reopeningAppliesNothingTwice() throws Exception {
        RunStore.open(home).close();
        RunStore.open(home).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve(RunStore.DATABASE_FILE))) {
            assertEquals(List.of("7"), query(c, "SELECT count(*) FROM schema_version"));
        }
    }

    @Test
    void theCacheLookupReadsOnlyTheRowsItReturns() {
        // a key gathers a row per run of its pipeline: the lookup must not read and sort them all
        try (RunStore store = RunStore.open(home)) {
            String plan = store.cacheLookupPlan();
            assertTrue(plan.contains("USING INDEX tasks_by_cache_key (cache_key=? AND state=?)"), plan);
            assertFalse(plan.contains("TEMP B-TREE"), plan);
        }
    }

    /** `lineage` follows an artifact through thousands of runs: each of its lookups is one index's, never a scan. */
    @Test
    void theLineageLookupsReadAnIndex() {
        try (RunStore store = RunStore.open(home)) {
            String digest = "0".repeat(64);
            for (String[] q : new String[][] {
                    {"SELECT a.run_id FROM artifacts a " + RunStore.PRODUCERS_BY_DIGEST, "artifacts_by_digest (digest=?)"},
                    {"SELECT a.run_id FROM artifacts a " + RunStore.PRODUCERS_BY_URI, "artifacts_by_uri (uri=?)"},
                    {"SELECT a.run_id FROM lineage a " + RunStore.CONSUMERS_BY_DIGEST, "lineage_by_digest (digest=?)"},
                    {"SELECT a.run_id FROM lineage a " + RunStore.CONSUMERS_BY_URI, "lineage_by_uri (uri=?)"}}) {
                boolean producers = q[0].contains("LIMIT");
                String plan = producers ? store.plan(q[0], digest, "run-x", 1) : store.plan(q[0], digest);
                assertTrue(plan.contains("USING INDEX " + q[1]), q[0] + "\n" + plan);
                assertFalse(plan.contains("SCAN a"), plan);
                assertTrue(plan.contains("SEARCH r USING INDEX sqlite_autoindex_runs_1 (id=?)"), plan);
            }
        }
    }

    @Test
    void foreignKeysAreEnforced() {
        try (RunStore store = RunStore.open(home)) {
            StoreException e = assertThrows(StoreException.class,
                    () -> store.upsertTask(TaskRecord.pending("run-20260101-000000-0000", "a", "a", "c")));
            assertTrue(e.getMessage().contains("FOREIGN KEY"), e.getMessage());
        }
    }

    @Test
    void migratesAStoreWrittenAtAnOlderVersion() throws Exception {
        String runId;
        try (RunStore old = RunStore.open(home, Clock.systemUTC(), Schema.MIGRATIONS.subList(0, 1))) {
            assertEquals(1, old.schemaVersion());
            runId = old.createRun(NewRun.local("iris", "v", "iris.pipe", "d", Optional.empty(), "{}")).id();
            // the task row as Freestone wrote it then (today's rows have columns this schema lacks)
            execute("INSERT INTO tasks (run_id, task_id, name, component, state, attempts, outputs)"
                    + " VALUES ('" + runId + "', 'fit[0]', 'fit', 'train', 'Pending', 0, '{}')");
            old.appendEvent(runId, Optional.of("fit[0]"), "task.started", "go");
            // the newer tables do not exist yet
            assertThrows(StoreException.class, () -> old.metrics(runId));
        }
        try (RunStore store = RunStore.open(home)) {
            assertEquals(Schema.latestVersion(), store.schemaVersion());
            assertEquals(1, store.tasks(runId).size());
            assertEquals(1, store.events(runId).size());
            // a run recorded before the store kept the pipeline's outputs has none
            assertEquals(Optional.empty(), store.runOutputs(runId));
            store.recordMetric(new MetricRecord(runId, "fit[0]", "accuracy", 0.9));
            assertEquals(List.of(new MetricRecord(runId, "fit[0]", "accuracy", 0.9)), store.metrics(runId));
            assertEquals("ok", store.integrityCheck());
        }
    }

    @Test
    void aStoreOfSchemaFourKeepsItsTasksAndLearnsTheirLoopItems() throws Exception {
        String runId;
        try (RunStore old = RunStore.open(home, Clock.systemUTC(), Schema.MIGRATIONS.subList(0, 4))) {
            assertEquals(4, old.schemaVersion());
            runId = old.createRun(NewRun.local("sweep", "v", "sweep.pipe", "d", Optional.empty(), "{}")).id();
            execute("INSERT INTO tasks (run_id, task_id, name, component, state, attempts, outputs, exit_code)"
                    + " VALUES ('" + runId + "', 'fit[2]', 'fit', 'train', 'Succeeded', 1, '{\"accuracy\":0.9}', 0)");
            old.updateRunStatus(runId, RunStatus.Succeeded, Optional.empty(), Optional.of("{\"best\":0.9}"));
        }
        try (RunStore store = RunStore.open(home)) {
            assertEquals(Schema.latestVersion(), store.schemaVersion());
            // nothing lost: the task as it was, with no item (its loop's items were never recorded)
            TaskRecord fit = store.task(runId, "fit[2]").orElseThrow();
            assertEquals(TaskState.Succeeded, fit.state());
            assertEquals("{\"accuracy\":0.9}", fit.outputsJson());
            assertEquals(Optional.of(0), fit.exitCode());
            assertEquals(List.of(), fit.items());
            assertEquals(Optional.of("{\"best\":0.9}"), store.runOutputs(runId));
            // a task recorded now keeps its items, every level's, as the engine wrote them
            List<LoopItem> items = List.of(new LoopItem("lr", "0.03"), new LoopItem("cfg", "{\"k\":1,\"a\":\"x\"}"));
            store.upsertTask(TaskRecord.pending(runId, "fit[3][0]", "fit", "train").withItems(items));
            assertEquals(items, store.task(runId, "fit[3][0]").orElseThrow().items());
            assertEquals(items, store.task(runId, "fit[3][0]").orElseThrow().started(java.time.Instant.EPOCH).items());
            assertEquals("ok", store.integrityCheck());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve(RunStore.DATABASE_FILE))) {
            assertEquals(List.of("[{\"name\":\"lr\",\"value\":0.03},{\"name\":\"cfg\",\"value\":{\"k\":1,\"a\":\"x\"}}]"),
                    query(c, "SELECT items FROM tasks WHERE task_id = 'fit[3][0]'"));
            assertEquals(java.util.Collections.singletonList(null), query(c, "SELECT items FROM tasks WHERE task_id = 'fit[2]'"));
        }
    }

    @Test
    void aFailingMigrationLeavesTheStoreAsItWas() throws Exception {
        RunStore.open(home).close();
        List<Migration> broken = new ArrayList<>(Schema.MIGRATIONS);
        int latest = Schema.latestVersion();
        broken.add(new Migration(latest + 1, "broken", List.of("CREATE TABLE extra (x)", "THIS IS NOT SQL")));
        StoreException e = assertThrows(StoreException.class, () -> RunStore.open(home, Clock.systemUTC(), broken));
        assertTrue(e.getMessage().contains("migrate"), e.getMessage());
        try (RunStore store = RunStore.open(home)) {
            assertEquals(latest, store.schemaVersion());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve(RunStore.DATABASE_FILE))) {
            assertEquals(List.of("0"), query(c, "SELECT count(*) FROM sqlite_master WHERE name = 'extra'"));
        }
    }

    @Test
    void refusesAStoreFromANewerFreestone() {
        List<Migration> future = new ArrayList<>(Schema.MIGRATIONS);
        int next = Schema.latestVersion() + 1;
        future.add(new Migration(next, "future", List.of("CREATE TABLE future (x)")));
        RunStore.open(home, Clock.systemUTC(), future).close();
        StoreException e = assertThrows(StoreException.class, () -> RunStore.open(home));
        assertTrue(e.getMessage().contains("schema version " + next), e.getMessage());
        assertTrue(e.getMessage().contains("newer Freestone"), e.getMessage());
    }

    @Test
    void refusesAFileThatIsNotSqliteAndLeavesItAlone() throws Exception {
        Path db = home.resolve(RunStore.DATABASE_FILE);
        byte[] text = "these are my notes, not a database\n".repeat(20).getBytes(StandardCharsets.UTF_8);
        Files.write(db, text);
        StoreException e = assertThrows(StoreException.class, () -> RunStore.open(home));
        assertTrue(e.getMessage().contains("not a SQLite database"), e.getMessage());
        assertArrayEquals(text, Files.readAllBytes(db));
    }

    @Test
    void refusesSomeoneElsesSqliteDatabase() throws Exception {
        Path db = home.resolve(RunStore.DATABASE_FILE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE recipes (name TEXT)");
        }
        StoreException e = assertThrows(StoreException.class, () -> RunStore.open(home));
        assertTrue(e.getMessage().contains("not a Freestone run store"), e.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertEquals(List.of("recipes"), query(c, "SELECT name FROM sqlite_master WHERE type = 'table'"));
        }
    }

    @Test
    void aClosedStoreSaysSo() {
        RunStore store = RunStore.open(home);
        store.close();
        store.close();
        assertThrows(IllegalStateException.class, store::schemaVersion);
        assertFalse(Files.exists(home.resolve(RunStore.DATABASE_FILE + "-wal")), "the last close checkpoints the log");
    }

    /** Runs {@code sql} on the store's database as another program would, beside an open store. */
    private void execute(String sql) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve(RunStore.DATABASE_FILE));
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> query(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
