package dev.freestone.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreRecordsTest {
    private static final String SHA_A = "a".repeat(64);

    @TempDir
    Path home;

    private final TestClock clock = new TestClock("2026-11-26T08:15:00.123Z");
    private RunStore store;

    @BeforeEach
    void open() {
        store = RunStore.open(home, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private RunRecord newRun(String pipeline) {
        return store.createRun(NewRun.local(pipeline, "ir-sha", pipeline + ".pipe", "src-sha",
                Optional.of("0123456789abcdef0123456789abcdef01234567"), "{\"rates\":[0.1,0.03]}"));
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void runsRoundTrip() {
        RunRecord created = newRun("iris");
        assertTrue(RunIds.FORMAT.matcher(created.id()).matches(), created.id());
        assertTrue(created.id().startsWith("run-20261126-081500-"), created.id());
        assertEquals(RunStatus.Pending, created.status());
        assertEquals(at("2026-11-26T08:15:00.123Z"), created.startedAt());
        assertEquals(new RunLookup.Found(created.id(), created), store.getRun(created.id()));

        store.updateRunStatus(created.id(), RunStatus.Running, Optional.empty());
        clock.set("2026-11-26T08:16:30.500Z");
        store.updateRunStatus(created.id(), RunStatus.Failed, Optional.of("task fit[1] failed"));
        RunRecord failed = found(created.id());
        assertEquals(RunStatus.Failed, failed.status());
        assertEquals(Optional.of(at("2026-11-26T08:16:30.500Z")), failed.finishedAt());
        assertEquals(Optional.of("task fit[1] failed"), failed.message());
        // a resumed run is running again and not finished
        store.updateRunStatus(created.id(), RunStatus.Running, Optional.empty());
        assertEquals(Optional.empty(), found(created.id()).finishedAt());

        RunRecord remote = store.createRun(new NewRun("iris", "ir-sha", "iris.pipe", "src-sha", Optional.empty(),
                "{}", Backend.Argo, Optional.empty()));
        assertEquals(Optional.empty(), found(remote.id()).remote());
        store.setRemoteRef(remote.id(), new RemoteRef("kubeflow", "iris-x7k2p"));
        RunRecord mirrored = found(remote.id());
        assertEquals(Backend.Argo, mirrored.backend());
        assertEquals(Optional.of(new RemoteRef("kubeflow", "iris-x7k2p")), mirrored.remote());
        assertEquals(Optional.empty(), mirrored.gitCommit());

        assertThrows(IllegalArgumentException.class,
                () -> store.updateRunStatus("run-20000101-000000-0000", RunStatus.Failed, Optional.empty()));
    }

    @Test
    void paramsMustBeJson() {
        StoreException e = assertThrows(StoreException.class, () -> store.createRun(
                NewRun.local("iris", "v", "iris.pipe", "d", Optional.empty(), "{not json")));
        assertTrue(e.getMessage().contains("CHECK"), e.getMessage());
        assertEquals(List.of(), store.listRuns(Optional.empty(), 0));
    }

    @Test
    void listsNewestFirstWithFilterAndLimit() {
        RunRecord a = newRun("iris");
        clock.set("2026-11-26T09:00:00Z");
        RunRecord b = newRun("mnist");
        clock.set("2026-11-26T10:00:00Z");
        RunRecord c = newRun("iris");
        assertEquals(List.of(c, b, a), store.listRuns(Optional.empty(), 0));
        assertEquals(List.of(c, a), store.listRuns(Optional.of("iris"), 10));
        assertEquals(List.of(c), store.listRuns(Optional.empty(), 1));
        assertEquals(List.of(), store.listRuns(Optional.of("nope"), 5));
    }

    @Test
    void runIdsAcceptAUniquePrefix() {
        RunRecord first = newRun("iris");
        RunRecord second = newRun("iris");
        clock.set("2026-11-27T10:00:00Z");
        RunRecord third = newRun("iris");

        assertEquals(new RunLookup.Found("run-20261127", third), store.getRun("run-20261127"));
        assertEquals(new RunLookup.Found(first.id(), first), store.getRun(first.id()));

        RunLookup ambiguous = store.getRun("run-20261126");
        RunLookup.Ambiguous a = assertInstanceOf(RunLookup.Ambiguous.class, ambiguous);
        assertEquals(List.of(first.id(), second.id()).stream().sorted().toList(), a.candidates());
        assertEquals(2, a.count());
        assertTrue(a.message().startsWith("run id `run-20261126` is ambiguous: it matches run-20261126-081500-"),
                a.message());

        assertEquals(new RunLookup.NotFound("run-2099"), store.getRun("run-2099"));
        assertEquals("no run matches `run-2099`", store.getRun("run-2099").message());
        assertEquals(new RunLookup.NotFound(""), store.getRun(""));
        assertEquals(new RunLookup.NotFound("RUN-2026"), store.getRun("RUN-2026"));
        assertEquals(new RunLookup.NotFound("run-%"), store.getRun("run-%"));
    }

    @Test
    void ambiguousAnswersListAFewAndCountAll() {
        for (int i = 0; i < RunStore.AMBIGUOUS_SHOWN + 3; i++) {
            newRun("iris");
        }
        RunLookup.Ambiguous a = assertInstanceOf(RunLookup.Ambiguous.class, store.getRun("run-"));
        assertEquals(RunStore.AMBIGUOUS_SHOWN, a.candidates().size());
        assertEquals(RunStore.AMBIGUOUS_SHOWN + 3, a.count());
        assertTrue(a.message().endsWith(" and 3 more"), a.message());
    }

    @Test
    void tasksRoundTripAndAttemptCountsNeverGoDown() {
        String runId = newRun("iris").id();
        TaskRecord pending = TaskRecord.pending(runId, "outer[0]/inner[1]", "inner", "train");
        store.upsertTask(pending);
        TaskRecord loop = TaskRecord.pending(runId, "fit[2]", "fit", "train");
        store.upsertTask(loop);
        assertEquals(List.of(pending, loop), store.tasks(runId));

        TaskRecord done = pending.withCacheKey("key-1").withAttempts(3).withOutputs("{\"accuracy\":0.93}")
                .started(at("2026-11-26T08:15:01.001Z"))
                .finished(TaskState.Failed, Optional.of(137), at("2026-11-26T08:15:09.999Z"), Optional.of("killed"));
        store.upsertTask(done);
        assertEquals(Optional.of(done), store.task(runId, "outer[0]/inner[1]"));

        store.upsertTask(done.withAttempts(1));
        assertEquals(3, store.task(runId, "outer[0]/inner[1]").orElseThrow().attempts());
        assertEquals(Optional.empty(), store.task(runId, "nope"));

        TaskRecord cached = loop.withState(TaskState.Cached);
        store.upsertTask(cached);
        assertTrue(store.task(runId, "fit[2]").orElseThrow().cached());
        assertEquals(List.of(done, cached), store.tasks(runId));

        assertThrows(StoreException.class, () -> store.upsertTask(loop.withOutputs("[oops")));
    }

    @Test
    void attemptsRoundTrip() {
        String runId = newRun("iris").id();
        store.upsertTask(TaskRecord.pending(runId, "fit[0]", "fit", "train"));
        OsProcess self = OsProcess.of(ProcessHandle.current()).orElseThrow();
        AttemptRecord first = AttemptRecord.started(runId, "fit[0]", 1, at("2026-11-26T08:15:01Z"),
                Optional.of(self), Optional.of("logs/fit[0].1.log"));
        store.startAttempt(first);
        store.finishAttempt(runId, "fit[0]", 1, Optional.of(1), at("2026-11-26T08:15:02Z"));
        AttemptRecord second = AttemptRecord.started(runId, "fit[0]", 2, at("2026-11-26T08:15:12Z"),
                Optional.empty(), Optional.empty());
        store.startAttempt(second);

        AttemptRecord firstDone = new AttemptRecord(runId, "fit[0]", 1, Optional.of(self), first.startedAt(),
                Optional.of(at("2026-11-26T08:15:02Z")), Optional.of(1), first.logPath());
        assertEquals(List.of(firstDone, second), store.attempts(runId, "fit[0]"));
        assertEquals(List.of(firstDone, second), store.attempts(runId));
        assertEquals(2, store.task(runId, "fit[0]").orElseThrow().attempts());
        // an orphan found at resume has no exit code
        store.finishAttempt(runId, "fit[0]", 2, Optional.empty(), at("2026-11-26T08:20:00Z"));
        assertEquals(Optional.empty(), store.attempts(runId, "fit[0]").get(1).exitCode());
        assertThrows(IllegalArgumentException.class,
                () -> store.finishAttempt(runId, "fit[0]", 3, Optional.of(0), at("2026-11-26T08:20:00Z")));

        // the stored process identifies this live process, and no other
        OsProcess stored = store.attempts(runId, "fit[0]").get(0).process().orElseThrow();
        assertEquals(Optional.of(ProcessHandle.current().pid()), stored.live().map(ProcessHandle::pid));
        assertEquals(Optional.empty(), new OsProcess(stored.pid(), stored.startedAt().minusSeconds(5)).live());
        // another JVM may read the start a second off (the boot time it adds has a resolution of a second)
        assertEquals(Optional.of(ProcessHandle.current().pid()),
                new OsProcess(stored.pid(), stored.startedAt().minusSeconds(1)).live().map(ProcessHandle::pid));
        assertTrue(stored.startedAt(stored.startedAt().plusMillis(1_000)));
        assertFalse(stored.startedAt(stored.startedAt().plusMillis(3_000)));
    }

    @Test
    void eventsAreAppendedInOrder() {
        String runId = newRun("iris").id();
        store.upsertTask(TaskRecord.pending(runId, "fit[0]", "fit", "train"));
        EventRecord e1 = store.appendEvent(runId, Optional.empty(), "run.started", "2 tasks");
        clock.set("2026-11-26T08:15:05Z");
        EventRecord e2 = store.appendEvent(runId, Optional.of("fit[0]"), "task.retry", "exit 1, retrying in 10s");
        assertTrue(e2.seq() > e1.seq());
        assertEquals(at("2026-11-26T08:15:05Z"), e2.at());
        assertEquals(List.of(e1, e2), store.events(runId));
        assertEquals(List.of(e2), store.events(runId, e1.seq()));
        assertEquals(List.of(), store.events("run-20000101-000000-0000"));
    }

    @Test
    void artifactsLineageAndMetricsRoundTrip() throws Exception {
        String runId = newRun("iris").id();
        store.upsertTask(TaskRecord.pending(runId, "split", "split", "split"));
        store.upsertTask(TaskRecord.pending(runId, "fit[0]", "fit", "train"));
        store.upsertTask(TaskRecord.pending(runId, "fit[1]", "fit", "train"));
        StoredArtifact train = store.artifacts().put(bytes("a,b\n1,2\n"));
        ArtifactRecord local = ArtifactRecord.local(runId, "split", "train", "Dataset", train);
        ArtifactRecord remote = new ArtifactRecord(runId, "split", "test", Optional.empty(), Optional.empty(),
                "Dataset", "s3://bucket/iris/test.csv");
        store.recordArtifact(local);
        store.recordArtifact(remote);
        assertEquals(List.of(local, remote), store.artifacts(runId));
        // recording an output again replaces it
        ArtifactRecord replaced = new ArtifactRecord(runId, "split", "test", Optional.of(SHA_A), Optional.of(4L),
                "Dataset", "s3://bucket/iris/test-2.csv");
        store.recordArtifact(replaced);
        assertEquals(List.of(local, replaced), store.artifacts(runId));

        LineageRecord in0 = LineageRecord.of(runId, "fit[0]", "train", local);
        LineageRecord in1 = LineageRecord.of(runId, "fit[1]", "train", local);
        LineageRecord fanIn = new LineageRecord(runId, "fit[1]", "extra", Optional.empty(), "s3://bucket/x");
        store.recordLineage(in0);
        store.recordLineage(in1);
        store.recordLineage(fanIn);
        store.recordLineage(in0);
        assertEquals(List.of(in0, in1, fanIn), store.lineage(runId));

        List<MetricRecord> metrics = List.of(
                new MetricRecord(runId, "fit[0]", "accuracy", 0.93),
                new MetricRecord(runId, "fit[0]", "loss", Double.NaN),
                new MetricRecord(runId, "fit[1]", "loss", Double.POSITIVE_INFINITY),
                new MetricRecord(runId, "fit[1]", "tiny", -1.5e-300));
        metrics.forEach(store::recordMetric);
        assertEquals(metrics, store.metrics(runId));
        store.recordMetric(new MetricRecord(runId, "fit[0]", "accuracy", 0.95));
        assertEquals(0.95, store.metrics(runId).get(0).value());
    }

    /**
     * What `lineage` asks: who produced and who consumed an artifact, by digest, and a remote one (no digest) by its
     * location; the asking run's producer first, then the earliest run's.
     */
    @Test
    void producersAndConsumersByDigestOrLocation() throws Exception {
        String older = newRun("iris").id();
        clock.set("2026-11-26T09:00:00.000Z");
        String newer = newRun("iris").id();
        StoredArtifact data = store.artifacts().put(bytes("a,b\n"));
        for (String run : List.of(older, newer)) {
            store.upsertTask(TaskRecord.pending(run, "split", "split", "split"));
            store.upsertTask(TaskRecord.pending(run, "fit", "fit", "train"));
            store.recordArtifact(ArtifactRecord.local(run, "split", "train", "Dataset", data));
            store.recordArtifact(new ArtifactRecord(run, "fit", "model", Optional.empty(), Optional.empty(), "Artifact",
                    "s3://bucket/" + run + "/model"));
            store.recordLineage(new LineageRecord(run, "fit", "data", Optional.empty(), "s3://bucket/shared/data"));
        }
        store.recordLineage(LineageRecord.of(newer, "fit", "train", store.artifacts(newer, "split").get(0)));
        Optional<String> digest = Optional.of(data.digest());
        String uri = ArtifactRecord.uriOf(data);
        assertEquals(List.of(older, newer), store.producers(digest, uri, null, 0).stream().map(ArtifactRecord::runId).toList());
        assertEquals(List.of(newer), store.producers(digest, uri, newer, 1).stream().map(ArtifactRecord::runId).toList());
        // a digest-less artifact by its location alone; a local one is not found by location
        assertEquals(List.of("fit"), store.producers(Optional.empty(), "s3://bucket/" + newer + "/model", null, 0).stream()
                .map(ArtifactRecord::taskId).toList());
        assertEquals(List.of(), store.producers(Optional.empty(), uri, null, 0));
        assertEquals(List.of(newer + "/train"), store.consumers(digest, uri).stream().map(l -> l.runId() + "/" + l.inputName())
                .toList());
        assertEquals(List.of(older, newer), store.consumers(Optional.empty(), "s3://bucket/shared/data").stream()
                .map(LineageRecord::runId).toList());
        assertEquals(List.of("data", "train"), store.inputs(newer, "fit").stream().map(LineageRecord::inputName).toList());
    }

    @Test
    void aTaskResultIsWrittenWholeOrNotAtAll() {
        String runId = newRun("iris").id();
        TaskRecord task = TaskRecord.pending(runId, "fit[0]", "fit", "train");
        store.upsertTask(task);
        TaskRecord done = task.finished(TaskState.Succeeded, Optional.of(0), at("2026-11-26T08:16:00Z"), Optional.empty());
        ArtifactRecord good = new ArtifactRecord(runId, "fit[0]", "model", Optional.of(SHA_A), Optional.of(3L), "Model", "u");
        ArtifactRecord bad = new ArtifactRecord(runId, "fit[0]", "other", Optional.of(SHA_A), Optional.of(-1L), "Model", "u");
        assertThrows(StoreException.class, () -> store.recordTaskResult(done, List.of(good, bad), List.of()));
        assertEquals(Optional.of(task), store.task(runId, "fit[0]"));
        assertEquals(List.of(), store.artifacts(runId));

        MetricRecord elsewhere = new MetricRecord(runId, "fit[1]", "accuracy", 1);
        assertThrows(IllegalArgumentException.class, () -> store.recordTaskResult(done, List.of(), List.of(elsewhere)));

        MetricRecord accuracy = new MetricRecord(runId, "fit[0]", "accuracy", 0.9);
        store.recordTaskResult(done, List.of(good), List.of(accuracy));
        assertEquals(Optional.of(done), store.task(runId, "fit[0]"));
        assertEquals(List.of(good), store.artifacts(runId));
        assertEquals(List.of(accuracy), store.metrics(runId));
    }

    @Test
    void theCacheFindsTheLatestSuccessWhoseArtifactsStillExist() throws Exception {
        assertEquals(Optional.empty(), store.findCached("k"));

        // run 1: succeeded, its model is in the artifact store
        String run1 = newRun("iris").id();
        StoredArtifact model = store.artifacts().put(bytes("model-1"));
        TaskRecord t1 = succeeded(run1, "k", "2026-11-26T08:16:00Z");
        ArtifactRecord a1 = ArtifactRecord.local(run1, "fit", "model", "Model", model);
        store.recordTaskResult(t1, List.of(a1), List.of());
        assertEquals(Optional.of(new CachedResult(t1, List.of(a1))), store.findCached("k"));

        // run 2: newer, but its artifact is gone (or was remote): not a hit
        clock.set("2026-11-26T09:00:00Z");
        String run2 = newRun("iris").id();
        store.recordTaskResult(succeeded(run2, "k", "2026-11-26T09:01:00Z"),
                List.of(new ArtifactRecord(run2, "fit", "model", Optional.of(SHA_A), Optional.of(1L), "Model", "u")),
                List.of());
        String run3 = newRun("iris").id();
        store.recordTaskResult(succeeded(run3, "k", "2026-11-26T09:02:00Z"),
                List.of(new ArtifactRecord(run3, "fit", "model", Optional.empty(), Optional.empty(), "Model", "s3://b/m")),
                List.of());
        // run 4: newer still, but failed
        String run4 = newRun("iris").id();
        store.upsertTask(succeeded(run4, "k", "2026-11-26T09:03:00Z").withState(TaskState.Failed));
        assertEquals(Optional.of(new CachedResult(t1, List.of(a1))), store.findCached("k"));

        // run 5: newest success, present, with only parameter outputs
        String run5 = newRun("iris").id();
        TaskRecord t5 = succeeded(run5, "k", "2026-11-26T09:04:00Z").withOutputs("{\"n\":3}");
        store.recordTaskResult(t5, List.of(), List.of());
        assertEquals(Optional.of(new CachedResult(t5, List.of())), store.findCached("k"));
        assertEquals(Optional.empty(), store.findCached("other-key"));
    }

    @Test
    void threadsMayShareOneStore() throws Exception {
        String runId = newRun("iris").id();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        String taskId = "w" + worker + "[" + i + "]";
                        store.upsertTask(TaskRecord.pending(runId, taskId, "w", "c"));
                        store.appendEvent(runId, Optional.of(taskId), "task.started", "");
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(200, store.tasks(runId).size());
        assertEquals(200, store.events(runId).size());
    }

    private TaskRecord succeeded(String runId, String key, String finished) {
        return TaskRecord.pending(runId, "fit", "fit", "train").withCacheKey(key)
                .finished(TaskState.Succeeded, Optional.of(0), at(finished), Optional.empty());
    }

    private RunRecord found(String runId) {
        return assertInstanceOf(RunLookup.Found.class, store.getRun(runId)).run();
    }

    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
