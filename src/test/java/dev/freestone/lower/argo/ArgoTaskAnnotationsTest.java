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
        JsonNode template = template(wf, "say-it");
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

    private static JsonNode template(JsonNode wf, String name) {
        for (JsonNode t : wf.path("spec").path("templates")) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no template " + name);
    }
}
