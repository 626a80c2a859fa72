package dev.freestone.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Argo's exit handler can read of a pipeline's steps: parameter values are published as global outputs
 * (the golden case {@code exit_reads}); artifacts and the steps of a called pipeline stay E0703, without a crash.
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
            """;

    @TempDir
    Path dir;

    private List<Diagnostic> lower(String pipelines) throws IOException {
        Path file = dir.resolve("case.pipe");
        Files.writeString(file, COMPONENTS + pipelines);
        return CompileGoldenTest.compile(file, "case.pipe").lowered().diagnostics();
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
    void anArtifactReadByFinallyIsE0703() throws IOException {
        List<Diagnostic> found = lower("""
                pipeline main() {
                  m = make()
                  finally {
                    keep(model = m.model)
                  }
                }
                """);
        assertEquals(1, found.size(), found.toString());
        assertEquals(Code.E0703, found.get(0).code());
        assertTrue(found.get(0).message().contains("m.model"), found.get(0).message());
    }

    @Test
    void aCalledPipelinesFinallyReadingAStepIsE0703() throws IOException {
        List<Diagnostic> found = lower("""
                pipeline inner() {
                  m = make()
                  finally {
                    report(score = m.score)
                  }
                }
                pipeline main() {
                  inner()
                }
                """);
        assertEquals(1, found.size(), found.toString());
        assertEquals(Code.E0703, found.get(0).code());
        assertTrue(found.get(0).message().contains("pipeline `inner`"), found.get(0).message());
    }
}
