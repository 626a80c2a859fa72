package dev.freestone.cli;

import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "artifacts", mixinStandardHelpOptions = true, description = {"List the artifacts a run produced.",
    "A local artifact whose object is no longer in the artifact store (deleted by hand) is marked (missing);"
        + " in --output json, \"missing\" is true or false for a local artifact, null for a remote one."})
final class ArtifactsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "A run id or a unique prefix of one.")
    String run;

    @Option(names = "--output", defaultValue = "text", description = "text or json.")
    Cli.Format output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RunStore store = Cli.openStore()) {
            RunRecord r = Cli.findRun(store, run);
            List<ArtifactRecord> artifacts = store.artifacts(r.id()).stream()
                    .sorted(java.util.Comparator.comparing(ArtifactRecord::taskId, TaskOrder.BY_ID)
                            .thenComparing(ArtifactRecord::outputName)).toList();
            // an existence check, no re-hash: listing stays cheap however large the objects
            Map<ArtifactRecord, Boolean> missing = new java.util.HashMap<>();
            for (ArtifactRecord a : artifacts) {
                if (a.uri().startsWith("file:") && a.digest().isPresent()) {
                    missing.put(a, !a.storedIn(store.artifacts()));
                }
            }
            if (output == Cli.Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ArtifactRecord a : artifacts) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("task", a.taskId());
                    m.put("output", a.outputName());
                    m.put("type", a.type());
                    m.put("digest", a.digest().orElse(null));
                    m.put("size", a.size().orElse(null));
                    m.put("uri", a.uri());
                    m.put("missing", missing.get(a));
                    rows.add(m);
                }
                out.println(Cli.json(rows));
            } else if (artifacts.isEmpty()) {
                out.println("run " + r.id() + " has no artifacts");
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"TASK", "OUTPUT", "TYPE", "SIZE", "DIGEST", "URI"});
                for (ArtifactRecord a : artifacts) {
                    rows.add(new String[] {a.taskId(), a.outputName(), a.type(), a.size().map(String::valueOf).orElse(""),
                        a.digest().map(d -> d.substring(0, Math.min(19, d.length()))).orElse(""),
                        a.uri() + (missing.getOrDefault(a, false) ? "  (missing)" : "")});
                }
                out.print(Cli.table(rows));
                long gone = missing.values().stream().filter(m -> m).count();
                if (gone > 0) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.println("note: " + gone + (gone == 1 ? " artifact is" : " artifacts are") + " no longer in the artifact store "
                            + store.artifacts().root() + " (deleted by hand)");
                    err.println("  = help: the tasks that produced them are no longer cache hits: the next `freestone run`"
                            + " runs them again");
                    err.flush();
                }
            }
            out.flush();
        }
        return Main.OK;
    }
}
