package dev.freestone.cli;

import dev.freestone.runtime.argo.ArgoBackend;
import dev.freestone.runtime.argo.FollowResult;
import dev.freestone.runtime.store.Backend;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/** What the commands on an Argo run share: finding it, connecting to its cluster, following it to the end. */
final class RemoteRun {
    private RemoteRun() {
    }

    /** The run, which must have been submitted to Argo. */
    private static RunRecord find(RunStore store, String idOrPrefix) {
        RunRecord run = Cli.findRun(store, idOrPrefix);
        if (run.backend() != Backend.Argo) {
            throw new UserError("run " + run.id() + " ran locally, not on Argo", switch (run.status()) {
                case Succeeded -> "it succeeded: `freestone show " + run.id() + "` shows it, and `freestone run "
                        + RerunLine.quoted(run.sourcePath()) + "` runs the pipeline again";
                case Failed, Cancelled -> "`freestone resume " + run.id() + "` runs what did not succeed again";
                default -> "a local run is stopped with Ctrl-C where it runs, and continued with `freestone resume "
                        + run.id() + "` once its engine is gone";
            });
        }
        return run;
    }

    /** What a command does with an Argo run once it is found and its cluster connected. */
    @FunctionalInterface
    interface Action {
        int apply(ArgoBackend backend, RunStore store, RunRecord run) throws Exception;
    }

    /** Opens the store, finds the Argo run {@code idOrPrefix}, connects to its cluster and runs {@code action}. */
    static int with(String idOrPrefix, ClusterOptions cluster, PrintWriter err, Action action) throws Exception {
        try (RunStore store = Cli.openStore()) {
            RunRecord run = find(store, idOrPrefix);
            try (ArgoBackend backend = ClusterOptions.connect(cluster.target(store, run), store, err)) {
                return action.apply(backend, store, run);
            }
        }
    }

    /**
     * Follows the run with the progress view until it finishes (or {@code maxWait} passes), then
     * prints its outcome. Exit status: 0 when it succeeded, 1 otherwise.
     */
    static int follow(ArgoBackend backend, RunStore store, String runId, Optional<Duration> maxWait,
                      Progress.Mode mode, PrintWriter out, PrintWriter err) throws InterruptedException {
        Progress view = new Progress(mode, out);
        // Ctrl-C stops following, not the run (as `argo submit --watch`): say how to get back to it
        Thread hook = new Thread(() -> {
            view.close();
            err.println();
            err.println("stopped following run " + runId + "; it goes on on the cluster");
            err.println("  = help: `freestone watch " + runId + "` follows it again, `freestone stop " + runId
                    + "` stops it");
            err.flush();
        }, "freestone-unfollow");
        Runtime.getRuntime().addShutdownHook(hook);
        FollowResult result;
        try {
            result = backend.watch(runId, maxWait, new RemoteProgress(view, store));
        } finally {
            view.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of the interrupt: the hook is running
            }
        }
        // the outputs and the Workflow's message are what steps wrote: they do not drive the terminal
        return report(Cli.findRun(store, runId), result, maxWait, store, StandardOut.forText(out), StandardOut.forText(err));
    }

    /** How the followed run ended (or that it goes on), its outputs, and for a failed run what to do next. */
    private static int report(RunRecord run, FollowResult result, Optional<Duration> maxWait, RunStore store,
                              PrintWriter out, PrintWriter err) {
        if (result.timedOut()) {
            out.println(run.status() + "  run " + run.id() + "  still going after " + maxWait.map(Cli::seconds).orElse("")
                    + "  (Workflow " + result.workflow() + ")");
            err.println("  = help: `freestone watch " + run.id() + "` follows it again; it runs on without you");
            out.flush();
            err.flush();
            return Main.FAILED;
        }
        out.println(run.status() + "  run " + run.id() + "  in " + Cli.elapsed(run.startedAt(), run.finishedAt())
                + "  (Workflow " + result.workflow() + ")");
        // the pipeline's outputs, as a local run prints them
        store.runOutputs(run.id()).map(ShowCommand::parse).ifPresent(o -> o.fields().forEachRemaining(e ->
                out.println("  output " + e.getKey() + " = " + ShowCommand.outputText(e.getValue()))));
        out.flush();
        if (run.status() != RunStatus.Succeeded) {
            result.message().filter(m -> !m.isBlank()).ifPresent(m -> err.println("error: " + m));
            // retry and resubmit start from the Workflow: once it is deleted, only the file runs the pipeline again
            err.println("  = help: see `freestone show " + run.id() + "`" + (result.deleted()
                    ? "; its Workflow is gone, so `freestone submit " + run.sourcePath() + "` runs the pipeline again"
                    : " and `freestone logs " + run.id() + " TASK`; `freestone retry " + run.id()
                            + "` runs its failed steps again (through --argo-server)"));
            err.flush();
        }
        return run.status() == RunStatus.Succeeded ? Main.OK : Main.FAILED;
    }
}
