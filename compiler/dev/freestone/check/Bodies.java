package dev.freestone.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.DidYouMean;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks one pipeline body. The body is a graph, not a sequence: a binding can be used anywhere in
 * the body, so the work goes in passes.
 * <ol>
 *   <li>Walk the statements (source order), give each its path of enclosing {@code for}/{@code if}/
 *       {@code finally} blocks, register bindings (E0108) and decide which are steps.</li>
 *   <li>Resolve every name: loop variables (lexical), then bindings, then parameters. Where a value
 *       leaves a loop or an {@code if} it becomes {@code List[T]} or {@code T?}; the statements of one
 *       block that a use reaches give the dependency edges.</li>
 *   <li>Type statements in dependency order (Tarjan over the "needs the type of" edges), so that no
 *       recursion follows chains of values.</li>
 *   <li>Dependency cycles (E0301) per block, exports, dependencies, outputs and lints.</li>
 * </ol>
 * Every pass is linear in the size of the body (times the nesting depth).
 */
final class Bodies {
    private record Frame(Ast.Stmt stmt, int block) {
    }

    /** A statement and its place. */
    private static final class Node {
        final Ast.Stmt stmt;
        final int index;
        /** Enclosing statements with the block they are in, then this statement with block -1. */
        final Frame[] path;
        final boolean inFinally;
        Symbol.Callable callee;
        Symbol.Step step;
        Symbol.Value value;
        Symbol.LoopVar loopVar;
        Type valueType;
        boolean used;
        final List<Integer> siblings = new ArrayList<>();
        final List<Integer> typingDeps = new ArrayList<>();

        Node(Ast.Stmt stmt, int index, Frame[] path, boolean inFinally) {
            this.stmt = stmt;
            this.index = index;
            this.path = path;
            this.inFinally = inFinally;
        }

        boolean isValue() {
            return stmt instanceof Ast.Bind && callee == null;
        }
    }

    /** A name resolved in the first pass; its type is read when it is typed. */
    private record Resolution(Symbol symbol, Node target, Node loop, List<Exprs.Crossing> crossings, boolean broken) {
    }

    /** Where a use meets its binding: the loops and `if`s crossed, and whether the use was already reported. */
    private record Link(List<Exprs.Crossing> crossings, boolean broken) {
    }

    private final Ctx ctx;
    private final Module module;
    private final Symbol.Pipeline pipeline;
    private final Settings settings;
    private final List<Node> nodes = new ArrayList<>();
    /** Names written `{name}` in a string (W0006): meant to be used, so not also reported unused. */
    private final Set<String> braced = new HashSet<>();
    private final Map<Ast.Stmt, Node> byStmt = new IdentityHashMap<>();
    private final Map<String, Node> bindings = new HashMap<>();
    private final Map<String, Symbol.Input> params = new LinkedHashMap<>();
    private final Set<Symbol.Input> usedParams = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Ast.Name, Resolution> resolutions = new IdentityHashMap<>();
    private final Map<Ast.Stmt, LinkedHashMap<String, Checked.Export>> exports = new IdentityHashMap<>();
    private final List<Node> outputs = new ArrayList<>();
    /** Self-dependencies of a `for`/`if` whose header reads a value made inside it: (header, value). */
    private final List<Node[]> headerCycles = new ArrayList<>();
    private final Set<Integer> selfLoops = new HashSet<>();
    private final Exprs exprs;
    /** What each block of an `if` proves not null (see {@link Narrowing}), by the block's index. */
    private final Map<Ast.If, Map<Integer, Set<Narrowing.Path>>> proven = new IdentityHashMap<>();
    private Node current;
    private Ast.Finally finallyBlock;

    /** (caller, callee, call) for every step that calls a pipeline, for E0303. */
    final List<Object[]> pipelineCalls = new ArrayList<>();

    Bodies(Ctx ctx, Module module, Symbol.Pipeline pipeline, Settings settings) {
        this.ctx = ctx;
        this.module = module;
        this.pipeline = pipeline;
        this.settings = settings;
        for (Symbol.Input in : pipeline.inputs()) {
            params.put(in.name(), in);
        }
        this.exprs = new Exprs(ctx, module, new BodyScope(), null);
    }

    void check() {
        walk(pipeline.decl().body(), new Frame[0], false);
        assignIds();
        shadowing();
        for (Node n : nodes) {
            resolveNames(n);
        }
        typeInOrder();
        cycles();
        dependencies();
        checkOutputs();
        publishExports();
        lints();
        List<Symbol.Step> steps = new ArrayList<>();
        for (Node n : nodes) {
            if (n.step != null && !n.inFinally) {
                steps.add(n.step);
            }
        }
        for (Node n : nodes) {
            if (n.step != null && n.inFinally) {
                steps.add(n.step);
            }
        }
        ctx.checked.steps.put(pipeline, List.copyOf(steps));
    }

