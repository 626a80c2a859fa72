package dev.freestone.cli;

import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which commands list a run's tasks: by task id, path segment by path segment (a called
 * pipeline's steps right after its call, {@code z}, {@code z/a}), loop indices as numbers
 * ({@code f[2]} before {@code f[10]}, the unexpanded {@code f[*]} last). The store keeps tasks in the
 * order they were first recorded, which depends on timing; listings should not.
 */
final class TaskOrder {
    static final Comparator<String> BY_ID = TaskOrder::compare;

    private TaskOrder() {
    }

    /** The run's tasks in this order. */
    static List<TaskRecord> tasks(RunStore store, String runId) {
        return store.tasks(runId).stream().sorted(Comparator.comparing(TaskRecord::taskId, BY_ID)).toList();
    }

    /** The loop items of each of the run's tasks, by task id (none for a task that is no iteration). */
    static Map<String, List<LoopItem>> items(RunStore store, String runId) {
        Map<String, List<LoopItem>> items = new HashMap<>();
        store.tasks(runId).forEach(t -> items.put(t.taskId(), t.items()));
        return items;
    }

    /**
     * Whether a task id is an iteration of the loop step {@code step} names without an index ({@code fit}:
     * {@code fit[0]}, {@code fit[1]}, {@code fit[0][1]} in a nested loop, {@code fit[*]} for a loop that never
     * expanded): what a command given a TASK the run has no task of takes it for (`logs RUN fit`, `cp --task fit`).
     */
    static java.util.function.Predicate<String> iterationOf(String step) {
        return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(step) + "(\\[([0-9]+|\\*)\\])+").asMatchPredicate();
    }

    /**
     * The tasks inside the tasks {@code caller} picks: what a called pipeline's task ({@code a}, {@code sub[0]}) ran,
     * {@code a/norm}, {@code sub[0]/fit[1]}, at any depth.
     */
    static java.util.function.Predicate<String> inside(java.util.function.Predicate<String> caller) {
        return id -> {
            for (int slash = id.indexOf('/'); slash > 0; slash = id.indexOf('/', slash + 1)) {
                if (caller.test(id.substring(0, slash))) {
                    return true;
                }
            }
            return false;
        };
    }

    /** A task id without its loop indexes: the step it is an iteration of ({@code fit[2]} is {@code fit}). */
    static String stepOf(String taskId) {
        return taskId.replaceAll("\\[([0-9]+|\\*)\\]", "");
    }

    /** The error for a TASK that names neither a task of the run nor a loop's step, with the closest id. */
    static UserError noTask(RunStore store, String runId, String task) {
        List<String> ids = tasks(store, runId).stream().map(TaskRecord::taskId).toList();
        // a loop's step is named without its index (`fit` for fit[0], fit[1]): `fitt` means it
        List<String> names = new java.util.ArrayList<>(new java.util.LinkedHashSet<>(ids.stream().map(TaskOrder::stepOf).toList()));
        names.addAll(ids);
        return new UserError("run " + runId + " has no task `" + task + "`",
                dev.freestone.diag.DidYouMean.help(task, names, "its tasks are: " + String.join(", ", ids)));
    }

    static int compare(String a, String b) {
        String[] as = a.split("/", -1);
        String[] bs = b.split("/", -1);
        for (int i = 0; i < Math.min(as.length, bs.length); i++) {
            int c = compareSegment(as[i], bs[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(as.length, bs.length);
    }

    /** {@code name[i][j]}: the name as text, then the indices as numbers. */
    private static int compareSegment(String a, String b) {
        int ai = a.indexOf('[');
        int bi = b.indexOf('[');
        String an = ai < 0 ? a : a.substring(0, ai);
        String bn = bi < 0 ? b : b.substring(0, bi);
        int c = an.compareTo(bn);
        if (c != 0) {
            return c;
        }
        long[] ax = indices(ai < 0 ? "" : a.substring(ai));
        long[] bx = indices(bi < 0 ? "" : b.substring(bi));
        c = java.util.Arrays.compare(ax, bx);
        return c != 0 ? c : a.compareTo(b);
    }

    /** {@code [2][10]} as 2, 10; {@code [*]} (or anything not a number) after every number. */
    private static long[] indices(String brackets) {
        if (brackets.isEmpty()) {
            return new long[0];
        }
        if (brackets.length() < 2 || !brackets.endsWith("]")) {
            return new long[] {Long.MAX_VALUE}; // not an id the engine makes: after the others, by text
        }
        String[] parts = brackets.substring(1, brackets.length() - 1).split("\\]\\[", -1);
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException notANumber) {
                out[i] = Long.MAX_VALUE;
            }
        }
        return out;
    }
}
