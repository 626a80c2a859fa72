package dev.freestone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.runtime.argo.ArgoBackend;
import dev.freestone.runtime.local.Values;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.MetricRecord;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Metrics of one or more runs side by side: one row per task/metric, one column per run; in text, the
 * parameters the runs differ in above them.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true, description = {"Show the metrics of runs, side by side to compare them.",
    "Comparing runs, the parameters they differ in are listed first (text output; `freestone show --output json` has them all).",
    "In text, a loop's iteration is named with the items it ran with, as `show` writes them: `fit[0] (lr=0.1)/accuracy`,"
        + " nested `fit[1][0] (lr=0.1 tag=\"a\")/accuracy` (when the runs compared agree on them), a ClassificationMetrics"
        + " output `CLASSIFICATION ev[0] (th=0.5).cm`. `--output json` keys are"
        + " the task ids, `fit[0]/accuracy`; a run's `items` gives each iteration's, `{\"fit[0]\": [{\"name\": \"lr\","
        + " \"value\": 0.1}]}` (none for a run without loops)."})
final class MetricsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN", description = Cli.RUN_IDS)
    List<String> runs;

    /** Text for people, JSON for scripts, CSV for a data frame. */
    enum Format { text, json, csv }

    @Option(names = "--output", defaultValue = "text", description = "text, json, or csv: one row per run and metric"
            + " (run, pipeline, task, item, metric, value, then a params.NAME column per parameter), for"
            + " `pandas.read_csv` or a spreadsheet.")
    Format output;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = StandardOut.forText(spec.commandLine().getOut(), output == Format.json ? Cli.Format.json : Cli.Format.text);
        try (RunStore store = Cli.openStore()) {
            List<RunRecord> found = found(store, runs);
            Map<String, Map<String, Double>> table = table(store, found);
            Map<String, Map<String, List<LoopItem>>> items = table.isEmpty() ? Map.of() : loopItems(store, found);
            if (output == Format.csv) {
                csv(found, table, items, out);
            } else if (output == Format.json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                for (RunRecord r : found) {
                    Map<String, Object> values = new TreeMap<>();
                    Map<String, List<Map<String, Object>>> iterations = new TreeMap<>(TaskOrder.BY_ID);
                    table.forEach((k, v) -> {
                        if (v.containsKey(r.id())) {
                            values.put(k, v.get(r.id()));
                            String task = k.substring(0, k.lastIndexOf('/'));
                            List<LoopItem> mine = items.get(r.id()).getOrDefault(task, List.of());
                            if (!mine.isEmpty()) {
                                iterations.put(task, ShowCommand.itemsJson(mine));
                            }
                        }
                    });
                    // beside the "task/metric" keys (a metric's key holds a `/`, this one none), only where there are any
                    if (!iterations.isEmpty()) {
                        values.put("items", iterations);
                    }
                    doc.put(r.id(), values);
                }
                out.println(Cli.json(doc));
            } else {
                Comparison c = compare(store, found, table, items, out);
                out.print(Cli.table(c.rows(), out));
                if (table.isEmpty() && c.classification().isEmpty()) {
                    out.println("no metrics recorded for " + String.join(", ", found.stream().map(RunRecord::id).toList()));
                }
                // without its first blank line when no table is above (the parameters' ends with one)
                c.classification().stream().skip(table.isEmpty() ? 1 : 0).forEach(out::println);
            }
            out.flush();
            // "no metrics" or a column of "-" would read as a step that reported none
            PrintWriter err = spec.commandLine().getErr();
            for (RunRecord r : found) {
                if (r.backend() == dev.freestone.runtime.store.Backend.Argo && !ArgoBackend.readsMetrics(store, r.id())) {
                    err.println("note: run " + r.id() + " was submitted to Argo before Freestone read metrics back:"
                            + " its metrics stay in its Metrics artifacts in the cluster's artifact repository"
                            + " (`freestone artifacts " + r.id() + "` lists where)");
                }
            }
            err.flush();
        }
        return Main.OK;
    }

    /** The runs named, each once: named twice (an id and its prefix), a run would "differ" from itself in every parameter. */
    static List<RunRecord> found(RunStore store, List<String> named) {
        Map<String, RunRecord> byId = new LinkedHashMap<>();
        for (String q : named) {
            RunRecord r = Cli.findRun(store, q);
            byId.putIfAbsent(r.id(), r);
        }
        return List.copyOf(byId.values());
    }

    /** The runs' metrics, key "task/name" -> run id -> value, in task order. */
    static Map<String, Map<String, Double>> table(RunStore store, List<RunRecord> found) {
        Map<String, Map<String, Double>> table = new TreeMap<>(METRIC_ORDER);
        for (RunRecord r : found) {
            for (MetricRecord m : store.metrics(r.id())) {
                table.computeIfAbsent(m.taskId() + "/" + m.name(), k -> new LinkedHashMap<>()).put(r.id(), m.value());
            }
        }
        return table;
    }

    /**
     * The text comparison: one table (the parameters the runs differ in, then a row per metric, a column per run, so
     * that a run's parameters and metrics are in one column; the metrics part none when no run recorded one), then
     * the lines of the runs' ClassificationMetrics, a blank one first.
     */
    record Comparison(List<String[]> rows, List<String> classification) {
    }

    static Comparison compare(RunStore store, List<RunRecord> found, PrintWriter shownThrough) throws JsonProcessingException {
        Map<String, Map<String, Double>> table = table(store, found);
        return compare(store, found, table, table.isEmpty() ? Map.of() : loopItems(store, found), shownThrough);
    }

    private static Comparison compare(RunStore store, List<RunRecord> found, Map<String, Map<String, Double>> table,
            Map<String, Map<String, List<LoopItem>>> items, PrintWriter shownThrough) throws JsonProcessingException {
        List<String[]> rows = new ArrayList<>(differentParams(store, found));
        if (!table.isEmpty()) {
            rows.add(header("METRIC", found));
            table.forEach((k, v) -> {
                String[] row = new String[found.size() + 1];
                String task = k.substring(0, k.lastIndexOf('/'));
                row[0] = agreedItem(task, v.keySet(), items).map(i -> task + " (" + i + ")" + k.substring(task.length())).orElse(k);
                for (int i = 0; i < found.size(); i++) {
                    Double d = v.get(found.get(i).id());
                    row[i + 1] = d == null ? "-" : format(d);
                }
                rows.add(row);
            });
        }
        return new Comparison(rows, classification(store, found, items, shownThrough));
    }

    /**
     * Tidy rows, one per run and metric, in the order of the text table (RFC 4180: a field holding a comma, a quote or
     * a line break is quoted, its quotes doubled); every run's parameters as {@code params.NAME} columns (as MLflow's
     * {@code search_runs} names them), empty where a run has none of that name.
     */
    private static void csv(List<RunRecord> found, Map<String, Map<String, Double>> table,
            Map<String, Map<String, List<LoopItem>>> items, PrintWriter out) throws JsonProcessingException {
        Map<String, Map<String, JsonNode>> params = new LinkedHashMap<>();
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        for (RunRecord r : found) {
            Map<String, JsonNode> values = params(r);
            params.put(r.id(), values);
            names.addAll(values.keySet());
        }
        List<String> head = new ArrayList<>(List.of("run", "pipeline", "task", "item", "metric", "value"));
        names.forEach(n -> head.add("params." + n));
        out.print(csvLine(head));
        for (RunRecord r : found) {
            for (Map.Entry<String, Map<String, Double>> e : table.entrySet()) {
                Double d = e.getValue().get(r.id());
                if (d == null) {
                    continue;
                }
                String key = e.getKey();
                String task = key.substring(0, key.lastIndexOf('/'));
                List<LoopItem> item = items.get(r.id()).getOrDefault(task, List.of());
                List<String> row = new ArrayList<>(List.of(r.id(), r.pipeline(), task,
                        item.isEmpty() ? "" : LoopItem.label(item), key.substring(task.length() + 1), format(d)));
                names.forEach(n -> {
                    JsonNode v = params.get(r.id()).get(n);
                    row.add(v == null ? "" : shown(v));
                });
                out.print(csvLine(row));
            }
        }
    }

    /** A run's parameters by name, as recorded. */
    private static Map<String, JsonNode> params(RunRecord r) throws JsonProcessingException {
        return Cli.JSON.readValue(r.paramsJson(), new TypeReference<Map<String, JsonNode>>() { });
    }

    private static String csvLine(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (String f : fields) {
            if (line.length() > 0) {
                line.append(',');
            }
            boolean quoted = f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0;
            line.append(quoted ? '"' + f.replace("\"", "\"\"") + '"' : f);
        }
        return line.append("\r\n").toString();
    }

    /**
     * Comparing runs, the parameters they differ in come first (as KFP's run comparison shows them): a
     * metric that moved is read against what changed. The rows, a header first and an empty row last;
     * none for one run, or when all were alike. A Duration reads as its literal ({@code 10m}), as in {@code show}.
     */
    static List<String[]> differentParams(RunStore store, List<RunRecord> found) throws JsonProcessingException {
        if (found.size() < 2) {
            return List.of();
        }
        Map<String, Map<String, JsonNode>> params = new TreeMap<>();
        for (RunRecord r : found) {
            Map<String, JsonNode> values = WrittenValue.params(store, store.events(r.id()), params(r));
            values.forEach((name, v) -> params.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(r.id(), v));
        }
        List<String[]> rows = new ArrayList<>();
        params.forEach((name, byRun) -> {
            if (byRun.size() == found.size() && new java.util.HashSet<>(byRun.values()).size() == 1) {
                return;
            }
            String[] row = new String[found.size() + 1];
            row[0] = name;
            for (int i = 0; i < found.size(); i++) {
                JsonNode v = byRun.get(found.get(i).id());
                row[i + 1] = v == null ? "-" : shown(v);
            }
            rows.add(row);
        });
        if (rows.isEmpty()) {
            return List.of();
        }
        rows.add(0, header("PARAMETER", found));
        rows.add(new String[found.size() + 1]);
        java.util.Arrays.fill(rows.get(rows.size() - 1), "");
        return rows;
    }

    /**
     * Each {@code ClassificationMetrics} artifact of the runs summarized (a blank line and a header first, a loop's
     * iteration named with its items as the metric rows are, {@code e[0] (th=0.5).cm}): its confusion matrix and ROC
     * curve, as the Kubeflow UI shows them; what cannot be read is said instead. {@code items} are the runs' loop
     * items where the metric rows needed them; a run's are read here when only its artifacts do.
     */
    private static List<String> classification(RunStore store, List<RunRecord> found,
            Map<String, Map<String, List<LoopItem>>> items, PrintWriter shownThrough) throws JsonProcessingException {
        List<String> out = new ArrayList<>();
        for (RunRecord r : found) {
            Map<String, List<LoopItem>> mine = items.get(r.id());
            for (ArtifactRecord a : ArtifactsCommand.ordered(store, r.id())) {
                if (!a.type().equals("ClassificationMetrics") || !a.uri().startsWith("file:") || a.digest().isEmpty()) {
                    continue;
                }
                if (mine == null) {
                    mine = loopItems(store, List.of(r)).get(r.id());
                }
                List<LoopItem> item = mine == null ? List.of() : mine.getOrDefault(a.taskId(), List.of());
                out.add("");
                out.add("CLASSIFICATION " + LoopItem.labelled(a.taskId(), item) + "."
                        + a.outputName() + (found.size() > 1 ? "  (" + r.id() + ")" : ""));
                if (!a.storedIn(store.artifacts()) || a.directory()) {
                    out.add("  " + (a.directory() ? "a folder, not KFP's ClassificationMetrics JSON file"
                            : "no longer in the artifact store (deleted by hand)"));
                    continue;
                }
                try {
                    JsonNode doc = Cli.JSON.readTree(store.artifacts().get(a.digest().get()).orElseThrow().toFile());
                    ClassificationSummary.lines(doc, shownThrough).forEach(l -> out.add("  " + l));
                } catch (java.io.IOException e) {
                    out.add("  not JSON: write KFP's ClassificationMetrics JSON (docs/local-engine.md)");
                } catch (ClassificationSummary.NotClassificationMetrics e) {
                    out.add("  not KFP's ClassificationMetrics JSON: " + e.getMessage());
                }
            }
        }
        return out;
    }

    /**
     * The items each loop iteration of each run ran with, run id -> task id -> items, outermost loop first ({@code fit[0]}
     * -> {@code lr=0.1}, nested {@code a=1 b="x"}): what the run store recorded (every loop, every level, through
     * called pipelines). A task recorded before the store kept items (schema 5) has none; for it, what the run's
     * parameters and pipeline say of a top-level loop over a parameter or a written list. No entry for a task that is
     * no iteration, nor for one of a loop over a step's output or over artifacts that was recorded before then.
     */
    private static Map<String, Map<String, List<LoopItem>>> loopItems(RunStore store, List<RunRecord> found)
            throws JsonProcessingException {
        Map<String, Map<String, List<LoopItem>>> byRun = new java.util.HashMap<>();
        for (RunRecord r : found) {
            Map<String, List<LoopItem>> mine = new java.util.HashMap<>();
            Map<String, List<LoopItem>> derived = null;
            for (TaskRecord t : store.tasks(r.id())) {
                if (!t.items().isEmpty()) {
                    mine.put(t.taskId(), t.items());
                } else if (t.taskId().endsWith("]")) {
                    if (derived == null) {
                        derived = derivedItems(store, r);
                    }
                    if (derived.containsKey(t.taskId())) {
                        mine.put(t.taskId(), derived.get(t.taskId()));
                    }
                }
            }
            byRun.put(r.id(), mine);
        }
        return byRun;
    }

    /**
     * The item of each iteration of a top-level loop over a pipeline parameter or a list written in the file
     * ({@code f[0]} -> {@code lr=0.1}), from the run's parameters and stored pipeline: what a run recorded before the
     * store kept items tells of them. A loop over a step's output, or over artifacts (which schema 5 records no item
     * for either), names none.
     */
    private static Map<String, List<LoopItem>> derivedItems(RunStore store, RunRecord r) throws JsonProcessingException {
        dev.freestone.ir.Ir.Program ir;
        try {
            ir = RunCommand.loadIr(store, r.id(), store.events(r.id()));
        } catch (UserError | java.io.IOException e) {
            return Map.of();
        }
        Map<String, List<LoopItem>> out = new java.util.HashMap<>();
        Map<String, JsonNode> params = params(r);
        for (dev.freestone.ir.Ir.Node n : ir.root().body()) {
            if (!(n instanceof dev.freestone.ir.Ir.Loop l)) {
                continue;
            }
            JsonNode list = l.items() instanceof dev.freestone.ir.Ir.ParamRef p ? params.get(p.name())
                    : l.items() instanceof dev.freestone.ir.Ir.Const c ? c.value() : written(l.items());
            if (list == null || !list.isArray()) {
                continue;
            }
            for (dev.freestone.ir.Ir.Node step : l.body()) {
                if (step instanceof dev.freestone.ir.Ir.Task) {
                    for (int i = 0; i < list.size(); i++) {
                        if (!Values.isArtifactValue(list.get(i))) {
                            out.put(step.id() + "[" + i + "]", List.of(LoopItem.of(l.variable(), list.get(i))));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The items the runs {@code compared} agree {@code task} ran with, as {@code show} writes them; empty when one names
     * other items or none (the runs looped over other lists: the parameters they differ in are above the row).
     */
    private static java.util.Optional<String> agreedItem(String task, java.util.Collection<String> compared,
            Map<String, Map<String, List<LoopItem>>> items) {
        java.util.Set<List<LoopItem>> named = new java.util.HashSet<>();
        compared.forEach(run -> named.add(items.get(run).getOrDefault(task, List.of())));
        return named.size() == 1 && !named.contains(List.of())
                ? java.util.Optional.of(LoopItem.label(named.iterator().next())) : java.util.Optional.empty();
    }

    /** A list written in the file, `[0.1, 0.3]`, as JSON; null for any other list (one a step or a function gives). */
    private static JsonNode written(dev.freestone.ir.Ir.Expr e) {
        if (!(e instanceof dev.freestone.ir.Ir.ListOf l)
                || !l.elements().stream().allMatch(x -> x instanceof dev.freestone.ir.Ir.Const)) {
            return null;
        }
        var list = Cli.JSON.createArrayNode();
        l.elements().forEach(x -> list.add(((dev.freestone.ir.Ir.Const) x).value()));
        return list;
    }

    /** A parameter's value in a cell: text as it is, an artifact by its digest, anything else as JSON (Floats as `show`'s ITEM writes them). */
    static String shown(JsonNode v) {
        return Values.isArtifactValue(v) ? "sha256:" + Values.digestOf(v).substring(0, 12)
                : v.isTextual() ? v.textValue() : Values.json(v);
    }

    /** A table's first row: what its rows are, then a column per run. */
    private static String[] header(String rows, List<RunRecord> found) {
        String[] head = new String[found.size() + 1];
        head[0] = rows;
        for (int i = 0; i < found.size(); i++) {
            head[i + 1] = found.get(i).id();
        }
        return head;
    }

    /** "task/name" keys by task as {@link TaskOrder} lists them (a task id may hold `/`, a metric name does not), then name. */
    private static final java.util.Comparator<String> METRIC_ORDER = java.util.Comparator
            .<String, String>comparing(k -> k.substring(0, k.lastIndexOf('/')), TaskOrder.BY_ID)
            .thenComparing(k -> k.substring(k.lastIndexOf('/') + 1));

    /** A number as the run wrote it: a whole one without `.0`, others as the engine hands a Float to a step (`1e-05`, not Java's `1.0E-5`). */
    static String format(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        return Values.floatRepr(d);
    }
}
