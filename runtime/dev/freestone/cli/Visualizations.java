package dev.freestone.cli;

import dev.freestone.runtime.store.ArtifactRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.DefaultUrlSanitizer;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A run's reports drawn in the UI, as the Kubeflow UI's Visualizations tab draws them: an {@code HTML} report in a
 * sandboxed frame loaded from a URL of its own ({@code ?view}, served under {@link #FRAMED_POLICY}), a
 * {@code Markdown} report rendered here (its raw HTML escaped, its links only http, https or relative, its images not
 * fetched), a {@code ClassificationMetrics} artifact as its confusion matrix (a shaded table) and ROC curve (inline
 * SVG), read by {@link ClassificationSummary} as {@code metrics} reads it. What is drawn inline is read up to a cap,
 * never a report whole; past it the section says so and links the download.
 */
final class Visualizations {
    private Visualizations() {
    }

    /** The artifact types drawn. */
    static final Set<String> TYPES = Set.of("HTML", "Markdown", "ClassificationMetrics");

    /** How much of a Markdown report is rendered in the page (the rest is in its download). */
    static final int MARKDOWN_LIMIT = 1 << 20;

    /** An HTML report larger than this is not framed in the page, which would load every one of them at once. */
    static final long FRAME_LIMIT = 32L << 20;

    /** A confusion matrix of more classes is not drawn cell by cell. */
    static final int MOST_CLASSES = 100;

    /**
     * The policy an HTML report is served under in its frame: {@code sandbox allow-scripts} puts it in an opaque
     * origin of its own even when opened alone, so its scripts (a plotly chart's) run but can read nothing of the UI
     * (no cookie, no storage, no same-origin request); nothing is fetched from elsewhere, and only the UI may frame it.
     * docs/security.md says why.
     */
    static final String FRAMED_POLICY = "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval';"
            + " style-src 'unsafe-inline'; img-src data: blob:; font-src data:; media-src data: blob:; frame-ancestors 'self'";

    /** Whether {@code a} is drawn: a report or classification file of this machine. */
    static boolean shows(ArtifactRecord a) {
        return TYPES.contains(a.type()) && a.uri().startsWith("file:") && a.digest().isPresent();
    }

    /**
     * The section of artifact {@code a}, whose stored object is {@code object} (a folder, or missing, said in a line),
     * titled {@code title}; {@code href} is its URL in the UI, its download.
     */
    static String section(ArtifactRecord a, Path object, String title, String href) throws IOException {
        if (object == null || Files.isDirectory(object)) {
            return section(title, a.type(), "<p class=\"note\">" + (object == null
                    ? "no longer in the artifact store (deleted by hand)" : "a folder: nothing to draw") + "</p>\n");
        }
        long size = Files.size(object);
        String drawing = switch (a.type()) {
            case "HTML" -> size > FRAME_LIMIT ? "<p class=\"note\">" + Html.text(mebibytes(size) + ": too large to show here")
                    + "</p>\n" : "<iframe class=\"report\" sandbox=\"allow-scripts\" src=\"" + Html.text(href + "?view")
                    + "\" title=\"" + Html.text(title) + "\"></iframe>\n";
            case "Markdown" -> markdown(object, size);
            default -> classification(object);
        };
        return section(title, a.type(), drawing + "<p class=\"note\">" + Html.link(href, "Download")
                + (a.type().equals("HTML") ? " &middot; " + Html.link(href + "?view", "Open alone") : "") + "</p>\n");
    }

    /** A report's section: its title and type over {@code body}, which is markup. */
    static String section(String title, String type, String body) {
        return "<section class=\"report\">\n<h3>" + Html.text(title) + " <span class=\"note\">" + Html.text(type)
                + "</span></h3>\n" + body + "</section>\n";
    }

    private static String mebibytes(long size) {
        return String.format(Locale.ROOT, "%.1f MiB", size / (double) (1 << 20));
    }

    private static final Parser MARKDOWN = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    /**
     * Markdown as HTML that runs nothing: raw HTML in it ({@code <script>}, {@code <img onerror>}) escaped into text,
     * a link's URL kept only when it is http, https or relative ({@code javascript:} and {@code data:} links lose it),
     * and an image, which the page's policy would not load from elsewhere anyway, shown as its alt text unless it is
     * written into the report ({@code data:image/...}).
     */
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(List.of(TablesExtension.create()))
            .escapeHtml(true).sanitizeUrls(true).urlSanitizer(new DefaultUrlSanitizer(List.of("http", "https")))
            .nodeRendererFactory(context -> new NodeRenderer() {
                @Override
                public Set<Class<? extends Node>> getNodeTypes() {
                    return Set.of(Image.class);
                }

                @Override
                public void render(Node node) {
                    Image image = (Image) node;
                    StringBuilder alt = new StringBuilder();
                    image.accept(new AbstractVisitor() {
                        @Override
                        public void visit(Text text) {
                            alt.append(text.getLiteral());
                        }

                        @Override
                        public void visit(Code code) {
                            alt.append(code.getLiteral());
                        }
                    });
                    if (image.getDestination().toLowerCase(Locale.ROOT).startsWith("data:image/")) {
                        // the writer escapes attribute values; in this order, for the same page each time
                        Map<String, String> attributes = new LinkedHashMap<>();
                        attributes.put("src", image.getDestination());
                        attributes.put("alt", alt.toString());
                        context.getWriter().tag("img", attributes, true);
                    } else {
                        context.getWriter().tag("span", Map.of("class", "note"));
                        context.getWriter().text("[image: " + (alt.length() == 0 ? image.getDestination() : alt) + "]");
                        context.getWriter().tag("/span");
                    }
                }
            }).build();

    /** The first {@link #MARKDOWN_LIMIT} bytes of a Markdown report rendered (cut after a whole line), and a note if cut. */
    static String markdown(Path file, long size) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MARKDOWN_LIMIT);
        }
        int end = head.length;
        boolean cut = size > head.length;
        if (cut) {
            while (end > 0 && head[end - 1] != '\n') {
                end--;
            }
            end = end == 0 ? head.length : end;
        }
        String text = new String(head, 0, end, StandardCharsets.UTF_8);
        return "<div class=\"markdown\">\n" + RENDERER.render(MARKDOWN.parse(text)) + "</div>\n" + (cut
                ? "<p class=\"note\">" + Html.text("the first " + end + " bytes of " + size + " are shown: the download has the whole")
                        + "</p>\n" : "");
    }

    /** A ClassificationMetrics file drawn, or the line that says why it cannot be (as {@code metrics} says it). */
    static String classification(Path file) {
        try {
            return drawing(ClassificationSummary.read(file));
        } catch (ClassificationSummary.NotClassificationMetrics e) {
            return "<p class=\"note v\">" + Html.text(e.getMessage()) + "</p>\n";
        } catch (IOException e) {
            return "<p class=\"note v\">" + Html.text("cannot be read: " + Cli.ioProblem(e)) + "</p>\n";
        }
    }

    /** A ClassificationMetrics artifact read, drawn: its confusion matrix beside its ROC curve. */
    static String drawing(ClassificationSummary.Classification c) {
        StringBuilder out = new StringBuilder("<div class=\"classification\">\n");
        c.matrix().ifPresent(m -> out.append(matrix(m)));
        c.roc().ifPresent(r -> out.append(roc(r)));
        return out.append("</div>\n").toString();
    }

    /**
     * A confusion matrix as a table, rows the actual classes and columns the predicted ones, each cell shaded by its
     * count against the largest (an inline style: the pages' policy allows inline styles, no script).
     */
    static String matrix(ClassificationSummary.Matrix m) {
        int n = m.classes().size();
        String accuracy = m.accuracy().map(a -> "; accuracy " + ClassificationSummary.round(a) + " ("
                + MetricsCommand.format(m.correct()) + " of " + MetricsCommand.format(m.total()) + ")").orElse("");
        StringBuilder out = new StringBuilder("<table class=\"matrix\">\n<caption>")
                .append(Html.text("confusion matrix (rows: actual, columns: predicted)" + accuracy)).append("</caption>\n");
        if (n > MOST_CLASSES) {
            return out.append("<tr><td>").append(n).append(" classes: too many to draw here</td></tr>\n</table>\n").toString();
        }
        double most = 0;
        for (double[] row : m.counts()) {
            for (double c : row) {
                most = Math.max(most, c);
            }
        }
        out.append("<tr><th>actual \\ predicted</th>");
        m.classes().forEach(c -> out.append("<th>").append(Html.text(c)).append("</th>"));
        out.append("</tr>\n");
        for (int i = 0; i < n; i++) {
            out.append("<tr><th>").append(Html.text(m.classes().get(i))).append("</th>");
            for (int j = 0; j < n; j++) {
                double c = m.counts()[i][j];
                double shade = most > 0 && c > 0 ? Math.min(1, c / most) : 0;
                out.append("<td style=\"background: rgba(31, 119, 180, ").append(String.format(Locale.ROOT, "%.2f", shade))
                        .append(")").append(shade > 0.55 ? "; color: #fff" : "").append("\">")
                        .append(MetricsCommand.format(c)).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    /**
     * A bar under the value in {@code column} of a metric's row of the comparison (one column per run), as long as its
     * share of the row's largest magnitude, red when negative; none for a run without the metric or a value that is
     * no finite number.
     */
    static String bar(String[] row, int column) {
        double most = 0;
        for (int i = 1; i < row.length; i++) {
            most = Math.max(most, Math.abs(number(row[i])));
        }
        double v = number(row[column]);
        if (most == 0 || v == 0) {
            return "";
        }
        return "<div class=\"bar\" style=\"width: " + String.format(Locale.ROOT, "%.0f", 100 * Math.abs(v) / most) + "%"
                + (v < 0 ? "; background: #d62728" : "") + "\"></div>";
    }

    /** A cell's number; 0 for "-" (no such metric) and what is no finite number. */
    private static double number(String cell) {
        try {
            double d = Double.parseDouble(cell);
            return Double.isFinite(d) ? d : 0;
        } catch (NumberFormatException none) {
            return 0;
        }
    }

    // the ROC plot's frame: a square of SIDE pixels whose lower left corner is (LEFT, TOP + SIDE)
    private static final int LEFT = 56;
    private static final int TOP = 16;
    private static final int SIDE = 280;

    /**
     * A ROC curve as inline SVG: axes from 0 to 1, the diagonal of a guess, the curve through its points by false
     * positive rate from (0, 0) to (1, 1) (as its AUC is added up), each point of the file a dot whose tooltip is its
     * threshold; the AUC in the caption.
     */
    static String roc(ClassificationSummary.Roc r) {
        StringBuilder svg = new StringBuilder("<figure class=\"roc\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
                + (LEFT + SIDE + 16) + "\" height=\"" + (TOP + SIDE + 44) + "\" role=\"img\" font-size=\"11\">\n");
        for (int i = 0; i <= 4; i++) {
            double v = i / 4.0;
            String tick = MetricsCommand.format(v);
            svg.append(line("", x(v), y(0), x(v), y(0) + 4)).append(text("", x(v), y(0) + 16, "middle", tick))
                    .append(line("", x(0) - 4, y(v), x(0), y(v))).append(text("", x(0) - 7, y(v) + 4, "end", tick));
        }
        svg.append("<rect x=\"").append(pixel(x(0))).append("\" y=\"").append(pixel(y(1))).append("\" width=\"").append(SIDE)
                .append("\" height=\"").append(SIDE).append("\" fill=\"none\" stroke=\"#222\"/>\n")
                .append(line(" class=\"diagonal\" stroke-dasharray=\"4 4\"", x(0), y(0), x(1), y(1)))
                .append(text("", x(0.5), y(0) + 34, "middle", "false positive rate"))
                .append(text(" transform=\"rotate(-90)\"", -y(0.5), LEFT - 38, "middle", "recall (true positive rate)"));
        StringBuilder points = new StringBuilder();
        for (double[] p : r.curve()) {
            points.append(points.length() == 0 ? "" : " ").append(pixel(x(p[0]))).append(',').append(pixel(y(p[1])));
        }
        svg.append("<polyline class=\"curve\" points=\"").append(points)
                .append("\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n");
        for (ClassificationSummary.Point p : r.points()) {
            svg.append("<circle cx=\"").append(pixel(x(p.falsePositiveRate()))).append("\" cy=\"").append(pixel(y(p.recall())))
                    .append("\" r=\"3\" fill=\"#1f77b4\"><title>")
                    .append(Html.text((Double.isNaN(p.threshold()) ? "" : "threshold " + MetricsCommand.format(p.threshold())
                            + ": ") + "false positive rate " + MetricsCommand.format(p.falsePositiveRate()) + ", recall "
                            + MetricsCommand.format(p.recall())))
                    .append("</title></circle>\n");
        }
        int n = r.points().size();
        return svg.append("</svg>\n<figcaption>").append(Html.text("ROC curve: " + n + (n == 1 ? " threshold" : " thresholds")
                + ", AUC " + ClassificationSummary.round(r.auc()))).append("</figcaption>\n</figure>\n").toString();
    }

    /** An SVG line of the plot's ink, {@code more} its other attributes. */
    private static String line(String more, double x1, double y1, double x2, double y2) {
        return "<line" + more + " x1=\"" + pixel(x1) + "\" y1=\"" + pixel(y1) + "\" x2=\"" + pixel(x2) + "\" y2=\"" + pixel(y2)
                + "\" stroke=\"" + (more.isEmpty() ? "#222" : "#999") + "\"/>\n";
    }

    /** An SVG text of the plot (a tick's label, an axis' name), written by this class: no value of the file. */
    private static String text(String more, double x, double y, String anchor, String text) {
        return "<text" + more + " x=\"" + pixel(x) + "\" y=\"" + pixel(y) + "\" text-anchor=\"" + anchor + "\">" + text + "</text>\n";
    }

    /** A rate's x in the plot; a value outside [0, 1] (the file's mistake) is drawn at the edge. */
    private static double x(double rate) {
        return LEFT + SIDE * clamp(rate);
    }

    private static double y(double rate) {
        return TOP + SIDE * (1 - clamp(rate));
    }

    private static double clamp(double rate) {
        return Double.isNaN(rate) ? 0 : Math.max(0, Math.min(1, rate));
    }

    /** A coordinate to a tenth of a pixel, without a trailing {@code .0}. */
    private static String pixel(double v) {
        return MetricsCommand.format(Math.round(v * 10) / 10.0);
    }
}
