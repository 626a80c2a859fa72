package dev.freestone.lower.argo;

import static dev.freestone.testing.IrFixture.dag;
import static dev.freestone.testing.IrFixture.task;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.ir.Ir;
import dev.freestone.testing.IrFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A component's optional outputs ({@code Int?}, {@code Model?}) that its step did not write are null locally; on
 * Argo the executor fails the node for an output parameter without its file or an output artifact without its
 * path, unless the parameter has a {@code default} (the empty text, Freestone's null on Argo) or the artifact is
 * {@code optional}.
 */
class OptionalOutputsTest {
    private static final LowerOptions OPTIONS = LowerOptions.defaults().withIrHash("cd".repeat(32));

    @Test
    void optionalOutputsMayBeLeftUnwritten() {
        IrFixture fx = new IrFixture();
        Ir.Component maybe = fx.component("maybe").out("x", "Int?").out("n", "Int").out("m", "Model?")
                .out("model", "Model").image("alpine:3.20").command("true").build();
        Lowered lowered = ArgoLowering.lower(fx.program(dag("p", List.of(), List.of(),
                List.of(task("a", maybe).done()), List.of())), OPTIONS);
        assertEquals(List.of(), LoweredValidity.problems(lowered));
        JsonNode outputs = LoweredValidity.template(lowered.manifests().get(0), "maybe").path("outputs");
        assertEquals("[{\"name\":\"x\",\"valueFrom\":{\"path\":\"/tmp/freestone/outputs/x\",\"default\":\"\"}},"
                + "{\"name\":\"n\",\"valueFrom\":{\"path\":\"/tmp/freestone/outputs/n\"}}]",
                outputs.path("parameters").toString());
        assertEquals("[{\"name\":\"m\",\"path\":\"/tmp/freestone/outputs/m\",\"optional\":true},"
                + "{\"name\":\"model\",\"path\":\"/tmp/freestone/outputs/model\"}]",
                outputs.path("artifacts").toString());
    }
}
