package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freestone.testing.HostPath;
import dev.freestone.testing.SharedData;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone run} on the Kubeflow examples, as a user runs it (a child JVM with its own
 * {@code FREESTONE_HOME}, in the project directory): training and tuning really run here with python3;
 * serving, and Spark and notebooks without their tools, are refused before anything starts, naming the step
 * and the reason; {@code --skip-cluster-steps} marks them Skipped instead.
 */
class KubeflowLocalRunTest {
    @TempDir
    Path home;

    private record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Result freestone(String... args) throws IOException, InterruptedException {
        return freestoneWithPath(null, args);
    }

    /** {@code extraPath}, when given, goes first on the PATH of the run (stand-ins for tools not installed here). */
    private Result freestoneWithPath(Path extraPath, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = home.resolve("stdout");
        Path err = home.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command).directory(SharedData.projectDir().toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("FREESTONE_HOME", home.resolve("fs").toString());
        if (extraPath != null) {
            pb.environment().put("PATH", extraPath + File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
        }
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "freestone " + String.join(" ", args) + " did not finish");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }


    @Test
    void trainingRunsTheChiefAndTheMasterOnceAsLocalProcesses() throws Exception {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        Result r = freestone("run", "examples/kubeflow/training.pipe", "--progress", "plain", "-p", "epochs=50");
        assertEquals(0, r.exit(), r.all());
        for (String output : List.of("tf_model", "torch_model")) {
            Matcher m = Pattern.compile("output " + output + " = (\\S+)").matcher(r.out());
            assertTrue(m.find(), r.all());
            Path model = Path.of(m.group(1)).resolve("model.json");
            assertTrue(Files.exists(model), "no " + model);
            assertTrue(Files.readString(model).contains("\"loss\""), Files.readString(model));
        }
        assertTrue(r.out().contains("succeeded  log_metrics") || r.out().contains("cached     log_metrics"), r.out());
    }

