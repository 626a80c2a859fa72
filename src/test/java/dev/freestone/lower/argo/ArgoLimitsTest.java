package dev.freestone.lower.argo;

import static dev.freestone.testing.IrFixture.c;
import static dev.freestone.testing.IrFixture.dag;
import static dev.freestone.testing.IrFixture.o;
import static dev.freestone.testing.IrFixture.out;
import static dev.freestone.testing.IrFixture.output;
import static dev.freestone.testing.IrFixture.p;
import static dev.freestone.testing.IrFixture.param;
import static dev.freestone.testing.IrFixture.task;
import static dev.freestone.testing.IrFixture.val;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.diag.Code;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import dev.freestone.testing.IrFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Determinism, size targets, speed, and Argo's limits (200 tasks per DAG, 200 templates per object). */
class ArgoLimitsTest {
    private static final LowerOptions OPTIONS = ArgoGoldenTest.OPTIONS;

    @Test
    void sameInputSameBytes() {
        for (var e : ArgoCases.ALL.entrySet()) {
            String a = ArgoLowering.lower(e.getValue().get(), OPTIONS).yaml();
            String b = ArgoLowering.lower(e.getValue().get(), OPTIONS).yaml();
            assertEquals(a, b, e.getKey());
        }
    }

    @Test
    void oneStepPipelineIsSmall() {
        Lowered l = ArgoLowering.lower(ArgoCases.hello(), OPTIONS);
        System.out.println("one step: " + l.sizeBytes() + " bytes");
        assertTrue(l.sizeBytes() <= 2048, "one step pipeline: " + l.sizeBytes() + " bytes");
        assertEquals(1, l.podEstimate());
    }

    /** 7 learning rates x 8 depths, unrolled: 56 training steps read one prepared dataset, one step picks the best. */
    static Ir.Program gridSearch() {
        IrFixture fx = new IrFixture();
        Ir.Component prep = fx.component("prepare").in("url", "String").out("data", "Dataset")
                .command("python3", "prep.py", "--url", val("url"), "--out", out("data")).build();
        Ir.Component train = fx.component("train").in("data", "Dataset").in("lr", "Float").in("depth", "Int")
                .out("model", "Model").out("score", "Float")
                .command("python3", "train.py", IrFixture.in("data"), List.of("--lr=", val("lr")),
                        List.of("--depth=", val("depth")), out("model"), out("score")).build();
        Ir.Component pick = fx.component("pick").in("scores", "List[Float]").out("best", "Int")
                .command("python3", "pick.py", val("scores"), out("best")).build();
        List<Ir.Node> body = new ArrayList<>();
        body.add(task("prep", prep).in("url", p("url", "String")).done());
        List<Ir.Expr> scores = new ArrayList<>();
        double[] rates = {0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003};
        for (int i = 0; i < rates.length; i++) {
            for (int d = 1; d <= 8; d++) {
                String id = "t" + i + "_" + d;
                body.add(task(id, train).in("data", o("prep", "data", "Dataset")).in("lr", c(rates[i], "Float"))
                        .in("depth", c(d, "Int")).after("prep").done());
                scores.add(o(id, "score", "Float"));
            }
        }
        List<String> deps = body.stream().skip(1).map(Ir.Node::id).toList();
        body.add(task("pick", pick).in("scores", new Ir.ListOf(scores, IrType.of("List[Float]")))
                .after(deps.toArray(String[]::new)).done());
        Ir.Dag root = dag("grid", List.of(param("url", "String", "s3://data/iris.csv")),
                List.of(output("best", "Int", o("pick", "best", "Int"))), body, List.of());
        return fx.program(root);
    }

    @Test
    void gridSearchIsSmallAndValid() {
        Lowered l = ArgoLowering.lower(gridSearch(), OPTIONS);
        System.out.println("grid search (56 + 2 steps): " + l.sizeBytes() + " bytes");
        assertTrue(l.sizeBytes() <= 40 * 1024, "grid search: " + l.sizeBytes() + " bytes");
        assertEquals(58, l.podEstimate());
        assertEquals(List.of(), LoweredValidity.problems(l));
    }

    /** How long it takes is measured by `bench/run.sh compile` (docs/performance.md), not here: a loaded machine is slower. */
    @Test
    void tenThousandStepsLowerWithinArgosLimits() {
        Lowered l = ArgoLowering.lower(ArgoCases.chain(10_000, false), OPTIONS);
        assertEquals(10_000, l.podEstimate());
        everyDagWithinLimits(l);
    }

