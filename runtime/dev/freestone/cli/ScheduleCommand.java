package dev.freestone.cli;

import dev.freestone.lower.argo.LowerOptions;
import dev.freestone.runtime.store.RemoteRef;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Creates a CronWorkflow that runs the pipeline on a schedule (Argo v4 {@code schedules}, one or
 * more). Its runs are created by Argo, not by Freestone, so they are not in the run store.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Run a pipeline on a schedule: create a CronWorkflow on the cluster.",
            "Parameters given now become the scheduled runs' arguments.",
            "`freestone schedules` lists the schedules, and suspends, resumes or deletes one."})
final class ScheduleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterPipeline pipeline;

    @Mixin
    ClusterOptions cluster;

    @Option(names = {"--cron", "--schedule"}, required = true, paramLabel = "SCHEDULE",
            description = "A cron schedule, e.g. \"0 3 * * *\" (repeat for several; CRON_TZ=... prefix for a time zone).")
    List<String> cron = new ArrayList<>();

    @Option(names = "--replace", description = "Update an existing CronWorkflow of the same name instead of refusing.")
    boolean replace;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        return pipeline.send(LowerOptions.Kind.CRON, cron, cluster, out, spec.commandLine().getErr(),
                (r, backend, store) -> {
                    RemoteRef ref = backend.schedule(r.main(), r.libraries(), replace);
                    out.println("scheduled " + r.ir().name() + " (version " + r.irHash().substring(0, 12)
                            + ") as CronWorkflow " + ref + ": "
                            + String.join(", ", cron.stream().map(c -> "\"" + c + "\"").toList()));
                    out.flush();
                    return Main.OK;
                });
    }
}
