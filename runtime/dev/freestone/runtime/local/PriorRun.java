package dev.freestone.runtime.local;

import java.util.Map;

/**
 * What a resumed run needs of the run it resumes, as the store recorded it: the run id and the last
 * record of each of its tasks (by task id). Tasks that succeeded (or were cached) with the same cache
 * key as now are not run again; attempts still marked running name processes to kill.
 */
public record PriorRun(String runId, Map<String, TaskRecord> tasks) {
    public PriorRun {
        tasks = Map.copyOf(tasks);
    }
}
