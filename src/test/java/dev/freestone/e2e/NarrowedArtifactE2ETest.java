package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KFP's {@code with dsl.If(extra != None): train(data=extra)}: an optional artifact parameter tested for null goes to
 * an input declared {@code Dataset}. The engine evaluates the test on the parameter it was given, so the step runs
 * on the file, or is skipped; Argo cannot test a file (a condition is expr-lang over parameters), which
 * {@code compile} says, where the check passes.
 */
class NarrowedArtifactE2ETest {
    @TempDir
    Path tmp;

    private static final String PIPE = """
            component rows(data: Dataset) -> (n: Int) {
              image   = "python:3.12-slim"
              command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write(str(len(open(sys.argv[1]).read().splitlines())))", data, n]
            }

            pipeline extra_rows(extra: Dataset? = null) -> (n: Int?) {
              if extra != null {
                r = rows(data = extra)
              }
              output n = r.n
            }
            """;

    @Test
    void anOptionalFileTestedForNullReachesAStepThatNeedsOne() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "extra.pipe", PIPE);
        Path data = Files.writeString(tmp.resolve("data.csv"), "a\nb\nc\n");
        fs.cli("check", p.toString()).expect(0);

        Freestone.Result given = fs.cli("run", "--progress", "none", p.toString(), "-p", "extra=" + data).expect(0);
        assertTrue(given.out().contains("output n = 3"), given::all);
        JsonNode ran = fs.show(given.runId());
        assertEquals("Succeeded", Freestone.state(ran, "r"));
        assertEquals("3", Freestone.task(ran, "r").get("outputs").get("n").asText());

        Freestone.Result none = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(none.out().contains("output n = null"), none::all);
        JsonNode skipped = fs.show(none.runId());
        assertEquals("Skipped", Freestone.state(skipped, "r"));
        assertEquals("skipped: its condition was false", Freestone.task(skipped, "r").get("message").asText());

        Freestone.Result argo = fs.cli("compile", p.toString(), "-o", tmp.resolve("extra.yaml").toString()).expect(1);
        assertTrue(argo.err().contains("error[E0703]: cannot lower to Argo: the artifact parameter `extra` cannot be used in"
                + " an expression (a condition, an interpolation, a value) on Argo"), argo::all);
        assertFalse(Files.exists(tmp.resolve("extra.yaml")), "nothing is written for a pipeline Argo cannot run");
        Freestone.assertNoTrace(argo.all());
    }
}
