package dev.freestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.check.CheckOptions;
import dev.freestone.diag.Diagnostic;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrJson;
import dev.freestone.lower.argo.LowerOptions;
import dev.freestone.lower.argo.Lowered;
import dev.freestone.runtime.argo.ArgoBackend;
import dev.freestone.runtime.argo.ArgoTarget;
import dev.freestone.runtime.store.RunStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A .pipe file made ready for the cluster (a picocli mixin for {@code submit}, {@code schedule} and
 * {@code publish}): checked, its run arguments checked against the pipeline's signature, built to
 * IR, lowered and linted, with every diagnostic reported the way {@code check} does, all before
 * anything is sent.
 */
final class ClusterPipeline {
    @Parameters(index = "0", paramLabel = "FILE", description = "The .pipe file.")
    Path file;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A value for a pipeline parameter (checked against its type); give each once; it wins over --params.")
    List<String> params = new ArrayList<>();

    @Option(names = "--params", paramLabel = "FILE", description = "Parameters from a YAML or JSON map (each name once).")
    Path paramsFile;

    @Option(names = "--pipeline", description = "Which pipeline, when the file has several.")
    String pipeline;

    @Mixin
    LoweringFlags lowering = new LoweringFlags();

    @Option(names = "--allow", split = ",", paramLabel = "LINT", converter = LintName.class, description = "Silence these warnings.")
    List<String> allow = new ArrayList<>();

    @Option(names = "--color", defaultValue = "auto", description = "auto (when standard error is a terminal"
            + " and NO_COLOR is unset), always or never.")
    FrontEnd.Color color;

    /** What goes to the cluster, and what the run store records about it. */
    record Ready(Ir.Program ir, String irHash, Map<String, JsonNode> values, Lowered lowered, Path source) {
        /** The object to submit: the Workflow, WorkflowTemplate or CronWorkflow. */
        ObjectNode main() {
            return lowered.main();
        }

        /** The WorkflowTemplates split out of a large pipeline, which the main object references. */
        List<ObjectNode> libraries() {
            List<ObjectNode> all = lowered.manifests();
            return all.subList(0, all.size() - 1);
        }

        /** The parameters given and the defaults of the others, as {@code run} records them: runs compare by what they ran with. */
        String paramsJson() {
            return Cli.json(RunCommand.withDefaults(ir, values));
        }
    }

    /** What a command does with the pipeline once it is ready and the cluster connected. */
    @FunctionalInterface
    interface Send {
        int apply(Ready ready, ArgoBackend backend, RunStore store) throws Exception;
    }

    /**
     * Makes the pipeline ready for {@code kind}, connects to the cluster {@code cluster} names and
     * runs {@code send}; exit status 1, with nothing sent, when the pipeline has errors. The flags are
     * checked before the file is read: their mistakes are usage errors (exit 2) whatever the file holds.
     */
    int send(LowerOptions.Kind kind, List<String> schedules, ClusterOptions cluster, PrintWriter out, PrintWriter err,
             Send send) throws Exception {
        LowerOptions options = lowering.options(kind, schedules, cluster.namespace);
        ArgoTarget target = cluster.target();
        Optional<Ready> ready = prepare(options, out, err);
        if (ready.isEmpty()) {
            return Main.FAILED;
        }
        try (RunStore store = Cli.openStore(); ArgoBackend backend = ClusterOptions.connect(target, store, err)) {
            return send.apply(ready.get(), backend, store);
        }
    }

    /** Compiles and lowers with {@code options}; empty (diagnostics printed) when the file, the arguments or the lowering has errors. */
    private Optional<Ready> prepare(LowerOptions options, PrintWriter out, PrintWriter err) {
        FrontEnd.RawParams raw = FrontEnd.rawParams(params, paramsFile);
        FrontEnd.Compiled c = FrontEnd.compile(file, new CheckOptions(new LinkedHashSet<>(allow), false, pipeline),
                pipeline, raw);
        if (c.ir() == null || c.failed(false)) {
            FrontEnd.report(c.diagnostics(), Cli.Format.text, out, err, color);
            return Optional.empty();
        }
        List<Diagnostic> diagnostics = new ArrayList<>(c.diagnostics());
        String hash = IrJson.sha256(c.ir());
        Map<String, JsonNode> values = FrontEnd.values(c.arguments());
        Lowered lowered = lowering.lowerAndValidate(c, values, LoweringFlags.forProgram(options, c.ir(), hash),
                diagnostics);
        List<Diagnostic> sorted = Diagnostic.sorted(diagnostics);
        FrontEnd.report(sorted, Cli.Format.text, out, err, color);
        if (Diagnostic.hasErrors(sorted)) {
            err.println("  = help: nothing was sent to the cluster");
            err.flush();
            return Optional.empty();
        }
        noteArtifactLocations(c.ir(), values, err);
        return Optional.of(new Ready(c.ir(), hash, values, lowered, file.toAbsolutePath().normalize()));
    }

    /**
     * A local run reads artifact parameters from this machine; on the cluster a plain path is a key in
     * the artifact repository (docs/argo.md). Said once per parameter, so nobody waits for a run that
     * cannot find its input.
     */
    private static void noteArtifactLocations(Ir.Program ir, Map<String, JsonNode> values, PrintWriter err) {
        for (Ir.Param p : ir.root().params()) {
            boolean artifact = ir.isArtifact(p.type());
            JsonNode v = values.getOrDefault(p.name(), p.defaultValue());
            if (!artifact || v == null || !v.isTextual() || v.asText().matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
                continue;
            }
            err.println("note: artifact parameter `" + p.name() + "` = " + v.asText() + " is read from the cluster's"
                    + " artifact repository (key " + v.asText() + "), not from this machine; upload it there, or pass"
                    + " an s3://, gs:// or https:// location with --param " + p.name() + "=...");
        }
        err.flush();
    }
}
