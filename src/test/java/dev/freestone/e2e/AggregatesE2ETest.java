package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freestone.testing.ExprSubset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The best of a sweep without a component: {@code max(t.acc)} of a loop's collected outputs, run by the engine, and
 * the same expression on Argo evaluated over what Argo collects from the iterations.
 */
class AggregatesE2ETest {
    @TempDir
    Path tmp;

    private static final String SWEEP = """
            component train(lr: Float) -> (acc: Float, steps: Int) {
              image   = "python:3.12-slim"
              command = ["python3", "-c", "import sys; lr = float(sys.argv[1]); open(sys.argv[2], 'w').write(str(round(1 - abs(lr - 0.1), 4))); open(sys.argv[3], 'w').write(str(int(lr * 1000)))", "${lr}", acc, steps]
            }

            """;

    @Test
    void theBestOfASweepIsItsPipelineOutputWithoutAComponent() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("sweep.pipe"), SWEEP + """
                pipeline sweep(rates: List[Float] = [0.01, 0.1, 0.3]) -> (best: Float, worst: Float, avg: Float, steps: Int, longest: Int) {
                  for lr in rates {
                    t = train(lr = lr)
                  }
                  output best = max(t.acc)
                  output worst = min(t.acc)
                  output avg = mean(t.acc)
                  output steps = sum(t.steps)
                  output longest = max(max(t.steps), 50)
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        for (String line : List.of("output best = 1.0", "output worst = 0.8", "output avg = 0.9033333333333333", "output steps = 410",
                "output longest = 300")) {
            assertTrue(run.out().contains(line + "\n"), () -> line + "\n" + run.all());
        }

        // on Argo the loop's outputs are collected as the texts the iterations wrote
        JsonNode wf = compiled(fs, p);
        Map<String, Object> tasks = Map.of("for-lr", Map.of("outputs", Map.of("parameters",
                Map.of("t-acc", "[\"0.91\",\"1.0\",\"0.8\"]", "t-steps", "[\"10\",\"100\",\"300\"]"))));
        assertEquals("1.0", onArgo(wf, "best", tasks));
        assertEquals("0.8", onArgo(wf, "worst", tasks));
        assertEquals("0.9033333333333333", onArgo(wf, "avg", tasks));
        assertEquals("410", onArgo(wf, "steps", tasks));
        assertEquals("300", onArgo(wf, "longest", tasks));
    }

    @Test
    void theIterationsWhoseBranchDidNotRunAreLeftOutAndNoneLeftFailsWithItsReason() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("some.pipe"), SWEEP + """
                pipeline some(rates: List[Float] = [0.01, 0.1, 0.3], cap: Float = 0.2) -> (best: Float, total: Int) {
                  for lr in rates {
                    if lr < cap {
                      t = train(lr = lr)
                    }
                  }
                  output best = max(t.acc)
                  output total = sum(t.steps)
                }
                """);
        Freestone.Result run = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(run.out().contains("output best = 1.0\n") && run.out().contains("output total = 110\n"), run::all);

        // nothing ran: the sum of nothing is 0, the best of nothing is no value, and the run says why it failed
        Freestone.Result none = fs.cli("run", "--progress", "none", p.toString(), "--param", "cap=0.0");
        none.expect(1);
        assertTrue(none.all().contains("`max` of an empty list (all its elements are null)"), none::all);
        Freestone.assertNoTrace(none.all());

        JsonNode wf = compiled(fs, p);
        // Argo gives a skipped iteration's output its default, the empty text
        Map<String, Object> tasks = Map.of("for-lr", Map.of("outputs", Map.of("parameters",
                Map.of("t-acc", "[\"0.91\",\"\",\"0.8\"]", "t-steps", "[\"10\",\"\",\"300\"]"))));
        assertEquals("0.91", onArgo(wf, "best", tasks));
        assertEquals("310", onArgo(wf, "total", tasks));
        Map<String, Object> skipped = Map.of("for-lr", Map.of("outputs", Map.of("parameters",
                Map.of("t-acc", "[\"\",\"\"]", "t-steps", "[\"\",\"\"]"))));
        assertEquals("0", onArgo(wf, "total", skipped));
        assertFalse(succeeds(() -> onArgo(wf, "best", skipped)), "max of nothing must fail the expression on Argo too");
    }

    @Test
    void aConstantAggregateOfLargeIntsIsWorkedOutWithoutOverflowingAndASumPastInt64IsNoStackTrace() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Files.writeString(tmp.resolve("big.pipe"), SWEEP + """
                pipeline big(top: Int = max([9223372036854775807, 1]), rates: List[Float] = [0.1]) -> (best: Float) {
                  for lr in rates {
                    t = train(lr = lr)
                  }
                  output best = max(t.acc)
                }
                """);
        JsonNode wf = compiled(fs, p);
        JsonNode top = null;
        for (JsonNode param : wf.path("spec").path("arguments").path("parameters")) {
            top = param.path("name").asText().equals("top") ? param : top;
        }
        assertEquals("9223372036854775807", top == null ? null : top.path("value").asText(), wf::toPrettyString);

        Path over = Files.writeString(tmp.resolve("over.pipe"), SWEEP + """
                pipeline over(total: Int = sum([9223372036854775807, 1]), rates: List[Float] = [0.1]) -> (best: Float) {
                  for lr in rates {
                    t = train(lr = lr)
                  }
                  output best = max(t.acc)
                }
                """);
        Freestone.assertNoTrace(fs.cli("check", over.toString()).all());
    }

    private JsonNode compiled(Freestone fs, Path pipe) throws java.io.IOException {
        Path yaml = tmp.resolve(pipe.getFileName() + ".yaml");
        fs.cli("compile", pipe.toString(), "-o", yaml.toString()).expect(0);
        return new YAMLMapper().readTree(yaml.toFile());
    }

    /** The text Argo gives the workflow's output {@code name}: its {@code valueFrom.expression} over {@code tasks}. */
    private static String onArgo(JsonNode wf, String name, Map<String, Object> tasks) {
        for (JsonNode t : wf.path("spec").path("templates")) {
            for (JsonNode o : t.path("outputs").path("parameters")) {
                if (o.path("name").asText().equals(name) && o.path("valueFrom").has("expression")) {
                    return String.valueOf(ExprSubset.eval(o.path("valueFrom").path("expression").asText(), Map.of("tasks", tasks)));
                }
            }
        }
        throw new AssertionError("no output " + name + " in\n" + wf.toPrettyString());
    }

    private static boolean succeeds(Runnable r) {
        try {
            r.run();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
