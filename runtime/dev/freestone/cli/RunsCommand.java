package dev.freestone.cli;

import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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

    @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "At most this many runs (0: all). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--output", defaultValue = "text", description = "text or json.")
    Cli.Format output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RunStore store = Cli.openStore()) {
            List<RunRecord> runs = store.listRuns(Optional.ofNullable(pipeline), limit);
            if (output == Cli.Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (RunRecord r : runs) {
                    rows.add(ShowCommand.summary(r));
                }
                out.println(Cli.json(rows));
            } else if (runs.isEmpty() && pipeline != null && !store.listRuns(Optional.empty(), 1).isEmpty()) {
                // the filter matched nothing: most often a misspelt name
                java.util.SortedSet<String> names = new java.util.TreeSet<>();
                store.listRuns(Optional.empty(), 0).forEach(r -> names.add(r.pipeline()));
                out.println("no runs of pipeline `" + pipeline + "`");
                out.println("  = help: " + dev.freestone.diag.DidYouMean.help(pipeline, names,
                        "the pipelines with runs are: " + String.join(", ", names)));
            } else if (runs.isEmpty()) {
                out.println("no runs yet: start one with `freestone run FILE`");
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"RUN", "PIPELINE", "STATUS", "STARTED", "ELAPSED", "BACKEND", "VERSION"});
                for (RunRecord r : runs) {
                    String status = r.status().name() + RunCommand.goneEngine(store, r).map(pid -> " (engine gone)").orElse("");
                    rows.add(new String[] {r.id(), r.pipeline(), status, r.startedAt().toString(),
                        Cli.elapsed(r.startedAt(), r.finishedAt()), r.backend().wireName(),
                        r.version().substring(0, Math.min(12, r.version().length()))});
                }
                out.print(Cli.table(rows));
            }
            out.flush();
        }
        return Main.OK;
    }

}