    // --- pass 1: statements ------------------------------------------------------------------------------------

    private void walk(Ast.Block block, Frame[] prefix, boolean inFinally) {
        if (block == null) {
            return;
        }
        for (Ast.Stmt s : block.stmts()) {
            Frame[] path = java.util.Arrays.copyOf(prefix, prefix.length + 1);
            path[prefix.length] = new Frame(s, -1);
            Node n = new Node(s, nodes.size(), path, inFinally);
            nodes.add(n);
            byStmt.put(s, n);
            if (s instanceof Ast.Bind b) {
                register(n, b);
            } else if (s instanceof Ast.For f) {
                walk(f.body(), inside(prefix, s, 0), inFinally);
            } else if (s instanceof Ast.If i) {
                for (int k = 0; k < i.branches().size(); k++) {
                    walk(i.branches().get(k).body(), inside(prefix, s, k), inFinally);
                }
                walk(i.elseBlock(), inside(prefix, s, i.branches().size()), inFinally);
            } else if (s instanceof Ast.Finally f) {
                if (prefix.length > 0 || finallyBlock != null) {
                    Span sp = f.span();
                    ctx.report(Diagnostic.of(Code.E0413, Span.of(sp.source(), sp.start(), Math.min(sp.end(), sp.start() + 7))));
                } else {
                    finallyBlock = f;
                }
                walk(f.body(), inside(prefix, s, 0), true);
            } else if (s instanceof Ast.Output) {
                outputs.add(n);
            }
            // a stray `else` was reported by the parser; its body is not part of the pipeline
        }
    }

    private static Frame[] inside(Frame[] prefix, Ast.Stmt s, int block) {
        Frame[] p = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        p[prefix.length] = new Frame(s, block);
        return p;
    }

    private void register(Node n, Ast.Bind b) {
        if (b.value() instanceof Ast.Call call && Exprs.lookupCallee(module, call) instanceof Symbol.Callable k) {
            n.callee = k;
        }
        if (b.name() == null || b.name().name().isEmpty()) {
            return;
        }
        String name = b.name().name();
        Node previous = bindings.putIfAbsent(name, n);
        if (previous != null) {
            Ast.Bind pb = (Ast.Bind) previous.stmt;
            ctx.report(Diagnostic.of(Code.E0108, b.name().span(), name, name, Ctx.at(pb.name().span())));
        }
    }

    private void assignIds() {
        Set<String> taken = new HashSet<>(bindings.keySet());
        for (Node n : nodes) {
            if (n.stmt instanceof Ast.Bind b && n.callee != null) {
                String id;
                if (b.name() != null && !b.name().name().isEmpty() && bindings.get(b.name().name()) == n) {
                    id = b.name().name();
                } else {
                    id = unique(taken, n.callee.name());
                }
                n.step = new Symbol.Step(id, b, n.callee, pipeline);
                ctx.checked.bindings.put(b, n.step);
                ctx.checked.ids.put(b, id);
            } else if (n.stmt instanceof Ast.For f) {
                ctx.checked.ids.put(f, unique(taken, "for-" + f.variable().name()));
            } else if (n.stmt instanceof Ast.If i) {
                ctx.checked.ids.put(i, unique(taken, "if"));
            }
        }
    }

    private static String unique(Set<String> taken, String base) {
        String id = base;
        for (int k = 2; !taken.add(id); k++) {
            id = base + "-" + k;
        }
        return id;
    }

    private void shadowing() {
        for (Node n : nodes) {
            if (n.stmt instanceof Ast.Bind b && b.name() != null && bindings.get(b.name().name()) == n) {
                Symbol.Input p = params.get(b.name().name());
                if (p != null) {
                    ctx.warn(module, Diagnostic.of(Code.W0004, b.name().span(), b.name().name(), "parameter", Ctx.at(p.span())));
                }
            } else if (n.stmt instanceof Ast.For f) {
                String v = f.variable().name();
                Node outer = enclosingLoopWith(n, v);
                Node binding = bindings.get(v);
                Symbol.Input p = params.get(v);
                if (outer != null) {
                    ctx.warn(module, Diagnostic.of(Code.W0004, f.variable().span(), v, "loop variable",
                            Ctx.at(((Ast.For) outer.stmt).variable().span())));
                } else if (binding != null) {
                    ctx.warn(module, Diagnostic.of(Code.W0004, f.variable().span(), v,
                            binding.callee != null ? "step" : "value", Ctx.at(((Ast.Bind) binding.stmt).name().span())));
                } else if (p != null) {
                    ctx.warn(module, Diagnostic.of(Code.W0004, f.variable().span(), v, "parameter", Ctx.at(p.span())));
                }
            }
        }
    }

