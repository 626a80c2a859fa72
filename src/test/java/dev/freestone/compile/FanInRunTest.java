package dev.freestone.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.diag.Diagnostic;
import dev.freestone.runtime.local.EngineOptions;
import dev.freestone.runtime.local.LocalEngine;
import dev.freestone.runtime.local.MemoryRecorder;
import dev.freestone.runtime.local.RunOutcome;
import dev.freestone.runtime.local.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden cases of lists of artifacts on Argo ({@code golden/compile/fan_in*.pipe}, {@code artifact_lists.pipe})
 * run on the local engine too, with their outputs checked: the order of the collected lists and which artifact
 * lands where are the engine's, and the Argo lowering of the same file (checked by {@link CompileGoldenTest}) must
 * give the same. Each case is first compiled as the golden test does, so a file Argo refuses fails here too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanInRunTest {
    @TempDir
    Path home;

    private RunOutcome run(String golden) {
        CompileGoldenTest.Compiled c = CompileGoldenTest.compile("src/test/resources/golden/compile/" + golden);
        assertEquals(List.of(), c.lowered().diagnostics().stream().map(Diagnostic::toString).toList(), golden);
        EngineOptions options = EngineOptions.defaults().withHome(home).withParallelism(4)
                .withKillGrace(Duration.ofSeconds(1));
        RunOutcome o = new LocalEngine(options, new MemoryRecorder()).run(c.ir(), Map.of());
        assertEquals(RunStatus.SUCCEEDED, o.status(), o.message());
        return o;
    }

    private static String text(RunOutcome o, String output) {
        JsonNode v = o.outputs().get(output);
        return v == null ? null : v.isTextual() ? v.asText() : v.toString();
    }

    @Test
    void nestedLoopsCollectAListOfListsInItemOrder() {
        RunOutcome o = run("fan_in_nested.pipe");
        assertEquals("[[\"0.1x1.0\", \"0.1x2.0\", \"0.1x3.0\"], [\"0.2x1.0\", \"0.2x2.0\", \"0.2x3.0\"]]", text(o, "seen"));
    }

    @Test
    void aLoopCollectsACalledPipelinesArtifactAndTheBranchThatRan() {
        RunOutcome o = run("fan_in_called.pipe");
        assertEquals("model 0.1 | model 0.2 | model 0.3", text(o, "fitted"));
        assertEquals("small 0.1 | big 0.2 | big 0.3", text(o, "tuned"));
    }

    @Test
    void listLiteralsAndListsThroughCalledPipelines() {
        RunOutcome o = run("artifact_lists.pipe");
        assertEquals("model 1.0 | model 2.0 | model 1.0", text(o, "direct"));
        assertEquals("model 0.1 | model 0.2", text(o, "passed"));
        assertEquals("model 1.0 | model 2.0", text(o, "called"));
        assertEquals("[10,11]", text(o, "sizes"));
        assertEquals("2", text(o, "n"));
        assertEquals("3", text(o, "k")); // the length of a list literal of artifacts
    }
}
