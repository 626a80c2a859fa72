package dev.freestone.lower.argo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.compile.CompileGoldenTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The size bound that splits objects by bytes is never below the real YAML of a template placed as a list
 * item at the deepest place templates go (a CronWorkflow's), and not far above it (or objects would be
 * split needlessly).
 */
class SizeBoundTest {

    /** The real bytes of {@code template} as the only item of {@code spec.workflowSpec.templates}, minus the wrapper's. */
    private static long real(ObjectNode template) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode empty = f.objectNode();
        empty.set("spec", f.objectNode().set("workflowSpec", f.objectNode().set("templates", f.arrayNode().add("x"))));
        ObjectNode one = f.objectNode();
        one.set("spec", f.objectNode().set("workflowSpec", f.objectNode().set("templates", f.arrayNode().add(template))));
        return bytes(one) - bytes(empty) + "- x\n".length();
    }

    private static long bytes(JsonNode n) {
        return ManifestText.write(n).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void boundIsAboveTheRealSizeAndClose() {
        long real = 0;
        long bound = 0;
        List<String> sources = CompileGoldenTest.cases().toList();
        for (String source : sources) {
            for (ObjectNode m : CompileGoldenTest.compile(source).lowered().manifests()) {
                for (JsonNode t : m.get("spec").get("templates")) {
                    long r = real((ObjectNode) t);
                    long b = ArgoLowering.templateBytes((ObjectNode) t);
                    assertTrue(b >= r, source + ": template " + t.get("name") + ": bound " + b + " < real " + r);
                    real += r;
                    bound += b;
                }
            }
        }
        System.out.printf("size bound over %d sources: %d bytes for %d real (%.2f)%n", sources.size(), bound, real,
                (double) bound / real);
        assertTrue(bound <= real * 1.6, "bound " + bound + " for " + real);
    }

    @Test
    void boundCoversQuotesEscapesUnicodeAndLiteralBlocks() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        for (String text : List.of("plain", "a \"quoted\" \\ text", "tab\there", "ünïcödé ✓ 𝄞", "line one\nline two\n  indented\n",
                "\n\nleading breaks", "trailing spaces   \n", "3.0E-4", "on", "", "{{inputs.parameters.x}}", "- dash", "# hash")) {
            ObjectNode t = f.objectNode().put("name", "t");
            t.set("script", f.objectNode().put("source", text).set("command", f.arrayNode().add(text)));
            t.set("nested", f.objectNode().set("list", f.arrayNode().add(f.objectNode().put(text.isEmpty() ? "k" : text, text))));
            assertTrue(ArgoLowering.templateBytes(t) >= real(t), "bound below real for " + text);
        }
    }
}
