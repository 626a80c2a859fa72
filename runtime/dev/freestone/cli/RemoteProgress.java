package dev.freestone.cli;

import dev.freestone.runtime.local.ProgressListener;
import dev.freestone.runtime.local.TaskState;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Feeds the local progress view from an Argo run: the backend records each task change in the
 * store and passes the event on; this turns {@code task.<state>} and {@code task.retry} events into
 * the engine's {@link ProgressListener.TaskChanged}, reading attempts, times and message from the
 * task's row, so that {@code submit --wait} and {@code watch} look like a local {@code run}.
 */
final class RemoteProgress implements Consumer<EventRecord> {
    private final ProgressListener view;
    private final RunStore store;
    private final Map<String, TaskState> last = new HashMap<>();

    RemoteProgress(ProgressListener view, RunStore store) {
        this.view = view;
        this.store = store;
    }

    @Override
    public void accept(EventRecord e) {
        if (e.taskId().isEmpty() || !e.kind().startsWith("task.")) {
            return;
        }
        String taskId = e.taskId().get();
        Optional<TaskRecord> row = store.task(e.runId(), taskId);
        TaskState to = row.map(r -> TaskState.of(r.state())).orElse(null);
        if (to == null) {
            return;
        }
        if (e.kind().equals("task.waiting") && to == TaskState.PENDING) {
            // news of a task that stays Pending, as the engine gives it: it waits for a mutex
            last.put(taskId, to);
            view.onEvent(new ProgressListener.TaskChanged(e.runId(), taskId, to, to, 0, Duration.ZERO,
                    row.get().message().orElse(null), row.get().items()));
            return;
        }
        // a retry is a new attempt in the same state: shown again, with its attempt number
        if (to == last.get(taskId) && !e.kind().equals("task.retry")) {
            return;
        }
        TaskRecord r = row.get();
        Duration elapsed = r.startedAt()
                .map(s -> Duration.between(s, r.finishedAt().orElse(Instant.now())))
                .filter(d -> !d.isNegative()).orElse(Duration.ZERO);
        view.onEvent(new ProgressListener.TaskChanged(e.runId(), taskId, last.put(taskId, to), to, r.attempts(),
                elapsed, r.message().orElse(null), r.items()));
    }
}
