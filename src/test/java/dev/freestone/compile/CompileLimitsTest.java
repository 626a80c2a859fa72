package dev.freestone.compile;

import dev.freestone.lower.argo.Lowered;
import dev.freestone.lower.argo.LowerOptions;
import dev.freestone.lower.argo.LoweredValidity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Size targets and Argo's limits for programs compiled from {@code .pipe} sources under {@code bench/}: a
 * one-step pipeline, the 56-training grid search of KFP issue 13738 (nested loops and unrolled), and the
 * 10,000-step generated pipeline, whose every object must fit Argo's limits and the size budget.
 */
class CompileLimitsTest {
    @TempDir
    Path dir;

    @Test
    void oneStepPipelineIsAtMostTwoKilobytes() {
        Lowered l = CompileGoldenTest.compile("bench/one_step.pipe").lowered();
        System.out.println("bench/one_step.pipe: " + l.sizeBytes() + " bytes");
        assertTrue(l.sizeBytes() <= 2048, l.sizeBytes() + " bytes");
        assertEquals(List.of(), LoweredValidity.problems(l));
    }

    @Test
    void gridSearchIsAtMostFortyKilobytes() {
        for (String source : List.of("bench/grid_search.pipe", "bench/grid_search_unrolled.pipe")) {
            Lowered l = CompileGoldenTest.compile(source).lowered();
            System.out.println(source + ": " + l.sizeBytes() + " bytes");
            assertTrue(l.sizeBytes() <= 40 * 1024, source + ": " + l.sizeBytes() + " bytes");
            assertEquals(List.of(), l.diagnostics(), source);
            assertEquals(List.of(), LoweredValidity.problems(l), source);
        }
        assertEquals(58, CompileGoldenTest.compile("bench/grid_search_unrolled.pipe").lowered().podEstimate());
    }

    @Test
    void tenThousandStepsFitArgoInEveryObject() throws IOException, InterruptedException {
        Path generated = dir.resolve("big.pipe");
        Process gen = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Golden.projectDir().resolve("bench/GenPipeline.java").toString(), "10000")
                .redirectOutput(generated.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(gen.waitFor(60, TimeUnit.SECONDS) && gen.exitValue() == 0, "bench/GenPipeline.java ran");
        Lowered l = CompileGoldenTest.compile(generated, "big.pipe").lowered();
        assertEquals(List.of(), l.diagnostics());
        assertTrue(l.manifests().size() > 1, "split into WorkflowTemplates");
        String[] docs = l.yaml().split("(?m)^---\n");
        assertEquals(l.manifests().size(), docs.length);
        for (int i = 0; i < docs.length; i++) {
            long bytes = docs[i].getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= LowerOptions.DEFAULT_MAX_MANIFEST_BYTES, "object " + i + ": " + bytes + " bytes");
            ObjectNode m = l.manifests().get(i);
            JsonNode spec = m.get("spec");
            JsonNode templates = spec.get("templates");
            assertTrue(templates.size() <= 200, "object " + i + ": " + templates.size() + " templates");
            for (JsonNode t : templates) {
                assertTrue(t.path("dag").path("tasks").size() <= 200, t.get("name").asText());
            }
        }
        System.out.printf("10,000 steps: %d objects, %d bytes, largest %d%n", docs.length, l.sizeBytes(),
                java.util.Arrays.stream(docs).mapToInt(String::length).max().orElse(0));
        assertEquals(List.of(), LoweredValidity.problems(l));
    }
}
