package dev.freestone.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The DAG of a program as a picture: Graphviz DOT or Mermaid for a user's renderer, or an SVG document drawn
 * here ({@link IrSvg}, from the same labels). Loops and
 * conditionals are clusters (subgraphs) around their bodies, labelled with their list and conditions
 * as written; the exit handler is a cluster of its own; edges are the nodes' {@code dependsOn}, and
 * one that enters or leaves a loop or an `if` ends at the cluster's border (every branch of an `if`
 * waits for it). Output is deterministic.
 *
 * <p>A picture of a run draws the same DAG with what the run made of each task ({@link Mark}): a line under its
 * name and a fill by how it went, and the run as the picture's title.
 */
public final class IrGraph {
    public enum Format { dot, mermaid, svg }

    /** How a task went, as its node is filled: the task states a user reads. */
    public enum Shade {
        succeeded("#c8e6c9"), cached("#bbdefb"), failed("#ffcdd2"), running("#fff59d"), pending("#f5f5f5"),
        skipped("#e0e0e0"), cancelled("#ffe0b2");

        private final String fill;

        Shade(String fill) {
            this.fill = fill;
        }

        String fill() {
            return fill;
        }
    }

    /** What a run made of a task (of all its iterations, in a loop): a line under its name, and its fill. */
    public record Mark(String text, Shade shade) {
    }

    private final Format format;
    private final Map<String, Mark> marks;
    private final java.util.EnumSet<Shade> used = java.util.EnumSet.noneOf(Shade.class);
    private final StringBuilder out = new StringBuilder();
    private final Map<String, String> ids = new TreeMap<>();
    private final Map<String, String> loopVariables = new HashMap<>();
    private int clusters;

    private IrGraph(Format format, Map<String, Mark> marks) {
        this.format = format;
        this.marks = marks;
    }

    public static String render(Ir.Program program, Format format) {
        return render(program, format, Map.of(), null);
    }

    /**
     * The DAG of a run: each task drawn with its {@link Mark} (by task id; a task without one is drawn as in
     * {@link #render(Ir.Program, Format)}), under {@code title}.
     */
    public static String render(Ir.Program program, Format format, Map<String, Mark> marks, String title) {
        IrGraph g = new IrGraph(format, marks);
        if (format == Format.svg) {
            return new IrSvg(g).draw(program, title);
        }
        g.program(program, title);
        return g.out.toString();
    }

