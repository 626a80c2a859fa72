package dev.freestone.cli;

import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first (local and Argo).")
final class RunsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--pipeline", description = "Only runs of this pipeline.")
    String pipeline;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many runs (0: all). Default: ${DEFAULT-VALUE}.")
    int limit;

    // -n is the namespace here too, as in every cluster command and in argo and kubectl (`argo list -n ml`)
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only the Argo runs submitted to this namespace.")
    String namespace;

    @Option(names = "--status", paramLabel = "STATUS", split = ",", completionCandidates = Cli.StatusNames.class,
            description = "Only runs with this status (Succeeded, Failed, Cancelled, Running, Pending); repeat or list with commas.")
    List<String> statuses = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY[=VALUE]", description = "Only runs with this label (any value"
            + " without =VALUE); repeat for runs with all of them.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--output", defaultValue = "text", description = "text or json.")
    Cli.Format output;

    @Override
    public Integer call() {
        PrintWriter out = StandardOut.forText(spec.commandLine().getOut(), output);
        refuseLimitAsNamespace();
        if (limit < 0) {
            // the store would read it as "no limit", the opposite of a small one
            throw new UserError("--limit " + limit + " is negative", "give how many runs to list at most, or 0 for all",
                    Main.USAGE);
        }
        Set<RunStatus> wanted = Cli.statuses(statuses);
        try (RunStore store = Cli.openStore()) {
            List<RunRecord> runs = runs(store, Optional.ofNullable(pipeline), wanted, namespace, Labels.filters(labels), limit);
            Optional<String> unknown;
            if (output == Cli.Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (RunRecord r : runs) {
                    rows.add(ShowCommand.summary(store, r));
                }
                out.println(Cli.json(rows));
            } else if (runs.isEmpty() && !labels.isEmpty()) {
                out.println("no runs" + (pipeline == null ? "" : " of pipeline `" + pipeline + "`") + " labelled "
                        + String.join(" and ", labels) + (wanted.isEmpty() ? "" : " with status "
                        + String.join(" or ", wanted.stream().map(Enum::name).toList())));
            } else if (runs.isEmpty() && !wanted.isEmpty()) {
                // the other filters' own messages (a misspelt pipeline or namespace) come when no status is asked for
                out.println("no runs" + (pipeline == null ? "" : " of pipeline `" + pipeline + "`")
                        + (namespace == null ? "" : " in namespace `" + namespace + "`") + " with status "
                        + String.join(" or ", wanted.stream().map(Enum::name).toList()));
            } else if (runs.isEmpty() && namespace != null) {
                java.util.SortedSet<String> namespaces = new java.util.TreeSet<>();
                store.listRuns(Optional.ofNullable(pipeline), 0).forEach(r -> r.remote().ifPresent(ref -> namespaces.add(ref.namespace())));
                out.println("no Argo runs" + (pipeline == null ? "" : " of pipeline `" + pipeline + "`")
                        + " in namespace `" + namespace + "`");
                out.println("  = help: " + (namespaces.isEmpty() ? "no run was submitted to a cluster yet"
                        : dev.freestone.diag.DidYouMean.help(namespace, namespaces,
                                "the namespaces with runs are: " + String.join(", ", namespaces))));
            } else if (runs.isEmpty() && pipeline != null && (unknown = unknownPipeline(store, pipeline)).isPresent()) {
                out.println("no runs of pipeline `" + pipeline + "`");
                out.println("  = help: " + unknown.get());
            } else if (runs.isEmpty()) {
                out.println("no runs yet: start one with `freestone run FILE`");
            } else {
                out.print(Cli.table(rows(store, runs), out));
            }
            out.flush();
        }
        return Main.OK;
    }

    /**
     * The runs of {@code pipeline} (any when empty) with one of the {@code wanted} statuses (any when none) submitted to
     * {@code namespace} (any when null), newest first, at most {@code limit} (0: all): the list and the UI's.
     */
    static List<RunRecord> runs(RunStore store, Optional<String> pipeline, Set<RunStatus> wanted, String namespace, int limit) {
        return runs(store, pipeline, wanted, namespace, Map.of(), limit);
    }

    /** The same, of the runs with every label of {@code labels} (a key with any value when its value is empty). */
    static List<RunRecord> runs(RunStore store, Optional<String> pipeline, Set<RunStatus> wanted, String namespace,
            Map<String, Optional<String>> labels, int limit) {
        if (namespace == null && wanted.isEmpty() && labels.isEmpty()) {
            return store.listRuns(pipeline, limit);
        }
        Set<String> labelled = null;
        for (Map.Entry<String, Optional<String>> l : labels.entrySet()) {
            Set<String> these = store.runsLabelled(l.getKey(), l.getValue());
            if (labelled == null) {
                labelled = these;
            } else {
                labelled.retainAll(these);
            }
        }
        Set<String> only = labelled;
        Predicate<RunRecord> kept = r -> (namespace == null || r.remote().map(ref -> ref.namespace().equals(namespace)).orElse(false))
                && (wanted.isEmpty() || wanted.contains(r.status())) && (only == null || only.contains(r.id()));
        return selected(store.listRuns(pipeline, 0), kept, limit);
    }

    /** The table of {@code runs}, its header first. */
    static List<String[]> rows(RunStore store, List<RunRecord> runs) {
        List<String[]> rows = new ArrayList<>();
        // the labels in a column of their own when a run listed has any
        Map<String, String> labels = new java.util.HashMap<>();
        runs.forEach(r -> labels.put(r.id(), Labels.text(store.labels(r.id()))));
        boolean labelled = labels.values().stream().anyMatch(l -> !l.isEmpty());
        rows.add(withLabels(labelled, "LABELS", "RUN", "PIPELINE", "STATUS", "STARTED", "ELAPSED", "BACKEND", "VERSION"));
        for (RunRecord r : runs) {
            Optional<Long> gone = RunCommand.goneEngine(store, r);
            String status = r.status().name() + gone.map(pid -> " (engine gone)").orElse("");
            // a dead engine's run stops its clock at the last thing it recorded, as in show
            Optional<java.time.Instant> until = gone.isPresent()
                    ? Optional.of(RunCommand.lastRecorded(store, r, store.tasks(r.id()))) : r.finishedAt();
            rows.add(withLabels(labelled, labels.get(r.id()), r.id(), r.pipeline(), status, r.startedAt().toString(),
                Cli.elapsed(r.startedAt(), until), r.backend().wireName(),
                r.version().substring(0, Math.min(12, r.version().length()))));
        }
        return rows;
    }

    /** The row's cells, with {@code label} last when {@code labelled}. */
    private static String[] withLabels(boolean labelled, String label, String... cells) {
        if (!labelled) {
            return cells;
        }
        String[] out = java.util.Arrays.copyOf(cells, cells.length + 1);
        out[cells.length] = label;
        return out;
    }

    /** The runs {@code kept} keeps (namespace and status), newest first, at most {@code limit}. */
    private static List<RunRecord> selected(List<RunRecord> all, Predicate<RunRecord> kept, int limit) {
        List<RunRecord> out = new ArrayList<>();
        for (RunRecord r : all) {
            if (kept.test(r)) {
                out.add(r);
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * {@code -n 10} meant {@code --limit 10} before {@code -n} became the namespace: a number after
     * {@code -n} is refused with the way to write either (a namespace of digits is written out as
     * {@code --namespace}), rather than listing the runs of a namespace called "10", which are none.
     */
    private void refuseLimitAsNamespace() {
        if (namespace == null || !namespace.matches("[0-9]+")) {
            return;
        }
        boolean shortName = spec.commandLine().getParseResult().originalArgs().stream()
                .anyMatch(a -> a.equals("-n") || a.startsWith("-n") && !a.startsWith("--"));
        if (shortName) {
            throw new UserError("`-n` is the namespace (as in every cluster command and in argo and kubectl), not a count",
                    "for at most " + namespace + " runs write `--limit " + namespace + "`; for a namespace named "
                            + namespace + ", `--namespace " + namespace + "`", Main.USAGE);
        }
    }

    /**
     * The help for a {@code --pipeline} that no run has, most often a misspelt name: the closest name, or the names
     * that have runs; empty when some run has it, or the store has none.
     */
    static Optional<String> unknownPipeline(RunStore store, String pipeline) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        store.listRuns(Optional.empty(), 0).forEach(r -> names.add(r.pipeline()));
        if (names.isEmpty() || names.contains(pipeline)) {
            return Optional.empty();
        }
        return Optional.of(dev.freestone.diag.DidYouMean.help(pipeline, names, "the pipelines with runs are: " + String.join(", ", names)));
    }
}
