package dev.freestone.lower.argo;

import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The atomic references of expressions (parameters, node outputs, loop items) and, for a body of
 * nodes, the ones it reads from outside itself: those become the inputs of the body's DAG template.
 */
final class Refs {
    private Refs() {
    }

    enum Kind { PARAM, OUTPUT, ITEM }

    /** {@code a}: param name, node id or loop id; {@code b}: the output name for OUTPUT, "" otherwise. */
    record Ref(Kind kind, String a, String b, IrType type) {
        /** Identity without the type (one reference can be spelled with a widened type at another use). */
        String key() {
            return kind + ":" + a + ":" + b;
        }
    }

    static void collect(Ir.Expr e, Map<String, Ref> out) {
        if (e == null) {
            return;
        }
        if (e instanceof Ir.ParamRef p) {
            out.putIfAbsent("PARAM:" + p.name() + ":", new Ref(Kind.PARAM, p.name(), "", p.type()));
        } else if (e instanceof Ir.OutputRef o) {
            out.putIfAbsent("OUTPUT:" + o.node() + ":" + o.output(), new Ref(Kind.OUTPUT, o.node(), o.output(), o.type()));
        } else if (e instanceof Ir.ItemRef i) {
            out.putIfAbsent("ITEM:" + i.loop() + ":", new Ref(Kind.ITEM, i.loop(), "", i.type()));
        } else if (e instanceof Ir.FieldOf f) {
            collect(f.target(), out);
        } else if (e instanceof Ir.IndexOf i) {
            collect(i.target(), out);
            collect(i.index(), out);
        } else if (e instanceof Ir.Unary u) {
            collect(u.operand(), out);
        } else if (e instanceof Ir.Binary b) {
            collect(b.left(), out);
            collect(b.right(), out);
        } else if (e instanceof Ir.Builtin b) {
            b.args().forEach(a -> collect(a, out));
        } else if (e instanceof Ir.Concat c) {
            c.parts().forEach(a -> collect(a, out));
        } else if (e instanceof Ir.ListOf l) {
            l.elements().forEach(a -> collect(a, out));
        } else if (e instanceof Ir.MapOf m) {
            m.values().forEach(a -> collect(a, out));
        }
    }

    static void collectNode(Ir.Node n, Map<String, Ref> out) {
        collectNode(n, out, UnaryOperator.identity());
    }

    /** The references of node {@code n}, each of its expressions first rewritten by {@code rewrite}. */
    static void collectNode(Ir.Node n, Map<String, Ref> out, UnaryOperator<Ir.Expr> rewrite) {
        if (n instanceof Ir.Task t) {
            t.inputs().values().forEach(e -> collect(rewrite.apply(e), out));
        } else if (n instanceof Ir.Cond c) {
            for (Ir.Branch b : c.branches()) {
                collect(rewrite.apply(b.condition()), out);
                b.body().forEach(x -> collectNode(x, out, rewrite));
            }
            c.elseBody().forEach(x -> collectNode(x, out, rewrite));
            c.exports().forEach(x -> collect(rewrite.apply(x.value()), out));
        } else if (n instanceof Ir.Loop l) {
            collect(rewrite.apply(l.items()), out);
            l.body().forEach(x -> collectNode(x, out, rewrite));
            l.exports().forEach(x -> collect(rewrite.apply(x.value()), out));
        }
    }

    /** Ids of the nodes defined in {@code nodes}, nested bodies included. */
    static void defined(List<Ir.Node> nodes, Set<String> out) {
        for (Ir.Node n : nodes) {
            out.add(n.id());
            if (n instanceof Ir.Cond c) {
                c.branches().forEach(b -> defined(b.body(), out));
                defined(c.elseBody(), out);
            } else if (n instanceof Ir.Loop l) {
                defined(l.body(), out);
            }
        }
    }

    /**
     * The references that {@code nodes} (plus {@code extra} expressions evaluated inside them) read from
     * outside: outputs of nodes not defined in them and items of loops not defined in them, and parameters.
     */
    static List<Ref> free(List<Ir.Node> nodes, List<Ir.Expr> extra) {
        return free(nodes, extra, UnaryOperator.identity());
    }

