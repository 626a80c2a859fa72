package dev.freestone.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Follows an Argo run, mirroring it into the run store, with the progress view of a local run. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow a run on Argo until it ends, updating the run store as it goes.",
            "Exit status: 0 the run succeeded, 1 it failed, was stopped, or --timeout passed first."})
final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = Cli.RUN_ID)
    String run;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop following after this long (the run goes on).")
    Long timeout;

    @Option(names = "--progress", defaultValue = "auto", description = "auto (live on a terminal), plain or none.")
    Progress.Mode progress;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        if (timeout != null && timeout < 1) {
            throw new UserError("--timeout must be at least 1 second", "e.g. --timeout 600", Main.USAGE);
        }
        return RemoteRun.with(run, cluster, spec.commandLine().getErr(), (backend, store, r) ->
                RemoteRun.follow(backend, store, r.id(), Optional.ofNullable(timeout).map(Duration::ofSeconds),
                        progress, spec.commandLine().getOut(), spec.commandLine().getErr()));
    }
}
