package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Kubeflow UI shows of a run's visualizations, locally: {@code metrics} summarizes each
 * {@code ClassificationMetrics} artifact (confusion matrix, ROC curve), {@code artifacts} says how to read
 * an {@code HTML} or {@code Markdown} report, and {@code artifacts --print} prints one.
 */
class VisualizationsE2ETest {
    static final String PIPE = """
            component evaluate(recall: Float) -> (cm: ClassificationMetrics, report: HTML, notes: Markdown, model: Model) {
              image  = "python:3.12-slim"
              script = python \"""
                import json, os
                # what KFP's ClassificationMetrics.log_confusion_matrix and log_roc_curve write
                json.dump({
                    "confusionMatrix": {
                        "annotationSpecs": [{"displayName": "cat"}, {"displayName": "dog"}],
                        "rows": [{"row": [5, 1]}, {"row": [2, 7]}]},
                    "confidenceMetrics": [
                        {"confidenceThreshold": 0.8, "recall": 0.5, "falsePositiveRate": 0.1},
                        {"confidenceThreshold": 0.5, "recall": float(os.environ["recall"]), "falsePositiveRate": 0.3}]},
                    open(os.environ["cm"], "w"))
                open(os.environ["report"], "w").write("<html><body><h1>Évaluation</h1></body></html>\\n")
                open(os.environ["notes"], "w").write("# Notes\\n\\n- accuracy 0.8\\n")
                open(os.environ["model"], "wb").write(bytes([0xff, 0xfe, 0x00]))
              \"""
            }
            component broken() -> (cm: ClassificationMetrics) {
              image  = "python:3.12-slim"
              script = python \"""
                import os
                open(os.environ["cm"], "w").write('{"accuracy": 0.9}')
              \"""
            }
            pipeline v(recall: Float = 0.8) {
              e = evaluate(recall = recall)
              b = broken() after e
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void metricsSummarizesEachClassificationMetricsArtifact() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "v.pipe", PIPE);
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        assertEquals(List.of(
                "CLASSIFICATION b.cm",
                "  not KFP's ClassificationMetrics JSON: it has neither `confusionMatrix` nor `confidenceMetrics`",
                "",
                "CLASSIFICATION e.cm",
                "  confusion matrix (rows: actual, columns: predicted)",
                "         cat  dog",
                "    cat  5    1",
                "    dog  2    7",
                "  accuracy 0.8 (12 of 15)",
                "  ROC curve: 2 thresholds, AUC 0.785"),
                fs.cli("metrics", run).expect(0).out().lines().toList());
        // for scripts: each one's accuracy (of its counts) and AUC, beside the scalar metrics, or the line that says why not
        assertEquals("{\"classification\":{\"b.cm\":{\"error\":\"not KFP's ClassificationMetrics JSON: it has neither"
                + " `confusionMatrix` nor `confidenceMetrics`\"},\"e.cm\":{\"accuracy\":0.8,\"auc\":0.785,"
                + "\"correct\":12,\"thresholds\":2,\"total\":15}}}",
                Freestone.JSON.readTree(fs.cli("metrics", "--output", "json", run).expect(0).out()).get(run).toString());
        // comparing runs: each run's, named, under the parameters they differ in
        String other = fs.cli("run", "--progress", "none", p.toString(), "-p", "recall=0.9").expect(0).runId();
        List<String> both = fs.cli("metrics", run, other).expect(0).out().lines().toList();
        assertEquals("recall     0.8                       0.9", both.get(1).stripTrailing(), both::toString);
        assertEquals(List.of("", "CLASSIFICATION b.cm  (" + run + ")"), both.subList(2, 4), both::toString);
        assertTrue(both.contains("CLASSIFICATION e.cm  (" + other + ")"), both::toString);
        assertTrue(both.contains("  ROC curve: 2 thresholds, AUC 0.83"), both::toString);
    }

    /** A loop's iteration is named with its item over its confusion matrix, as over its metric rows. */
    @Test
    void metricsNamesALoopIterationsClassificationMetricsByItsItem() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String loop = PIPE.substring(0, PIPE.indexOf("pipeline v(")) + """
                pipeline v(recalls: List[Float] = [0.7, 0.9]) {
                  for recall in recalls {
                    e = evaluate(recall = recall)
                  }
                }
                """;
        String run = fs.cli("run", "--progress", "none", Freestone.pipe(tmp, "v.pipe", loop).toString()).expect(0).runId();
        List<String> shown = fs.cli("metrics", run).expect(0).out().lines().toList();
        assertEquals(List.of("CLASSIFICATION e[0] (recall=0.7).cm", "CLASSIFICATION e[1] (recall=0.9).cm"),
                shown.stream().filter(l -> l.startsWith("CLASSIFICATION")).toList(), shown::toString);
        assertTrue(shown.contains("  ROC curve: 2 thresholds, AUC 0.83"), shown::toString);
        // in JSON, keyed by task id as the metrics are, each iteration's items under `items`
        var json = Freestone.JSON.readTree(fs.cli("metrics", "--output", "json", run).expect(0).out()).get(run);
        assertEquals(List.of("e[0].cm", "e[1].cm"), iterator(json.get("classification").fieldNames()));
        assertEquals(0.83, json.get("classification").get("e[1].cm").get("auc").doubleValue(), 1e-9);
        assertEquals("{\"e[0]\":[{\"name\":\"recall\",\"value\":0.7}],\"e[1]\":[{\"name\":\"recall\",\"value\":0.9}]}",
                json.get("items").toString());
    }

    /** scikit-learn's roc_curve starts at the threshold inf, which Python's json.dump writes as `Infinity`. */
    @Test
    void aRocCurveScikitLearnGaveIsReadWithItsInfiniteThreshold() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String run = fs.cli("run", "--progress", "none", Freestone.pipe(tmp, "roc.pipe", """
                component roc() -> (cm: ClassificationMetrics) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    fpr, tpr, thresholds = [0.0, 0.0, 0.5, 1.0], [0.0, 0.5, 1.0, 1.0], [float("inf"), 0.9, 0.4, 0.1]
                    json.dump({"confidenceMetrics": [{"confidenceThreshold": t, "recall": r, "falsePositiveRate": f}
                                                     for f, r, t in zip(fpr, tpr, thresholds)]}, open(os.environ["cm"], "w"))
                  \"""
                }
                pipeline r() {
                  e = roc()
                }
                """).toString()).expect(0).runId();
        assertEquals(List.of("CLASSIFICATION e.cm", "  ROC curve: 4 thresholds, AUC 0.875"),
                fs.cli("metrics", run).expect(0).out().lines().toList());
    }

    private static List<String> iterator(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void artifactsSaysHowToReadAReportAndPrintsOne() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "v.pipe", PIPE);
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        Freestone.Result list = fs.cli("artifacts", run).expect(0);
        assertTrue(list.err().contains("note: e.report is an HTML report: `freestone artifacts " + run
                + " --print e.report > report.html` and open that file; `freestone ui` draws it\n"), list::all);
        assertTrue(list.err().contains("note: e.notes is a Markdown report: `freestone artifacts " + run
                + " --print e.notes` prints it; `freestone ui` draws it\n"), list::all);
        assertEquals("# Notes\n\n- accuracy 0.8\n", fs.cli("artifacts", run, "--print", "e.notes").expect(0).out());
        assertEquals("<html><body><h1>Évaluation</h1></body></html>\n",
                fs.cli("artifacts", run, "--print", "e.report").expect(0).out());
        Freestone.Result unknown = fs.cli("artifacts", run, "--print", "e.repot").expect(1);
        assertEquals("", unknown.out());
        assertTrue(unknown.err().contains("error: run " + run + " has no artifact `e.repot`\n"
                + "  = help: did you mean `e.report`?\n"), unknown::all);
        // an output's name alone, or a task's, stands for its one artifact; a task of several lists them all
        assertTrue(fs.cli("artifacts", run, "--print", "notes").expect(1).err()
                .contains("  = help: did you mean `e.notes`? an artifact is named TASK.OUTPUT\n"));
        assertTrue(fs.cli("artifacts", run, "--print", "b").expect(1).err()
                .contains("  = help: did you mean `b.cm`? an artifact is named TASK.OUTPUT\n"));
        assertTrue(fs.cli("artifacts", run, "--print", "e").expect(1).err()
                .contains("  = help: its artifacts are: b.cm, e.cm, e.model, e.notes, e.report\n"));
        // bytes that are not text are not printed into a terminal
        Freestone.Result binary = fs.cli("artifacts", run, "--print", "e.model").expect(1);
        assertTrue(binary.err().contains("error: `e.model` is not text (UTF-8): it is printed only as text"), binary::all);
        assertEquals("", binary.out());
        Freestone.assertNoTrace(unknown.all() + binary.all());
    }

    /**
     * A report that would drive a terminal: a title, a colour, the clipboard (OSC 52); written with CRLF line ends.
     * And class names that would clear the screen or ring.
     */
    static final String HOSTILE = """
            component write() -> (notes: Markdown, cm: ClassificationMetrics) {
              image  = "python:3.12-slim"
              script = python \"""
                import json, os
                json.dump({"confusionMatrix": {"annotationSpecs": [{"displayName": "c\\x1b[2Jat"}, {"displayName": "dog\\x07"}],
                                               "rows": [{"row": [5, 1]}, {"row": [2, 7]}]}}, open(os.environ["cm"], "w"))
                open(os.environ["notes"], "wb").write(
                    "# Évaluation ✓\\r\\n\\x1b]0;pwned\\x07\\x1b[31mred\\x1b[0m\\r\\n\\x1b]52;c;ZWNobw==\\x07\\u009b2J\\r\\n".encode())
              \"""
            }
            pipeline h() {
              w = write()
            }
            """;

    @Test
    void metricsShowsClassNamesWithoutTheirEscapeCodes() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String run = fs.cli("run", "--progress", "none", Freestone.pipe(tmp, "h.pipe", HOSTILE).toString()).expect(0).runId();
        assertEquals(List.of(
                "CLASSIFICATION w.cm",
                "  confusion matrix (rows: actual, columns: predicted)",
                "         cat  dog",
                "    cat  5    1",
                "    dog  2    7",
                "  accuracy 0.8 (12 of 15)"),
                fs.cli("metrics", run).expect(0).out().lines().map(String::stripTrailing).toList());
    }

    @Test
    void printWritesTheReportAsItIsIntoAFileAndHarmlessIntoATerminal() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String run = fs.cli("run", "--progress", "none", Freestone.pipe(tmp, "h.pipe", HOSTILE).toString()).expect(0).runId();
        byte[] stored = ("# Évaluation ✓\r\n\u001b]0;pwned\u0007\u001b[31mred\u001b[0m\r\n\u001b]52;c;ZWNobw==\u0007\u009b2J\r\n")
                .getBytes(StandardCharsets.UTF_8);
        // redirected, under a C locale (Java's charset ASCII): the bytes as they are, not `?` for each accent
        Path logs = tmp.resolve("redirected");
        Freestone.Result redirected = Freestone.await(fs.start(logs, List.of("-Dfile.encoding=ANSI_X3.4-1968"),
                "artifacts", run, "--print", "w.notes"), logs, 60).expect(0);
        assertEquals("", redirected.err());
        assertArrayEquals(stored, Files.readAllBytes(logs.resolve("out.txt")));
        // into a terminal (a pseudo-terminal): every escape code shown, none sent; also with stdin from /dev/null
        for (boolean stdinFromNull : List.of(false, true)) {
            Path pty = tmp.resolve("terminal" + stdinFromNull);
            Freestone.Result shown = Freestone.await(fs.startUnder(Freestone.onTerminal(stdinFromNull), pty,
                    List.of("-Dfile.encoding=UTF-8"), "artifacts", run, "--print", "w.notes"), pty, 60).expect(0);
            assertFalse(shown.all().contains("\u001b") || shown.all().contains("\u0007") || shown.all().contains("\u009b"),
                    shown::all);
            // (the terminal ends each line it shows with CR LF)
            assertTrue(shown.out().replace("\r", "")
                    .contains("# Évaluation ✓\n^[]0;pwned^G^[[31mred^[[0m\n^[]52;c;ZWNobw==^G<U+009B>2J\n"), shown::all);
            assertTrue(shown.out().contains("note: its control characters are shown as ^X; redirected into a file it is written"
                    + " as it is"), shown::all);
        }
    }
}