    /** As {@link #free(List, List)}, with every expression first rewritten by {@code rewrite}. */
    static List<Ref> free(List<Ir.Node> nodes, List<Ir.Expr> extra, UnaryOperator<Ir.Expr> rewrite) {
        Map<String, Ref> all = new LinkedHashMap<>();
        nodes.forEach(n -> collectNode(n, all, rewrite));
        extra.forEach(e -> collect(rewrite.apply(e), all));
        Set<String> inside = new LinkedHashSet<>();
        defined(nodes, inside);
        List<Ref> out = new ArrayList<>();
        for (Ref r : all.values()) {
            boolean local = (r.kind() == Kind.OUTPUT || r.kind() == Kind.ITEM) && inside.contains(r.a());
            if (!local) {
                out.add(r);
            }
        }
        return out;
    }

    /** The expressions a node evaluates itself (not those of its nested bodies). */
    static List<Ir.Expr> exprsOf(Ir.Node n) {
        List<Ir.Expr> exprs = new ArrayList<>();
        if (n instanceof Ir.Task t) {
            exprs.addAll(t.inputs().values());
        } else if (n instanceof Ir.Loop l) {
            exprs.add(l.items());
            l.exports().forEach(x -> exprs.add(x.value()));
        } else if (n instanceof Ir.Cond c) {
            c.branches().forEach(b -> exprs.add(b.condition()));
            c.exports().forEach(x -> exprs.add(x.value()));
        }
        return exprs;
    }

    /**
     * The outputs a {@code oneof} merges when all its arguments are outputs of one node (a conditional's exports), in
     * argument order; null for any other expression.
     */
    static List<String> oneofOutputs(Ir.Expr e) {
        if (!(e instanceof Ir.Builtin b) || !b.function().equals("oneof") || b.args().isEmpty()
                || !(b.args().get(0) instanceof Ir.OutputRef first)) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (Ir.Expr a : b.args()) {
            if (!(a instanceof Ir.OutputRef o) || !o.node().equals(first.node())) {
                return null;
            }
            names.add(o.output());
        }
        return names;
    }

    /** The operands of {@code e}; none for a reference or a constant. */
    static List<Ir.Expr> children(Ir.Expr e) {
        if (e instanceof Ir.Builtin x) {
            return x.args();
        } else if (e instanceof Ir.FieldOf x) {
            return List.of(x.target());
        } else if (e instanceof Ir.IndexOf x) {
            return List.of(x.target(), x.index());
        } else if (e instanceof Ir.Unary x) {
            return List.of(x.operand());
        } else if (e instanceof Ir.Binary x) {
            return List.of(x.left(), x.right());
        } else if (e instanceof Ir.Concat x) {
            return x.parts();
        } else if (e instanceof Ir.ListOf x) {
            return x.elements();
        } else if (e instanceof Ir.MapOf x) {
            return x.values();
        }
        return List.of();
    }

    /** {@code e} rebuilt with each operand replaced by {@code f} of it; a reference or a constant as it is. */
    static Ir.Expr mapChildren(Ir.Expr e, UnaryOperator<Ir.Expr> f) {
        if (e instanceof Ir.FieldOf x) {
            return new Ir.FieldOf(f.apply(x.target()), x.field(), x.type());
        }
        if (e instanceof Ir.IndexOf x) {
            return new Ir.IndexOf(f.apply(x.target()), f.apply(x.index()), x.type());
        }
        if (e instanceof Ir.Unary x) {
            return new Ir.Unary(x.op(), f.apply(x.operand()), x.type());
        }
        if (e instanceof Ir.Binary x) {
            return new Ir.Binary(x.op(), f.apply(x.left()), f.apply(x.right()), x.type());
        }
        if (e instanceof Ir.Builtin x) {
            return new Ir.Builtin(x.function(), x.args().stream().map(f).toList(), x.type());
        }
        if (e instanceof Ir.Concat x) {
            return new Ir.Concat(x.parts().stream().map(f).toList(), x.type());
        }
        if (e instanceof Ir.ListOf x) {
            return new Ir.ListOf(x.elements().stream().map(f).toList(), x.type());
        }
        if (e instanceof Ir.MapOf x) {
            return new Ir.MapOf(x.keys(), x.values().stream().map(f).toList(), x.type());
        }
        return e;
    }

    /** Every node of a body, depth first (nested bodies included). */
    static void walk(List<Ir.Node> nodes, List<Ir.Node> out) {
        for (Ir.Node n : nodes) {
            out.add(n);
            if (n instanceof Ir.Cond c) {
                c.branches().forEach(b -> walk(b.body(), out));
                walk(c.elseBody(), out);
            } else if (n instanceof Ir.Loop l) {
                walk(l.body(), out);
            }
        }
    }
}