    private Node enclosingLoopWith(Node n, String var) {
        for (int i = n.path.length - 2; i >= 0; i--) {
            Frame fr = n.path[i];
            if (fr.stmt() instanceof Ast.For f && fr.block() == 0 && f.variable().name().equals(var)) {
                return byStmt.get(f);
            }
        }
        return null;
    }

    // --- pass 2: names -----------------------------------------------------------------------------------------

    private static List<Ast.Expr> ownExprs(Ast.Stmt s) {
        List<Ast.Expr> out = new ArrayList<>();
        if (s instanceof Ast.Bind b) {
            out.add(b.value());
        } else if (s instanceof Ast.For f) {
            out.add(f.iterable());
            if (f.parallel() != null) {
                out.add(f.parallel());
            }
        } else if (s instanceof Ast.If i) {
            for (Ast.Branch br : i.branches()) {
                out.add(br.condition());
            }
        } else if (s instanceof Ast.Output o) {
            out.add(o.value());
        }
        out.removeIf(java.util.Objects::isNull);
        return out;
    }

    private void resolveNames(Node n) {
        ArrayDeque<Ast.Expr> todo = new ArrayDeque<>(ownExprs(n.stmt));
        while (!todo.isEmpty()) {
            Ast.Expr e = todo.pop();
            if (e instanceof Ast.Name name) {
                if (!name.ident().name().isEmpty()) {
                    Resolution r = resolve(n, name);
                    if (r != null) {
                        resolutions.put(name, r);
                    }
                }
            } else if (e instanceof Ast.Member m) {
                todo.push(m.target());
            } else if (e instanceof Ast.Index i) {
                todo.push(i.target());
                todo.push(i.index());
            } else if (e instanceof Ast.Call c) {
                for (Ast.Arg a : c.args()) {
                    todo.push(a.value());
                }
            } else if (e instanceof Ast.Unary u) {
                todo.push(u.operand());
            } else if (e instanceof Ast.Binary b) {
                todo.push(b.left());
                todo.push(b.right());
            } else if (e instanceof Ast.ListLit l) {
                l.elements().forEach(todo::push);
            } else if (e instanceof Ast.MapLit m) {
                m.entries().forEach(x -> todo.push(x.value()));
            } else if (e instanceof Ast.StringLit s) {
                for (Ast.StringPart p : s.parts()) {
                    if (p instanceof Ast.Interpolation i) {
                        todo.push(i.expr());
                    }
                }
            }
        }
        if (n.stmt instanceof Ast.Bind b && !b.after().isEmpty()) {
            if (n.callee == null) {
                if (!(b.value() instanceof Ast.Call c && Exprs.lookupCallee(module, c) == null)) {
                    ctx.report(Diagnostic.of(Code.E0507, b.value().span(), b.value().span().text()));
                }
            } else {
                for (Ast.Ident a : b.after()) {
                    after(n, a);
                }
            }
        }
    }

    private Resolution resolve(Node use, Ast.Name name) {
        String id = name.ident().name();
        for (int i = use.path.length - 2; i >= 0; i--) {
            Frame fr = use.path[i];
            if (fr.stmt() instanceof Ast.For f && fr.block() == 0 && f.variable().name().equals(id)) {
                Node loop = byStmt.get(f);
                use.typingDeps.add(loop.index);
                return new Resolution(null, null, loop, List.of(), false);
            }
        }
        Node target = bindings.get(id);
        if (target != null) {
            Link link = link(use, target, name.span(), name.ident().name());
            target.used = true;
            if (target.isValue()) {
                use.typingDeps.add(target.index);
            }
            return new Resolution(null, target, null, link.crossings(), link.broken());
        }
        Symbol.Input p = params.get(id);
        if (p != null) {
            usedParams.add(p);
            return new Resolution(p, null, null, List.of(), false);
        }
        return null;
    }

