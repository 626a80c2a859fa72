package dev.freestone.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.lower.argo.ArgoLowering;
import dev.freestone.lower.argo.LowerOptions;
import dev.freestone.lower.argo.Lowered;
import dev.freestone.lower.argo.LoweredValidity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Argo's exit handler can read of a pipeline's steps: values and artifacts are published as global outputs
 * (the golden cases {@code exit_reads}, {@code exit_artifacts}); a called pipeline's exit handler that reads
 * anything but constants is an exit hook with arguments ({@code exit_nested}); a list of artifacts stays E0703.
 */
class ExitHandlerReadsTest {
    private static final String COMPONENTS = """
            component make() -> (model: Model, score: Float) {
              image   = "python:3.12-slim"
              command = ["python3", "make.py", model, score]
            }
            component report(score: Float) {
              image   = "alpine:3.20"
              command = ["echo", "${score}"]
            }
            component keep(model: Model) {
              image   = "alpine:3.20"
              command = ["cp", model, "/keep"]
            }
            component gather(models: List[Model]) {
              image   = "alpine:3.20"
              command = ["echo", "${models}"]
            }
            component echo(text: String) {
              image   = "alpine:3.20"
              command = ["echo", text]
            }
            """;

    @TempDir
    Path dir;

    private CompileGoldenTest.Compiled compile(String pipelines) throws IOException {
        Path file = dir.resolve("case.pipe");
        Files.writeString(file, COMPONENTS + pipelines);
        return CompileGoldenTest.compile(file, "case.pipe");
    }

    private List<Diagnostic> lower(String pipelines) throws IOException {
        return compile(pipelines).lowered().diagnostics();
    }

    @Test
    void aStepParameterIsPublishedWithoutDiagnostics() throws IOException {
        List<Diagnostic> found = lower("""
                pipeline main() {
                  m = make()
                  finally {
                    report(score = m.score)
                  }
                }
                """);
        assertEquals(List.of(), found);
    }

    @Test
    void anArtifactReadByFinallyIsPublishedAsAnOptionalGlobalArtifact() throws IOException {
        CompileGoldenTest.Compiled c = compile("""
                pipeline main() {
                  m = make()
                  finally {
                    keep(model = m.model)
                  }
                }
                """);
        assertEquals(List.of(), c.lowered().diagnostics());
        String yaml = c.lowered().yaml();
        assertTrue(yaml.contains("globalName: fs-m-model"), yaml);
        assertTrue(yaml.contains("from: \"{{workflow.outputs.artifacts.fs-m-model}}\"\n            optional: true"), yaml);
    }

    @Test
    void aCalledPipelinesFinallyReadingItsParametersAndStepsGetsAnExitHookWithArguments() throws IOException {
        CompileGoldenTest.Compiled c = compile("""
                pipeline inner(label: String) {
                  m = make()
                  finally {
                    report(score = m.score)
                    keep(model = m.model)
                    echo(text = label)
                  }
                }
                pipeline main() {
                  inner(label = "x")
                }
                """);
        assertEquals(List.of(), c.lowered().diagnostics());
        String yaml = c.lowered().yaml();
        assertTrue(yaml.contains("hooks:\n          exit:\n            template: inner-exit"), yaml);
        assertFalse(yaml.contains("onExit"), yaml);
    }

    @Test
    void anExitHookWhoseTemplateMovesIntoALibraryReachesItWithATemplateRef() {
        CompileGoldenTest.Compiled c = CompileGoldenTest.compile("src/test/resources/golden/compile/exit_nested.pipe");
        // a budget so small that every movable template leaves the main object
        Lowered split = ArgoLowering.lower(c.ir(), LowerOptions.defaults().withMaxManifestBytes(6_000));
        assertTrue(split.manifests().size() > 1, split.yaml());
        assertTrue(split.yaml().contains("exit:\n            templateRef:"), split.yaml());
        assertEquals(List.of(), LoweredValidity.problems(split));
    }

    @Test
    void aMergeOfArtifactsInFinallyGetsTheValuesItsGuardsRead() throws IOException {
        for (String pipelines : List.of("""
                pipeline main(bar: Float = 0.5) {
                  m = make()
                  if m.score > bar {
                    hi = make()
                  } else {
                    lo = make()
                  }
                  finally {
                    keep(model = oneof(hi.model, lo.model))
                  }
                }
                """, """
                pipeline inner(bar: Float) {
                  m = make()
                  if m.score > bar {
                    hi = make()
                  } else {
                    lo = make()
                  }
                  finally {
                    keep(model = oneof(hi.model, lo.model))
                  }
                }
                pipeline main() {
                  inner(bar = 0.5)
                }
                """)) {
            CompileGoldenTest.Compiled c = compile(pipelines);
            assertEquals(List.of(), c.lowered().diagnostics());
            assertTrue(c.lowered().yaml().contains("fs-m-score"), c.lowered().yaml()); // the guard reads m.score
            assertEquals(List.of(), LoweredValidity.problems(c.lowered()));
        }
    }

    @Test
    void aCalledPipelinesFinallyReadingOnlyConstantsKeepsOnExit() throws IOException {
        CompileGoldenTest.Compiled c = compile("""
                pipeline inner() {
                  m = make()
                  finally {
                    echo(text = "done")
                  }
                }
                pipeline main() {
                  inner()
                }
                """);
        assertEquals(List.of(), c.lowered().diagnostics());
        assertTrue(c.lowered().yaml().contains("onExit: inner-exit"), c.lowered().yaml());
    }

    @Test
    void aListOfArtifactsReadByFinallyIsE0703() throws IOException {
        for (String pipelines : List.of("""
                pipeline main() {
                  for i in [1, 2] {
                    m = make()
                  }
                  finally {
                    gather(models = m.model)
                  }
                }
                """, """
                pipeline inner() {
                  for i in [1, 2] {
                    m = make()
                  }
                  finally {
                    gather(models = m.model)
                  }
                }
                pipeline main() {
                  inner()
                }
                """)) {
            List<Diagnostic> found = compile(pipelines).lowered().diagnostics();
            assertEquals(1, found.size(), found.toString());
            assertEquals(Code.E0703, found.get(0).code());
            assertTrue(found.get(0).message().contains("m.model") && found.get(0).message().contains("list of artifacts"),
                    found.get(0).message());
        }
    }
}
