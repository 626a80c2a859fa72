package dev.freestone.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Retries a failed Argo run in place: the same run and Workflow, its failed steps run again. Argo
 * does this by rewriting node status, which only its server does: it needs {@code --argo-server}.
 */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {"Run the failed steps of a failed Argo run again, in the same run (needs --argo-server).",
            "`freestone resubmit` starts a new run instead."})
final class RetryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = Cli.RUN_ID)
    String run;

    @Option(names = "--restart-successful", description = "Run the steps that succeeded again too.")
    boolean restartSuccessful;

    @Option(names = {"-w", "--wait", "--watch"}, description = "Follow the run until it ends; exit 0 only when it succeeded.")
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
            backend.retry(r.id(), restartSuccessful);
            out.println("run " + r.id() + ": retrying Workflow " + r.remote().map(Object::toString).orElse("?"));
            out.flush();
            return await ? RemoteRun.follow(backend, store, r.id(), Optional.empty(), progress, out, err) : Main.OK;
        });
    }
}