    @Test
    void tuningRunsItsTrialsAsALocalGridSearch() throws Exception {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        Result r = freestone("run", "examples/kubeflow/tuning.pipe", "--progress", "plain");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("output best = {\"batch\":\"32\",\"lr\":\"0.05\"}"), r.all());
    }

    @Test
    void servingIsRefusedBeforeTheRunWithTheStepAndTheWayOut() throws Exception {
        Result r = freestone("run", "examples/kubeflow/serving.pipe", "--progress", "plain");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("error: step `deploy` (component `deploy`) cannot run on this machine: it creates a "
                + "Kubernetes InferenceService and has no local equivalent"), r.err());
        assertTrue(r.err().contains("`freestone submit`") && r.err().contains("--skip-cluster-steps"), r.err());
        assertFalse(r.err().contains("run serve-") || r.out().contains("running"), "a run was started: " + r.all());
    }

    @Test
    void skipClusterStepsRunsTheRestAndMarksTheClusterStepsSkipped() throws Exception {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        Result r = freestone("run", "examples/kubeflow/serving.pipe", "--progress", "plain", "--skip-cluster-steps");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("succeeded  fit"), r.out());
        assertTrue(r.out().contains("skipped    deploy  --skip-cluster-steps: it creates a Kubernetes "
                + "InferenceService"), r.out());
        assertTrue(r.out().contains("output url = null"), r.out());
    }

    /**
     * spark-submit, papermill and jupyter cannot be installed on this machine, so stand-ins that record
     * how they were called take their place on the PATH: the local paths must call them as documented
     * (`spark-submit --master local[*] ... FILE`, `papermill IN OUT --parameters_yaml ...`) and keep the
     * executed notebook and its HTML.
     */
    @Test
    void sparkAndNotebooksRunWithTheirToolsWhenTheyAreOnThePath() throws Exception {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path calls = home.resolve("calls.txt");
        tool(bin, "spark-submit", "printf 'spark-submit %s\\n' \"$*\" >> " + calls + "\n");
        tool(bin, "papermill", "printf 'papermill %s\\n' \"$*\" >> " + calls + "\ncp \"$1\" \"$2\"\n");
        tool(bin, "jupyter", "printf 'jupyter %s\\n' \"$*\" >> " + calls + "\nprintf '<html>executed</html>\\n'\n");
        Path job = home.resolve("job.py");
        Files.writeString(job, "print('pi')\n");
        Result spark = freestoneWithPath(bin, "run", "examples/kubeflow/spark.pipe", "--progress", "plain",
                "--param", "main_file=" + job);
        assertEquals(0, spark.exit(), spark.all());
        Result nb = freestoneWithPath(bin, "run", "examples/kubeflow/notebook.pipe", "--progress", "plain");
        assertEquals(0, nb.exit(), nb.all());
        String log = Files.readString(calls, StandardCharsets.UTF_8);
        assertTrue(log.contains("spark-submit --master local[*]"), log);
        assertTrue(log.contains(job.toString()), log);
        assertTrue(log.contains("papermill ") && log.contains("--parameters_yaml"), log);
        assertTrue(log.contains("\"rows\":200") || log.contains("rows"), log);
        assertTrue(log.contains("jupyter nbconvert --to html"), log);
        assertTrue(nb.out().contains("output html = "), nb.out());
    }

    /**
     * trainjob's watcher script, run by this machine's POSIX sh (dash, no bash: its cluster image has busybox sh)
     * with a stand-in kubectl: it creates the TrainJob from its manifest, succeeds with the job's name and the model
     * location once a condition is Complete, and fails naming the job once one is Failed.
     */
    @Test
    void theTrainJobWatcherCreatesTheJobAndEndsOnItsConditionsInAPosixShell() throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path created = home.resolve("created.yaml");
        Path conditions = home.resolve("conditions");
        tool(bin, "kubectl", "case \"$1\" in\n"
                + "  create) cat > " + created + "; printf llm-x7k2p ;;\n"
                + "  get) cat " + conditions + " ;;\n"
                + "esac\n");
        Path pipe = Files.writeString(home.resolve("fit.pipe"), """
                import stdlib/training as training
                pipeline fit() -> (job: String, m: String) {
                  j = training.trainjob(name = "llm", image = "pytorch/pytorch:2.3.1", command = ["torchrun", "train.py"],
                                        model_dir = "s3://m/llm", nodes = 2)
                  output job = j.job
                  output m = j.model
                }
                """);
        Files.writeString(conditions, "Created Complete ");
        Result ok = freestoneWithPath(bin, "run", pipe.toString(), "--progress", "plain");
        assertEquals(0, ok.exit(), ok.all());
        assertTrue(ok.out().contains("output job = llm-x7k2p") && ok.out().contains("output m = s3://m/llm"), ok.all());
        String manifest = Files.readString(created, StandardCharsets.UTF_8);
        assertTrue(manifest.contains("kind: TrainJob") && manifest.contains("generateName: llm-")
                && manifest.contains("numNodes: 2") && manifest.contains("command: [\"torchrun\",\"train.py\"]"), manifest);

        Files.writeString(conditions, "Created Failed ");
        Result failed = freestoneWithPath(bin, "run", pipe.toString(), "--progress", "plain", "--no-cache");
        assertEquals(1, failed.exit(), failed.all());
        assertTrue(failed.all().contains("TrainJob llm-x7k2p failed"), failed.all());
    }

    private static void tool(Path bin, String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        p.toFile().setExecutable(true);
    }

    @Test
    void sparkAndNotebooksAreRefusedWithoutTheirTools() throws Exception {
        assumeTrue(!HostPath.has("spark-submit") && !HostPath.has("papermill"), "spark-submit or papermill is installed here");
        Result spark = freestone("run", "examples/kubeflow/spark.pipe", "--progress", "plain");
        assertEquals(1, spark.exit(), spark.all());
        assertTrue(spark.err().contains("step `pi` (component `submit`) cannot run on this machine: it runs locally with "
                + "`spark-submit`, which is not on the PATH"), spark.err());
        Result nb = freestone("run", "examples/kubeflow/notebook.pipe", "--progress", "plain", "--skip-cluster-steps");
        assertEquals(0, nb.exit(), nb.all());
        assertTrue(nb.out().contains("skipped    run  --skip-cluster-steps: it runs locally with `papermill`"),
                nb.out());
    }

    @Test
    void theEndToEndPipelineRunsItsLocalPartsAndSkipsTheRest() throws Exception {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        assumeTrue(!HostPath.has("spark-submit") && !HostPath.has("papermill"), "spark-submit or papermill is installed here");
        Result r = freestone("run", "examples/kubeflow/end_to_end.pipe", "--progress", "plain", "--skip-cluster-steps");
        assertEquals(0, r.exit(), r.all());
        for (String step : List.of("explore", "prep", "deploy")) {
            assertTrue(r.out().contains("skipped    " + step + "  --skip-cluster-steps: "), step + ":\n" + r.out());
        }
        assertTrue(r.out().contains("succeeded  search/exp") && r.out().contains("succeeded  fit"), r.out());
        assertTrue(r.out().contains("output best = {\"lr\":"), r.out());
    }
}
