package dev.freestone.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.ir.Ir;
import dev.freestone.testing.CliRun;
import dev.freestone.testing.HostPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local way of {@code training.tfjob} gives the chief the {@code TF_CONFIG} the Training Operator gives the
 * chief of the same TFJob, compiled through the real front end, with no replica but the chief: every replica type
 * of the job is a key of {@code cluster} (the operator keeps a type of 0 replicas as an empty list, so
 * {@code ps = 0} is {@code "ps": []} on both), and {@code environment} is {@code cloud}.
 */
class TrainingLocalParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;


    /**
     * The operator's TF_CONFIG for the chief (training-operator pkg/controller.v1/tensorflow/tensorflow.go,
     * genClusterSpec): each replica type, lower-cased, lists one address per replica, however many that is;
     * the chief's own address as it reads it locally.
     */
    private static JsonNode operatorChiefConfig(JsonNode tfJob) {
        ObjectNode cluster = JSON.createObjectNode();
        tfJob.path("spec").path("tfReplicaSpecs").properties().forEach(e -> {
            String type = e.getKey().toLowerCase(Locale.ROOT);
            ArrayNode hosts = cluster.putArray(type);
            for (int i = 0; i < e.getValue().path("replicas").asInt(); i++) {
                hosts.add(type.equals("chief") ? "localhost:2222" : tfJob.path("metadata").path("generateName").asText()
                        + type + "-" + i + ".NAMESPACE.svc:2222");
            }
        });
        ObjectNode config = JSON.createObjectNode();
        config.set("cluster", cluster);
        config.putObject("task").put("type", "chief").put("index", 0);
        config.put("environment", "cloud");
        return config;
    }

    @Test
    void theChiefReadsTheOperatorsTfConfigWithAnEmptyListForZeroParameterServers() throws IOException {
        assumeTrue(HostPath.has("python3"), "python3 is not on the PATH");
        Path models = Files.createDirectories(dir.resolve("models"));
        String pipe = """
                import stdlib/training as training
                pipeline fit() -> (m: String) {
                  tf = training.tfjob(name = "p", image = "tensorflow/tensorflow:2.16.1", model_dir = "%s",
                    workers = 0, ps = 0,
                    command = ["python3", "-c", "import os; open(os.environ['MODEL_DIR'] + '/tf_config.json', 'w').write(os.environ['TF_CONFIG'])"])
                  output m = tf.model
                }
                """.formatted(models);
        Ir.Program ir = KubeflowStdlibTest.ir("fit.pipe", pipe);
        JsonNode tfJob = KubeflowStdlibTest.created(KubeflowStdlibTest.workflow(ir), ir, "tfjob");
        JsonNode expected = operatorChiefConfig(tfJob);
        assertEquals(JSON.readTree("[]"), expected.path("cluster").path("ps"), expected::toString);

        Path file = dir.resolve("fit.pipe");
        Files.writeString(file, pipe);
        CliRun r = CliRun.of(Map.of("FREESTONE_HOME", dir.resolve("home").toString(),
                "PATH", System.getenv().getOrDefault("PATH", "")), "run", file.toString(), "--progress", "plain");
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode local = JSON.readTree(Files.readString(models.resolve("tf_config.json")));
        assertEquals(expected, local);
    }
}
