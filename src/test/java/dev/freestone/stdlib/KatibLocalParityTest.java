package dev.freestone.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freestone.testing.CliRun;
import dev.freestone.testing.HostPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local way of {@code tuning.experiment} decides as Katib does: a trial's objective value is the best value
 * it reported (Katib's default metric strategy, {@code max} for maximize and {@code min} for minimize, not the
 * last line), and an experiment Katib's admission webhook refuses is refused here too, with Katib's reasons and
 * no Python traceback.
 */
class KatibLocalParityTest {
    @TempDir
    Path dir;


    /** A grid search over {@code lr} in {@code values}, trials running {@code trial} with {@code args}. */
    private CliRun search(String objective, String metric, String values, String trial, String args) throws IOException {
        return search(objective, metric, "\"categorical\"", "min = \"\", max = \"\", step = \"\", list = [" + values + "]",
                trial, args);
    }

    /** A grid search over {@code lr} of {@code type} in {@code space}, trials running {@code trial} with {@code args}. */
    private CliRun search(String objective, String metric, String type, String space, String trial, String args)
            throws IOException {
        Path pipe = dir.resolve("tune.pipe");
        Files.writeString(pipe, """
                import stdlib/tuning as tuning

                pipeline tune() -> (best: Map[String, String]) {
                  trial = \"""
                    import sys
                %s
                  \"""
                  s = tuning.search(
                    name = "t",
                    metric = "%s",
                    goal = %s,
                    objective = "%s",
                    algorithm = "grid",
                    max_trials = 3,
                    parameters = [
                      tuning.Parameter(
                        name = "lr",
                        parameterType = %s,
                        feasibleSpace = tuning.Space(%s),
                      ),
                    ],
                    trial_image = "python:3.12-slim",
                    trial_command = ["python3", "-c", trial, %s],
                  )
                  output best = s.best
                }
                """.formatted(trial.indent(4).stripTrailing(), metric, objective.equals("maximize") ? "0.99" : "0.01",
                objective, type, space, args));
        return CliRun.of(Map.of("FREESTONE_HOME", dir.resolve("home").toString(),
                "PATH", System.getenv().getOrDefault("PATH", "")), "run", pipe.toString(), "--progress", "plain");
    }

    @Test
    void aTrialScoresItsBestReportedValueLikeKatibsDefaultStrategy() throws IOException {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        // lr 1 peaks at 0.95 and ends at 0.80; lr 2 ends at its best, 0.85: Katib's `max` picks lr 1
        String accuracy = """
                if sys.argv[1] == "1":
                    print("accuracy=0.95")
                    print("accuracy=0.80")
                else:
                    print("accuracy=0.85")
                """;
        CliRun max = search("maximize", "accuracy", "\"1\", \"2\"", accuracy, "\"\\${trialParameters.lr}\"");
        assertEquals(0, max.code(), max.out() + max.err());
        assertTrue(max.out().contains("output best = {\"lr\":\"1\"}"), max.out() + max.err());

        // minimize: lr 1 dips to 0.1 and ends at 0.5; lr 2 ends at 0.3: Katib's `min` picks lr 1
        String loss = """
                if sys.argv[1] == "1":
                    print("loss=0.1")
                    print("loss=0.5")
                else:
                    print("loss=0.3")
                """;
        CliRun min = search("minimize", "loss", "\"1\", \"2\"", loss, "\"\\${trialParameters.lr}\"");
        assertEquals(0, min.code(), min.out() + min.err());
        assertTrue(min.out().contains("output best = {\"lr\":\"1\"}"), min.out() + min.err());
    }

