package dev.freestone.ir;

import dev.freestone.diag.Renderer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DAG of a program as a standalone SVG document that any browser opens, laid out here with no program
 * installed: the same tasks, clusters, labels, fills and edges as {@link IrGraph}'s DOT.
 *
 * <p>The layout is layered, top to bottom, and compound: each body (the pipeline's, a loop's, a branch's, the
 * exit handler's) is laid out on its own, and a loop or an `if` is one box of its body's size in its parent's
 * layers. Within a body a node's layer is the longest path to it over {@code dependsOn}; a layer's order is its
 * nodes' order in the IR, then sorted twice by the mean position of each node's predecessors (barycenter);
 * a layer is centred on the widest. Nothing overlaps: boxes of a layer stand side by side, layers one under
 * the other. An edge runs from the bottom of its source's box to the top of its target's, through a gap kept for it
 * in each layer it skips; one that leaves or enters a loop or an `if` ends at that cluster's border, as DOT's
 * ltail/lhead. Linear in the boxes and the layers the edges cross, but for each layer's sort.
 *
 * <p>No font is measured: a character is taken as {@value #CHAR} px wide at the {@value #FONT} px font (about
 * 0.6 em, a little wider than Helvetica's average, so a label fits), {@value #TITLE_CHAR} px in the title; a wide one
 * (CJK, an emoji: about 1 em) as two.
 * Coordinates are whole pixels, absolute (no transforms), so the same program gives the same bytes.
 */
final class IrSvg {
    static final int FONT = 13;
    static final int CHAR = 8;
    static final int TITLE_CHAR = 10;
    private static final int LINE = 17;
    private static final int PAD_X = 10;
    private static final int PAD_Y = 7;
    private static final int GAP_X = 24;
    /** The room an edge takes where it passes a layer. */
    private static final int PASS_W = 8;
    private static final int GAP_Y = 40;
    private static final int CLUSTER_PAD = 12;
    private static final int CLUSTER_LABEL = 18;
    private static final int MARGIN = 16;
    private static final int TITLE_HEIGHT = 30;
    private static final String EDGE = "#666666";

    private final IrGraph labels;
    private final StringBuilder out = new StringBuilder();

    IrSvg(IrGraph labels) {
        this.labels = labels;
    }

    /** Something placed in a body's layers: its size, then its place relative to that body's origin. */
    private abstract static class Box {
        int x;
        int y;
        int w;
        int h;
    }

    private static final class TaskBox extends Box {
        final List<String> lines;
        final IrGraph.Mark mark;
        final boolean pipeline;

        TaskBox(List<String> lines, IrGraph.Mark mark, boolean pipeline) {
            this.lines = lines;
            this.mark = mark;
            this.pipeline = pipeline;
            w = 2 * PAD_X + CHAR * lines.stream().mapToInt(Renderer::displayWidth).max().orElse(1);
            h = 2 * PAD_Y + LINE * lines.size();
        }
    }

    /** A loop, an `if`, a branch or the exit handler: a labelled rectangle around its body. */
    private static final class Cluster extends Box {
        final String kind;
        final String label;
        final Body body;

        Cluster(String kind, String label, Body body) {
            this.kind = kind;
            this.label = label;
            this.body = body;
            w = Math.max(body.w, CHAR * Renderer.displayWidth(label)) + 2 * CLUSTER_PAD;
            h = CLUSTER_LABEL + body.h + 2 * CLUSTER_PAD;
        }

        int bodyX() {
            return x + (w - body.w) / 2;
        }

        int bodyY() {
            return y + CLUSTER_LABEL + CLUSTER_PAD;
        }
    }

    /**
     * Boxes and the edges between them ({@code from}, {@code to} as indices), laid out: its size, and for each edge
     * that skips layers the points it passes through, one gap kept free for it in each layer between its ends (the
     * layered layout's dummy nodes), so that it runs past the boxes of those layers, not over them.
     */
    private static final class Body {
        final List<Box> boxes;
        final List<int[]> edges;
        /** Per edge: for each layer it crosses, {x, top, bottom} of its way through, relative to the body. */
        final List<int[][]> routes = new ArrayList<>();
        int w;
        int h;

        Body(List<Box> boxes, List<int[]> edges) {
            this.boxes = boxes;
            this.edges = edges;
            layout();
        }

        private void layout() {
            int n = boxes.size();
            List<List<Integer>> succs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                succs.add(new ArrayList<>());
            }
            int[] waiting = new int[n];
            for (int[] e : edges) {
                succs.get(e[0]).add(e[1]);
                waiting[e[1]]++;
            }
            // longest path, in topological order (Kahn): no recursion, so a 20,000-step chain is fine
            int[] layer = new int[n];
            ArrayDeque<Integer> ready = new ArrayDeque<>();
            for (int i = 0; i < n; i++) {
                if (waiting[i] == 0) {
                    ready.add(i);
                }
            }
            while (!ready.isEmpty()) {
                int i = ready.poll();
                for (int s : succs.get(i)) {
                    layer[s] = Math.max(layer[s], layer[i] + 1);
                    if (--waiting[s] == 0) {
                        ready.add(s);
                    }
                }
            }
            // the nodes placed: the boxes, then a narrow gap per layer that an edge skips
            List<Integer> nodeLayer = new ArrayList<>();
            List<Integer> nodeW = new ArrayList<>();
            List<List<Integer>> preds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                nodeLayer.add(layer[i]);
                nodeW.add(boxes.get(i).w);
                preds.add(new ArrayList<>());
            }
            List<int[]> passes = new ArrayList<>();
            // a long chain whose every step also reads the first would want a quadratic number of gaps: past a
            // linear budget an edge is drawn straight, over what lies between its ends
            long budget = 8L * (n + edges.size());
            for (int[] e : edges) {
                int prev = e[0];
                int skipped = Math.max(0, layer[e[1]] - layer[e[0]] - 1);
                budget -= skipped;
                int[] pass = new int[budget < 0 ? 0 : skipped];
                for (int k = 0; k < pass.length; k++) {
                    pass[k] = nodeLayer.size();
                    nodeLayer.add(layer[e[0]] + k + 1);
                    nodeW.add(PASS_W);
                    preds.add(new ArrayList<>(List.of(prev)));
                    prev = pass[k];
                }
                preds.get(e[1]).add(prev);
                passes.add(pass);
            }
            int all = nodeLayer.size();
            List<List<Integer>> layers = new ArrayList<>();
            for (int i = 0; i < all; i++) {
                while (layers.size() <= nodeLayer.get(i)) {
                    layers.add(new ArrayList<>());
                }
                layers.get(nodeLayer.get(i)).add(i);
            }
            double[] pos = new double[all];
            for (List<Integer> l : layers) {
                for (int k = 0; k < l.size(); k++) {
                    pos[l.get(k)] = k;
                }
            }
            double[] key = new double[all];
            for (int sweep = 0; sweep < 2; sweep++) {
                for (int li = 1; li < layers.size(); li++) {
                    List<Integer> l = layers.get(li);
                    for (int i : l) {
                        key[i] = preds.get(i).isEmpty() ? pos[i]
                                : preds.get(i).stream().mapToDouble(p -> pos[p]).average().orElse(0);
                    }
                    // stable: ties keep the order they had
                    l.sort(Comparator.comparingDouble(i -> key[i]));
                    for (int k = 0; k < l.size(); k++) {
                        pos[l.get(k)] = k;
                    }
                }
            }
            int[] layerW = new int[layers.size()];
            int[] layerH = new int[layers.size()];
            for (int li = 0; li < layers.size(); li++) {
                for (int i : layers.get(li)) {
                    layerW[li] += nodeW.get(i) + (layerW[li] == 0 ? 0 : GAP_X);
                    layerH[li] = Math.max(layerH[li], i < n ? boxes.get(i).h : 0);
                }
                w = Math.max(w, layerW[li]);
            }
            int[] nodeX = new int[all];
            int[] layerY = new int[layers.size()];
            int y = 0;
            for (int li = 0; li < layers.size(); li++) {
                layerY[li] = y;
                int x = (w - layerW[li]) / 2;
                for (int i : layers.get(li)) {
                    nodeX[i] = x;
                    if (i < n) {
                        Box b = boxes.get(i);
                        b.x = x;
                        b.y = y + (layerH[li] - b.h) / 2;
                    }
                    x += nodeW.get(i) + GAP_X;
                }
                y += layerH[li] + GAP_Y;
            }
            h = layers.isEmpty() ? 0 : y - GAP_Y;
            for (int[] pass : passes) {
                int[][] route = new int[pass.length][];
                for (int k = 0; k < pass.length; k++) {
                    int li = nodeLayer.get(pass[k]);
                    route[k] = new int[] {nodeX[pass[k]] + PASS_W / 2, layerY[li], layerY[li] + layerH[li]};
                }
                routes.add(route);
            }
        }
    }

    String draw(Ir.Program p, String title) {
        Ir.Dag root = p.root();
        Body main = body(root.body());
        Cluster exit = root.exitHandler().isEmpty() ? null : new Cluster("finally", "finally", body(root.exitHandler()));
        int titleH = title == null ? 0 : TITLE_HEIGHT;
        int w = Math.max(main.w, exit == null ? 0 : exit.w);
        w = Math.max(w, title == null ? 0 : TITLE_CHAR * Renderer.displayWidth(title));
        int h = main.h + (exit == null ? 0 : (main.h == 0 ? 0 : GAP_Y) + exit.h);
        int width = w + 2 * MARGIN;
        int height = titleH + h + 2 * MARGIN;
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"").append(FONT).append("\">\n");
        out.append("<title>").append(esc(title == null ? p.name() : title)).append("</title>\n");
        out.append("<defs><marker id=\"freestone-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
                + " markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"" + EDGE + "\"/></marker></defs>\n");
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        if (title != null) {
            out.append("<text class=\"title\" x=\"").append(width / 2).append("\" y=\"").append(MARGIN + 18)
                    .append("\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">").append(esc(title))
                    .append("</text>\n");
        }
        int top = MARGIN + titleH;
        emit(main, MARGIN + (w - main.w) / 2, top);
        if (exit != null) {
            exit.x = MARGIN + (w - exit.w) / 2;
            exit.y = top + h - exit.h;
            emitBox(exit, 0, 0);
        }
        out.append("</svg>\n");
        return out.toString();
    }

    /** The boxes of a body, in the IR's order, and an edge per {@code dependsOn} on a sibling. */
    private Body body(List<Ir.Node> nodes) {
        List<Box> boxes = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (Ir.Node n : nodes) {
            index.putIfAbsent(n.id(), boxes.size());
            boxes.add(box(n));
        }
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String dep : nodes.get(i).dependsOn()) {
                Integer from = index.get(dep);
                if (from != null && from != i) {
                    edges.add(new int[] {from, i});
                }
            }
        }
        return new Body(boxes, edges);
    }

    private Box box(Ir.Node n) {
        if (n instanceof Ir.Task t) {
            return new TaskBox(labels.lines(t), labels.mark(t), t.callee() instanceof Ir.PipelineCall);
        }
        if (n instanceof Ir.Loop l) {
            String label = labels.label(l);
            return new Cluster("loop", label, body(l.body()));
        }
        Ir.Cond c = (Ir.Cond) n;
        String label = labels.label(c);
        List<Box> branches = new ArrayList<>();
        for (int i = 0; i < c.branches().size(); i++) {
            Ir.Branch b = c.branches().get(i);
            branches.add(new Cluster("branch", labels.label(b, i), body(b.body())));
        }
        if (!c.elseBody().isEmpty()) {
            branches.add(new Cluster("branch", "else", body(c.elseBody())));
        }
        return new Cluster("if", label, new Body(branches, List.of()));
    }

    /** A body whose origin is at ({@code ox}, {@code oy}): its boxes, then its edges over them. */
    private void emit(Body b, int ox, int oy) {
        for (Box box : b.boxes) {
            emitBox(box, ox, oy);
        }
        for (int k = 0; k < b.edges.size(); k++) {
            Box from = b.boxes.get(b.edges.get(k)[0]);
            Box to = b.boxes.get(b.edges.get(k)[1]);
            // placed by now: emitBox made each box's place absolute; a route is relative to the body
            int x = from.x + from.w / 2;
            int y = from.y + from.h;
            out.append("<path class=\"edge\" d=\"M").append(x).append(',').append(y);
            for (int[] pass : b.routes.get(k)) {
                curve(x, y, ox + pass[0], oy + pass[1]);
                x = ox + pass[0];
                y = oy + pass[2];
                out.append(" L").append(x).append(',').append(y);
            }
            curve(x, y, to.x + to.w / 2, to.y);
            out.append("\" fill=\"none\" stroke=\"").append(EDGE).append("\" marker-end=\"url(#freestone-arrow)\"/>\n");
        }
    }

    /** An S from ({@code x1}, {@code y1}) down to ({@code x2}, {@code y2}), leaving and arriving vertically. */
    private void curve(int x1, int y1, int x2, int y2) {
        int my = (y1 + y2) / 2;
        out.append(" C").append(x1).append(',').append(my).append(' ').append(x2).append(',').append(my).append(' ')
                .append(x2).append(',').append(y2);
    }

    private void emitBox(Box box, int ox, int oy) {
        // absolute from here on, so that a reader (or a test) takes the numbers as they stand
        box.x += ox;
        box.y += oy;
        if (box instanceof TaskBox t) {
            String style = t.mark != null && t.mark.shade() == IrGraph.Shade.skipped ? "\" stroke-dasharray=\"5,3" : "";
            out.append("<g class=\"task\"");
            if (t.mark != null) {
                out.append(" data-state=\"").append(t.mark.shade().name()).append('"');
            }
            out.append(">");
            rect("task", t, t.mark == null ? "#ffffff" : t.mark.shade().fill(), "#333333", t.pipeline ? "2.5" : "1", 6,
                    style);
            int cx = t.x + t.w / 2;
            out.append("<text text-anchor=\"middle\">");
            for (int i = 0; i < t.lines.size(); i++) {
                out.append("<tspan x=\"").append(cx).append("\" y=\"").append(t.y + PAD_Y + LINE * (i + 1) - 4)
                        .append(i == 0 ? "\" font-weight=\"bold\">" : "\">").append(esc(t.lines.get(i))).append("</tspan>");
            }
            out.append("</text></g>\n");
        } else {
            Cluster c = (Cluster) box;
            out.append("<g class=\"cluster\" data-kind=\"").append(c.kind).append("\">");
            rect("cluster", c, "none", "#888888", "1", 10, "\" stroke-dasharray=\"6,4");
            out.append("<text x=\"").append(c.x + c.w / 2).append("\" y=\"").append(c.y + CLUSTER_PAD + 10)
                    .append("\" text-anchor=\"middle\" fill=\"#444444\">").append(esc(c.label)).append("</text>\n");
            emit(c.body, c.bodyX(), c.bodyY());
            out.append("</g>\n");
        }
    }

    private void rect(String cls, Box b, String fill, String stroke, String strokeWidth, int radius, String more) {
        out.append("<rect class=\"").append(cls).append("\" x=\"").append(b.x).append("\" y=\"").append(b.y)
                .append("\" width=\"").append(b.w).append("\" height=\"").append(b.h).append("\" rx=\"").append(radius)
                .append("\" fill=\"").append(fill).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                .append(strokeWidth).append(more).append("\"/>");
    }

    /** Text for XML: the five special characters as entities, and any character XML 1.0 forbids as U+FFFD. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
                    b.appendCodePoint(allowed ? c : 0xFFFD);
                }
            }
        });
        return b.toString();
    }
}
