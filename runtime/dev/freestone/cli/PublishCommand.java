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

/** Publishes the pipeline as a WorkflowTemplate, named after the pipeline, for Argo's UI and for {@code submit --from-template}. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish a pipeline as a WorkflowTemplate on the cluster (named after the pipeline).",
            "`freestone submit FILE --from-template` runs it; an identical one is left as it is."})
final class PublishCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterPipeline pipeline;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--replace", description = "Update an existing WorkflowTemplate of the same name instead of refusing.")
    boolean replace;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        return pipeline.send(LowerOptions.Kind.TEMPLATE, List.of(), cluster, out, spec.commandLine().getErr(),
                (r, backend, store) -> {
                    List<RemoteRef> refs = backend.publish(new ArrayList<>(r.lowered().manifests()), replace);
                    out.println("published " + r.ir().name() + " (version " + r.irHash().substring(0, 12)
                            + ") as WorkflowTemplate " + refs.get(refs.size() - 1));
                    for (RemoteRef lib : refs.subList(0, refs.size() - 1)) {
                        out.println("  with WorkflowTemplate " + lib);
                    }
                    out.flush();
                    return Main.OK;
                });
    }
}
