package dev.freestone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.runtime.local.Values;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.RunLookup;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "show", mixinStandardHelpOptions = true, description = {"Show one run: its status, parameters, outputs and every task.",
    "A loop's iteration is named with the item it ran with: an ITEM column after TASK (`lr=0.03`; nested loops"
        + " `a=1 b=\"x\"`, a long value cut with `…`), `items` in `--output json` (`[{\"name\": \"lr\", \"value\": 0.03}]`,"
        + " outermost loop first; `[]` for a task that is no iteration).",
    "A local run whose engine is gone (killed, or its machine restarted) keeps its recorded states; its status line and"
        + " its unfinished tasks say `(engine gone)`, with the `freestone resume RUN` that continues it, and its clocks stop"
        + " at the last thing it recorded: `engineGone` in `--output json` (the engine's"
        + " `pid`, `lastRecordedAt` and the `resume` command; null for any other run)."})
final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = Cli.RUN_ID)
    String run;

    @Option(names = "--output", defaultValue = "text", description = "text or json.")
    Cli.Format output;

    @Override
    public Integer call() {
        PrintWriter out = StandardOut.forText(spec.commandLine().getOut(), output);
        try (RunStore store = Cli.openStore()) {
            View v = view(store, Cli.findRun(store, run));
            RunRecord r = v.run();
            if (output == Cli.Format.json) {
                Map<String, Object> doc = summary(store, r);
                doc.put("engineGone", v.gone().map(pid -> engineGone(r, pid, v.stopped().get())).orElse(null));
                doc.put("outputs", v.outputs().orElse(null));
                List<Map<String, Object>> ts = new ArrayList<>();
                for (TaskRecord t : v.tasks()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", t.taskId());
                    m.put("name", t.name());
                    m.put("component", t.component());
                    m.put("state", t.state().name());
                    m.put("attempts", t.attempts());
                    m.put("cached", t.cached());
                    m.put("exitCode", t.exitCode().orElse(null));
                    m.put("outputs", parse(t.outputsJson()));
                    m.put("startedAt", t.startedAt().map(Object::toString).orElse(null));
                    m.put("finishedAt", t.finishedAt().map(Object::toString).orElse(null));
                    m.put("message", t.message().orElse(v.reused().get(t.taskId())));
                    m.put("items", itemsJson(t.items()));
                    ts.add(m);
                }
                doc.put("tasks", ts);
                out.println(Cli.json(doc));
            } else {
                for (String[] fact : facts(store, v)) {
                    // a label a line, nine wide; the lines of a failed run's status under each other
                    out.println(String.format("%-9s", fact[0]) + fact[1].replace("\n", "\n         "));
                }
                out.println();
                out.print(Cli.table(taskRows(v), out));
                for (String note : notes(store, v)) {
                    out.println();
                    out.println(note);
                }
            }
            out.flush();
        }
        return Main.OK;
    }

    /** What {@code show} reads of a run: its tasks in order, why each cached one was, its outputs, whether its engine is gone. */
    record View(RunRecord run, List<TaskRecord> tasks, Map<String, String> reused, Optional<JsonNode> outputs,
                Optional<Long> gone, Optional<Instant> stopped) {
    }

    static View view(RunStore store, RunRecord r) {
        List<TaskRecord> tasks = TaskOrder.tasks(store, r.id());
        Optional<Long> gone = RunCommand.goneEngine(store, r);
        // nothing goes on in a run whose engine is gone: its clocks stop at the last thing the store has of it
        Optional<Instant> stopped = gone.map(pid -> RunCommand.lastRecorded(store, r, tasks));
        return new View(r, tasks, reuseReasons(store, r.id()), store.runOutputs(r.id()).map(ShowCommand::parse), gone, stopped);
    }

    /**
     * The lines above the task table, a label and its text each ({@code status}, {@code started}, a {@code params} line
     * per parameter, the label on the first only, an {@code output} line per output): the text output and the UI's
     * run page.
     */
    static List<String[]> facts(RunStore store, View v) {
        RunRecord r = v.run();
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"run", r.id()});
        facts.add(new String[] {"pipeline", r.pipeline() + "  (version " + r.version() + ")"});
        // one line per failed task, under each other
        facts.add(new String[] {"status", r.status() + r.message().map(m -> ": " + m).orElse("")
                + v.gone().map(pid -> " (its engine, process " + pid + ", is gone; `freestone resume "
                        + r.id() + "` continues the run)").orElse("")});
        r.remote().ifPresent(ref -> facts.add(new String[] {"remote", r.backend().wireName() + " Workflow " + ref}));
        facts.add(new String[] {"started", r.startedAt() + "  elapsed " + Cli.elapsed(r.startedAt(), r.finishedAt().or(v::stopped))
                + v.stopped().map(at -> " (until " + at + ", the last it recorded)").orElse("")});
        facts.add(new String[] {"source", r.sourcePath() + r.gitCommit().map(c -> " @ " + c).orElse("")});
        String labels = Labels.text(store.labels(r.id()));
        if (!labels.isEmpty()) {
            facts.add(new String[] {"labels", labels});
        }
        List<String> params = params(store, r);
        for (int i = 0; i < params.size(); i++) {
            facts.add(new String[] {i == 0 ? "params" : "", params.get(i)});
        }
        v.outputs().ifPresent(o -> o.fields().forEachRemaining(e ->
                facts.add(new String[] {"output", e.getKey() + " = " + outputText(e.getValue())})));
        return facts;
    }

    /** The task table, its header first: an ITEM column after TASK when a loop's iterations are among the tasks. */
    static List<String[]> taskRows(View v) {
        // the item each loop iteration ran with, in a column of its own when there are any
        boolean loops = v.tasks().stream().anyMatch(t -> !t.items().isEmpty());
        List<String[]> rows = new ArrayList<>();
        rows.add(withItem(loops, "ITEM", "TASK", "STATE", "ATTEMPTS", "EXIT", "ELAPSED", "OUTPUTS"));
        for (TaskRecord t : v.tasks()) {
            boolean left = v.gone().isPresent() && !t.state().isTerminal();
            rows.add(withItem(loops, LoopItem.label(t.items()), t.taskId(),
                t.state().name() + (left ? " (engine gone)" : ""),
                String.valueOf(t.attempts()), t.exitCode().map(String::valueOf).orElse(""),
                t.startedAt().map(s -> Cli.elapsed(s, t.finishedAt().or(v::stopped))).orElse(""),
                abbreviate(t.outputsJson())));
        }
        return rows;
    }

    /** What is said below the task table: each task's message, then the cached tasks, one line per run they reused. */
    static List<String> notes(RunStore store, View v) {
        List<String> notes = new ArrayList<>();
        // cached tasks one line per run they reused, however many they are
        Map<String, List<String>> bySource = new java.util.TreeMap<>();
        for (TaskRecord t : v.tasks()) {
            if (t.message().isPresent() && !t.message().get().isBlank()) {
                notes.add(t.taskId() + ": " + t.message().get());
            } else if (v.reused().containsKey(t.taskId())) {
                java.util.regex.Matcher m = RUN_ID.matcher(v.reused().get(t.taskId()));
                bySource.computeIfAbsent(m.find() ? m.group() : "?", k -> new ArrayList<>()).add(t.taskId());
            }
        }
        bySource.forEach((source, ids) -> {
            // the outputs are the reusing run's too, and stay; the run they came from may be deleted since
            boolean deleted = RUN_ID.matcher(source).matches() && store.getRun(source) instanceof RunLookup.NotFound;
            notes.add("cached from run " + source + (deleted ? " (deleted since)" : "") + ": " + String.join(", ", ids));
        });
        return notes;
    }

    /** {@code engineGone} in {@code --output json}: the dead engine's pid, when it last recorded, and what continues the run. */
    private static Map<String, Object> engineGone(RunRecord r, long pid, Instant stopped) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("lastRecordedAt", stopped.toString());
        m.put("resume", "freestone resume " + r.id());
        return m;
    }

    static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("run-[0-9]{8}-[0-9]{6}-[0-9a-f]+");

    /** Why each Cached task of the run was one: the run and task whose outputs it reused (events cache.hit, cache.resumed). */
    static Map<String, String> reuseReasons(RunStore store, String runId) {
        Map<String, String> reasons = new java.util.HashMap<>();
        for (EventRecord e : store.events(runId)) {
            if (e.taskId().isPresent() && (e.kind().equals("cache.hit") || e.kind().equals("cache.resumed"))) {
                reasons.put(e.taskId().get(), e.message());
            }
        }
        return reasons;
    }

    /** {@link #summary(RunRecord)} with the run's labels ({@code "labels": {"team": "nlp"}}). */
    static Map<String, Object> summary(RunStore store, RunRecord r) {
        Map<String, Object> m = summary(r);
        m.put("labels", store.labels(r.id()));
        return m;
    }

    static Map<String, Object> summary(RunRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("pipeline", r.pipeline());
        m.put("version", r.version());
        m.put("status", r.status().name());
        m.put("backend", r.backend().wireName());
        m.put("startedAt", r.startedAt().toString());
        m.put("finishedAt", r.finishedAt().map(Object::toString).orElse(null));
        m.put("source", r.sourcePath());
        m.put("sourceDigest", r.sourceDigest());
        m.put("gitCommit", r.gitCommit().orElse(null));
        m.put("params", parse(r.paramsJson()));
        m.put("remote", r.remote().map(x -> x.namespace() + "/" + x.name()).orElse(null));
        m.put("message", r.message().orElse(null));
        return m;
    }

    /** A task's loop items in {@code --output json}, {@code [{"name": "lr", "value": 0.03}]}, outermost loop first. */
    static List<Map<String, Object>> itemsJson(List<LoopItem> items) {
        List<Map<String, Object>> out = new ArrayList<>();
        items.forEach(i -> out.add(new LinkedHashMap<>(Map.of("name", i.name(), "value", i.json()))));
        return out;
    }

    /** A pipeline output as `run` printed it: an artifact by the path of its stored object (a remote one by its location). */
    static String outputText(JsonNode v) {
        // a stored artifact as its file, a remote one (an Argo run's) as its location
        return RunCommand.display(v, x -> ArtifactRecord.outputUri(x)
                .map(uri -> uri.startsWith("file:") ? Path.of(URI.create(uri)).toString() : uri));
    }

    /**
     * A line per parameter, as the outputs have one: a value as {@code run} prints it, and an artifact by the file the
     * run read it from (one it read no file for, by its stored object), with the digest of what it read, since the
     * file may have changed; the store's form, {@code {"$artifact": ...}}, says nothing to the reader. A Duration reads
     * as its literal ({@code 10m}, not the store's seconds) by the type the recorded pipeline declares, and as the store
     * has it when that pipeline is gone from the artifact store.
     */
    static List<String> paramLines(RunStore store, RunRecord r) {
        List<String> lines = new ArrayList<>();
        params(store, r).forEach(p -> lines.add((lines.isEmpty() ? "params   " : "         ") + p));
        return lines;
    }

    /** A {@code name = value} per parameter, as {@link #paramLines} gives them, or {@code none}. */
    static List<String> params(RunStore store, RunRecord r) {
        JsonNode params = parse(r.paramsJson());
        if (!params.isObject() || params.isEmpty()) {
            return List.of("none");
        }
        List<EventRecord> events = store.events(r.id());
        Map<String, Path> files = new java.util.HashMap<>();
        RunCommand.paramFiles(events).forEach(f -> files.putIfAbsent(f.digest(), f.path()));
        Map<String, JsonNode> recorded = new java.util.LinkedHashMap<>();
        params.fields().forEachRemaining(e -> recorded.put(e.getKey(), e.getValue()));
        java.util.function.Function<JsonNode, Optional<String>> where = x -> Values.isArtifactValue(x)
                ? Optional.of(Optional.ofNullable(files.get(Values.digestOf(x)))
                        .or(() -> store.artifacts().get(Values.digestOf(x))).map(Path::toString).orElse(Values.digestOf(x)))
                : Optional.empty();
        List<String> lines = new ArrayList<>();
        WrittenValue.params(store, events, recorded).forEach((name, v) -> {
            String digest = Values.isArtifactValue(v) ? " (sha256:" + Values.digestOf(v).substring(0, 12) + ")" : "";
            lines.add(name + " = " + RunCommand.display(v, where) + digest);
        });
        return lines;
    }

    static JsonNode parse(String json) {
        try {
            return Cli.JSON.readTree(json == null || json.isBlank() ? "{}" : json);
        } catch (JsonProcessingException e) {
            return Cli.JSON.getNodeFactory().textNode(json);
        }
    }

    /** A row of a table of tasks: {@code item} after the task's id when {@code loops}, else not at all. */
    static String[] withItem(boolean loops, String item, String task, String... rest) {
        List<String> row = new ArrayList<>(List.of(task));
        if (loops) {
            row.add(item);
        }
        row.addAll(List.of(rest));
        return row.toArray(String[]::new);
    }

    static String abbreviate(String s) {
        String one = s == null ? "" : s.replace('\n', ' ');
        return one.length() > 80 ? one.substring(0, 77) + "..." : one;
    }
}
