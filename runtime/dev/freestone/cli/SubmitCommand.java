package dev.freestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.lower.argo.LowerOptions;
import dev.freestone.runtime.argo.ArgoBackend;
import dev.freestone.runtime.argo.SubmitRequest;
import dev.freestone.runtime.argo.Submitted;
import dev.freestone.runtime.store.GitInfo;
import dev.freestone.runtime.store.RunStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Submits a pipeline to Argo: the file is checked, the run arguments are checked against the
 * pipeline's signature, the IR is lowered and linted, and only then is anything sent. The run is
 * recorded in the run store (backend {@code argo}) with its Workflow; {@code --wait} follows it
 * with the same progress view as a local run.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Run a pipeline on a Kubernetes cluster through Argo Workflows.",
            "Prints the run id and the Workflow; --wait follows it to the end.",
            "Exit status: 0 submitted (with --wait: succeeded), 1 refused, failed or the pipeline has errors, 2 usage error."})
final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterPipeline pipeline;

    @Mixin
    ClusterOptions cluster;

    @Option(names = {"-w", "--wait", "--watch"}, description = "Follow the run until it ends; exit 0 only when it succeeded.")
    boolean await;

    @Option(names = "--from-template",
            description = "Submit a Workflow that references the pipeline's WorkflowTemplate (as `freestone publish` creates it;"
                + " created now when missing, refused when the published one differs).")
    boolean fromTemplate;

    @Option(names = "--progress", defaultValue = "auto", description = "With --wait: auto (live on a terminal), plain or none.")
    Progress.Mode progress;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "File the run under this label (repeat for"
            + " several): a label of its Workflow too (`argo list -l`), and `runs --label KEY=VALUE` lists it.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--output", defaultValue = "text",
            description = "text, or json: one object {run, workflow, templates[, status]} on stdout, for scripts.")
    Cli.Format output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LowerOptions.Kind kind = fromTemplate ? LowerOptions.Kind.TEMPLATE : LowerOptions.Kind.WORKFLOW;
        java.util.Map<String, String> labelled = Labels.parse(labels);
        return pipeline.send(kind, List.of(), cluster, out, err, (r, backend, store) -> {
            ObjectNode workflow = fromTemplate ? referencing(r.main()) : r.main();
            if (!labelled.isEmpty()) {
                ObjectNode meta = workflow.get("metadata") instanceof ObjectNode m ? m : workflow.putObject("metadata");
                ObjectNode on = meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
                labelled.forEach(on::put);
            }
            List<ObjectNode> templates = new ArrayList<>(r.libraries());
            if (fromTemplate) {
                templates.add(r.main());
            }
            SubmitRequest request = new SubmitRequest(r.ir().name(), r.irHash(), workflow, templates,
                    r.source().toString(), r.ir().sourceDigest(), GitInfo.commitOf(r.source()), r.paramsJson());
            Submitted submitted = backend.submit(request);
            store.addLabels(submitted.runId(), labelled);
            cluster.record(store, submitted.runId());
            RunCommand.keepIr(store, submitted.runId(), r.ir());
            if (output == Cli.Format.json) {
                return json(submitted, backend, store, out, err);
            }
            out.println("run " + submitted.runId() + ": submitted " + r.ir().name() + " (version "
                    + r.irHash().substring(0, 12) + ") as Workflow " + submitted.workflow());
            for (var t : submitted.templates()) {
                out.println("  with WorkflowTemplate " + t);
            }
            out.flush();
            if (!await) {
                err.println("  = help: `freestone watch " + submitted.runId() + "` follows it, `freestone show "
                        + submitted.runId() + "` shows it");
                err.flush();
                return Main.OK;
            }
            return RemoteRun.follow(backend, store, submitted.runId(), Optional.empty(), progress, out, err);
        });
    }

    private int json(Submitted submitted, ArgoBackend backend, RunStore store, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("run", submitted.runId());
        doc.put("workflow", submitted.workflow().toString());
        doc.put("templates", submitted.templates().stream().map(Object::toString).toList());
        int code = Main.OK;
        if (await) {
            var sink = new java.io.StringWriter();
            code = RemoteRun.follow(backend, store, submitted.runId(), Optional.empty(), Progress.Mode.none,
                    new PrintWriter(sink), err);
            doc.put("status", Cli.findRun(store, submitted.runId()).status().name());
        }
        out.println(Cli.json(doc));
        out.flush();
        return code;
    }

    /**
     * A Workflow that runs the published WorkflowTemplate: the template's annotations (IR hash,
     * task ids, wrappers) and arguments, its entrypoint by reference.
     */
    static ObjectNode referencing(ObjectNode template) {
        ObjectNode wf = Cli.JSON.createObjectNode();
        wf.put("apiVersion", template.path("apiVersion").asText());
        wf.put("kind", "Workflow");
        ObjectNode meta = wf.putObject("metadata");
        JsonNode tm = template.path("metadata");
        String name = tm.path("name").asText();
        meta.put("generateName", (name.length() > 57 ? name.substring(0, 57) : name) + "-");
        if (tm.has("namespace")) {
            meta.set("namespace", tm.get("namespace"));
        }
        if (tm.has("labels")) {
            meta.set("labels", tm.get("labels").deepCopy());
        }
        if (tm.has("annotations")) {
            meta.set("annotations", tm.get("annotations").deepCopy());
        }
        ObjectNode s = wf.putObject("spec");
        s.putObject("workflowTemplateRef").put("name", name);
        if (template.path("spec").has("arguments")) {
            s.set("arguments", template.path("spec").get("arguments").deepCopy());
        }
        return wf;
    }
}
