package dev.freestone.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.lower.argo.LoweredValidity;
import dev.freestone.runtime.local.EngineOptions;
import dev.freestone.runtime.local.LocalEngine;
import dev.freestone.runtime.local.MemoryRecorder;
import dev.freestone.runtime.local.RunOutcome;
import dev.freestone.runtime.local.RunStatus;
import dev.freestone.runtime.local.TaskRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code finally} block reading values of a body larger than Argo's 200 tasks: the body splitter moves the steps
 * into parts, each part outputs what the exit handler reads, and the exit handler reads it there (at the top level
 * through global outputs, in a called pipeline through its exit hook). The same generated file runs on the local
 * engine, which does not split, with the outcome the lowering must give.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExitHandlerPartsTest {
    /** Steps in each chain: with the others around it, more than one part of 200. */
    private static final int CHAIN = 205;

    /** The components of both generated files: a step making a model and a score, and one passing a score on. */
    private static final String MAKE_AND_PASS = """
            component make(tag: String) -> (model: Model, score: Float) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "echo \\"model $0\\" > \\"$1\\"; echo 0.5 > \\"$2\\"", tag, model, score]
            }

            component pass(x: Float) -> (y: Float) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "echo \\"$0\\" > \\"$1\\"", "${x}", y]
            }

            """;

    @TempDir
    static Path dir;
    static Path file;
    static CompileGoldenTest.Compiled compiled;

    /** A body whose first step and last steps land in different parts, and whose finally reads both, a list included. */
    static String body(String tag) {
        StringBuilder b = new StringBuilder();
        b.append("  first = make(tag = \"").append(tag).append(" first\")\n");
        b.append("  p1 = pass(x = first.score)\n");
        for (int i = 2; i <= CHAIN; i++) {
            b.append("  p").append(i).append(" = pass(x = p").append(i - 1).append(".y)\n");
        }
        b.append("  for t in [\"a\", \"b\"] {\n    m = make(tag = t)\n  }\n");
        b.append("  last = make(tag = \"").append(tag).append(" last\") after p").append(CHAIN).append("\n");
        b.append("  finally {\n");
        b.append("    seen = show(models = m.model, model = last.model, note = \"${first.score} ${p").append(CHAIN)
                .append(".y} ${run.status}\")\n");
        b.append("    firsts = show(models = [first.model], model = first.model, note = \"").append(tag).append("\")\n");
        b.append("  }\n");
        return b.toString();
    }

    static String source() {
        return MAKE_AND_PASS + """
                component show(models: List[Model], model: Model, note: String) -> (seen: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import json, sys; open(sys.argv[4], 'w').write(sys.argv[3] + ': ' + ' | '.join(open(p).read().strip() for p in json.loads(sys.argv[1])) + ' / ' + open(sys.argv[2]).read().strip())", models, model, note, seen]
                }

                pipeline inner() {
                """ + body("inner") + """
                }

                pipeline big() {
                  call = inner()
                """ + body("top") + """
                }
                """;
    }

    @BeforeAll
    static void compile() throws IOException {
        file = dir.resolve("big.pipe");
        Files.writeString(file, source());
        compiled = CompileGoldenTest.compile(file, "big.pipe");
    }

    @Test
    void theExitHandlersReadTheValuesThePartsOutput() {
        assertEquals(List.of(), compiled.lowered().diagnostics());
        String yaml = compiled.lowered().yaml();
        // the body was cut: the entry template publishes what the exit handler reads from the parts' outputs
        assertTrue(yaml.contains("template: big-part-1"), yaml);
        assertTrue(yaml.contains("template: inner-part-1"), yaml);
        for (String published : List.of("first-score", "first-model", "p" + CHAIN + "-y", "last-model", "m-model")) {
            assertTrue(yaml.matches("(?s).*globalName: fs-fs-part-\\d+-[-a-z0-9]*" + published + "\n.*"), published);
        }
        // the called pipeline's exit hook reads its template's outputs, which read its parts'
        assertTrue(yaml.matches("(?s).*sprig\\.dig\\('call', 'outputs', 'parameters', 'fs-fs-part-\\d+-[-a-z0-9]*m-model-key'.*"),
                yaml);
        assertEquals(List.of(), LoweredValidity.problems(compiled.lowered()));
    }

    @Test
    void theLocalEngineGivesTheExitHandlersTheSameValues(@TempDir Path home) {
        EngineOptions options = EngineOptions.defaults().withHome(home).withParallelism(4)
                .withKillGrace(Duration.ofSeconds(1));
        MemoryRecorder recorder = new MemoryRecorder();
        RunOutcome o = new LocalEngine(options, recorder).run(compiled.ir(), Map.of());
        assertEquals(RunStatus.SUCCEEDED, o.status(), o.message());
        Map<String, TaskRecord> tasks = recorder.tasks(o.runId());
        assertEquals("0.5 0.5 Succeeded: model a | model b / model top last", seen(tasks, "seen"));
        assertEquals("top: model top first / model top first", seen(tasks, "firsts"));
        assertEquals("0.5 0.5 Succeeded: model a | model b / model inner last", seen(tasks, "call/seen"));
        assertEquals("inner: model inner first / model inner first", seen(tasks, "call/firsts"));
    }

    /**
     * A conditional in one part and its {@code oneof} (of a value and of an artifact) read in a later part and in
     * {@code finally}: the part holding the conditional outputs the merged value, computed there from its guards.
     */
    static String mergeSource() {
        StringBuilder b = new StringBuilder(MAKE_AND_PASS).append("""
                component keep(model: Model, x: Float) -> (line: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "cat \\"$0\\" > \\"$2\\"; echo \\"$1\\" >> \\"$2\\"", model, "${x}", line]
                }

                pipeline merged(bar: Float = 0.2) -> (line: String) {
                  first = make(tag = "f")
                  p1 = pass(x = first.score)
                """);
        for (int i = 2; i <= CHAIN; i++) {
            b.append("  p").append(i).append(" = pass(x = p").append(i - 1).append(".y)\n");
        }
        b.append("  if p").append(CHAIN).append(".y > bar {\n    hi = make(tag = \"hi\")\n  } else {\n")
                .append("    lo = make(tag = \"lo\")\n  }\n");
        b.append("  q1 = pass(x = p").append(CHAIN).append(".y)\n");
        for (int i = 2; i <= CHAIN; i++) {
            b.append("  q").append(i).append(" = pass(x = q").append(i - 1).append(".y)\n");
        }
        b.append("  z = keep(model = oneof(hi.model, lo.model), x = oneof(hi.score, lo.score)) after q").append(CHAIN)
                .append("\n");
        b.append("  finally {\n    k = keep(model = oneof(hi.model, lo.model), x = oneof(hi.score, lo.score))\n  }\n");
        b.append("  output line = z.line\n}\n");
        return b.toString();
    }

    @Test
    void aOneofOverAConditionalInAnotherPartIsComputedInThatPart(@TempDir Path home) throws IOException {
        Path merged = dir.resolve("merged.pipe");
        Files.writeString(merged, mergeSource());
        CompileGoldenTest.Compiled c = CompileGoldenTest.compile(merged, "merged.pipe");
        assertEquals(List.of(), c.lowered().diagnostics());
        String yaml = c.lowered().yaml();
        assertTrue(yaml.contains("parameter: \"{{tasks.if.outputs.parameters.fs-oneof-0}}\""), yaml);
        assertTrue(yaml.contains("- name: if-oneof-hi-model-lo-model\n        fromExpression: "), yaml);
        assertEquals(List.of(), LoweredValidity.problems(c.lowered()));

        for (String bar : List.of("0.2", "0.7")) {
            EngineOptions options = EngineOptions.defaults().withHome(home.resolve(bar)).withParallelism(4)
                    .withKillGrace(Duration.ofSeconds(1));
            MemoryRecorder recorder = new MemoryRecorder();
            RunOutcome o = new LocalEngine(options, recorder).run(c.ir(),
                    Map.of("bar", com.fasterxml.jackson.databind.node.DoubleNode.valueOf(Double.parseDouble(bar))));
            assertEquals(RunStatus.SUCCEEDED, o.status(), o.message());
            String branch = bar.equals("0.2") ? "hi" : "lo";
            assertEquals("model " + branch + "\n0.5", o.outputs().get("line").asText());
            assertEquals("model " + branch + "\n0.5", recorder.tasks(o.runId()).get("k").outputs().get("line").asText());
        }
    }

    private static String seen(Map<String, TaskRecord> tasks, String id) {
        TaskRecord t = tasks.get(id);
        assertTrue(t != null, () -> "no task " + id + " in " + tasks.keySet().stream().filter(k -> !k.contains("p")).toList());
        JsonNode v = t.outputs().get("seen");
        return v == null ? null : v.asText();
    }
}
