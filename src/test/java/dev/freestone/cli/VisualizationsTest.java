package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the UI draws of a ClassificationMetrics file that is KFP's but past what a page shows well. */
class VisualizationsTest {
    @Test
    void aMatrixOfTooManyClassesIsNotDrawnCellByCell() {
        int n = Visualizations.MOST_CLASSES + 1;
        double[][] counts = new double[n][n];
        counts[0][0] = 3;
        String table = Visualizations.matrix(new ClassificationSummary.Matrix(Collections.nCopies(n, "c"), counts));
        assertTrue(table.contains("accuracy 1 (3 of 3)</caption>\n<tr><td>101 classes: too many to draw here</td></tr>"), table);
        assertEquals(-1, table.indexOf("<th>c</th>"), table);
    }

    /** A rate outside [0, 1] (the file's mistake) is drawn at the plot's edge, not outside it; the AUC is the file's. */
    @Test
    void aRateOutsideTheUnitIsDrawnAtTheEdge() {
        String svg = Visualizations.roc(new ClassificationSummary.Roc(List.of(new ClassificationSummary.Point(0.5, -0.2, 1.5))));
        assertTrue(svg.contains("<polyline class=\"curve\" points=\"56,16 56,296 336,16\""), svg);
        assertTrue(svg.contains("<title>threshold 0.5: false positive rate -0.2, recall 1.5</title>"), svg);
    }
}
