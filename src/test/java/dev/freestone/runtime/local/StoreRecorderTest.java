package dev.freestone.runtime.local;

import static dev.freestone.runtime.local.IrFixture.component;
import static dev.freestone.runtime.local.IrFixture.dag;
import static dev.freestone.runtime.local.IrFixture.inputs;
import static dev.freestone.runtime.local.IrFixture.json;
import static dev.freestone.runtime.local.IrFixture.out;
import static dev.freestone.runtime.local.IrFixture.output;
import static dev.freestone.runtime.local.IrFixture.param;
import static dev.freestone.runtime.local.IrFixture.paramRef;
import static dev.freestone.runtime.local.IrFixture.path;
import static dev.freestone.runtime.local.IrFixture.program;
import static dev.freestone.runtime.local.IrFixture.str;
import static dev.freestone.runtime.local.IrFixture.task;
import static dev.freestone.runtime.local.IrFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.ir.Ir;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.AttemptRecord;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.NewRun;
import dev.freestone.runtime.store.RunLookup;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The engine recording into a real run store (SQLite): tasks, attempts, artifacts, lineage, metrics, cache, resume. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreRecorderTest {
    @TempDir
    Path home;

    static final Ir.Component MAKE = component("make").in("x", "Int").out("data", "Dataset").out("m", "Metrics").out("n", "Int")
            .sh("seq 1 \"$0\" > \"$1\"; echo '{\"accuracy\": 0.5}' > \"$2\"; echo \"$0\" > \"$3\"",
                    value("x"), output("data"), output("m"), output("n")).build();
    static final Ir.Component USE = component("use").in("data", "Dataset").in("flag", "String").out("lines", "Int")
            .sh("test -f \"$1\" || exit 4; wc -l < \"$0\" > \"$2\"", path("data"), value("flag"), output("lines")).build();

    static Ir.Program pipeline(Path flag) {
        return program(dag("stored", List.of(param("x", "Int")), List.of(
                task("make", MAKE, inputs("x", paramRef("x", "Int"))),
                task("use", USE, inputs("data", out("make", "data", "Dataset"), "flag", str(flag.toString())), "make"))),
                MAKE, USE);
    }

    static String newRun(RunStore store, String params) {
        return store.createRun(NewRun.local("stored", "v1", "test.pipe", "0".repeat(64), Optional.empty(), params)).id();
    }

    static List<String> eventKinds(RunStore store, String runId, String taskId) {
        return store.events(runId).stream().filter(e -> e.taskId().equals(Optional.of(taskId))).map(EventRecord::kind).toList();
    }

    @Test
    void theCacheSeesWhatTheWriterHasNotCommittedWithoutWaitingForIt() throws Exception {
        try (RunStore store = RunStore.open(home)) {
            StoreRecorder recorder = new StoreRecorder(store);
            String run = newRun(store, "{}");
            String key = "sha256:" + "ab".repeat(32);
            java.time.Instant now = java.time.Instant.now();
            TaskRecord done = new TaskRecord(run, "make", "make", "component", "make", "sha256:" + "cd".repeat(32),
                    "alpine:3.20", dev.freestone.runtime.local.TaskState.SUCCEEDED,
                    List.of(), now, now, new java.util.TreeMap<>(Map.of("x", json(3))),
                    new java.util.TreeMap<>(Map.of("n", json(3))),
                    new TaskRecord.CacheInfo(key, "sha256:" + "cd".repeat(32), new java.util.TreeMap<>(),
                            TaskRecord.CacheDecision.MISS, "no earlier execution with this key", null, null),
                    List.of(), null);
            // another process holds the store's write lock: the writer cannot commit for a while
            try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store.databaseFile());
                 java.sql.Statement st = other.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
                recorder.taskChanged(done);
                long asked = System.nanoTime();
                Optional<TaskRecord> hit = recorder.findCached(key);
                long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
                assertEquals(Optional.of(done), hit, "the succeeded task not yet in the store is a hit");
                assertTrue(recorder.findCached("sha256:" + "ef".repeat(32)).isEmpty());
                // it did not wait for the commit, which cannot happen before the lock is released below
                assertTrue(waitedMs < 1_000, "the lookup waited " + waitedMs + " ms for the writer");
                Thread.sleep(300);
                st.execute("ROLLBACK");
            }
            recorder.flush();
            TaskRecord stored = recorder.findCached(key).orElseThrow();
            assertEquals(run, stored.runId());
            assertEquals(done.outputs(), stored.outputs(), "the same hit from the store once committed");
        }
    }

    @Test
    void runsAreRecordedServeTheCacheAndResume(@TempDir Path scratch) throws Exception {
        Path flag = scratch.resolve("flag");
        Files.writeString(flag, "");
        try (RunStore store = RunStore.open(home)) {
            StoreRecorder recorder = new StoreRecorder(store);
            EngineOptions options = EngineOptions.defaults().withHome(home).withParallelism(2)
                    .withKillGrace(Duration.ofSeconds(1)).withExplainCache(true);
            LocalEngine engine = new LocalEngine(options, recorder, recorder.artifacts());
            Ir.Program p = pipeline(flag);
            assertEquals(List.of(), engine.check(p, Map.of("x", json(3))));

            String first = newRun(store, "{\"x\":3}");
            RunOutcome o = engine.run(p, Map.of("x", json(3)), first);

            assertEquals(RunStatus.Succeeded, ((RunLookup.Found) store.getRun(first)).run().status(), o.message());
            assertEquals(List.of(TaskState.Succeeded, TaskState.Succeeded),
                    store.tasks(first).stream().map(dev.freestone.runtime.store.TaskRecord::state).toList());
            assertEquals("{\"n\":3}", store.task(first, "make").orElseThrow().outputsJson());
            assertEquals("{\"lines\":3}", store.task(first, "use").orElseThrow().outputsJson());
            AttemptRecord attempt = store.attempts(first, "make").get(0);
            assertTrue(attempt.process().isPresent() && attempt.isFinished() && attempt.exitCode().equals(Optional.of(0)));
            ArtifactRecord data = store.artifacts(first).stream().filter(a -> a.outputName().equals("data")).findFirst().orElseThrow();
            assertEquals("Dataset", data.type());
            assertEquals("1\n2\n3\n", Files.readString(Path.of(java.net.URI.create(data.uri()))));
            assertEquals(data.digest(), store.lineage(first).stream().filter(l -> l.taskId().equals("use")).findFirst()
                    .orElseThrow().digest());
            assertEquals(0.5, store.metrics(first).get(0).value());
            assertTrue(eventKinds(store, first, "make").containsAll(List.of("cache.key", "cache.miss")));

            String second = newRun(store, "{\"x\":3}");
            engine.run(p, Map.of("x", json(3)), second);
            assertEquals(TaskState.Cached, store.task(second, "make").orElseThrow().state());
            assertEquals(TaskState.Cached, store.task(second, "use").orElseThrow().state());
            assertTrue(eventKinds(store, second, "make").contains("cache.hit"));
            assertEquals(data.digest(), store.artifacts(second).stream().filter(a -> a.outputName().equals("data"))
                    .findFirst().orElseThrow().digest(), "a cached task records the outputs it reused");

            // a changed input misses, says which, and the consumer then fails (no flag)
            Files.delete(flag);
            String third = newRun(store, "{\"x\":4}");
            RunOutcome broken = engine.run(p, Map.of("x", json(4)), third);
            assertEquals(RunStatus.Failed, ((RunLookup.Found) store.getRun(third)).run().status());
            assertEquals("input `x` changed since run " + second, store.events(third).stream()
                    .filter(e -> e.kind().equals("cache.miss") && e.taskId().equals(Optional.of("make")))
                    .findFirst().orElseThrow().message());
            assertTrue(store.task(third, "use").orElseThrow().message().orElseThrow().contains("exited with code 4"));
            assertEquals(dev.freestone.runtime.local.RunStatus.FAILED, broken.status());

            // resume: make is reused from the recorded run, use runs again
            Files.writeString(flag, "");
            String fourth = newRun(store, "{\"x\":4}");
            RunOutcome resumed = new LocalEngine(options.withNoCache(true), recorder, recorder.artifacts())
                    .resume(p, Map.of("x", json(4)), recorder.prior(third), fourth);
            assertEquals(dev.freestone.runtime.local.RunStatus.SUCCEEDED, resumed.status(), resumed.message());
            assertEquals(TaskRecord.CacheDecision.RESUMED, resumed.task("make").cache().decision());
            assertEquals(4, resumed.task("use").outputs().get("lines").asInt());
            assertTrue(store.attempts(fourth, "make").isEmpty());
        }
    }
}
