package dev.freestone.cli;

import dev.freestone.runtime.store.Backend;
import dev.freestone.runtime.store.RunLookup;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.Sweep;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "delete", mixinStandardHelpOptions = true, description = {
    "Delete runs (their record, logs and working folders) and reclaim the space of the artifacts no other run uses.",
    "Give run ids, or select runs with --older, --status and --pipeline (all must hold), or --all. There is no prompt"
            + " (as with `argo delete`): --dry-run lists what would go and the space it would free.",
    "A run in progress (its engine alive, or an Argo run not known to have ended) is not deleted: named by id, it is an"
            + " error; selected by a filter, it is left with a note. An Argo run's record is deleted, not its Workflow on the"
            + " cluster (`argo delete`).",
    "Then sweeps what no run accounts for, as `freestone gc` does."})
final class DeleteCommand implements Callable<Integer> {
    private static final Pattern AGE = Pattern.compile("([0-9]+)(d|h|m|s)");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "RUN", description = Cli.RUN_IDS)
    List<String> runs = new ArrayList<>();

    @Option(names = "--older", paramLabel = "AGE",
            description = "Only runs that finished (or, unfinished, started) longer ago than this: 7d, 12h, 30m, 1d12h.")
    String older;

    @Option(names = "--status", paramLabel = "STATUS", split = ",", completionCandidates = Cli.StatusNames.class,
            description = "Only runs with this status (Succeeded, Failed, Cancelled, Running, Pending); repeat or list with commas.")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--pipeline", description = "Only runs of this pipeline.")
    String pipeline;

    @Option(names = "--all", description = "Every run (that is not in progress).")
    boolean all;

    @Option(names = "--dry-run", description = "List what would be deleted and the space it would free; change nothing.")
    boolean dryRun;

    @Option(names = "--output", defaultValue = "text", description = "text or json.")
    Cli.Format output;

    @Override
    public Integer call() throws IOException {
        boolean filtered = older != null || !statuses.isEmpty() || pipeline != null;
        if (runs.isEmpty() && !filtered && !all) {
            throw new UserError("say which runs to delete", "give run ids, or select with --older, --status or --pipeline,"
                    + " or --all (see `freestone delete --help`)", Main.USAGE);
        }
        if (!runs.isEmpty() && (filtered || all)) {
            throw new UserError("give run ids or a selection (--older, --status, --pipeline, --all), not both",
                    "delete the runs named with `freestone delete " + String.join(" ", runs) + "`", Main.USAGE);
        }
        if (all && filtered) {
            throw new UserError("--all deletes every run: it does not go with --older, --status or --pipeline",
                    "leave --all out to delete the runs the others select", Main.USAGE);
        }
        Optional<Duration> age = Optional.ofNullable(older).map(DeleteCommand::age);
        Set<RunStatus> wanted = Cli.statuses(statuses);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RunStore store = Cli.openStore()) {
            List<RunRecord> selected = runs.isEmpty() ? select(store, age, wanted) : named(store);
            List<Map<String, Object>> skipped = new ArrayList<>();
            List<RunRecord> going = new ArrayList<>();
            for (RunRecord r : selected) {
                Optional<String> busy = inProgress(store, r);
                if (busy.isEmpty()) {
                    going.add(r);
                } else if (runs.isEmpty()) {
                    skipped.add(Map.of("id", r.id(), "reason", busy.get()));
                } else {
                    throw refusal(r, busy.get());
                }
            }
            Set<String> ids = new TreeSet<>();
            going.forEach(r -> ids.add(r.id()));
            Sweep.Outcome swept;
            if (dryRun) {
                swept = Sweep.plan(store, ids);
            } else {
                store.atomically("delete runs", () -> {
                    for (RunRecord r : going) {
                        // again under the write lock: a resume may have taken it over since
                        inProgress(store, r).ifPresent(busy -> {
                            throw refusal(r, busy);
                        });
                        store.deleteRun(r.id());
                    }
                });
                // files after the commit: a kill from here on leaves garbage the next sweep removes
                swept = Sweep.run(store);
            }
            if (output == Cli.Format.json) {
                Map<String, Object> doc = GcCommand.json(swept, dryRun);
                doc.put("runs", going.stream().map(ShowCommand::summary).toList());
                doc.put("skipped", skipped);
                out.println(Cli.json(doc));
            } else {
                for (Map<String, Object> s : skipped) {
                    err.println("note: run " + s.get("id") + " " + s.get("reason") + ": left as it is");
                }
                String verb = dryRun ? "would delete " : "deleted ";
                for (RunRecord r : going) {
                    out.println(verb + r.id() + "  " + r.pipeline() + "  " + r.status() + "  " + r.startedAt());
                }
                if (going.isEmpty()) {
                    out.println(!skipped.isEmpty() ? "no runs to delete: the runs selected are in progress"
                            : all ? "no runs to delete: the store has none" : "no run matches the selection: " + description(age));
                    // as `runs --pipeline`: a misspelt name selects nothing
                    if (skipped.isEmpty() && pipeline != null) {
                        RunsCommand.unknownPipeline(store, pipeline).ifPresent(help -> out.println("  = help: " + help));
                    }
                }
                out.println((dryRun ? "would delete " : "deleted ") + going.size() + (going.size() == 1 ? " run" : " runs")
                        + (dryRun ? " and free " : ", freed ") + GcCommand.summary(swept));
                GcCommand.notes(swept, err);
            }
            out.flush();
            return GcCommand.failures(swept, err);
        }
    }

    private static UserError refusal(RunRecord r, String busy) {
        return new UserError("run " + r.id() + " " + busy + ": it cannot be deleted while it runs", (r.backend() == Backend.Local
                ? "stop it first (Ctrl-C in its terminal, or `kill -INT` the process), then delete it"
                : "`freestone watch " + r.id() + "` follows it to its end (or says its Workflow is gone), `freestone terminate "
                        + r.id() + "` stops it; then delete it") + "; nothing was deleted");
    }

    /**
     * Why {@code r} cannot be deleted now: its engine is alive, or a continuation whose engine is alive
     * resumes it (and reuses its outputs), or it is an Argo run not known to have ended. A local run whose
     * engine died may be deleted.
     */
    static Optional<String> inProgress(RunStore store, RunRecord r) {
        if (r.backend() != Backend.Local && !r.status().isTerminal()) {
            // its Workflow may run on, and a `watch` may be mirroring it into the record
            return Optional.of("is " + r.status() + " on the cluster" + r.remote().map(ref -> " (Workflow " + ref + ")").orElse(""));
        }
        if (!r.status().isTerminal()) {
            Optional<Long> pid = RunCommand.liveEngine(store, r.id());
            if (pid.isPresent()) {
                return Optional.of("is in progress (engine process " + pid.get() + ")");
            }
        }
        return ResumeCommand.liveContinuation(store, r.id())
                .map(next -> "is being resumed by run " + next.id() + " (engine process " + next.pid() + ")");
    }

    /** The runs named on the command line; every id that names none (or several) is said at once, and nothing is deleted. */
    private List<RunRecord> named(RunStore store) {
        Map<String, RunRecord> found = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        boolean ambiguous = false;
        for (String q : runs) {
            RunLookup lookup = store.getRun(q);
            if (lookup instanceof RunLookup.Found f) {
                found.putIfAbsent(f.run().id(), f.run());
            } else {
                problems.add(lookup.message());
                ambiguous |= lookup instanceof RunLookup.Ambiguous;
            }
        }
        if (!problems.isEmpty()) {
            throw new UserError(String.join("; ", problems) + " (nothing was deleted)", ambiguous
                    ? "give more characters of the run id" : "list runs with `freestone runs`");
        }
        return List.copyOf(found.values());
    }

    private List<RunRecord> select(RunStore store, Optional<Duration> age, Set<RunStatus> wanted) {
        Instant before = age.map(DeleteCommand::ago).orElse(Instant.MAX);
        List<RunRecord> out = new ArrayList<>();
        for (RunRecord r : store.listRuns(Optional.ofNullable(pipeline), 0)) {
            if ((wanted.isEmpty() || wanted.contains(r.status())) && r.finishedAt().orElse(r.startedAt()).isBefore(before)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The moment {@code age} ago; before any run for an age longer than time itself ({@code --older 99999999999d}). */
    private static Instant ago(Duration age) {
        try {
            return Instant.now().minus(age);
        } catch (java.time.DateTimeException | ArithmeticException beforeTime) {
            return Instant.MIN;
        }
    }

    private String description(Optional<Duration> age) {
        List<String> parts = new ArrayList<>();
        if (pipeline != null) {
            parts.add("of pipeline `" + pipeline + "`");
        }
        if (!statuses.isEmpty()) {
            parts.add("with status " + String.join(" or ", statuses));
        }
        age.ifPresent(a -> parts.add("older than " + older));
        return String.join(", ", parts);
    }

    /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}, or several: {@code 1d12h}. */
    static Duration age(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = AGE.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            } catch (NumberFormatException | ArithmeticException e) {
                throw badAge(text);
            }
            at = m.end();
        }
        if (t.isEmpty() || at != t.length()) {
            throw badAge(text);
        }
        return total;
    }

    private static UserError badAge(String text) {
        return new UserError("--older `" + text + "` is not an age", "write a number and a unit (d, h, m or s), e.g."
                + " --older 7d, --older 12h, --older 1d12h", Main.USAGE);
    }
}
