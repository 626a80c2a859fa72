package dev.freestone.cli;

import dev.freestone.runtime.argo.Submitted;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Starts an Argo run again from its Workflow's spec, as a new run and a new Workflow. */
@Command(name = "resubmit", mixinStandardHelpOptions = true,
        description = {"Start an Argo run again as a new run, with the same pipeline version and parameters.",
            "--memoized reuses the outputs of the steps that succeeded (needs --argo-server)."})
final class ResubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = Cli.RUN_ID)
    String run;

    @Option(names = "--memoized", description = "Reuse the outputs of the steps that succeeded.")
    boolean memoized;

    @Option(names = {"-w", "--wait", "--watch"}, description = "Follow the new run until it ends; exit 0 only when it succeeded.")
    boolean await;

    @Option(names = "--progress", defaultValue = "auto", description = "With --wait: auto, plain or none.")
    Progress.Mode progress;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return RemoteRun.with(run, cluster, err, (backend, store, r) -> {
            Submitted again = backend.resubmit(r.id(), memoized);
            cluster.recordFor(store, r.id(), again.runId());
            store.events(r.id()).stream().filter(e -> e.kind().equals(RunCommand.IR_EVENT)).findFirst()
                    .ifPresent(e -> store.appendEvent(again.runId(), Optional.empty(), e.kind(), e.message()));
            out.println("run " + again.runId() + ": resubmitted run " + r.id() + " as Workflow " + again.workflow()
                    + (memoized ? " (reusing the steps that succeeded)" : ""));
            out.flush();
            return await ? RemoteRun.follow(backend, store, again.runId(), Optional.empty(), progress, out, err)
                    : Main.OK;
        });
    }
}
