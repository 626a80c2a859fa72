package dev.freestone.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * anything but constants is an exit hook with arguments ({@code exit_nested}); a list of artifacts is published as
 * its tree of keys and its key prefix ({@code exit_lists}).
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
    void aListOfArtifactsReadByFinallyIsPublishedAsItsTreeAndItsKey() throws IOException {
        String top = """
                pipeline main() {
                  for i in [1, 2] {
                    m = make()
                  }
                  finally {
                    gather(models = m.model)
                  }
                }
                """;
        String called = """
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
                """;
        CompileGoldenTest.Compiled c = compile(top);
        assertEquals(List.of(), c.lowered().diagnostics());
        String yaml = c.lowered().yaml();
        assertTrue(yaml.contains("globalName: fs-for-i-m-model\n"), yaml);
        assertTrue(yaml.contains("globalName: fs-for-i-m-model-key\n"), yaml);
        assertTrue(yaml.contains("key: \"{{=sprig.dig('outputs', 'parameters', 'fs-for-i-m-model-key', '', workflow)}}/\""), yaml);
        assertEquals(List.of(), LoweredValidity.problems(c.lowered()));

        c = compile(called);
        assertEquals(List.of(), c.lowered().diagnostics());
        yaml = c.lowered().yaml();
        assertTrue(yaml.contains("value: \"{{=sprig.dig('inner', 'outputs', 'parameters', 'fs-for-i-m-model-key', '', tasks)}}\""), yaml);
        assertFalse(yaml.contains("globalName"), yaml);
        assertEquals(List.of(), LoweredValidity.problems(c.lowered()));
    }

    @Test
    void aPublishedListTakesTwoNamesThatNoOtherPublishedValueHas() throws IOException {
        CompileGoldenTest.Compiled c = compile("""
                component pair() -> (m_model_key: Float) {
                  image   = "python:3.12-slim"
                  command = ["python3", "make.py", m_model_key]
                }
                pipeline main() {
                  for_i = pair()
                  for i in [1, 2] {
                    m = make()
                  }
                  finally {
                    report(score = for_i.m_model_key)
                    gather(models = m.model)
                  }
                }
                """);
        assertEquals(List.of(), c.lowered().diagnostics());
        // the value read first is fs-for-i-m-model-key, so the list's key cannot be fs-for-i-m-model + -key
        assertTrue(c.lowered().yaml().contains("globalName: fs-for-i-m-model-key\n"), c.lowered().yaml());
        assertTrue(c.lowered().yaml().contains("globalName: fs-for-i-m-model-2-key\n"), c.lowered().yaml());
        assertEquals(List.of(), LoweredValidity.problems(c.lowered()));
    }
}
