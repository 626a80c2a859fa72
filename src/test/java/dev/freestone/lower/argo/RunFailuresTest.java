package dev.freestone.lower.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freestone.testing.ExprSubset;
import dev.freestone.testing.SharedData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code run.failures} on Argo: the lowering's reshaping of {@code workflow.failures}, run by {@link ExprSubset} on the
 * list Argo's controller makes (operator.go: every node whose phase is Failed or Error, as JSON, then
 * {@code strconv.Quote}) from a Workflow status of Argo's own tests.
 */
class RunFailuresTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void argosFailedDagWithARetriedStepGivesThatStepOnceWithItsLastAttempt() throws Exception {
        // the DAG, the Retry node C ("No more retries left") and its attempts C(0), C(1) all failed
        JsonNode wf = new YAMLMapper().readTree(SharedData.file("argo/status/failed-dag-retry.yaml").toFile());
        List<Map<String, Object>> failures = new ArrayList<>();
        wf.path("status").path("nodes").forEach(n -> {
            String phase = n.path("phase").asText();
            if (phase.equals("Failed") || phase.equals("Error")) {
                failures.add(entry(n.path("displayName").asText(), phase, n.path("message").asText(),
                        n.path("finishedAt").asText()));
            }
        });
        assertEquals(4, failures.size(), failures::toString);
        Object got = eval(ArgoLowering.failuresCode(Set.of("A", "B", "C", "D", "E"), Map.of()), failures);
        assertEquals(List.of(Map.of("message", "failed with exit code 2", "phase", "Failed", "step", "C")), got);
    }

    @Test
    void stepsAreSortedByTheSecondTheyFinishedThenByNameAndARetryThatSucceededIsNoFailure() throws Exception {
        List<Map<String, Object>> failures = List.of(
                entry("train-model", "Failed", "Error (exit code 1)", "2026-01-01T10:00:07Z"),
                entry("flaky(0)", "Failed", "Error (exit code 1)", "2026-01-01T10:00:01Z"), // flaky(1) succeeded
                entry("b", "Error", "pod deleted", "2026-01-01T10:00:05Z"),
                entry("a", "Failed", "Error (exit code 2)", "2026-01-01T10:00:05Z"),
                entry("p-abcde", "Failed", "child 'a' failed", "2026-01-01T10:00:08Z"));
        Object got = eval(ArgoLowering.failuresCode(Set.of("a", "b", "flaky", "train-model"),
                Map.of("train-model", "train_model")), failures);
        assertEquals(List.of(
                Map.of("message", "Error (exit code 2)", "phase", "Failed", "step", "a"),
                Map.of("message", "pod deleted", "phase", "Error", "step", "b"),
                Map.of("message", "Error (exit code 1)", "phase", "Failed", "step", "train_model")), got);
    }

    /** One entry of Argo's list (operator.go's failedNodeStatus). */
    private static Map<String, Object> entry(String displayName, String phase, String message, String finishedAt) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("displayName", displayName);
        n.put("message", message);
        n.put("templateName", "t");
        n.put("phase", phase);
        n.put("podName", "wf-" + displayName);
        n.put("finishedAt", finishedAt);
        return n;
    }

    private static Object eval(String code, List<Map<String, Object>> failures) throws Exception {
        return ExprSubset.eval(code, Map.of("workflow.failures", JSON.writeValueAsString(JSON.writeValueAsString(failures))));
    }
}