    /**
     * Connects a use in {@code use} to the binding {@code target}: the dependency edge between the
     * statements of one block that contain them, and the loops and `if`s the value leaves.
     */
    private Link link(Node use, Node target, Span at, String what) {
        Frame[] pu = use.path;
        Frame[] pt = target.path;
        int k = 0;
        while (k < pu.length && k < pt.length && pu[k].equals(pt[k])) {
            k++;
        }
        if (target.inFinally && !use.inFinally) {
            ctx.report(Diagnostic.of(Code.E0410, at, use.stmt instanceof Ast.Output
                    ? "a pipeline output cannot come from the exit handler: `" + what + "` is made in `finally`"
                    : "`" + what + "` is made in the exit handler, which runs after this"));
            return new Link(List.of(), true);
        }
        List<Exprs.Crossing> crossings = new ArrayList<>();
        for (int i = pt.length - 2; i >= k; i--) {
            if (pt[i].stmt() instanceof Ast.For || pt[i].stmt() instanceof Ast.If) {
                crossings.add(new Exprs.Crossing(pt[i].stmt(), pt[i].block()));
            }
        }
        if (k == pu.length && k == pt.length) {
            selfLoops.add(use.index);
            return new Link(crossings, true);
        }
        Frame fu = pu[k];
        Frame ft = pt[k];
        if (fu.stmt() == ft.stmt()) {
            if (fu.block() == -1) {
                headerCycles.add(new Node[] {use, target});
            } else {
                ctx.report(Diagnostic.of(Code.E0416, at, what));
            }
            return new Link(crossings, true);
        }
        byStmt.get(fu.stmt()).siblings.add(byStmt.get(ft.stmt()).index);
        return new Link(crossings, false);
    }

    private void after(Node n, Ast.Ident a) {
        Node target = bindings.get(a.name());
        if (target == null || target.callee == null) {
            List<String> steps = new ArrayList<>();
            for (Map.Entry<String, Node> e : bindings.entrySet()) {
                if (e.getValue().callee != null) {
                    steps.add(e.getKey());
                }
            }
            String suggestion = DidYouMean.closest(a.name(), steps).map(c -> "; did you mean `" + c + "`?").orElse("");
            if (target != null) {
                suggestion = "; `" + a.name() + "` is a value, which has nothing to wait for" + suggestion;
            } else if (nodes.stream().anyMatch(m -> m.stmt instanceof Ast.Bind b && b.name() == null
                    && b.value() instanceof Ast.Call c && c.qualifier() == null && c.callee().name().equals(a.name()))) {
                // `say(text = "a")` then `after say`, as an Argo task is named by its template
                suggestion = "; the call of `" + a.name() + "` has no name to wait for: name it, `s = " + a.name()
                        + "(...)`, and write `after s`";
            }
            ctx.report(Diagnostic.of(Code.E0302, a.span(), a.name(), suggestion));
            return;
        }
        target.used = true;
        if (target.step != null) {
            ctx.checked.symbols.put(a, target.step);
        }
        link(n, target, a.span(), a.name());
    }

    // --- pass 3: types -----------------------------------------------------------------------------------------

