package dev.freestone.e2e;

import static dev.freestone.e2e.Freestone.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.compile.CompileGoldenTest;
import dev.freestone.lower.argo.LoweredValidity;
import dev.freestone.testing.ExprSubset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * Values declared {@code T?} passed to inputs declared {@code T} inside the {@code if} that tests them: the engine
     * runs a branch only when its test holds on the real value, and gives the step that value; skipped otherwise.
     * Argo's guards, evaluated on the texts Argo has for the same values (null is the empty text), pick the same
     * branches, where {@code != nil} would have held for a null.
     */
    @Test
    void aNarrowedValueReachesItsStepOnlyWhenItsTestHolds() {
        JsonNode given = run("narrowing.pipe", "-p", "tag=hi", "-p", "k=3", "-p", "cfg={\"note\": \"n\"}", "-p", "give=true");
        assertEquals("HI", output(given, "_on_tag", "said"));
        assertEquals("6", output(given, "_on_k", "m"));
        assertEquals("14", output(given, "_on_count", "m"));
        assertEquals("N", output(given, "_on_note", "said"));
        assertEquals("MADE", output(given, "_on_made", "said"));
        assertEquals("LATE", output(given, "_on_late", "said"));
        assertEquals("YES", output(given, "_on_said", "said"));
        assertEquals("Skipped", task(given, "_no_note").get("state").asText());
        JsonNode none = run("narrowing.pipe");
        for (String skipped : List.of("_on_tag", "_on_k", "_on_count", "_on_note", "_on_made", "_on_late", "_on_said")) {
            assertEquals("Skipped", task(none, skipped).get("state").asText(), skipped);
        }
        assertEquals("NO NOTE", output(none, "_no_note", "said"));

        // the same values on Argo: each conditional's guards (fs-b0 its branch, fs-b1 the `else`)
        Map<String, Boolean> argoGiven = guards(Map.of("tag", "hi", "k", "3", "cfg", "{\"note\":\"n\"}"),
                Map.of("note", "made", "count", "7"), "late", "yes");
        Map<String, Boolean> argoNone = guards(Map.of("tag", "", "k", "", "cfg", "{\"note\":null}"),
                Map.of("note", "", "count", ""), "", "");
        assertEquals(Map.of("if-2/fs-b0", true, "if-3/fs-b0", true, "if-4/fs-b0", false, "if-4/fs-b1", true,
                "if-5/fs-b0", true, "if-6/fs-b0", true, "if-8/fs-b0", true), argoGiven);
        assertEquals(Map.of("if-2/fs-b0", false, "if-3/fs-b0", false, "if-4/fs-b0", true, "if-4/fs-b1", false,
                "if-5/fs-b0", false, "if-6/fs-b0", false, "if-8/fs-b0", false), argoNone);
    }

    /** The guards Argo computes for narrowing.pipe's tests of nulls, given the texts of its parameters and outputs. */
    private static Map<String, Boolean> guards(Map<String, String> params, Map<String, String> made, String lateNote,
            String said) {
        CompileGoldenTest.Compiled c = CompileGoldenTest.compile("src/test/resources/golden/compile/narrowing.pipe");
        JsonNode dag = LoweredValidity.template(c.lowered().manifests().get(0), "narrowing").get("dag");
        Map<String, Object> env = Map.of(
                "workflow.parameters", params, // a dotted name is one name to ExprSubset
                "tasks", Map.of("m", Map.of("outputs", Map.of("parameters", made)),
                        "if", Map.of("outputs", Map.of("parameters", Map.of("late-note", lateNote))),
                        "if-7", Map.of("outputs", Map.of("parameters", Map.of("fs-oneof-0", said)))));
        Map<String, Boolean> out = new TreeMap<>();
        for (JsonNode t : dag.get("tasks")) {
            if (!t.get("name").asText().startsWith("if-") || t.get("name").asText().equals("if-7")) {
                continue; // `if go`: not a test of a null
            }
            for (JsonNode a : t.path("arguments").path("parameters")) {
                String v = a.get("value").asText();
                if (a.get("name").asText().startsWith("fs-b")) {
                    out.put(t.get("name").asText() + "/" + a.get("name").asText(),
                            (Boolean) ExprSubset.eval(v.substring(3, v.length() - 2), env));
                }
            }
        }
        return out;
    }

    /**
     * A parameter {@code cfg: Cfg? = null}: given, its test holds, its fields inside the {@code if} and outside it and
     * the whole value reach their steps as the same texts on the engine and on Argo; not given (the empty text on
     * Argo), the test fails on both, the whole value is the empty text on both, and the field read outside the
     * {@code if} fails its step on the engine and its expression on Argo ({@code jsonpath('', '$')}).
     */
    @Test
    void anOptionalStructParameterIsTestedReadAndPassedWholeAsOnTheEngine() {
        String cfg = "{\"note\":\"hi\",\"n\":3}";
        JsonNode given = run("optional_struct.pipe", "-p", "cfg=" + cfg);
        Map<String, String> argoGiven = argoArguments(cfg);
        assertEquals("true", argoGiven.get("if/fs-b0"));
        for (String task : List.of("note", "n", "outside", "whole")) {
            assertEquals(output(given, "_" + task, "said"), "[" + argoGiven.get(task) + "]", task);
        }
        assertEquals("[hi]", output(given, "_note", "said"));
        assertEquals("[3]", output(given, "_n", "said"));

        Freestone.Result none = fs.cli("run", "--progress", "none", golden("optional_struct.pipe")).expect(1);
        JsonNode run = fs.show(none.runId());
        assertTrue(none.err().contains("`.note` of null"), none::err);
        assertEquals("Skipped", task(run, "_note").get("state").asText());
        assertEquals("Skipped", task(run, "_n").get("state").asText());
        assertEquals("[]", output(run, "_whole", "said"));
        Map<String, String> argoNone = argoArguments("");
        assertEquals("false", argoNone.get("if/fs-b0"));
        assertEquals("", argoNone.get("whole"));
        assertEquals("fails", argoNone.get("outside"));
    }

    /** Each task argument of optional_struct.pipe as Argo computes it from the text of `cfg` ("fails" when it fails). */
    private static Map<String, String> argoArguments(String cfg) {
        CompileGoldenTest.Compiled c = CompileGoldenTest.compile("src/test/resources/golden/compile/optional_struct.pipe");
        Map<String, Object> env = Map.of("workflow.parameters", Map.of("cfg", cfg));
        Map<String, String> out = new TreeMap<>();
        for (String name : List.of("optional-struct", "optional-struct-if")) {
            for (JsonNode t : LoweredValidity.template(c.lowered().manifests().get(0), name).get("dag").get("tasks")) {
                for (JsonNode a : t.path("arguments").path("parameters")) {
                    String v = a.get("value").asText();
                    String key = a.get("name").asText().startsWith("fs-b") ? t.get("name").asText() + "/" + a.get("name").asText()
                            : t.get("name").asText();
                    out.put(key, argoText(v, env));
                }
            }
        }
        return out;
    }

    /** A tag's text as Argo substitutes it: {@code {{workflow.parameters.x}}} or an expression {@code {{=...}}}. */
    private static String argoText(String tag, Map<String, Object> env) {
        if (tag.startsWith("{{workflow.parameters.")) {
            return ((Map<?, ?>) env.get("workflow.parameters")).get(tag.substring(22, tag.length() - 2)).toString();
        }
        try {
            return String.valueOf(ExprSubset.eval(tag.substring(3, tag.length() - 2), env));
        } catch (RuntimeException e) {
            return "fails";
        }
    }
}
