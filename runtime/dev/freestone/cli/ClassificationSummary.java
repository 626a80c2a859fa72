package dev.freestone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@code ClassificationMetrics} artifact read, as the Kubeflow UI shows one: its confusion matrix (with the accuracy
 * it gives) and its ROC curve (with the area under it); {@link #lines} in a few lines of text for {@code metrics}, the
 * same {@link Classification} drawn by the UI ({@link Visualizations}). The file holds the JSON KFP's SDK writes as
 * the artifact's metadata: {@code log_confusion_matrix} gives
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

    /** A confusion matrix: the classes' names as the file writes them, {@code counts[actual][predicted]}. */
    record Matrix(List<String> classes, double[][] counts) {
        /** The diagonal's sum: the examples predicted as what they are. */
        double correct() {
            double d = 0;
            for (int i = 0; i < counts.length; i++) {
                d += counts[i][i];
            }
            return d;
        }

        double total() {
            double t = 0;
            for (double[] row : counts) {
                for (double c : row) {
                    t += c;
                }
            }
            return t;
        }

        /** The accuracy the matrix gives; empty when it counts no example. */
        Optional<Double> accuracy() {
            return total() > 0 ? Optional.of(correct() / total()) : Optional.empty();
        }
    }

    /** A point of a ROC curve as the file gives it; {@code threshold} NaN where it gives none. */
    record Point(double threshold, double falsePositiveRate, double recall) {
    }

    /** A ROC curve: its points in the file's order, and the area under them. */
    record Roc(List<Point> points) {
        /** The curve drawn: its points by false positive rate, from (0, 0) to (1, 1), as {@link #auc} adds them up. */
        List<double[]> curve() {
            List<double[]> curve = new ArrayList<>();
            curve.add(new double[] {0, 0});
            curve.add(new double[] {1, 1});
            points.forEach(p -> curve.add(new double[] {p.falsePositiveRate(), p.recall()}));
            curve.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
            return curve;
        }

        /** The area under the curve: trapezoids through its points, from (0, 0) to (1, 1). */
        double auc() {
            List<double[]> curve = curve();
            double area = 0;
            for (int i = 1; i < curve.size(); i++) {
                area += (curve.get(i)[0] - curve.get(i - 1)[0]) * (curve.get(i)[1] + curve.get(i - 1)[1]) / 2;
            }
            return area;
        }
    }

    /** What a file holds: a confusion matrix, a ROC curve, or both. */
    record Classification(Optional<Matrix> matrix, Optional<Roc> roc) {
    }

    /** The most a ClassificationMetrics file is read into memory for (a confusion matrix of a thousand classes is 5 MiB). */
    static final long LIMIT = 16L << 20;

    /**
     * JSON as Python's {@code json.dump} writes it: a float infinity or NaN as {@code Infinity}, {@code NaN}, which
     * scikit-learn's {@code roc_curve} gives (its first threshold is {@code inf}).
     */
    private static final com.fasterxml.jackson.databind.ObjectReader PYTHON_JSON = Cli.JSON.reader()
            .with(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);

    /**
     * The file's classification metrics; else why not, in the line {@code metrics} and the UI show under the artifact's
     * name ({@code not JSON: ...}, {@code not KFP's ClassificationMetrics JSON: ...}).
     */
    static Classification read(Path file) throws NotClassificationMetrics, IOException {
        long size = java.nio.file.Files.size(file);
        if (size > LIMIT) {
            throw new NotClassificationMetrics("not read: " + size + " bytes, more than the " + (LIMIT >> 20)
                    + " MiB a ClassificationMetrics file may hold (KFP's are kilobytes)");
        }
        JsonNode doc;
        try {
            doc = PYTHON_JSON.readTree(java.nio.file.Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new NotClassificationMetrics("not JSON: write KFP's ClassificationMetrics JSON (docs/local-engine.md)");
        }
        try {
            return read(doc);
        } catch (NotClassificationMetrics e) {
            throw new NotClassificationMetrics("not KFP's ClassificationMetrics JSON: " + e.getMessage());
        }
    }

    static Classification read(JsonNode doc) throws NotClassificationMetrics {
        if (doc == null || !doc.isObject() || (!doc.has("confusionMatrix") && !doc.has("confidenceMetrics"))) {
            throw new NotClassificationMetrics("it has neither `confusionMatrix` nor `confidenceMetrics`");
        }
        return new Classification(doc.has("confusionMatrix") ? Optional.of(matrix(doc.get("confusionMatrix"))) : Optional.empty(),
                doc.has("confidenceMetrics") ? Optional.of(roc(doc.get("confidenceMetrics"))) : Optional.empty());
    }

    /** The summary's lines, to be printed through {@code out} (its matrix's columns measured as they show there). */
    static List<String> lines(JsonNode doc, java.io.PrintWriter out) throws NotClassificationMetrics {
        return lines(read(doc), out);
    }

    static List<String> lines(Classification c, java.io.PrintWriter out) {
        List<String> lines = new ArrayList<>();
        c.matrix().ifPresent(m -> lines.addAll(lines(m, out)));
        c.roc().ifPresent(r -> lines.add("ROC curve: " + r.points().size() + (r.points().size() == 1 ? " threshold" : " thresholds")
                + ", AUC " + round(r.auc())));
        return lines;
    }

    private static Matrix matrix(JsonNode m) throws NotClassificationMetrics {
        JsonNode specs = m.path("annotationSpecs");
        JsonNode rows = m.path("rows");
        int n = specs.size();
        if (!specs.isArray() || !rows.isArray() || n == 0 || rows.size() != n) {
            throw new NotClassificationMetrics("`confusionMatrix` needs `annotationSpecs` (one per class) and as many `rows`");
        }
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            classes.add(specs.get(i).path("displayName").asText("class " + i));
        }
        double[][] counts = new double[n][n];
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
            for (int j = 0; j < n; j++) {
                if (!row.get(j).isNumber()) {
                    throw new NotClassificationMetrics("row " + (i + 1) + " of `confusionMatrix` holds `" + row.get(j) + "`, not a number");
                }
                counts[i][j] = row.get(j).doubleValue();
                if (!(counts[i][j] >= 0) || Double.isInfinite(counts[i][j])) {
                    // an accuracy of such counts would be no share of the examples (`1.1 (10 of 9)`)
                    throw new NotClassificationMetrics("row " + (i + 1) + " of `confusionMatrix` holds `"
                            + MetricsCommand.format(counts[i][j]) + "`, not a count (a number of examples, 0 or more)");
                }
            }
        }
        return new Matrix(List.copyOf(classes), counts);
    }

    private static List<String> lines(Matrix m, java.io.PrintWriter shownThrough) {
        int n = m.classes().size();
        List<String> out = new ArrayList<>();
        if (n > Visualizations.MOST_CLASSES) {
            // a thousand classes would print a million cells, burying the metrics around them; the UI draws none either
            out.add("confusion matrix of " + n + " classes: too many to show here (`artifacts RUN --print` prints the file)");
            accuracy(m).ifPresent(out::add);
            return out;
        }
        List<String[]> table = new ArrayList<>();
        String[] head = new String[n + 1];
        head[0] = "";
        for (int i = 0; i < n; i++) {
            // the file's text: its escape codes are not to drive the terminal (nor to break the columns)
            head[i + 1] = Progress.oneLine(m.classes().get(i)).strip();
        }
        table.add(head);
        for (int i = 0; i < n; i++) {
            String[] line = new String[n + 1];
            line[0] = head[i + 1];
            for (int j = 0; j < n; j++) {
                line[j + 1] = MetricsCommand.format(m.counts()[i][j]);
            }
            table.add(line);
        }
        out.add("confusion matrix (rows: actual, columns: predicted)");
        Cli.table(table, shownThrough).lines().forEach(l -> out.add("  " + l));
        accuracy(m).ifPresent(out::add);
        return out;
    }

    private static Optional<String> accuracy(Matrix m) {
        return m.accuracy().map(a -> "accuracy " + round(a) + " (" + MetricsCommand.format(m.correct()) + " of "
                + MetricsCommand.format(m.total()) + ")");
    }

    private static Roc roc(JsonNode points) throws NotClassificationMetrics {
        if (!points.isArray() || points.isEmpty()) {
            throw new NotClassificationMetrics("`confidenceMetrics` is not a list of points");
        }
        List<Point> read = new ArrayList<>();
        for (JsonNode p : points) {
            if (!p.path("falsePositiveRate").isNumber() || !p.path("recall").isNumber()) {
                throw new NotClassificationMetrics("a point of `confidenceMetrics` lacks `falsePositiveRate` or `recall`");
            }
            for (String rate : List.of("falsePositiveRate", "recall")) {
                // a rate outside [0, 1] is drawn at the plot's edge; one that is no number at all has no place on it
                if (!Double.isFinite(p.get(rate).doubleValue())) {
                    throw new NotClassificationMetrics("a point of `confidenceMetrics` has `" + rate + "` "
                            + MetricsCommand.format(p.get(rate).doubleValue()) + ", no rate");
                }
            }
            read.add(new Point(p.path("confidenceThreshold").isNumber() ? p.get("confidenceThreshold").doubleValue() : Double.NaN,
                    p.get("falsePositiveRate").doubleValue(), p.get("recall").doubleValue()));
        }
        return new Roc(List.copyOf(read));
    }

    /** {@code d} to three decimals, as the summary writes an accuracy or an AUC. */
    static String round(double d) {
        return MetricsCommand.format(Math.round(d * 1000) / 1000.0);
    }
}
