package dev.freestone.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Asks Argo to stop a run: running steps are stopped, the exit handler ({@code finally}) still runs. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop a run on Argo: its steps are stopped, its `finally` block still runs.",
            "`freestone terminate` also skips the `finally` block."})
final class StopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = Cli.RUN_ID)
    String run;

    @Option(names = "--message", description = "Why (Argo records it on the Workflow).")
    String message;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        return RemoteRun.with(run, cluster, spec.commandLine().getErr(), (backend, store, r) -> {
            backend.stop(r.id(), Optional.ofNullable(message));
            spec.commandLine().getOut().println("run " + r.id() + ": stop requested for Workflow "
                    + r.remote().map(Object::toString).orElse("?") + " (its `finally` block still runs)");
            spec.commandLine().getOut().flush();
            return Main.OK;
        });
    }
}
