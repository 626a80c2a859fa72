package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Why a confusion matrix does not read as KFP's: said in the terms of the JSON the step wrote. */
class ClassificationSummaryTest {
    private static String why(String json) throws Exception {
        return assertThrows(ClassificationSummary.NotClassificationMetrics.class,
                () -> ClassificationSummary.lines(new ObjectMapper().readTree(json), new java.io.PrintWriter(java.io.Writer.nullWriter()))).getMessage();
    }

    @Test
    void aRowWrittenAsAPlainListIsToldKfpsShape() throws Exception {
        // `[[5, 1], [2, 7]]`, as scikit-learn's confusion_matrix().tolist() gives it
        assertEquals("row 1 of `confusionMatrix` is `[5,1]`: KFP writes a row as {\"row\": [...]}, one number per class",
                why("{\"confusionMatrix\": {\"annotationSpecs\": [{\"displayName\": \"a\"}, {\"displayName\": \"b\"}],"
                        + " \"rows\": [[5, 1], [2, 7]]}}"));
    }

    /** A file past what is read into memory says so, unread: `metrics` and the UI then show that line. */
    @Test
    void aFileTooLargeIsNotRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path huge = tmp.resolve("cm.json");
        try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(ClassificationSummary.LIMIT + 1);
        }
        assertEquals("not read: 16777217 bytes, more than the 16 MiB a ClassificationMetrics file may hold (KFP's are kilobytes)",
                assertThrows(ClassificationSummary.NotClassificationMetrics.class, () -> ClassificationSummary.read(huge)).getMessage());
        java.nio.file.Files.writeString(huge, "{\"confusionMatrix\": ");
        assertEquals("not JSON: write KFP's ClassificationMetrics JSON (docs/local-engine.md)",
                assertThrows(ClassificationSummary.NotClassificationMetrics.class, () -> ClassificationSummary.read(huge)).getMessage());
    }

    @Test
    void aRowOfTheWrongWidthSaysHowWideItIs() throws Exception {
        assertEquals("row 2 of `confusionMatrix` has 1 number, not one per class (2)",
                why("{\"confusionMatrix\": {\"annotationSpecs\": [{\"displayName\": \"a\"}, {\"displayName\": \"b\"}],"
                        + " \"rows\": [{\"row\": [5, 1]}, {\"row\": [2]}]}}"));
    }

    /** A count of examples below 0 or no finite number, a rate that is none: the file's mistake, said, not drawn. */
    @Test
    void aNegativeOrNaNCountAndANaNRateAreSaid(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String specs = "{\"confusionMatrix\": {\"annotationSpecs\": [{\"displayName\": \"a\"}, {\"displayName\": \"b\"}], ";
        assertEquals("row 1 of `confusionMatrix` holds `-5`, not a count (a number of examples, 0 or more)",
                why(specs + "\"rows\": [{\"row\": [-5, 1]}, {\"row\": [2, 7]}]}}"));
        java.nio.file.Path file = tmp.resolve("cm.json");
        java.nio.file.Files.writeString(file, specs + "\"rows\": [{\"row\": [5, 1]}, {\"row\": [NaN, 7]}]}}");
        assertEquals("not KFP's ClassificationMetrics JSON: row 2 of `confusionMatrix` holds `NaN`, not a count (a number of"
                + " examples, 0 or more)", assertThrows(ClassificationSummary.NotClassificationMetrics.class,
                        () -> ClassificationSummary.read(file)).getMessage());
        java.nio.file.Files.writeString(file, "{\"confidenceMetrics\": [{\"confidenceThreshold\": NaN, \"recall\": NaN,"
                + " \"falsePositiveRate\": 0.1}]}");
        assertEquals("not KFP's ClassificationMetrics JSON: a point of `confidenceMetrics` has `recall` NaN, no rate",
                assertThrows(ClassificationSummary.NotClassificationMetrics.class, () -> ClassificationSummary.read(file)).getMessage());
    }

    /** Past the classes the UI draws, `metrics` prints no matrix either: a thousand classes are a million cells. */
    @Test
    void aMatrixOfTooManyClassesIsNotPrintedCellByCell() {
        int n = Visualizations.MOST_CLASSES + 1;
        double[][] counts = new double[n][n];
        counts[0][0] = 3;
        counts[1][0] = 1;
        assertEquals(java.util.List.of("confusion matrix of 101 classes: too many to show here (`artifacts RUN --print` prints the"
                + " file)", "accuracy 0.75 (3 of 4)"), ClassificationSummary.lines(new ClassificationSummary.Classification(
                        java.util.Optional.of(new ClassificationSummary.Matrix(java.util.Collections.nCopies(n, "c"), counts)),
                        java.util.Optional.empty()), new java.io.PrintWriter(java.io.Writer.nullWriter())));
    }
}
