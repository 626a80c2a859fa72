package dev.freestone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.runtime.local.StoreRecorder;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.MetricRecord;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import dev.freestone.runtime.store.TaskState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Two runs compared task by task: which steps ran other code or other inputs, and which came out otherwise. What a
 * metric that moved between two runs is read against (MLflow and KFP compare parameters and metrics; the store
 * also knows each step's component and inputs, by digest).
 */
@Command(name = "diff", mixinStandardHelpOptions = true, description = {
    "Compare two runs task by task: what ran differently and what came out differently.",
    "First the runs (pipeline version, status, source and git commit, where they differ) and the parameters they differ"
        + " in; then each task that differs: its state in each run and what changed, in the words of"
        + " `run --explain-cache` (the component changed, input `lr` changed), then outputs, artifacts and metrics that"
        + " came out otherwise (`output acc 0.91 -> 0.87`, `artifact model: other content`), `only in RUN` for a task"
        + " one run has. Tasks with the same component, inputs and results are counted, not listed (--all lists them)."
        + " Inputs are compared by digest: a local run records them, an Argo run does not (its tasks are compared by"
        + " their results). Exit status 0 whether or not the runs differ."})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = Cli.RUN_ID)
    String first;

    @Parameters(index = "1", paramLabel = "OTHER", description = "The run to compare it with.")
    String second;

    @Option(names = "--all", description = "List the tasks that are alike too.")
    boolean all;

    @Option(names = "--output", defaultValue = "text", description = "text or json: {runs, params, tasks: [{id, states,"
            + " changes}], alike}.")
    Cli.Format output;

    /** One task of either run, compared: its state in each (null where the run has none), what differs. */
    record Compared(String id, TaskRecord a, TaskRecord b, List<String> changes) {
        boolean alike() {
            return changes.isEmpty();
        }
    }

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = StandardOut.forText(spec.commandLine().getOut(), output);
        try (RunStore store = Cli.openStore()) {
            RunRecord a = Cli.findRun(store, first);
            RunRecord b = Cli.findRun(store, second);
            if (a.id().equals(b.id())) {
                throw new UserError("`" + first + "` and `" + second + "` are the same run, " + a.id(),
                        "name two runs: `freestone runs` lists them");
            }
            List<Compared> tasks = compare(store, a, b);
            if (output == Cli.Format.json) {
                out.println(Cli.json(json(store, a, b, tasks)));
            } else {
                List<String[]> values = new ArrayList<>(MetricsCommand.differentParams(store, List.of(a, b)));
                Map<String, JsonNode[]> outputs = differing(outputs(store, a), outputs(store, b));
                if (!outputs.isEmpty()) {
                    values.add(new String[] {"OUTPUT", a.id(), b.id()});
                    outputs.forEach((name, v) -> values.add(new String[] {name, value(v[0]), value(v[1])}));
                    values.add(new String[] {"", "", ""});
                }
                text(out, a, b, values, tasks);
            }
            out.flush();
        }
        return Main.OK;
    }

    private void text(PrintWriter out, RunRecord a, RunRecord b, List<String[]> params, List<Compared> tasks) {
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"RUN", a.id(), b.id()});
        runs.add(new String[] {"pipeline", a.pipeline(), b.pipeline()});
        runs.add(new String[] {"version", LineageCommand.shortDigest(a.version()), LineageCommand.shortDigest(b.version())});
        runs.add(new String[] {"status", a.status().name(), b.status().name()});
        runs.add(new String[] {"source", a.sourcePath(), b.sourcePath()});
        if (a.gitCommit().isPresent() || b.gitCommit().isPresent()) {
            runs.add(new String[] {"git", a.gitCommit().orElse("-"), b.gitCommit().orElse("-")});
        }
        runs.add(new String[] {"started", a.startedAt().toString(), b.startedAt().toString()});
        out.print(Cli.table(runs, out));
        out.println();
        // the parameter table ends with a blank row of its own
        out.print(Cli.table(params, out));
        List<String[]> rows = taskRows(a, b, tasks, all);
        if (rows.size() > 1) {
            out.print(Cli.table(rows, out));
        } else {
            out.println("no task differs");
        }
        if (!all) {
            alikeLine(tasks).ifPresent(line -> {
                out.println();
                out.println(line);
            });
        }
    }

    /** The task table, its header first: each task that differs (with {@code all}, every task) and what differs. */
    static List<String[]> taskRows(RunRecord a, RunRecord b, List<Compared> tasks, boolean all) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TASK", a.id(), b.id(), "DIFFERENCE"});
        for (Compared c : tasks) {
            if (all || !c.alike()) {
                rows.add(new String[] {c.id(), state(c.a()), state(c.b()), c.alike() ? "alike" : String.join("; ", c.changes())});
            }
        }
        return rows;
    }

    /** The line that counts the tasks alike and names the first of them; none when every task differs. */
    static java.util.Optional<String> alikeLine(List<Compared> tasks) {
        List<String> alike = tasks.stream().filter(Compared::alike).map(Compared::id).toList();
        if (alike.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(alike.size() + (alike.size() == 1 ? " task" : " tasks") + " alike (same component,"
                + " inputs and results): " + String.join(", ", alike.size() > 12 ? alike.subList(0, 12) : alike)
                + (alike.size() > 12 ? ", ..." : ""));
    }

    private static Map<String, Object> json(RunStore store, RunRecord a, RunRecord b, List<Compared> tasks) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("runs", List.of(ShowCommand.summary(store, a), ShowCommand.summary(store, b)));
        Map<String, List<JsonNode>> ps = new TreeMap<>();
        differing(ShowCommand.parse(a.paramsJson()), ShowCommand.parse(b.paramsJson()))
                .forEach((name, v) -> ps.put(name, java.util.Arrays.asList(v)));
        doc.put("params", ps);
        Map<String, List<JsonNode>> os = new TreeMap<>();
        differing(outputs(store, a), outputs(store, b)).forEach((name, v) -> os.put(name, java.util.Arrays.asList(v)));
        doc.put("outputs", os);
        List<Map<String, Object>> ts = new ArrayList<>();
        List<String> alike = new ArrayList<>();
        for (Compared c : tasks) {
            if (c.alike()) {
                alike.add(c.id());
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            List<String> states = new ArrayList<>();
            states.add(c.a() == null ? null : c.a().state().name());
            states.add(c.b() == null ? null : c.b().state().name());
            m.put("states", states);
            m.put("changes", c.changes());
            ts.add(m);
        }
        doc.put("tasks", ts);
        doc.put("alike", alike);
        return doc;
    }

    /** A run's pipeline outputs as recorded ({@code {}} before it has any). */
    private static JsonNode outputs(RunStore store, RunRecord r) {
        return store.runOutputs(r.id()).map(ShowCommand::parse).orElse(Cli.JSON.createObjectNode());
    }

    /** The fields of two JSON objects that differ, by name: the first's value and the second's (null where one has none). */
    private static Map<String, JsonNode[]> differing(JsonNode a, JsonNode b) {
        TreeSet<String> names = new TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        Map<String, JsonNode[]> out = new LinkedHashMap<>();
        for (String n : names) {
            if (!Objects.equals(a.get(n), b.get(n))) {
                out.put(n, new JsonNode[] {a.get(n), b.get(n)});
            }
        }
        return out;
    }

    /** Every task of either run, in task order, with what differs between its two records. */
    static List<Compared> compare(RunStore store, RunRecord a, RunRecord b) {
        Side left = Side.of(store, a);
        Side right = Side.of(store, b);
        TreeSet<String> ids = new TreeSet<>(TaskOrder.BY_ID);
        ids.addAll(left.tasks.keySet());
        ids.addAll(right.tasks.keySet());
        List<Compared> out = new ArrayList<>();
        for (String id : ids) {
            TaskRecord ta = left.tasks.get(id);
            TaskRecord tb = right.tasks.get(id);
            List<String> changes = new ArrayList<>();
            if (ta == null || tb == null) {
                changes.add("only in " + (ta == null ? b : a).id());
            } else {
                changes.addAll(changes(id, ta, tb, left, right));
            }
            out.add(new Compared(id, ta, tb, changes));
        }
        return out;
    }

    /** What one task's two records differ in: what it ran, how it ended, what it gave. */
    private static List<String> changes(String id, TaskRecord ta, TaskRecord tb, Side left, Side right) {
        List<String> changes = new ArrayList<>();
        // a run recorded before loop items were (schema 5), or an Argo run's mirror that had none, says nothing of them
        if (!ta.items().isEmpty() && !tb.items().isEmpty() && !ta.items().equals(tb.items())) {
            changes.add("item " + LoopItem.label(ta.items()) + " -> " + LoopItem.label(tb.items()));
        }
        if (!ta.component().equals(tb.component())) {
            changes.add("calls `" + ta.component() + "` -> `" + tb.component() + "`");
        }
        var ka = left.keys.get(id);
        var kb = right.keys.get(id);
        if (ka != null && kb != null) {
            changes.addAll(kb.changesSince(ka));
        }
        // a result taken from the cache is the same result: Succeeded and Cached are alike
        if (!ended(ta.state()).equals(ended(tb.state()))) {
            changes.add(ta.state() + " -> " + tb.state() + tb.message().map(m -> " (" + oneLine(m) + ")").orElse(""));
        } else if (!ta.exitCode().equals(tb.exitCode()) && ta.exitCode().isPresent() && tb.exitCode().isPresent()) {
            changes.add("exit code " + ta.exitCode().get() + " -> " + tb.exitCode().get());
        }
        differing(ShowCommand.parse(ta.outputsJson()), ShowCommand.parse(tb.outputsJson()))
                .forEach((n, v) -> changes.add("output `" + n + "` " + value(v[0]) + " -> " + value(v[1])));
        Map<String, Double> ma = left.metrics.getOrDefault(id, Map.of());
        Map<String, Double> mb = right.metrics.getOrDefault(id, Map.of());
        TreeSet<String> metrics = new TreeSet<>(ma.keySet());
        metrics.addAll(mb.keySet());
        for (String m : metrics) {
            if (!Objects.equals(ma.get(m), mb.get(m))) {
                changes.add("metric `" + m + "` " + metric(ma.get(m)) + " -> " + metric(mb.get(m)));
            }
        }
        Map<String, ArtifactRecord> aa = left.artifacts.getOrDefault(id, Map.of());
        Map<String, ArtifactRecord> ab = right.artifacts.getOrDefault(id, Map.of());
        TreeSet<String> outputs = new TreeSet<>(aa.keySet());
        outputs.addAll(ab.keySet());
        for (String n : outputs) {
            ArtifactRecord ra = aa.get(n);
            ArtifactRecord rb = ab.get(n);
            if (ra == null || rb == null) {
                changes.add("artifact `" + n + "` " + (ra == null ? "only in " + rb.runId() : "only in " + ra.runId()));
            } else if (ra.digest().isPresent() && rb.digest().isPresent() && !ra.digest().equals(rb.digest())
                    // a Metrics file that differs says how in its metrics, above
                    && !(metricsOf(ra) && !ma.isEmpty() && !mb.isEmpty())) {
                changes.add("artifact `" + n + "`: other content (sha256:" + LineageCommand.shortDigest(ra.digest().get()) + " -> sha256:"
                        + LineageCommand.shortDigest(rb.digest().get()) + ")");
            }
        }
        return changes;
    }

    private static boolean metricsOf(ArtifactRecord r) {
        return r.type().equals("Metrics");
    }

    /** Succeeded and Cached both gave the task's outputs; any other state is itself. */
    private static TaskState ended(TaskState s) {
        return s == TaskState.Cached ? TaskState.Succeeded : s;
    }

    /** What a run recorded, by task id. */
    private record Side(Map<String, TaskRecord> tasks, Map<String, dev.freestone.runtime.local.TaskRecord.CacheInfo> keys,
                        Map<String, Map<String, Double>> metrics, Map<String, Map<String, ArtifactRecord>> artifacts) {
        static Side of(RunStore store, RunRecord r) {
            Map<String, TaskRecord> tasks = new LinkedHashMap<>();
            TaskOrder.tasks(store, r.id()).forEach(t -> tasks.put(t.taskId(), t));
            Map<String, Map<String, Double>> metrics = new TreeMap<>();
            for (MetricRecord m : store.metrics(r.id())) {
                metrics.computeIfAbsent(m.taskId(), k -> new TreeMap<>()).put(m.name(), m.value());
            }
            Map<String, Map<String, ArtifactRecord>> artifacts = new TreeMap<>();
            for (ArtifactRecord x : store.artifacts(r.id())) {
                artifacts.computeIfAbsent(x.taskId(), k -> new TreeMap<>()).put(x.outputName(), x);
            }
            return new Side(tasks, StoreRecorder.cacheKeys(store, r.id()), metrics, artifacts);
        }
    }

    private static String state(TaskRecord t) {
        return t == null ? "-" : t.state().name();
    }

    private static String value(JsonNode v) {
        if (v == null) {
            return "none";
        }
        // a multi-line text (a log, a report) on its row: its line breaks would break the table
        return LoopItem.shortened(Progress.oneLine(MetricsCommand.shown(v)));
    }

    private static String metric(Double d) {
        return d == null ? "none" : MetricsCommand.format(d);
    }

    /** A failure's first line, cut to 80 columns after a whole character, as a loop item's value is cut. */
    private static String oneLine(String message) {
        return LoopItem.shortened(Progress.oneLine(message.lines().findFirst().orElse("")), 80);
    }
}