    private void program(Ir.Program p, String title) {
        Ir.Dag root = p.root();
        if (format == Format.mermaid && title != null) {
            out.append("---\ntitle: \"").append(title.replace("\"", "#quot;")).append("\"\n---\n");
        }
        if (format == Format.dot) {
            out.append("digraph \"").append(esc(p.name())).append("\" {\n");
            if (title != null) {
                out.append("  labelloc=t;\n  label=\"").append(esc(title)).append("\";\n");
            }
            // compound: an edge into a loop or an `if` ends at its border (lhead), so that it reaches every branch
            out.append("  rankdir=TB;\n  compound=true;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
            out.append("  edge [color=\"#666666\"];\n");
        } else {
            out.append("flowchart TD\n");
        }
        body("", root.body(), 1);
        if (!root.exitHandler().isEmpty()) {
            open("finally", "finally", 1);
            body("finally/", root.exitHandler(), 2);
            close(1);
        }
        edges("", root.body());
        edges("finally/", root.exitHandler());
        if (format == Format.mermaid) {
            for (Shade shade : used) {
                out.append("  classDef ").append(shade.name()).append(" fill:").append(shade.fill).append('\n');
            }
        }
        if (format == Format.dot) {
            out.append("}\n");
        }
    }

    private void body(String scope, List<Ir.Node> nodes, int depth) {
        for (Ir.Node n : nodes) {
            String id = id(scope + n.id());
            if (n instanceof Ir.Task t) {
                node(id, String.join("\\n", lines(t)), t.callee() instanceof Ir.PipelineCall, marks.get(t.id()), depth);
            } else if (n instanceof Ir.Loop l) {
                open(id, label(l), depth);
                body(scope + n.id() + "/", l.body(), depth + 1);
                close(depth);
            } else if (n instanceof Ir.Cond c) {
                open(id, label(c), depth);
                int i = 0;
                for (Ir.Branch b : c.branches()) {
                    String bid = id(scope + n.id() + "#" + i);
                    open(bid, label(b, i), depth + 1);
                    body(scope + n.id() + "/", b.body(), depth + 2);
                    close(depth + 1);
                    i++;
                }
                if (!c.elseBody().isEmpty()) {
                    String bid = id(scope + n.id() + "#else");
                    open(bid, "else", depth + 1);
                    body(scope + n.id() + "/", c.elseBody(), depth + 2);
                    close(depth + 1);
                }
                close(depth);
            }
        }
    }

    /** A task's label: its id, its callee when that differs, and what the run made of it when drawn with marks. */
    List<String> lines(Ir.Task t) {
        String callee = t.callee() instanceof Ir.ComponentCall c ? c.name() : ((Ir.PipelineCall) t.callee()).name();
        List<String> lines = new ArrayList<>(List.of(t.id()));
        if (!t.id().equals(callee)) {
            lines.add(callee);
        }
        Mark mark = marks.get(t.id());
        if (mark != null) {
            lines.add(mark.text());
        }
        return lines;
    }

    Mark mark(Ir.Task t) {
        return marks.get(t.id());
    }

    /** A loop's label, as written; read before its body, whose expressions may name its variable. */
    String label(Ir.Loop l) {
        loopVariables.put(l.id(), l.variable());
        return "for " + l.variable() + " in " + text(l.items()) + (l.parallelism() > 0 ? " parallel " + l.parallelism() : "");
    }

    String label(Ir.Cond c) {
        return "if " + text(c.branches().get(0).condition());
    }

    /** The label of the {@code i}th branch of an `if` ({@code then} for the first). */
    String label(Ir.Branch b, int i) {
        return i == 0 ? "then" : "else if " + text(b.condition());
    }

    private void edges(String scope, List<Ir.Node> nodes) {
        // by id: looking each end up in the list made a 10,000-step fan-out quadratic (3 s)
        Map<String, Ir.Node> byId = new HashMap<>();
        nodes.forEach(n -> byId.putIfAbsent(n.id(), n));
        for (Ir.Node n : nodes) {
            for (String dep : n.dependsOn()) {
                Ir.Node d = byId.get(dep);
                edge(d == null ? id(scope + dep) : anchor(scope, d), anchor(scope, n),
                        d == null || d instanceof Ir.Task ? null : id(scope + dep),
                        n instanceof Ir.Task ? null : id(scope + n.id()));
            }
            if (n instanceof Ir.Loop l) {
                edges(scope + n.id() + "/", l.body());
            } else if (n instanceof Ir.Cond c) {
                List<Ir.Node> all = new ArrayList<>();
                for (Ir.Branch b : c.branches()) {
                    all.addAll(b.body());
                }
                all.addAll(c.elseBody());
                edges(scope + n.id() + "/", all);
            }
        }
    }

    /** Edges to or from a cluster attach to its first task, since DOT and Mermaid edges join nodes. */
    private String anchor(String scope, Ir.Node n) {
        if (n instanceof Ir.Task) {
            return id(scope + n.id());
        }
        List<Ir.Node> inner = n instanceof Ir.Loop l ? l.body() : firstBody((Ir.Cond) n);
        return inner.isEmpty() ? id(scope + n.id()) : anchor(scope + n.id() + "/", inner.get(0));
    }

    private static List<Ir.Node> firstBody(Ir.Cond c) {
        for (Ir.Branch b : c.branches()) {
            if (!b.body().isEmpty()) {
                return b.body();
            }
        }
        return c.elseBody();
    }

    private void node(String id, String label, boolean pipeline, Mark mark, int depth) {
        String pad = "  ".repeat(depth);
        if (mark != null) {
            used.add(mark.shade());
        }
        if (format == Format.dot) {
            String style = "rounded" + (pipeline ? ",bold" : "") + (mark == null ? "" : ",filled")
                    + (mark != null && mark.shade() == Shade.skipped ? ",dashed" : "");
            out.append(pad).append(id).append(" [label=\"").append(esc(label)).append('"')
                    .append(style.equals("rounded") ? "" : ", style=\"" + style + "\"")
                    .append(mark == null ? "" : ", fillcolor=\"" + mark.shade().fill + "\"").append("];\n");
        } else {
            String text = label.replace("\\n", "<br/>").replace("\"", "#quot;");
            out.append(pad).append(id).append(pipeline ? "[[\"" : "[\"").append(text).append(pipeline ? "\"]]" : "\"]")
                    .append(mark == null ? "" : ":::" + mark.shade().name()).append('\n');
        }
    }

    private void open(String id, String label, int depth) {
        String pad = "  ".repeat(depth);
        clusters++;
        if (format == Format.dot) {
            out.append(pad).append("subgraph cluster_").append(id).append(" {\n")
                    .append(pad).append("  label=\"").append(esc(label)).append("\"; style=dashed;\n");
        } else {
            out.append(pad).append("subgraph ").append(id).append("[\"").append(label.replace("\"", "#quot;")).append("\"]\n");
        }
    }

    private void close(int depth) {
        out.append("  ".repeat(depth)).append(format == Format.dot ? "}\n" : "end\n");
    }

    /** An edge between nodes; {@code fromCluster}/{@code toCluster}, when not null, the loop or `if` it leaves or enters. */
    private void edge(String from, String to, String fromCluster, String toCluster) {
        if (format == Format.mermaid) {
            // Mermaid joins subgraphs directly
            out.append("  ").append(fromCluster != null ? fromCluster : from).append(" --> ")
                    .append(toCluster != null ? toCluster : to).append('\n');
            return;
        }
        List<String> attributes = new ArrayList<>();
        if (fromCluster != null) {
            attributes.add("ltail=cluster_" + fromCluster);
        }
        if (toCluster != null) {
            attributes.add("lhead=cluster_" + toCluster);
        }
        out.append("  ").append(from).append(" -> ").append(to)
                .append(attributes.isEmpty() ? "" : " [" + String.join(", ", attributes) + "]").append(";\n");
    }

    /** An expression as it reads in the .pipe file, for the labels of loops and branches. */
    private String text(Ir.Expr e) {
        String t;
        if (e instanceof Ir.Const c) {
            t = c.value().toString();
        } else if (e instanceof Ir.ParamRef p) {
            t = p.name();
        } else if (e instanceof Ir.OutputRef o) {
            t = o.node() + "." + o.output();
        } else if (e instanceof Ir.ItemRef i) {
            t = loopVariables.getOrDefault(i.loop(), "item");
        } else if (e instanceof Ir.RunRef r) {
            t = "run." + r.field();
        } else if (e instanceof Ir.FieldOf f) {
            t = text(f.target()) + "." + f.field();
        } else if (e instanceof Ir.IndexOf i) {
            t = text(i.target()) + "[" + text(i.index()) + "]";
        } else if (e instanceof Ir.Unary u) {
            t = u.op().equals("-") ? "-" + text(u.operand()) : u.op() + " " + text(u.operand());
        } else if (e instanceof Ir.Binary bin) {
            t = text(bin.left()) + " " + bin.op() + " " + text(bin.right());
        } else if (e instanceof Ir.Builtin f) {
            t = f.function() + "(" + String.join(", ", f.args().stream().map(this::text).toList()) + ")";
        } else if (e instanceof Ir.Concat c) {
            t = "\"" + String.join("", c.parts().stream()
                    .map(x -> x instanceof Ir.Const k && k.value().isTextual() ? k.value().asText() : "${" + text(x) + "}")
                    .toList()) + "\"";
        } else if (e instanceof Ir.ListOf l) {
            t = "[" + String.join(", ", l.elements().stream().map(this::text).toList()) + "]";
        } else {
            t = "{...}";
        }
        return t.length() > 60 ? t.substring(0, 59) + "…" : t;
    }

    /** Node ids in the picture: n1, n2, ... in first-seen order, so any IR id is safe in both formats. */
    private String id(String key) {
        return ids.computeIfAbsent(key, k -> "n" + (ids.size() + 1));
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n");
    }
}