    @Test
    void anExperimentKatibRefusesIsRefusedLocallyWithItsReasons() throws IOException {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        String trial = "print('accuracy=0.5')\n";
        // lr is searched but no trial uses it, and the command names a trial parameter that does not exist
        CliRun r = search("maximize", "accuracy", "\"1\", \"2\"", trial, "\"\\${trialParameters.rate}\"");
        String all = refusedBeforeAnyTrial(r);
        assertTrue(all.contains("trial parameter `lr` is not used in trial_command"), all);
        assertTrue(all.contains("`${trialParameters.rate}` in trial_command names no trial parameter"), all);
        assertFalse(all.contains("Traceback"), all);
    }

    @Test
    void theGridStepsAnIntByOneAndRefusesADoubleWithoutAStepLikeKatib() throws IOException {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        // Katib's grid takes every int from min to max when the step is empty: 1, 2, 3, 4, and 3 is the best
        String peak = "print(f\"accuracy={1 - abs(float(sys.argv[1]) - 3) / 10}\")\n";
        CliRun ints = search("maximize", "accuracy", "\"int\"", "min = \"1\", max = \"4\", step = \"\", list = []", peak,
                "\"\\${trialParameters.lr}\"");
        assertEquals(0, ints.code(), ints.out() + ints.err());
        assertTrue(ints.out().contains("output best = {\"lr\":\"3\"}"), ints.out() + ints.err());

        // Katib's grid refuses a double without a step ("step is nil"); no trial runs
        CliRun doubles = search("maximize", "accuracy", "\"double\"", "min = \"1\", max = \"4\", step = \"\", list = []",
                peak, "\"\\${trialParameters.lr}\"");
        String all = refusedBeforeAnyTrial(doubles);
        assertTrue(all.contains("grid search needs a step for the double parameter `lr`"), all);
    }

    /**
     * Katib's StdOut collector runs a trial as {@code sh -c} of its command's words joined with spaces: a program
     * given as one word of a direct {@code experiment} call is cut into shell words there, and so it is here
     * (it ran as an argv, and the same command failed every trial on the cluster). {@code search} quotes the words.
     */
    @Test
    void aTrialCommandIsReadByTheShellAsKatibsCollectorReadsIt() throws IOException {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        Path pipe = dir.resolve("direct.pipe");
        Files.writeString(pipe, """
                import stdlib/tuning as tuning

                pipeline direct(command: List[String]) -> (best: Map[String, String]) {
                  e = tuning.experiment(
                    name = "d",
                    metric = "accuracy",
                    goal = 0.99,
                    algorithm = "grid",
                    max_trials = 3,
                    parameters = [
                      tuning.Parameter(
                        name = "lr",
                        parameterType = "categorical",
                        feasibleSpace = tuning.Space(min = "", max = "", step = "", list = ["1"]),
                      ),
                    ],
                    trial_parameters = [tuning.TrialParameter(name = "lr", reference = "lr")],
                    trial_image = "python:3.12-slim",
                    trial_command = command,
                  )
                  output best = e.best
                }
                """);
        Map<String, String> env = Map.of("FREESTONE_HOME", dir.resolve("home").toString(),
                "PATH", System.getenv().getOrDefault("PATH", ""));
        // one word holding a program: the shell cuts it at its spaces, and `(` is a syntax error
        CliRun unquoted = CliRun.of(env, "run", pipe.toString(), "--progress", "plain", "-p",
                "command=[\"python3\", \"-c\", \"print('accuracy=0.5')\", \"${trialParameters.lr}\"]");
        String all = unquoted.out() + unquoted.err();
        assertEquals(1, unquoted.code(), all);
        assertTrue(all.contains("trial 0: {'lr': '1'} failed"), all);
        // the same program quoted for the shell runs, and a metric on stderr counts (the collector reads both)
        CliRun quoted = CliRun.of(env, "run", pipe.toString(), "--progress", "plain", "-p",
                "command=[\"python3\", \"-c\", \"\\\"import sys; print('accuracy=0.5', file=sys.stderr)\\\"\", "
                        + "\"${trialParameters.lr}\"]");
        assertEquals(0, quoted.code(), quoted.out() + quoted.err());
        assertTrue(quoted.out().contains("output best = {\"lr\":\"1\"}"), quoted.out() + quoted.err());
    }

