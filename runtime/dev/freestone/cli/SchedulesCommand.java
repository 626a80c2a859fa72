package dev.freestone.cli;

import dev.freestone.runtime.argo.ArgoBackend;
import dev.freestone.runtime.argo.ArgoTarget;
import dev.freestone.runtime.argo.Schedule;
import dev.freestone.runtime.store.RemoteRef;
import dev.freestone.runtime.store.RunStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The schedules {@code freestone schedule} created (KFP's recurring runs, {@code argo cron list}): listed, or one
 * suspended, resumed or deleted. Freestone's CronWorkflows are those with the lowering's pipeline label; others of
 * the namespace are not shown.
 */
@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = {"List the pipelines scheduled on the cluster (by `freestone schedule`); suspend, resume or delete one.",
            "Only the CronWorkflows Freestone created are listed (label freestone.dev/pipeline)."})
final class SchedulesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Action action;

    static final class Action {
        @Option(names = "--suspend", paramLabel = "NAME", required = true,
                description = "Suspend this schedule: it starts no runs until --resume (runs already going go on).")
        String suspend;

        @Option(names = "--resume", paramLabel = "NAME", required = true, description = "Resume a suspended schedule.")
        String resume;

        @Option(names = "--delete", paramLabel = "NAME", required = true,
                description = "Delete this schedule's CronWorkflow (Kubernetes deletes the Workflows it started with it).")
        String delete;
    }

    @Option(names = "--output", defaultValue = "text", description = "text or json (the list).")
    Cli.Format output;

    @Override
    public Integer call() {
        if (action != null && output == Cli.Format.json) {
            throw new UserError("--output json is for the list, not for --suspend, --resume or --delete",
                    "leave --output out, or list with `freestone schedules --output json`", Main.USAGE);
        }
        PrintWriter out = StandardOut.forText(spec.commandLine().getOut(), output);
        ArgoTarget target = cluster.target();
        try (RunStore store = Cli.openStore();
                ArgoBackend backend = ClusterOptions.connect(target, store, spec.commandLine().getErr())) {
            if (action == null) {
                list(backend.schedules(), backend.namespace(), out);
            } else if (action.suspend != null) {
                RemoteRef ref = backend.suspend(action.suspend, true);
                out.println("suspended schedule " + ref + ": it starts no runs until `freestone schedules --resume "
                        + ref.name() + "`");
            } else if (action.resume != null) {
                out.println("resumed schedule " + backend.suspend(action.resume, false));
            } else {
                out.println("deleted schedule " + backend.unschedule(action.delete));
            }
            out.flush();
        }
        return Main.OK;
    }

    private void list(List<Schedule> schedules, String namespace, PrintWriter out) {
        if (output == Cli.Format.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Schedule s : schedules) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", s.name());
                row.put("namespace", s.namespace());
                row.put("pipeline", s.pipeline());
                row.put("schedules", s.schedules());
                row.put("suspended", s.suspended());
                row.put("lastRun", s.lastRun().orElse(null));
                row.put("active", s.active());
                row.put("params", s.params());
                rows.add(row);
            }
            out.println(Cli.json(rows));
            return;
        }
        if (schedules.isEmpty()) {
            out.println("no schedules in namespace " + namespace + ": create one with `freestone schedule FILE --cron"
                    + " \"0 3 * * *\"`");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "PIPELINE", "SCHEDULES", "SUSPENDED", "LAST RUN", "ACTIVE", "PARAMS"});
        for (Schedule s : schedules) {
            List<String> params = new ArrayList<>();
            s.params().forEach((k, v) -> params.add(k + "=" + v));
            rows.add(new String[] {s.name(), s.pipeline(), String.join(", ", s.schedules()), s.suspended() ? "yes" : "no",
                s.lastRun().orElse("-"), String.valueOf(s.active()), params.isEmpty() ? "-" : String.join(", ", params)});
        }
        out.print(Cli.table(rows, out));
    }
}
