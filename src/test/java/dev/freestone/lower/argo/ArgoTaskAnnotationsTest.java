package dev.freestone.lower.argo;

import static dev.freestone.testing.IrFixture.cat;
import static dev.freestone.testing.IrFixture.dag;
import static dev.freestone.testing.IrFixture.o;
import static dev.freestone.testing.IrFixture.out;
import static dev.freestone.testing.IrFixture.output;
import static dev.freestone.testing.IrFixture.str;
import static dev.freestone.testing.IrFixture.task;
import static dev.freestone.testing.IrFixture.val;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.ir.Ir;
import dev.freestone.testing.IrFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The annotations through which the Argo backend maps Argo nodes back to IR task ids
 * (docs/argo-backend.md, "conventions"): renamed tasks, loop and conditional wrappers, component names.
 */
class ArgoTaskAnnotationsTest {
    private static final LowerOptions OPTIONS = LowerOptions.defaults().withIrHash("ab".repeat(32));

    @Test
    void renamedTasksAndComponentsAreAnnotated() {
        IrFixture fx = new IrFixture();
        Ir.Component say = fx.component("say_it").in("message", "String").out("echoed", "String").image("alpine:3.20")
                .command("sh", "-c", "echo \"$0\" | tee \"$1\"", val("message"), out("echoed")).build();
        Ir.Dag root = dag("hello", List.of(), List.of(output("greeting", "String", o("load_csv", "echoed", "String"))),
                List.of(task("load_csv", say).in("message", cat(str("hi"))).done(),
                        task("greet", say).in("message", cat(str("ho"))).done()), List.of());
        JsonNode wf = ArgoLowering.lower(fx.program(root), OPTIONS).manifests().get(0);
        JsonNode annotations = wf.path("metadata").path("annotations");
        assertEquals("{\"load-csv\":\"load_csv\"}", annotations.path(ArgoLowering.TASK_IDS_ANNOTATION).asText());
        assertFalse(annotations.has(ArgoLowering.WRAPPERS_ANNOTATION), "no loop, no conditional: no wrappers");
        JsonNode template = LoweredValidity.template(wf, "say-it");
        assertEquals("say_it", template.path("metadata").path("annotations").path(ArgoLowering.COMPONENT_ANNOTATION).asText());
    }

    @Test
    void loopsAndConditionalsAreWrappers() {
        JsonNode wf = ArgoLowering.lower(ArgoCases.sweep(), OPTIONS).manifests().get(0);
        assertEquals("[\"fit-loop\",\"gate\"]",
                wf.path("metadata").path("annotations").path(ArgoLowering.WRAPPERS_ANNOTATION).asText());
        // the template the loop runs per item says where its item is, so that each iteration's is recorded
        List<String> items = new java.util.ArrayList<>();
        wf.path("spec").path("templates").forEach(t -> {
            String note = t.path("metadata").path("annotations").path(ArgoLowering.LOOP_ITEM_ANNOTATION).asText(null);
            if (note != null) {
                items.add(t.path("name").asText() + " " + note);
            }
        });
        assertEquals(List.of("sweep-fit-loop " + "{\"name\":\"lr\",\"parameter\":\"lr\",\"as\":\"float\"}"), items);
        // a component whose template has its own name needs no annotation
        wf.path("spec").path("templates").forEach(t -> {
            if (t.has("container") || t.has("script")) {
                String c = t.path("metadata").path("annotations").path(ArgoLowering.COMPONENT_ANNOTATION).asText(null);
                assertFalse(t.path("name").asText().equals(c), t.path("name").asText());
            }
        });
    }

    @Test
    void cronWorkflowsPassTheAnnotationsToTheirWorkflows() {
        JsonNode cron = ArgoLowering.lower(ArgoCases.sweep(), OPTIONS.withKind(LowerOptions.Kind.CRON)
                .withSchedules(List.of("0 3 * * *"))).manifests().get(0);
        assertEquals("[\"fit-loop\",\"gate\"]", cron.path("spec").path("workflowMetadata").path("annotations")
                .path(ArgoLowering.WRAPPERS_ANNOTATION).asText());
    }

    /**
     * A {@code Metrics} output (or one of a user subtype of it) is also an output parameter read from the same file,
     * which the mirror records as metric rows; an optional one gives an empty text when the step did not write it.
     */
    @Test
    void metricsOutputsAreAlsoParametersReadFromTheSameFile() {
        IrFixture fx = new IrFixture();
        Ir.Component eval = fx.component("eval").out("scores", "Metrics").out("extra", "Metrics?").out("mine", "Eval")
                .out("confusion", "ClassificationMetrics").out("acc", "Float").image("alpine:3.20")
                .command("sh", "-c", "true", out("scores")).build();
        Ir.Program p = fx.program(dag("evaluate", List.of(), List.of(), List.of(task("e", eval).done()), List.of()));
        Ir.Program typed = new Ir.Program(p.apiVersion(), p.name(), p.sourceFile(), p.sourceDigest(), p.root(),
                p.pipelines(), p.components(), p.structs(), new java.util.TreeMap<>(java.util.Map.of("Eval", "Metrics")));
        Lowered lowered = ArgoLowering.lower(typed, OPTIONS);
        assertEquals(List.of(), LoweredValidity.problems(lowered));
        JsonNode params = LoweredValidity.template(lowered.manifests().get(0), "eval").path("outputs").path("parameters");
        assertEquals("[{\"name\":\"fs-metrics-scores\",\"valueFrom\":{\"path\":\"/tmp/freestone/outputs/scores\"}},"
                + "{\"name\":\"fs-metrics-extra\",\"valueFrom\":{\"path\":\"/tmp/freestone/outputs/extra\",\"default\":\"\"}},"
                + "{\"name\":\"fs-metrics-mine\",\"valueFrom\":{\"path\":\"/tmp/freestone/outputs/mine\"}},"
                + "{\"name\":\"acc\",\"valueFrom\":{\"path\":\"/tmp/freestone/outputs/acc\"}}]", params.toString());
    }
}
