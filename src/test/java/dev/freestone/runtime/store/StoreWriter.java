package dev.freestone.runtime.store;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The child process of the multi-process tests (a main class, not a test). It writes to the store
 * in {@code args[0]} and prints one line after each write has returned, so the parent knows what
 * was committed when it kills the child.
 *
 * <ul>
 *   <li>{@code run <label> <tasks>}: one run with that many tasks, then {@code done <runId>}</li>
 *   <li>{@code forever}: runs of 50 tasks without end; {@code task <runId> <taskId>} per task,
 *       {@code run <runId>} per finished run</li>
 *   <li>{@code artifacts}: random objects without end; {@code put <digest>} per object</li>
 * </ul>
 */
public final class StoreWriter {
    private StoreWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        switch (args[1]) {
            case "run" -> {
                try (RunStore store = RunStore.open(home)) {
                    String runId = writeRun(store, "p-" + args[2], Integer.parseInt(args[3]), out, false);
                    out.println("done " + runId);
                }
            }
            case "forever" -> {
                try (RunStore store = RunStore.open(home)) {
                    for (int i = 0; ; i++) {
                        out.println("run " + writeRun(store, "forever", 50, out, true));
                    }
                }
            }
            case "artifacts" -> {
                ArtifactStore artifacts = ArtifactStore.open(home.resolve("artifacts"));
                Random random = new Random();
                while (true) {
                    byte[] bytes = new byte[1 + random.nextInt(512 * 1024)];
                    random.nextBytes(bytes);
                    out.println("put " + artifacts.put(new ByteArrayInputStream(bytes)).digest());
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[1]);
        }
    }

    /** Writes a run the way the local engine does: each task pending, attempt, event, result. */
    static String writeRun(RunStore store, String pipeline, int tasks, PrintStream out, boolean reportTasks) {
        RunRecord run = store.createRun(NewRun.local(pipeline, "ir-hash", "p.pipe", "src-digest",
                Optional.empty(), "{\"n\":" + tasks + "}"));
        store.updateRunStatus(run.id(), RunStatus.Running, Optional.empty());
        long pid = ProcessHandle.current().pid();
        for (int i = 0; i < tasks; i++) {
            String taskId = "fit[" + i + "]";
            TaskRecord task = TaskRecord.pending(run.id(), taskId, "fit", "train");
            store.upsertTask(task);
            Instant start = Instant.now();
            store.startAttempt(AttemptRecord.started(run.id(), taskId, 1, start,
                    Optional.of(new OsProcess(pid, start)), Optional.of("logs/" + taskId)));
            store.appendEvent(run.id(), Optional.of(taskId), "task.started", "attempt 1");
            store.finishAttempt(run.id(), taskId, 1, Optional.of(0), Instant.now());
            TaskRecord done = task.started(start).withAttempts(1).withOutputs("{\"i\":" + i + "}")
                    .finished(TaskState.Succeeded, Optional.of(0), Instant.now(), Optional.empty());
            store.recordTaskResult(done, List.of(), List.of(new MetricRecord(run.id(), taskId, "accuracy", i / 1000.0)));
            if (reportTasks) {
                out.println("task " + run.id() + " " + taskId);
            }
        }
        store.updateRunStatus(run.id(), RunStatus.Succeeded, Optional.empty());
        return run.id();
    }
}