    @Test
    void aMetricThatIsNoNumberFailsItsTrialWithoutATraceback() throws IOException {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        // `e5` matches the collector's pattern but is no number (it raised ValueError); `nan` does not match it:
        // both trials report nothing and fail, and lr 2 is the best
        String trial = """
                print({"1": "accuracy=e5", "2": "accuracy=0.5", "3": "accuracy=nan"}[sys.argv[1]])
                """;
        CliRun r = search("maximize", "accuracy", "\"1\", \"2\", \"3\"", trial, "\"\\${trialParameters.lr}\"");
        String all = r.out() + r.err();
        assertEquals(0, r.code(), all);
        assertFalse(all.contains("Traceback"), all);
        assertTrue(r.out().contains("output best = {\"lr\":\"2\"}"), all);
    }

    @Test
    void boundsThatAreNoRangeAreRefusedBeforeAnyTrial() throws IOException {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        String trial = "print('accuracy=0.5')\n";
        // min above max gave no grid at all ("no trial succeeded"); a step of 0 divided by zero
        CliRun reversed = search("maximize", "accuracy", "\"int\"", "min = \"4\", max = \"1\", step = \"\", list = []",
                trial, "\"\\${trialParameters.lr}\"");
        String all = reversed.out() + reversed.err();
        assertEquals(1, reversed.code(), all);
        assertTrue(all.contains("parameter `lr` (int) has min 4 above max 1"), all);
        CliRun zero = search("maximize", "accuracy", "\"double\"", "min = \"0.1\", max = \"ten\", step = \"0\", list = []",
                trial, "\"\\${trialParameters.lr}\"");
        all = refusedBeforeAnyTrial(zero);
        assertTrue(all.contains("has min `0.1` and max `ten`: both must be numbers"), all);
        assertTrue(all.contains("has step `0`: it must be a number above 0"), all);
        assertFalse(all.contains("Traceback"), all);
    }

    /** {@code search} single-quotes each word, and Katib puts a value in by text: a quote in a value would end the quoting. */
    @Test
    void aListedValueTheShellWouldReadIsRefused() throws IOException {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        String trial = "print('accuracy=0.5')\n";
        CliRun r = search("maximize", "accuracy", "\"it's\", \"2\"", trial, "\"--opt=\\${trialParameters.lr}\"");
        String all = refusedBeforeAnyTrial(r);
        assertTrue(all.contains("`it's` of parameter `lr`"), all);
    }

    @Test
    void anExperimentWithoutParametersIsRefusedLikeKatib() throws IOException {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        Path pipe = dir.resolve("empty.pipe");
        Files.writeString(pipe, """
                import stdlib/tuning as tuning

                pipeline empty() -> (best: Map[String, String]) {
                  e = tuning.experiment(
                    name = "e",
                    metric = "accuracy",
                    goal = 0.99,
                    algorithm = "grid",
                    max_trials = 3,
                    parameters = [],
                    trial_parameters = [],
                    trial_image = "python:3.12-slim",
                    trial_command = ["echo", "accuracy=0.5"],
                  )
                  output best = e.best
                }
                """);
        CliRun r = CliRun.of(Map.of("FREESTONE_HOME", dir.resolve("home").toString(),
                "PATH", System.getenv().getOrDefault("PATH", "")), "run", pipe.toString(), "--progress", "plain");
        String all = refusedBeforeAnyTrial(r);
        assertTrue(all.contains("no parameter is searched"), all);
    }

    /** The output of a run that failed (exit 1) before any trial ran. */
    private static String refusedBeforeAnyTrial(CliRun r) {
        String all = r.out() + r.err();
        assertEquals(1, r.code(), all);
        assertFalse(all.contains("trial 0:"), "no trial may run: " + all);
        return all;
    }
}
