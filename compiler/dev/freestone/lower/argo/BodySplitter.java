package dev.freestone.lower.argo;

import dev.freestone.ir.Ir;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Argo accepts at most 200 tasks in one DAG template. A body with more nodes is cut, in dependency order,
 * into parts of at most that many; each part becomes a pipeline of its own (its parameters: the values it
 * reads from outside; its outputs: the values read from it, by later parts, the pipeline's outputs, the exports
 * of the enclosing loop or conditional, and the pipeline's {@code finally} block, whose reads are pointed at the
 * parts' outputs), called as one step. A {@code oneof} over the exports of a conditional in another part is one
 * value, output by the part holding the conditional (only there do the branch guards say which branch ran). The result is an
 * ordinary IR program, so the lowering has no special case for it. A conditional counts the nodes of all
 * its branches, which share its template.
 */
final class BodySplitter {
    /** A task input reading more outside values than this is passed into its part as one parameter. */
    static final int HOIST_REFS = 16;
    private final int max;
    /** The program being split: for its artifact types. */
    private final Ir.Program program;
    private final SortedMap<String, Ir.Dag> added = new TreeMap<>();
    private final Set<String> taken = new LinkedHashSet<>();
    private int parts;

    private BodySplitter(int max, Ir.Program program) {
        this.max = max;
        this.program = program;
    }

    static Ir.Program split(Ir.Program p, int max) {
        if (!tooBig(p, max)) {
            return p;
        }
        BodySplitter s = new BodySplitter(max, p);
        s.taken.addAll(p.pipelines() == null ? Set.of() : p.pipelines().keySet());
        s.taken.add(p.root().name());
        Ir.Dag root = s.dag(p.root());
        SortedMap<String, Ir.Dag> pipelines = new TreeMap<>();
        if (p.pipelines() != null) {
            p.pipelines().forEach((k, v) -> pipelines.put(k, s.dag(v)));
        }
        pipelines.putAll(s.added);
        return new Ir.Program(p.apiVersion(), p.name(), p.sourceFile(), p.sourceDigest(), root, pipelines,
                p.components(), p.structs(), p.artifactTypes());
    }

    private static boolean tooBig(Ir.Program p, int max) {
        List<Ir.Dag> dags = new ArrayList<>();
        dags.add(p.root());
        if (p.pipelines() != null) {
            dags.addAll(p.pipelines().values());
        }
        for (Ir.Dag d : dags) {
            if (tooBig(d.body(), max) || tooBig(d.exitHandler() == null ? List.of() : d.exitHandler(), max)) {
                return true;
            }
        }
        return false;
    }

    private static boolean tooBig(List<Ir.Node> nodes, int max) {
        if (nodes.size() > max) {
            return true;
        }
        for (Ir.Node n : nodes) {
            if (n instanceof Ir.Loop l && tooBig(l.body(), max)) {
                return true;
            }
            if (n instanceof Ir.Cond c) {
                int total = c.elseBody().size();
                for (Ir.Branch b : c.branches()) {
                    total += b.body().size();
                    if (tooBig(b.body(), max)) {
                        return true;
                    }
                }
                if (total > max || tooBig(c.elseBody(), max)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * References rewritten: "node:output" to the part step and its output name. A {@code oneof} over exports of one
     * conditional moves as one value ({@link #mergeRef}): the part holding the conditional computes it.
     */
    private record Moved(Map<String, Ir.OutputRef> refs) {
        /** Follows moves to the end: a part of parts moves an output twice. */
        Ir.Expr apply(Ir.Expr e) {
            Ir.Expr merged = mapMerges(e, m -> refs.containsKey(m.node() + ":" + m.output()) ? m : null, null);
            return mapRefs(merged, r -> {
                if (r instanceof Ir.OutputRef o) {
                    Ir.OutputRef at = o;
                    for (Ir.OutputRef to = refs.get(at.node() + ":" + at.output()); to != null;
                         to = refs.get(at.node() + ":" + at.output())) {
                        at = to;
                    }
                    return at == o ? o : new Ir.OutputRef(at.node(), at.output(), o.type());
                }
                return r;
            });
        }
    }

    private Ir.Dag dag(Ir.Dag d) {
        Map<String, Ir.OutputRef> moved = new HashMap<>();
        List<Ir.Expr> readers = new ArrayList<>(d.outputs().stream().map(Ir.PipelineOutput::value).toList());
        // The exit handler reads values of the body too: a part outputs them, and the exit handler reads them there.
        List<Ir.Node> exitHandler = d.exitHandler() == null ? List.of() : d.exitHandler();
        List<Ir.Node> exitNodes = new ArrayList<>();
        Refs.walk(exitHandler, exitNodes);
        // whole expressions, so that a oneof is read as one value (its references to the exit's own nodes are
        // not in the body: dropped)
        exitNodes.forEach(n -> readers.addAll(Refs.exprsOf(n)));
        List<Ir.Node> body = body(d.name(), d.body(), max, moved, d.pos(), readers);
        Moved m = new Moved(moved);
        List<Ir.Node> exit = d.exitHandler() == null ? null
                : body(d.name() + "-exit", exitHandler.stream().map(n -> mapNodeKeep(n, m::apply)).toList(), max, moved,
                d.pos(), List.of());
        List<Ir.PipelineOutput> outs = new ArrayList<>();
        for (Ir.PipelineOutput o : d.outputs()) {
            outs.add(new Ir.PipelineOutput(o.name(), o.type(), m.apply(o.value())));
        }
        return new Ir.Dag(d.name(), d.params(), outs, body, exit, d.pos(), d.mutexes(), d.timeoutSeconds());
    }

    /** Splits nested bodies first, then this one; {@code moved} collects how outside readers must now read. */
    private List<Ir.Node> body(String owner, List<Ir.Node> nodes, int limit, Map<String, Ir.OutputRef> moved, Ir.Pos pos,
                               List<Ir.Expr> readers) {
        List<Ir.Node> inner = new ArrayList<>();
        for (Ir.Node n : nodes) {
            inner.add(nested(owner, n, moved));
        }
        if (inner.size() <= limit) {
            return inner;
        }
        List<Ir.Node> ordered = new ArrayList<>(topological(inner));
        // A wide fan-in (a task reading many values, as a list of step outputs) that nothing in the body waits
        // for stays in this body beside the parts: in a part it would need one parameter per value read.
        List<Ir.Node> wide = wideSinks(ordered);
        List<Ir.Node> alone = wide.size() <= limit / 2 ? wide : List.of();
        ordered.removeAll(alone);
        List<List<Ir.Node>> groups = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i += limit) {
            groups.add(new ArrayList<>(ordered.subList(i, Math.min(ordered.size(), i + limit))));
        }
        Map<String, String> partOf = new HashMap<>();
        List<String> partIds = new ArrayList<>();
        for (List<Ir.Node> g : groups) {
            String id = "fs-part-" + (++parts);
            partIds.add(id);
            Set<String> ids = new LinkedHashSet<>();
            Refs.defined(g, ids);
            for (String x : ids) {
                partOf.put(x, id);
            }
        }
        // What each group's nodes are read for from outside the group: one pass over every group's references,
        // in group order (first reader first), then the wide fan-ins left beside the parts.
        Map<String, Integer> groupOf = new HashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            Set<String> ids = new LinkedHashSet<>();
            Refs.defined(groups.get(gi), ids);
            for (String x : ids) {
                groupOf.put(x, gi);
            }
        }
        List<Map<String, Refs.Ref>> readOutside = new ArrayList<>();
        groups.forEach(g -> readOutside.add(new LinkedHashMap<>()));
        for (int gj = 0; gj <= groups.size(); gj++) {
            Map<String, Refs.Ref> refs = new LinkedHashMap<>();
            (gj < groups.size() ? groups.get(gj) : alone).forEach(n -> Refs.collectNode(n, refs, this::withMergeRefs));
            for (Map.Entry<String, Refs.Ref> e : refs.entrySet()) {
                Integer d = e.getValue().kind() == Refs.Kind.OUTPUT ? groupOf.get(e.getValue().a()) : null;
                if (d != null && d != gj) {
                    readOutside.get(d).putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
        List<Ir.Node> result = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            List<Ir.Node> g = groups.get(gi);
            String partId = partIds.get(gi);
            Set<String> ids = new LinkedHashSet<>();
            Refs.defined(g, ids);
            Map<String, Refs.Ref> readFromOutside = new LinkedHashMap<>(readOutside.get(gi));
            // and by readers outside this body: pipeline outputs, exports of the enclosing loop or conditional
            readers.forEach(e -> Refs.collect(withMergeRefs(new Moved(moved).apply(e)), readFromOutside));
            readFromOutside.values().removeIf(r -> r.kind() != Refs.Kind.OUTPUT || !ids.contains(r.a()));
            Map<String, Refs.Ref> all = readFromOutside;
            List<Ir.PipelineOutput> outputs = new ArrayList<>();
            Map<String, Ir.OutputRef> partMoved = new LinkedHashMap<>();
            Set<String> outNames = new LinkedHashSet<>();
            for (Refs.Ref r : all.values()) {
                String name = unique(outNames, (r.a() + "-" + r.b()).replaceAll("[^-a-zA-Z0-9_]", "-").replaceAll("-+$", ""));
                Ir.Builtin merge = mergeExprs.get(r.a() + ":" + r.b());
                outputs.add(new Ir.PipelineOutput(name, r.type(), merge != null ? merge : new Ir.OutputRef(r.a(), r.b(), r.type())));
                partMoved.put(r.a() + ":" + r.b(), new Ir.OutputRef(partId, name, r.type()));
            }
            // Its inputs: everything it reads from outside itself. A task input built from many outside values
            // (a fan-in written as a list of step outputs) is computed by the caller and passed whole, so the
            // part's parameters stay few (Argo's templates take at most 500).
            List<Ir.Param> params = new ArrayList<>();
            SortedMap<String, Ir.Expr> args = new TreeMap<>();
            Set<String> paramNames = new LinkedHashSet<>();
            g = hoist(g, ids, params, args, paramNames, moved);
            // a oneof over a conditional of an earlier part reads the value that part computed
            Moved before = new Moved(moved);
            g = g.stream().map(n -> mapNodeKeep(n, e -> mapMerges(e, m -> {
                Ir.Expr to = before.apply(m);
                return to == m ? null : to;
            }, null))).toList();
            Set<String> hoisted = Set.copyOf(paramNames);
            List<Refs.Ref> free = Refs.free(g, List.of());
            Map<String, Ir.Expr> substitute = new HashMap<>();
            for (Refs.Ref r : free) {
                if (r.kind() == Refs.Kind.PARAM && hoisted.contains(r.a())) {
                    continue; // a part parameter already (its name has a '-', which no pipeline parameter has)
                }
                String wanted = switch (r.kind()) {
                    case PARAM -> r.a();
                    case OUTPUT -> r.a() + "-" + r.b();
                    case ITEM -> r.a() + "-item";
                };
                String name = unique(paramNames, wanted.replaceAll("[^-a-zA-Z0-9_]", "-"));
                params.add(new Ir.Param(name, r.type(), null, null));
                Ir.Expr outside = switch (r.kind()) {
                    case PARAM -> new Ir.ParamRef(r.a(), r.type());
                    case OUTPUT -> new Ir.OutputRef(r.a(), r.b(), r.type());
                    case ITEM -> new Ir.ItemRef(r.a(), r.type());
                };
                args.put(name, new Moved(moved).apply(outside));
                substitute.put(r.key(), new Ir.ParamRef(name, r.type()));
            }
            List<Ir.Node> partBody = new ArrayList<>();
            for (Ir.Node n : g) {
                partBody.add(mapNode(n, e -> mapRefs(e, ref -> {
                    Map<String, Refs.Ref> one = new LinkedHashMap<>();
                    Refs.collect(ref, one);
                    Ir.Expr to = substitute.get(one.keySet().iterator().next());
                    return to != null ? to : ref;
                }), ids));
            }
            String pipeline = uniquePipeline(owner + "-part-" + (gi + 1));
            added.put(pipeline, new Ir.Dag(pipeline, params, outputs, partBody, List.of(), pos));
            Set<String> deps = new LinkedHashSet<>();
            for (Ir.Node n : g) {
                for (String d : n.dependsOn()) {
                    String p = partOf.get(d);
                    if (p == null) {
                        deps.add(d);
                    } else if (!p.equals(partId)) {
                        deps.add(p);
                    }
                }
            }
            for (Ir.Expr a : args.values()) {
                Map<String, Refs.Ref> refs = new LinkedHashMap<>();
                Refs.collect(a, refs);
                for (Refs.Ref r : refs.values()) {
                    if (r.kind() == Refs.Kind.OUTPUT && partIds.contains(r.a()) && !r.a().equals(partId)) {
                        deps.add(r.a());
                    }
                }
            }
            result.add(new Ir.Task(partId, new Ir.PipelineCall(pipeline), args, List.copyOf(deps), null, pos));
            moved.putAll(partMoved);
        }
        for (Ir.Node n : alone) {
            Ir.Task t = (Ir.Task) n;
            Set<String> deps = new LinkedHashSet<>();
            for (String d : t.dependsOn()) {
                deps.add(partOf.getOrDefault(d, d));
            }
            SortedMap<String, Ir.Expr> in = new TreeMap<>();
            t.inputs().forEach((k, v) -> in.put(k, new Moved(moved).apply(v)));
            result.add(new Ir.Task(t.id(), t.callee(), in, List.copyOf(deps), t.settings(), t.pos()));
        }
        // Later parts were built reading earlier parts' moved outputs; a second pass fixes references to later ones.
        Moved m = new Moved(moved);
        return body(owner, rewriteArgs(result, m), limit, moved, pos, readers.stream().map(m::apply).toList());
    }

    /** Tasks with an input of more than {@link #HOIST_REFS} values (no artifacts) that no node of the body reads or awaits. */
    private List<Ir.Node> wideSinks(List<Ir.Node> nodes) {
        Set<String> used = new HashSet<>();
        for (Ir.Node n : nodes) {
            used.addAll(n.dependsOn());
            Map<String, Refs.Ref> refs = new LinkedHashMap<>();
            Refs.collectNode(n, refs);
            refs.values().stream().filter(r -> r.kind() == Refs.Kind.OUTPUT).forEach(r -> used.add(r.a()));
        }
        List<Ir.Node> out = new ArrayList<>();
        for (Ir.Node n : nodes) {
            if (n instanceof Ir.Task t && !used.contains(t.id()) && t.inputs().values().stream().anyMatch(this::wide)) {
                out.add(n);
            }
        }
        return out;
    }

    private boolean wide(Ir.Expr e) {
        Map<String, Refs.Ref> refs = new LinkedHashMap<>();
        Refs.collect(e, refs);
        return refs.size() > HOIST_REFS && !artifactLike(e.type())
                && refs.values().stream().noneMatch(r -> artifactLike(r.type()));
    }

    private List<Ir.Node> hoist(List<Ir.Node> g, Set<String> ids, List<Ir.Param> params, SortedMap<String, Ir.Expr> args,
                                Set<String> paramNames, Map<String, Ir.OutputRef> moved) {
        List<Ir.Node> out = new ArrayList<>();
        for (Ir.Node n : g) {
            if (!(n instanceof Ir.Task t)) {
                out.add(n);
                continue;
            }
            SortedMap<String, Ir.Expr> in = new TreeMap<>();
            for (Map.Entry<String, Ir.Expr> e : t.inputs().entrySet()) {
                Map<String, Refs.Ref> refs = new LinkedHashMap<>();
                Refs.collect(e.getValue(), refs);
                boolean outside = wide(e.getValue()) && refs.values().stream()
                        .noneMatch(r -> r.kind() == Refs.Kind.OUTPUT && ids.contains(r.a()));
                if (!outside) {
                    in.put(e.getKey(), e.getValue());
                    continue;
                }
                String name = unique(paramNames, (t.id() + "-" + e.getKey()).replaceAll("[^-a-zA-Z0-9_]", "-"));
                params.add(new Ir.Param(name, e.getValue().type(), null, null));
                args.put(name, new Moved(moved).apply(e.getValue()));
                in.put(e.getKey(), new Ir.ParamRef(name, e.getValue().type()));
            }
            out.add(new Ir.Task(t.id(), t.callee(), in, t.dependsOn(), t.settings(), t.pos()));
        }
        return out;
    }

    private boolean artifactLike(dev.freestone.ir.IrType type) {
        dev.freestone.ir.IrType t = type.stripOptional();
        while (t.isList()) {
            t = t.element().stripOptional();
        }
        return program.isArtifact(t);
    }

    private static List<Ir.Node> rewriteArgs(List<Ir.Node> parts, Moved m) {
        List<Ir.Node> out = new ArrayList<>();
        for (Ir.Node n : parts) {
            Ir.Task t = (Ir.Task) n;
            SortedMap<String, Ir.Expr> args = new TreeMap<>();
            t.inputs().forEach((k, v) -> args.put(k, m.apply(v)));
            out.add(new Ir.Task(t.id(), t.callee(), args, t.dependsOn(), t.settings(), t.pos()));
        }
        return out;
    }

    private Ir.Node nested(String owner, Ir.Node n, Map<String, Ir.OutputRef> moved) {
        if (n instanceof Ir.Loop l) {
            Map<String, Ir.OutputRef> inner = new HashMap<>();
            List<Ir.Node> body = body(owner + "-" + l.id(), l.body(), max, inner, l.pos(),
                    l.exports().stream().map(Ir.Export::value).toList());
            Moved m = new Moved(inner);
            List<Ir.Export> exports = new ArrayList<>();
            l.exports().forEach(e -> exports.add(new Ir.Export(e.name(), e.type(), m.apply(e.value()))));
            return new Ir.Loop(l.id(), l.variable(), l.itemType(), l.items(), l.parallelism(), body, exports,
                    l.dependsOn(), l.pos());
        }
        if (n instanceof Ir.Cond c) {
            int bodies = c.branches().size() + (c.elseBody().isEmpty() ? 0 : 1);
            int limit = Math.max(1, max / Math.max(1, bodies));
            Map<String, Ir.OutputRef> inner = new HashMap<>();
            List<Ir.Expr> readers = c.exports().stream().map(Ir.Export::value).toList();
            List<Ir.Branch> branches = new ArrayList<>();
            for (Ir.Branch b : c.branches()) {
                branches.add(new Ir.Branch(b.condition(), body(owner + "-" + c.id(), b.body(), limit, inner, c.pos(), readers)));
            }
            List<Ir.Node> elseBody = body(owner + "-" + c.id(), c.elseBody(), limit, inner, c.pos(), readers);
            Moved m = new Moved(inner);
            List<Ir.Export> exports = new ArrayList<>();
            c.exports().forEach(e -> exports.add(new Ir.Export(e.name(), e.type(), m.apply(e.value()))));
            return new Ir.Cond(c.id(), branches, elseBody, exports, c.dependsOn(), c.pos());
        }
        return n;
    }

    // --- merged values ---------------------------------------------------------------------------------------

    /** The {@code oneof} builtins seen, by the key of their reference ({@link #mergeRef}). */
    private final Map<String, Ir.Builtin> mergeExprs = new HashMap<>();

    /**
     * A {@code oneof} over exports of one conditional as one reference, {@code node:oneof(a.x,b.x)}: read from
     * another part, it is an output of the part holding the conditional, whose template computes it from its
     * branch guards (apart, the exports alone do not say which branch ran). Null for any other expression.
     */
    static Ir.OutputRef mergeRef(Ir.Expr e) {
        List<String> names = Refs.oneofOutputs(e);
        if (names == null) {
            return null;
        }
        Ir.Builtin b = (Ir.Builtin) e;
        return new Ir.OutputRef(((Ir.OutputRef) b.args().get(0)).node(), "oneof(" + String.join(",", names) + ")", b.type());
    }

    /** {@code e} with every {@code oneof} over one conditional's exports as its reference (remembered). */
    private Ir.Expr withMergeRefs(Ir.Expr e) {
        return mapMerges(e, m -> m, mergeExprs);
    }

    /**
     * {@code e} with each {@code oneof} over one conditional's exports replaced by {@code f} of its reference, or
     * kept when {@code f} gives null; each seen is put in {@code seen} by its reference's key when it is not null.
     */
    private static Ir.Expr mapMerges(Ir.Expr e, Function<Ir.OutputRef, Ir.Expr> f, Map<String, Ir.Builtin> seen) {
        if (e == null) {
            return null;
        }
        Ir.OutputRef m = mergeRef(e);
        if (m != null) {
            if (seen != null) {
                seen.put(m.node() + ":" + m.output(), (Ir.Builtin) e);
            }
            Ir.Expr to = f.apply(m);
            return to != null ? to : e;
        }
        return Refs.mapChildren(e, a -> mapMerges(a, f, seen));
    }

    // --- rewriting -----------------------------------------------------------------------------------------

    /** {@code n} with every expression mapped, and dependencies on nodes outside {@code keep} dropped. */
    private static Ir.Node mapNode(Ir.Node n, Function<Ir.Expr, Ir.Expr> f, Set<String> keep) {
        List<String> deps = n.dependsOn().stream().filter(keep::contains).toList();
        if (n instanceof Ir.Task t) {
            SortedMap<String, Ir.Expr> in = new TreeMap<>();
            t.inputs().forEach((k, v) -> in.put(k, f.apply(v)));
            return new Ir.Task(t.id(), t.callee(), in, deps, t.settings(), t.pos());
        }
        if (n instanceof Ir.Loop l) {
            List<Ir.Node> body = l.body().stream().map(x -> mapNodeKeep(x, f)).toList();
            List<Ir.Export> ex = l.exports().stream().map(e -> new Ir.Export(e.name(), e.type(), f.apply(e.value()))).toList();
            return new Ir.Loop(l.id(), l.variable(), l.itemType(), f.apply(l.items()), l.parallelism(), body, ex, deps, l.pos());
        }
        Ir.Cond c = (Ir.Cond) n;
        List<Ir.Branch> br = c.branches().stream()
                .map(b -> new Ir.Branch(f.apply(b.condition()), b.body().stream().map(x -> mapNodeKeep(x, f)).toList())).toList();
        List<Ir.Node> el = c.elseBody().stream().map(x -> mapNodeKeep(x, f)).toList();
        List<Ir.Export> ex = c.exports().stream().map(e -> new Ir.Export(e.name(), e.type(), f.apply(e.value()))).toList();
        return new Ir.Cond(c.id(), br, el, ex, deps, c.pos());
    }

    private static Ir.Node mapNodeKeep(Ir.Node n, Function<Ir.Expr, Ir.Expr> f) {
        return mapNode(n, f, new LinkedHashSet<>(n.dependsOn()));
    }

    /** {@code e} with each reference (parameter, output, item) replaced by {@code f} of it. */
    static Ir.Expr mapRefs(Ir.Expr e, Function<Ir.Expr, Ir.Expr> f) {
        if (e == null) {
            return null;
        }
        if (e instanceof Ir.ParamRef || e instanceof Ir.OutputRef || e instanceof Ir.ItemRef) {
            return f.apply(e);
        }
        return Refs.mapChildren(e, a -> mapRefs(a, f));
    }

    private static List<Ir.Node> topological(List<Ir.Node> nodes) {
        Map<String, Ir.Node> byId = new LinkedHashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        List<Ir.Node> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (Ir.Node n : nodes) {
            visit(n, byId, done, out, new LinkedHashSet<>());
        }
        return out;
    }

    private static void visit(Ir.Node n, Map<String, Ir.Node> byId, Set<String> done, List<Ir.Node> out, Set<String> path) {
        if (done.contains(n.id()) || !path.add(n.id())) {
            return;
        }
        for (String d : n.dependsOn()) {
            Ir.Node dep = byId.get(d);
            if (dep != null) {
                visit(dep, byId, done, out, path);
            }
        }
        done.add(n.id());
        out.add(n);
    }

    private static String unique(Set<String> taken, String wanted) {
        String name = wanted;
        for (int i = 2; !taken.add(name); i++) {
            name = wanted + "-" + i;
        }
        return name;
    }

    private String uniquePipeline(String wanted) {
        return unique(taken, wanted);
    }
}
