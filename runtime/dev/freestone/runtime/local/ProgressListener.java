package dev.freestone.runtime.local;

import dev.freestone.runtime.store.LoopItem;
import java.time.Duration;
import java.util.List;

/**
 * Live events for a progress view (the CLI's). Called from engine threads; must be quick and
 * thread-safe. Nothing the engine needs depends on it.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = event -> { };

    void onEvent(Event event);

    sealed interface Event permits RunStarted, RunWaiting, TaskChanged, RunFinished {
    }

    record RunStarted(String runId, String pipeline) implements Event {
    }

    /**
     * A task changed state ({@code from} is null the first time it is seen), or has news while its state
     * stays ({@code from} equals {@code to}: an attempt failed and the step will be retried, the message
     * says so). {@code elapsed} is the time since the task started running (zero before, and for news),
     * {@code attempt} the current attempt number (0 before the first), {@code items} the loop items the task runs
     * with (none outside loops).
     */
    record TaskChanged(String runId, String taskId, TaskState from, TaskState to, int attempt, Duration elapsed,
                       String message, List<LoopItem> items) implements Event {
        public TaskChanged {
            items = List.copyOf(items);
        }
    }

    /** The run waits, before its first step, for a mutex of its pipeline's: {@code message} says which, and who holds it. */
    record RunWaiting(String runId, String message) implements Event {
    }

    record RunFinished(String runId, RunStatus status, Duration elapsed) implements Event {
    }
}