    @Test
    void twoHundredFiftyTasksAreSplitIntoNestedDags() {
        Lowered l = ArgoLowering.lower(ArgoCases.chain(250, false), OPTIONS);
        everyDagWithinLimits(l);
        JsonNode entry = l.main().get("spec").get("templates").get(0);
        assertEquals(2, entry.get("dag").get("tasks").size(), "two parts: 200 and 50 steps");
        assertEquals(250, l.podEstimate());
        assertEquals(List.of(), LoweredValidity.problems(l));
    }

    @Test
    void twoHundredFiftyComponentsMoveToWorkflowTemplates() {
        Lowered l = ArgoLowering.lower(ArgoCases.chain(250, true), OPTIONS);
        everyDagWithinLimits(l);
        assertTrue(l.manifests().size() >= 2, "a WorkflowTemplate holds the templates over 200");
        for (int i = 0; i < l.manifests().size() - 1; i++) {
            assertEquals("WorkflowTemplate", l.manifests().get(i).get("kind").asText());
        }
        assertTrue(l.yaml().contains("templateRef:"));
        assertEquals(List.of(), LoweredValidity.problems(l));
    }

    @Test
    void overTheBudgetIsE0701() {
        Lowered l = ArgoLowering.lower(gridSearch(), OPTIONS.withMaxManifestBytes(10_000));
        assertEquals(1, l.diagnostics().size());
        assertEquals(Code.E0701, l.diagnostics().get(0).code());
        assertTrue(l.diagnostics().get(0).message().contains("over the budget of 9.8 KiB"), l.diagnostics().toString());
    }

    @Test
    void largeConstantsArePassedOnceAsWorkflowParameters() {
        IrFixture fx = new IrFixture();
        Ir.Component echo = fx.component("echo").in("text", "String").image("busybox:1.36").command("echo", val("text")).build();
        String big = "x".repeat(5000);
        List<Ir.Node> body = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            body.add(task("e" + i, echo).in("text", IrFixture.str(big)).done());
        }
        Lowered l = ArgoLowering.lower(fx.program(dag("big", List.of(), List.of(), body, List.of())), OPTIONS);
        assertEquals(1, l.yaml().split(big, -1).length - 1, "the constant appears once");
        assertTrue(l.yaml().contains("{{workflow.parameters.fs-const-"));
        assertEquals(List.of(), LoweredValidity.problems(l));
    }

    @Test
    void templateAndCronKinds() {
        Lowered t = ArgoLowering.lower(ArgoCases.sweep(), OPTIONS.withKind(LowerOptions.Kind.TEMPLATE)
                .withNamespace("ml").withServiceAccountName("runner").withPodGcStrategy("OnPodSuccess")
                .withTtlSecondsAfterCompletion(3600).withArtifactRepositoryRef("artifacts", "minio"));
        assertEquals("WorkflowTemplate", t.main().get("kind").asText());
        assertEquals("sweep", t.main().get("metadata").get("name").asText());
        assertEquals("runner", t.main().get("spec").get("serviceAccountName").asText());
        assertEquals(List.of(), LoweredValidity.problems(t));
        Lowered c = ArgoLowering.lower(ArgoCases.sweep(), OPTIONS.withKind(LowerOptions.Kind.CRON)
                .withSchedules(List.of("0 3 * * *", "30 12 * * 1")));
        ObjectNode spec = (ObjectNode) c.main().get("spec");
        assertEquals("CronWorkflow", c.main().get("kind").asText());
        assertEquals(2, spec.get("schedules").size());
        assertTrue(spec.has("workflowSpec"));
        assertEquals(List.of(), LoweredValidity.problems(c));
        Lowered none = ArgoLowering.lower(ArgoCases.hello(), OPTIONS.withKind(LowerOptions.Kind.CRON));
        assertEquals(Code.E0703, none.diagnostics().get(0).code());
    }

    static void everyDagWithinLimits(Lowered l) {
        for (ObjectNode m : l.manifests()) {
            JsonNode spec = m.get("kind").asText().equals("CronWorkflow") ? m.get("spec").get("workflowSpec") : m.get("spec");
            assertTrue(spec.get("templates").size() <= 200, "templates in one object: " + spec.get("templates").size());
            for (JsonNode t : spec.get("templates")) {
                if (t.has("dag")) {
                    assertTrue(t.get("dag").get("tasks").size() <= 200, t.get("name") + " has "
                            + t.get("dag").get("tasks").size() + " tasks");
                }
            }
        }
    }
}
