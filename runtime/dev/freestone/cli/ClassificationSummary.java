package dev.freestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@code ClassificationMetrics} artifact in a few lines of text, as the Kubeflow UI shows one: its
 * confusion matrix (with the accuracy it gives) and a summary of its ROC curve. The file holds the JSON
 * KFP's SDK writes as the artifact's metadata: {@code log_confusion_matrix} gives
 * {@code {"confusionMatrix": {"annotationSpecs": [{"displayName": "cat"}, ...], "rows": [{"row": [5, 1]}, ...]}}},
 * {@code log_roc_curve} gives {@code {"confidenceMetrics": [{"confidenceThreshold": 0.5, "recall": 0.8,
 * "falsePositiveRate": 0.1}, ...]}}; either or both.
 */
final class ClassificationSummary {
    private ClassificationSummary() {
    }

    /** Why a file is not KFP's ClassificationMetrics JSON, in its terms. */
    static final class NotClassificationMetrics extends Exception {
        NotClassificationMetrics(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The summary's lines, to be printed through {@code out} (its matrix's columns measured as they show there). */
    static List<String> lines(JsonNode doc, java.io.PrintWriter out) throws NotClassificationMetrics {
        if (doc == null || !doc.isObject() || (!doc.has("confusionMatrix") && !doc.has("confidenceMetrics"))) {
            throw new NotClassificationMetrics("it has neither `confusionMatrix` nor `confidenceMetrics`");
        }
        List<String> lines = new ArrayList<>();
        if (doc.has("confusionMatrix")) {
            lines.addAll(confusionMatrix(doc.get("confusionMatrix"), out));
        }
        if (doc.has("confidenceMetrics")) {
            lines.add(roc(doc.get("confidenceMetrics")));
        }
        return lines;
    }

    private static List<String> confusionMatrix(JsonNode m, java.io.PrintWriter shownThrough) throws NotClassificationMetrics {
        JsonNode specs = m.path("annotationSpecs");
        JsonNode rows = m.path("rows");
        int n = specs.size();
        if (!specs.isArray() || !rows.isArray() || n == 0 || rows.size() != n) {
            throw new NotClassificationMetrics("`confusionMatrix` needs `annotationSpecs` (one per class) and as many `rows`");
        }
        List<String[]> table = new ArrayList<>();
        String[] head = new String[n + 1];
        head[0] = "";
        for (int i = 0; i < n; i++) {
            // the file's text: its escape codes are not to drive the terminal (nor to break the columns)
            head[i + 1] = Progress.oneLine(specs.get(i).path("displayName").asText("class " + i)).strip();
        }
        table.add(head);
        double diagonal = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            JsonNode row = rows.get(i).path("row");
            if (!row.isArray()) {
                // `[[5, 1], [2, 7]]` is how a matrix is written elsewhere; KFP wraps each row
                throw new NotClassificationMetrics("row " + (i + 1) + " of `confusionMatrix` is `" + rows.get(i)
                        + "`: KFP writes a row as {\"row\": [...]}, one number per class");
            }
            if (row.size() != n) {
                throw new NotClassificationMetrics("row " + (i + 1) + " of `confusionMatrix` has " + row.size()
                        + (row.size() == 1 ? " number," : " numbers,") + " not one per class (" + n + ")");
            }
            String[] line = new String[n + 1];
            line[0] = head[i + 1];
            for (int j = 0; j < n; j++) {
                if (!row.get(j).isNumber()) {
                    throw new NotClassificationMetrics("row " + (i + 1) + " of `confusionMatrix` holds `" + row.get(j) + "`, not a number");
                }
                double count = row.get(j).doubleValue();
                line[j + 1] = MetricsCommand.format(count);
                total += count;
                diagonal += i == j ? count : 0;
            }
            table.add(line);
        }
        List<String> out = new ArrayList<>();
        out.add("confusion matrix (rows: actual, columns: predicted)");
        Cli.table(table, shownThrough).lines().forEach(l -> out.add("  " + l));
        if (total > 0) {
            out.add("accuracy " + round(diagonal / total) + " (" + MetricsCommand.format(diagonal) + " of "
                    + MetricsCommand.format(total) + ")");
        }
        return out;
    }

    /** The ROC curve's points and its area (trapezoids, from (0, 0) to (1, 1)). */
    private static String roc(JsonNode points) throws NotClassificationMetrics {
        if (!points.isArray() || points.isEmpty()) {
            throw new NotClassificationMetrics("`confidenceMetrics` is not a list of points");
        }
        List<double[]> curve = new ArrayList<>();
        curve.add(new double[] {0, 0});
        curve.add(new double[] {1, 1});
        for (JsonNode p : points) {
            if (!p.path("falsePositiveRate").isNumber() || !p.path("recall").isNumber()) {
                throw new NotClassificationMetrics("a point of `confidenceMetrics` lacks `falsePositiveRate` or `recall`");
            }
            curve.add(new double[] {p.get("falsePositiveRate").doubleValue(), p.get("recall").doubleValue()});
        }
        curve.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
        double area = 0;
        for (int i = 1; i < curve.size(); i++) {
            area += (curve.get(i)[0] - curve.get(i - 1)[0]) * (curve.get(i)[1] + curve.get(i - 1)[1]) / 2;
        }
        return "ROC curve: " + points.size() + (points.size() == 1 ? " threshold" : " thresholds") + ", AUC " + round(area);
    }

    private static String round(double d) {
        return MetricsCommand.format(Math.round(d * 1000) / 1000.0);
    }
}
