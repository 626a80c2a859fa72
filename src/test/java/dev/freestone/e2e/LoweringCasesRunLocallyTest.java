package dev.freestone.e2e;

import static dev.freestone.e2e.Freestone.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden compile cases written for the Argo lowering of exit handlers and merged values run on the local
 * engine too, with the outcome the lowering must match: what each {@code finally} reads, what each chain of
 * conditions over merged values ({@code oneof}) chooses.
 */
class LoweringCasesRunLocallyTest {
    @TempDir
    Path tmp;
    Freestone fs;

    @BeforeEach
    void store() {
        fs = new Freestone(tmp.resolve("home"));
    }

    private static String golden(String name) {
        return Freestone.project().resolve("src/test/resources/golden/compile").resolve(name).toString();
    }

    /** Runs a golden case; returns {@code show --output json} of the run, with the CLI's output under "printed". */
    private JsonNode run(String file, String... params) {
        String[] args = new String[4 + params.length];
        args[0] = "run";
        args[1] = "--progress";
        args[2] = "none";
        args[3] = golden(file);
        System.arraycopy(params, 0, args, 4, params.length);
        Freestone.Result r = fs.cli(args).expect(0);
        JsonNode run = fs.show(r.runId());
        assertEquals("Succeeded", run.get("status").asText(), run::toPrettyString);
        ((ObjectNode) run).put("printed", r.out());
        return run;
    }

    private static String output(JsonNode run, String task, String output) {
        return task(run, task).get("outputs").get(output).asText();
    }

    private static void printed(JsonNode run, String line) {
        assertTrue(run.get("printed").asText().contains(line), () -> "no `" + line + "` in:\n" + run.get("printed").asText());
    }

    @Test
    void aValueMergedFromAConditionOnAMergedValueIsReadInsideLoops() {
        JsonNode run = run("merge_chain.pipe");
        // m = 2.0 > 1.5: a = 4.0; 4.0 <= 5.0: d = 400.0; the loops read 400.0 and 401.0
        assertEquals("Skipped", task(run, "b").get("state").asText());
        assertEquals("Skipped", task(run, "c").get("state").asText());
        assertEquals("400.0", output(run, "d", "y"));
        printed(run, "output plain = [400.0,4000.0]");
        printed(run, "output limited = [401.0,4010.0]");
    }

    @Test
    void aChainOfFourConditionsOverMergedValues() {
        JsonNode run = run("merge_chain_deep.pipe");
        // 3.0 -> b1 6.0 -> a2 6.0 (> 5.0) -> b3 60.0 (<= 20.0) -> a4 30.0 (> 5.0); the loop reads 30.0 + 6.0
        for (String skipped : new String[] {"a1", "b2", "c2", "a3", "b4"}) {
            assertEquals("Skipped", task(run, skipped).get("state").asText(), skipped);
        }
        printed(run, "output last = 30.0");
        printed(run, "output each = [36.0,72.0]");
    }

    @Test
    void finallyReadsArtifactsOfStepsAndOfParametersAndMergedValues() throws IOException {
        Path data = Files.writeString(tmp.resolve("data.csv"), "a,b\n");
        JsonNode run = run("exit_artifacts.pipe", "--param", "data=" + data);
        assertEquals("model main\na,b\nSucceeded 0.75", output(run, "kept", "line"));
        assertEquals("model fast\nmodel main\nmerged", output(run, "merged", "line"));
    }

    @Test
    void aCalledPipelinesFinallyReadsItsParametersStepsAndMergedValuePerCall() {
        JsonNode run = run("exit_nested.pipe");
        assertEquals("model a\na Succeeded 0.75", output(run, "a/report", "line"));
        assertEquals("model b\nb Succeeded 0.75", output(run, "b/report", "line"));
        assertEquals("model a\nagain Succeeded 1.0", output(run, "a/again", "line")); // run.status in a nested body
        assertEquals("Skipped", task(run, "b/again").get("state").asText());
    }

    @Test
    void finallyReadsListsOfArtifactsOfLoopsCalledPipelinesAndParameters() {
        JsonNode run = run("exit_lists.pipe");
        assertEquals("Succeeded: model 0.1 | model 0.2", output(run, "all", "seen"));
        assertEquals("called: model 0.3 | model 0.4", output(run, "called", "seen"));
        assertEquals("each: model 0.1", output(run, "each[0]", "seen"));
        assertEquals("each: model 0.2", output(run, "each[1]", "seen"));
        assertEquals("a Succeeded: model 0.5 | model 0.6", output(run, "st/inner", "seen")); // the call's own loop
        assertEquals("a: model 0.1 | model 0.2", output(run, "st/again", "seen")); // its list parameter
    }

    @Test
    void aListOfArtifactsLeavesAnIfThroughOneofFromTheBranchThatRan() {
        JsonNode wide = run("merge_lists.pipe");
        assertEquals("Skipped", task(wide, "n").get("state").asText());
        printed(wide, "output seen = merged: model 0.1 | model 0.2 | model 0.3");
        printed(wide, "output sizes = [10,10,10]");
        printed(wide, "output each = [[\"model 0.7\"], [\"model 0.05\", \"model 0.06\"]]"); // a loop collects merges
        assertEquals("Succeeded: model 0.1 | model 0.2 | model 0.3", output(wide, "again", "seen"));
        JsonNode narrow = run("merge_lists.pipe", "--param", "wide=false");
        assertEquals("Skipped", task(narrow, "w").get("state").asText());
        printed(narrow, "output seen = merged: model 0.5");
        printed(narrow, "output sizes = [10]");
        assertEquals("Succeeded: model 0.5", output(narrow, "again", "seen"));
    }
}
