package dev.freestone.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Asks Argo to terminate a run: everything stops at once, the exit handler does not run. */
@Command(name = "terminate", mixinStandardHelpOptions = true,
        description = "Terminate a run on Argo at once: its `finally` block does not run (see `freestone stop`).")
final class TerminateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = Cli.RUN_ID)
    String run;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        return RemoteRun.with(run, cluster, spec.commandLine().getErr(), (backend, store, r) -> {
            backend.terminate(r.id());
            spec.commandLine().getOut().println("run " + r.id() + ": terminate requested for Workflow "
                    + r.remote().map(Object::toString).orElse("?"));
            spec.commandLine().getOut().flush();
            return Main.OK;
        });
    }
}