    private void typeInOrder() {
        List<int[]> edges = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            edges.add(n.typingDeps.stream().mapToInt(Integer::intValue).distinct().toArray());
        }
        for (int[] comp : Graphs.components(nodes.size(), edges)) {
            for (int i : comp) {
                Node n = nodes.get(i);
                if (n.isValue() || n.stmt instanceof Ast.For) {
                    type(n);
                }
            }
        }
        for (Node n : nodes) {
            if (!(n.isValue() || n.stmt instanceof Ast.For || n.stmt instanceof Ast.Output)) {
                type(n);
            }
        }
    }

    private void type(Node n) {
        current = n;
        if (n.stmt instanceof Ast.Bind b) {
            typeBind(n, b);
        } else if (n.stmt instanceof Ast.For f) {
            typeFor(n, f);
        } else if (n.stmt instanceof Ast.If i) {
            for (Ast.Branch br : i.branches()) {
                if (br.condition() == null) {
                    continue;
                }
                Type t = exprs.test(br.condition());
                if (!Type.isAssignable(t, Type.BOOL)) {
                    exprs.mismatch(br.condition(), Type.BOOL, t, Diagnostic.of(Code.E0206, br.condition().span(), t.display()));
                } else if (!(t instanceof Type.Error)) {
                    JsonNode c = new Constants(ctx.checked).eval(br.condition());
                    if (c != null && c.isBoolean()) {
                        ctx.report(Diagnostic.of(Code.E0407, br.condition().span(), String.valueOf(c.booleanValue())));
                    }
                }
            }
        }
        current = null;
    }

    /** E0511: a resource component runs no container, so an image or a /dev/shm given at its call would be dropped. */
    private void containerSettingsOfResourceCall(Ast.Bind b, Symbol.Callable callee) {
        if (callee instanceof Symbol.Component c
                && c.decl().options().stream().anyMatch(o -> Settings.keyOf(o).equals("resource"))) {
            b.with().stream().filter(o -> Settings.keyOf(o).equals("image")).findFirst()
                    .ifPresent(o -> ctx.report(Diagnostic.of(Code.E0511, o.span(), "image", c.name(),
                            "the images the object runs are in its `resource { manifest }`; give them as inputs of `"
                                    + c.name() + "`")));
            b.with().stream().filter(o -> Settings.keyOf(o).equals("shm")).findFirst()
                    .ifPresent(o -> ctx.report(Diagnostic.of(Code.E0511, o.span(), "shm", c.name(),
                            "the pods the object makes are in its `resource { manifest }`: give their volumes there")));
        }
    }

    private void typeBind(Node n, Ast.Bind b) {
        if (n.callee != null) {
            Ast.Call call = (Ast.Call) b.value();
            exprs.callee(call);
            if (ctx.syntaxBroken(n.callee)) {
                exprs.argumentValues(call);
            } else {
                exprs.arguments(call, n.callee.name(), Exprs.inputsAsParams(n.callee), false,
                        n.callee instanceof Symbol.Component);
            }
            ctx.checked.types.put(call, n.callee.resultType());
            if (n.callee instanceof Symbol.Pipeline p) {
                pipelineCalls.add(new Object[] {pipeline, p, call});
            }
            if (b.hasWith() && n.callee instanceof Symbol.Pipeline p && !b.with().isEmpty()) {
                // neither backend can apply step settings to a whole pipeline (Argo refuses a deadline
                // on a DAG template): say so rather than drop them
                ctx.report(Diagnostic.of(Code.E0509, b.with().get(0).span().to(b.with().get(b.with().size() - 1).span()),
                        p.name(), p.name()));
            } else if (b.hasWith()) {
                ctx.checked.overrides.put(b, settings.overrides(b.with()));
                containerSettingsOfResourceCall(b, n.callee);
                // a parameter a setting reads is an error there already (settings are constants): not also "never used"
                settingNames(b.with()).forEach(name -> {
                    Symbol.Input p = params.get(name);
                    if (p != null) {
                        usedParams.add(p);
                    }
                });
            }
            return;
        }
        Type t = exprs.value(b.value(), true);
        n.valueType = t;
        boolean failedCall = b.value() instanceof Ast.Call c && ctx.checked.symbolOf(c) == null;
        if (b.hasWith() && !failedCall) {
            ctx.report(Diagnostic.of(Code.E0507, b.value().span(), b.value().span().text()));
        }
        if (b.name() == null || b.name().name().isEmpty()) {
            if (!failedCall && !methodArguments(b)) {
                ctx.report(Diagnostic.of(Code.E0508, b.value().span()));
            }
            return;
        }
        if (bindings.get(b.name().name()) == n) {
            n.value = new Symbol.Value(b.name().name(), b, t, pipeline);
            ctx.checked.bindings.put(b, n.value);
        }
    }

    private void typeFor(Node n, Ast.For f) {
        Type t = f.iterable() == null ? Type.ERROR : exprs.value(f.iterable(), false);
        Type element;
        if (t instanceof Type.ListOf l) {
            element = l.element();
        } else {
            if (!(t instanceof Type.Error)) {
                ctx.report(Diagnostic.of(Code.E0414, f.iterable().span(), t.display()));
            }
            element = Type.ERROR;
        }
        n.loopVar = new Symbol.LoopVar(f.variable().name(), f, element);
        ctx.checked.symbols.put(f.variable(), n.loopVar);
        if (f.parallel() != null) {
            Type pt = exprs.value(f.parallel(), false);
            JsonNode c = new Constants(ctx.checked).eval(f.parallel());
            if (pt instanceof Type.Error) {
                return;
            }
            if (!pt.equals(Type.INT)) {
                ctx.report(Diagnostic.of(Code.E0408, f.parallel().span(), "`" + pt.display() + "`"));
            } else if (c == null || !c.isIntegralNumber()) {
                ctx.report(Diagnostic.of(Code.E0408, f.parallel().span(), "a value known only when the pipeline runs"));
            } else if (c.longValue() < 0 || c.longValue() > Integer.MAX_VALUE) {
                ctx.report(Diagnostic.of(Code.E0408, f.parallel().span(), c.toString()));
            } else {
                ctx.checked.constants.put(f.parallel(), c);
            }
        }
    }

    /** Names as the expression checker sees them inside the current statement. */
    private final class BodyScope implements Exprs.Scope {
        @Override
        public Exprs.Resolved resolve(Ast.Name name) {
            Resolution r = resolutions.get(name);
            if (r == null) {
                if (current == null || name.ident().name().isEmpty()) {
                    return null;
                }
                r = Bodies.this.resolve(current, name);
                if (r == null) {
                    return null;
                }
                resolutions.put(name, r);
            }
            if (r.loop() != null) {
                Node loop = r.loop();
                Symbol.LoopVar v = loop.loopVar != null ? loop.loopVar
                        : new Symbol.LoopVar(((Ast.For) loop.stmt).variable().name(), (Ast.For) loop.stmt, Type.ERROR);
                return new Exprs.Resolved(v, v.type(), List.of(), false);
            }
            if (r.symbol() != null) {
                Symbol.Input p = (Symbol.Input) r.symbol();
                return new Exprs.Resolved(p, p.type(), List.of(), false);
            }
            Node t = r.target();
            if (t.step != null) {
                return new Exprs.Resolved(t.step, t.callee.resultType(), r.crossings(), r.broken());
            }
            if (t.value == null) {
                // used in a dependency cycle before it could be typed (the cycle is reported)
                Ast.Bind b = (Ast.Bind) t.stmt;
                t.value = new Symbol.Value(b.name().name(), b, Type.ERROR, pipeline);
            }
            return new Exprs.Resolved(t.value, t.value.type(), r.crossings(), r.broken());
        }

        @Override
        public Collection<String> names() {
            Set<String> out = new TreeSet<>(bindings.keySet());
            out.addAll(params.keySet());
            if (current != null) {
                for (Frame fr : current.path) {
                    if (fr.stmt() instanceof Ast.For f && fr.block() == 0) {
                        out.add(f.variable().name());
                    }
                }
            }
            out.add("run");
            return out;
        }

        @Override
        public boolean inFinally() {
            return current != null && current.inFinally;
        }

        @Override
        public void braced(String name) {
            braced.add(name);
        }

        @Override
        public boolean provenNotNull(Ast.Expr path, List<Ast.Expr> alsoProven) {
            Narrowing.Path wanted = current == null ? null : Narrowing.path(path, this::declaration);
            if (wanted == null) {
                return false;
            }
            for (Ast.Expr e : alsoProven) {
                if (wanted.equals(Narrowing.path(e, this::declaration))) {
                    return true;
                }
            }
            for (Frame fr : current.path) {
                if (fr.stmt() instanceof Ast.If i && fr.block() >= 0 && provenIn(i, fr.block()).contains(wanted)) {
                    return true;
                }
            }
            return false;
        }

        /** The paths proven not null in a block of an `if`, worked out once per block. */
        private Set<Narrowing.Path> provenIn(Ast.If i, int block) {
            return proven.computeIfAbsent(i, k -> new HashMap<>()).computeIfAbsent(block, b -> {
                Set<Narrowing.Path> out = new HashSet<>();
                for (Ast.Expr e : Narrowing.provenIn(i, b)) {
                    Narrowing.Path p = Narrowing.path(e, this::declaration);
                    if (p != null) {
                        out.add(p);
                    }
                }
                return out;
            });
        }

        /** What a name resolved to (a parameter, a binding's statement, a loop), the same object at every use. */
        private Object declaration(Ast.Name name) {
            Resolution r = resolutions.get(name);
            if (r == null) {
                return null;
            }
            return r.symbol() != null ? r.symbol() : r.target() != null ? r.target() : r.loop();
        }

        @Override
        public String outOfScope(String name) {
            for (Node n : nodes) {
                if (n.stmt instanceof Ast.For f && f.variable().name().equals(name)) {
                    return "`" + name + "` is the variable of the loop at " + Ctx.at(f.variable().span())
                            + " and exists only inside it; a value bound inside the loop (`x = " + name
                            + "`) is a List after it";
                }
            }
            return null;
        }

        @Override
        public void referenced(Ast.Expr use, Symbol target, Type base, List<Exprs.Crossing> crossings) {
            if (crossings.isEmpty() || !(target instanceof Symbol.StepOutput || target instanceof Symbol.Value)) {
                return;
            }
            boolean loopInside = false;
            for (Exprs.Crossing c : crossings) {
                if (c.stmt() instanceof Ast.For) {
                    loopInside = true;
                } else if (c.stmt() instanceof Ast.If && loopInside) {
                    ctx.report(Diagnostic.of(Code.E0405, use.span(), use.span().text()));
                    break;
                }
            }
            String name = target instanceof Symbol.StepOutput so ? so.step().id() + "." + so.output().name() : target.name();
            Type inside = base;
            Ast.Stmt from = null;
            for (Exprs.Crossing c : crossings) {
                Type outside = Exprs.lift(inside, List.of(c));
                Checked.Export e = new Checked.Export(name, target, inside, outside, from);
                exports.computeIfAbsent(c.stmt(), k -> new LinkedHashMap<>()).putIfAbsent(name, e);
                inside = outside;
                from = c.stmt();
            }
        }
    }

    // --- pass 4: graph, outputs, lints -------------------------------------------------------------------------

    private List<int[]> siblingEdges() {
        List<int[]> edges = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            edges.add(n.siblings.stream().mapToInt(Integer::intValue).distinct().toArray());
        }
        return edges;
    }

    private String display(Node n) {
        if (n.stmt instanceof Ast.Bind b) {
            if (b.name() != null && !b.name().name().isEmpty()) {
                return b.name().name();
            }
            return n.step != null ? n.step.id() : b.value().span().text();
        }
        if (n.stmt instanceof Ast.For f) {
            return "for " + f.variable().name();
        }
        if (n.stmt instanceof Ast.If) {
            return "if";
        }
        return "finally";
    }

    private Span anchor(Node n) {
        if (n.stmt instanceof Ast.Bind b) {
            return b.name() != null ? b.name().span() : b.value().span();
        }
        if (n.stmt instanceof Ast.For f) {
            return f.variable().span();
        }
        if (n.stmt instanceof Ast.If i && !i.branches().isEmpty() && i.branches().get(0).condition() != null) {
            return i.branches().get(0).condition().span();
        }
        return n.stmt.span();
    }

    private void cycles() {
        List<int[]> edges = siblingEdges();
        for (int[] comp : Graphs.components(nodes.size(), edges)) {
            if (comp.length == 1 && !selfLoops.contains(comp[0])) {
                continue;
            }
            int first = comp[0];
            List<Integer> path = comp.length == 1 ? List.of(first, first) : Graphs.cycleThrough(first, comp, edges);
            List<String> names = new ArrayList<>();
            for (int i : path) {
                names.add("`" + display(nodes.get(i)) + "`");
            }
            ctx.report(Diagnostic.of(Code.E0301, anchor(nodes.get(first)), String.join(" -> ", names)));
        }
        for (Node[] hc : headerCycles) {
            ctx.report(Diagnostic.of(Code.E0301, anchor(hc[0]),
                    "`" + display(hc[0]) + "` -> `" + display(hc[1]) + "` -> `" + display(hc[0]) + "`")
                    .withHelp("the " + (hc[0].stmt instanceof Ast.For ? "list a loop iterates over" : "condition of an `if`")
                            + " cannot read a value made inside it"));
        }
    }

    /** Dependencies between statements of one block, seeing through values (which are inlined). */
    private void dependencies() {
        List<int[]> edges = siblingEdges();
        Map<Integer, Set<Integer>> closure = new HashMap<>();
        for (int[] comp : Graphs.components(nodes.size(), edges)) {
            for (int i : comp) {
                Set<Integer> deps = new TreeSet<>();
                for (int d : edges.get(i)) {
                    if (d == i) {
                        continue;
                    }
                    if (nodes.get(d).isValue()) {
                        Set<Integer> through = closure.get(d);
                        if (through != null) {
                            deps.addAll(through);
                        }
                    } else {
                        deps.add(d);
                    }
                }
                deps.remove(i);
                closure.put(i, deps);
                if (!deps.isEmpty()) {
                    List<Ast.Stmt> out = new ArrayList<>(deps.size());
                    for (int d : deps) {
                        out.add(nodes.get(d).stmt);
                    }
                    ctx.checked.dependencies.put(nodes.get(i).stmt, List.copyOf(out));
                }
            }
        }
    }

    private void checkOutputs() {
        Map<String, Symbol.Output> declared = new LinkedHashMap<>();
        for (Symbol.Output o : pipeline.outputs()) {
            declared.put(o.name(), o);
        }
        Map<String, Ast.Output> bound = new HashMap<>();
        for (Node n : outputs) {
            Ast.Output o = (Ast.Output) n.stmt;
            current = n;
            String name = o.name().name();
            Symbol.Output d = declared.get(name);
            if (n.path.length > 1) {
                Ast.Stmt container = n.path[n.path.length - 2].stmt();
                if (container instanceof Ast.Finally) {
                    ctx.report(Diagnostic.of(Code.E0410, o.name().span(), "pipeline output `" + name + "` is bound in the exit handler"));
                } else {
                    ctx.report(Diagnostic.of(Code.E0409, o.name().span(), name,
                            container instanceof Ast.For ? "a `for` loop" : "an `if`"));
                }
            }
            Type t = o.value() == null ? Type.ERROR : exprs.value(o.value(), true);
            if (name.isEmpty()) {
                continue;
            }
            Ast.Output previous = bound.putIfAbsent(name, o);
            if (previous != null) {
                ctx.report(Diagnostic.of(Code.E0108, o.name().span(), name, name, Ctx.at(previous.name().span())));
                continue;
            }
            if (d == null) {
                ctx.report(Diagnostic.of(Code.E0412, o.name().span(), name, pipeline.name(), name)
                        .withHelp(DidYouMean.help(name, declared.keySet(), "add `" + name + ": " + printable(t)
                                + "` to the `-> (...)` list of `" + pipeline.name() + "`")));
                continue;
            }
            ctx.checked.symbols.put(o.name(), d);
            if (!Type.isAssignable(t, d.type())) {
                exprs.mismatch(o.value(), d.type(), t, Diagnostic.of(Code.E0203, o.value().span(), name, d.type().display(), t.display()));
            }
        }
        current = null;
        for (Symbol.Output d : pipeline.outputs()) {
            if (!bound.containsKey(d.name())) {
                ctx.report(Diagnostic.of(Code.E0411, d.span(), d.name(), d.name()));
            }
        }
    }

    private static String printable(Type t) {
        return t instanceof Type.Error || t instanceof Type.Never ? "Type" : t.display();
    }

    private void publishExports() {
        for (Map.Entry<Ast.Stmt, LinkedHashMap<String, Checked.Export>> e : exports.entrySet()) {
            List<Checked.Export> list = new ArrayList<>(e.getValue().values());
            list.sort(Comparator.comparingInt((Checked.Export x) -> declaredAt(x.symbol()))
                    .thenComparingInt(x -> x.symbol() instanceof Symbol.StepOutput so
                            ? so.step().callee().outputs().indexOf(so.output()) : 0));
            ctx.checked.exports.put(e.getKey(), List.copyOf(list));
        }
    }

    private static int declaredAt(Symbol s) {
        if (s instanceof Symbol.StepOutput so) {
            return so.step().bind().span().start();
        }
        if (s instanceof Symbol.Value v) {
            return v.bind().span().start();
        }
        return 0;
    }

    /**
     * Whether every output of a callable is a report for people: {@code Metrics}, {@code ClassificationMetrics},
     * {@code HTML}, {@code Markdown} or a subtype. Such a step (an evaluation, KFP's {@code log_metrics}) is read
     * by {@code freestone metrics}, {@code artifacts --print} and the Kubeflow UI, not by another step.
     */
    private static boolean onlyReports(Symbol.Callable callee) {
        return callee.outputs().stream().allMatch(o -> o.type() instanceof Type.ArtifactType a
                && java.util.stream.Stream.of(Type.METRICS, Type.CLASSIFICATION_METRICS, Type.HTML, Type.MARKDOWN)
                        .anyMatch(a::isSubtypeOf));
    }

    private void lints() {
        for (Node n : nodes) {
            if (!(n.stmt instanceof Ast.Bind b) || b.name() == null || b.name().name().isEmpty()
                    || b.name().name().startsWith("_") || n.used || bindings.get(b.name().name()) != n
                    || braced.contains(b.name().name())) {
                continue;
            }
            String name = b.name().name();
            if (n.callee != null) {
                if (!n.callee.outputs().isEmpty() && !onlyReports(n.callee)) {
                    ctx.warn(module, Diagnostic.of(Code.W0001, b.name().span(), name, name));
                }
            } else if (n.valueType != null && !(n.valueType instanceof Type.Error)) {
                ctx.warn(module, Diagnostic.of(Code.W0005, b.name().span(), name));
            }
        }
        for (Symbol.Input p : pipeline.inputs()) {
            // a binding of the same name hides the parameter in the whole body: W0004 says so already
            if (!usedParams.contains(p) && !p.name().startsWith("_") && !bindings.containsKey(p.name())
                    && !braced.contains(p.name())) {
                ctx.warn(module, Diagnostic.of(Code.W0002, p.span(), p.name()));
            }
        }
    }

    /**
     * Whether {@code b} is {@code (...)} written right after the statement before it, as the arguments of a method
     * ({@code fit = train(...).set_caching_options(false)}): the parser ends that statement at the method's name and
     * starts another with its arguments. The method is reported there (E0111, E0217); "does nothing" would be noise.
     */
    private static boolean methodArguments(Ast.Bind b) {
        Span s = b.span();
        String text = s.source().text();
        return s.start() > 0 && text.charAt(s.start()) == '(' && !Character.isWhitespace(text.charAt(s.start() - 1));
    }

    /** The names the values of {@code options} read, blocks' included. */
    private static Set<String> settingNames(List<Ast.Option> options) {
        Set<String> out = new java.util.TreeSet<>();
        for (Ast.Option o : options) {
            if (o instanceof Ast.ValueOption v) {
                out.addAll(Settings.namesRead(v.value()));
            } else if (o instanceof Ast.BlockOption b) {
                out.addAll(settingNames(b.options()));
            }
        }
        return out;
    }
}
