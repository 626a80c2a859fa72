package dev.freestone.ir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.freestone.check.Checked;
import dev.freestone.check.ComponentSettings;
import dev.freestone.check.Module;
import dev.freestone.check.Symbol;
import dev.freestone.check.Type;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns a checked pipeline into the IR. The checker has already decided everything (what each name
 * denotes, the node ids, the exports of loops and conditionals, the dependencies, the settings):
 * this class only copies those decisions into IR records. It must only be called on a program whose
 * check had no errors.
 *
 * <p>Values ({@code x = expr}) are inlined at their uses; constants are folded to {@link Ir.Const};
 * a call site's {@code env} override yields a component of its own (its digest differs), the other
 * overrides go to the task's settings.
 */
public final class IrBuilder {
    private final Checked program;
    private final Path rootDir;
    private final SortedMap<String, Ir.Component> components = new TreeMap<>();
    private final Map<Symbol.Component, Ir.Component> baseComponents = new IdentityHashMap<>();
    private final SortedMap<String, Ir.Dag> pipelines = new TreeMap<>();
    private final Map<Symbol.Pipeline, String> pipelineNames = new IdentityHashMap<>();
    private final Map<String, Symbol.Pipeline> pipelineByName = new HashMap<>();
    private final SortedMap<String, List<Ir.Field>> structs = new TreeMap<>();
    private final SortedMap<String, String> artifactTypes = new TreeMap<>();
    /** The steps of a `finally` block are not cached unless their call says `with { cache = true }`. */
    private static final ComponentSettings.Overrides UNCACHED =
            new ComponentSettings.Overrides(null, null, false, null, null, null, null);
    /** True while the nodes of a `finally` block are built. */
    private boolean inFinally;

    private IrBuilder(Checked program) {
        this.program = program;
        Path root = Path.of(program.root().source().path()).toAbsolutePath().normalize();
        this.rootDir = root.getParent() == null ? root : root.getParent();
    }

    /** The IR of {@code pipeline}, a pipeline of the root file of a program checked without errors. */
    public static Ir.Program build(Checked program, Symbol.Pipeline pipeline) {
        IrBuilder b = new IrBuilder(program);
        Ir.Dag root = b.dag(pipeline);
        // the root is not listed among called pipelines, unless it calls itself (the checker forbids it)
        b.pipelines.remove(b.pipelineNames.get(pipeline));
        String file = fileName(program.root().source().path());
        return new Ir.Program(Ir.API_VERSION, pipeline.name(), file, sourceDigest(program), root,
                b.pipelines, b.components, b.structs, b.artifactTypes);
    }

    /** SHA-256 over every loaded file (key and text), in key order: changes when any source changes. */
    static String sourceDigest(Checked program) {
        StringBuilder all = new StringBuilder();
        program.modules().stream().sorted(Comparator.comparing(Module::key)).forEach(m -> {
            String key = m.isStdlib() ? m.key() : fileName(m.key());
            all.append(key).append('\u0000').append(m.source().text()).append('\u0000');
        });
        return IrJson.sha256Hex(all.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String fileName(String path) {
        Path p = Path.of(path).getFileName();
        return p == null ? path : p.toString();
    }

    // --- pipelines ----------------------------------------------------------------------------------

    private Ir.Dag dag(Symbol.Pipeline pipeline) {
        String name = pipelineName(pipeline);
        Ir.Dag existing = pipelines.get(name);
        if (existing != null) {
            return existing;
        }
        Ast.PipelineDecl decl = pipeline.decl();
        boolean outer = inFinally; // a pipeline called from a `finally` has a body of its own
        inFinally = false;
        List<Ir.Param> params = new ArrayList<>();
        for (Symbol.Input in : pipeline.inputs()) {
            params.add(param(in));
        }
        List<Ir.Node> body = new ArrayList<>();
        List<Ir.Node> exit = new ArrayList<>();
        Map<String, Ast.Output> outputStmts = new LinkedHashMap<>();
        for (Ast.Stmt s : decl.body().stmts()) {
            if (s instanceof Ast.Finally f) {
                inFinally = true;
                exit.addAll(nodes(f.body().stmts()));
                inFinally = false;
            } else if (s instanceof Ast.Output o) {
                outputStmts.put(o.name().name(), o);
            } else {
                Ir.Node n = node(s);
                if (n != null) {
                    body.add(n);
                }
            }
        }
        List<Ir.PipelineOutput> outputs = new ArrayList<>();
        for (Symbol.Output out : pipeline.outputs()) {
            Ast.Output o = outputStmts.get(out.name());
            if (o != null) {
                outputs.add(new Ir.PipelineOutput(out.name(), type(out.type()), expr(o.value())));
            }
        }
        List<String> mutexes = program.mutexesOf(pipeline);
        Ir.Dag dag = new Ir.Dag(name, params, outputs, body, exit, pos(decl.name().span()), mutexes.isEmpty() ? null : mutexes,
                program.timeoutOf(pipeline));
        pipelines.put(name, dag);
        inFinally = outer;
        return dag;
    }

    private String pipelineName(Symbol.Pipeline p) {
        String known = pipelineNames.get(p);
        if (known != null) {
            return known;
        }
        String name = p.name();
        Symbol.Pipeline other = pipelineByName.get(name);
        if (other != null && other != p) {
            // two modules declare a pipeline of the same name: keep both apart, stably
            name = name + "-" + IrJson.sha256Hex(p.module().key().getBytes(StandardCharsets.UTF_8)).substring(0, 6);
        }
        pipelineNames.put(p, name);
        pipelineByName.put(name, p);
        return name;
    }

    private Ir.Param param(Symbol.Input in) {
        JsonNode def = in.decl().defaultValue() == null ? null : program.constantOf(in.decl().defaultValue());
        return new Ir.Param(in.name(), type(in.type()), def, emptyToNull(in.decl().doc()));
    }

    private List<Ir.Node> nodes(List<Ast.Stmt> stmts) {
        List<Ir.Node> out = new ArrayList<>();
        for (Ast.Stmt s : stmts) {
            Ir.Node n = node(s);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    /** The node of a statement; null for values, outputs and anything that is not a node. */
    private Ir.Node node(Ast.Stmt s) {
        if (s instanceof Ast.Bind b) {
            Symbol.Step step = program.stepOf(b);
            return step == null ? null : task(step);
        }
        if (s instanceof Ast.If i) {
            List<Ir.Branch> branches = new ArrayList<>();
            for (Ast.Branch br : i.branches()) {
                branches.add(new Ir.Branch(expr(br.condition()), nodes(br.body().stmts())));
            }
            List<Ir.Node> elseBody = i.elseBlock() == null ? List.of() : nodes(i.elseBlock().stmts());
            return new Ir.Cond(program.idOf(i), branches, elseBody, exports(i), dependsOn(i), pos(i.span()));
        }
        if (s instanceof Ast.For f) {
            int parallelism = 0;
            if (f.parallel() != null) {
                JsonNode p = program.constantOf(f.parallel());
                parallelism = p == null ? 0 : p.asInt();
            }
            Type items = program.typeOf(f.iterable());
            Type element = Type.strip(items) instanceof Type.ListOf l ? l.element() : Type.ERROR;
            return new Ir.Loop(program.idOf(f), f.variable().name(), type(element), expr(f.iterable()), parallelism,
                    nodes(f.body().stmts()), exports(f), dependsOn(f), pos(f.span()));
        }
        return null;
    }

    /** The ids a statement waits for, each once, in the order first named (a set: joins may wait for thousands). */
    private List<String> dependsOn(Ast.Stmt s) {
        Set<String> ids = new LinkedHashSet<>();
        for (Ast.Stmt d : program.dependenciesOf(s)) {
            String id = program.idOf(d);
            if (id != null) {
                ids.add(id);
            }
        }
        return new ArrayList<>(ids);
    }

    private List<Ir.Export> exports(Ast.Stmt s) {
        List<Ir.Export> out = new ArrayList<>();
        for (Checked.Export e : program.exportsOf(s)) {
            Ir.Expr inside;
            if (e.from() != null) {
                inside = new Ir.OutputRef(program.idOf(e.from()), e.name(), type(e.inside()));
            } else if (e.symbol() instanceof Symbol.StepOutput so) {
                inside = new Ir.OutputRef(so.step().id(), so.output().name(), type(e.inside()));
            } else if (e.symbol() instanceof Symbol.Value v) {
                inside = expr(v.bind().value());
            } else {
                throw new IllegalStateException("unexpected export " + e);
            }
            out.add(new Ir.Export(e.name(), type(e.outside()), inside));
        }
        return out;
    }

    // --- steps ----------------------------------------------------------------------------------------

    private Ir.Task task(Symbol.Step step) {
        Ast.Bind bind = step.bind();
        Ast.Call call = (Ast.Call) bind.value();
        Map<String, Ast.Expr> args = new HashMap<>();
        for (Ast.Arg a : call.args()) {
            if (a.name() != null) {
                args.put(a.name().name(), a.value());
            }
        }
        SortedMap<String, Ir.Expr> inputs = new TreeMap<>();
        for (Symbol.Input in : step.callee().inputs()) {
            Ast.Expr given = args.get(in.name());
            if (given != null) {
                inputs.put(in.name(), expr(given));
            } else if (in.decl().defaultValue() != null) {
                JsonNode def = program.constantOf(in.decl().defaultValue());
                if (def != null) {
                    inputs.put(in.name(), new Ir.Const(def, type(in.type())));
                } else {
                    inputs.put(in.name(), expr(in.decl().defaultValue()));
                }
            }
        }
        ComponentSettings.Overrides site = program.overridesOf(bind);
        Ir.Callee callee;
        ComponentSettings.Overrides effective;
        if (step.callee() instanceof Symbol.Component c) {
            Ir.Component comp = component(c, site.env(), site.image());
            callee = new Ir.ComponentCall(comp.digest(), c.name());
            ComponentSettings base = program.settingsOf(c);
            effective = base == null ? site : site.over(base.overrides());
            if (inFinally && site.cache() == null) {
                // an exit handler notifies or cleans up: a cache hit would skip that on every run after the first
                effective = UNCACHED.over(effective);
            }
        } else {
            Symbol.Pipeline p = (Symbol.Pipeline) step.callee();
            dag(p);
            callee = new Ir.PipelineCall(pipelineName(p));
            effective = site;
        }
        return new Ir.Task(step.id(), callee, inputs, dependsOn(bind), settings(effective), pos(bind.span()));
    }

    private static Ir.Settings settings(ComponentSettings.Overrides o) {
        if (o == null) {
            return null;
        }
        Ir.Retry retry = null;
        if (o.retry() != null) {
            ComponentSettings.Retry r = o.retry();
            retry = new Ir.Retry(r.limit() == null ? 1 : r.limit(), r.backoffSeconds(), r.factor(),
                    r.maxBackoffSeconds(), r.policy());
        }
        Ir.Resources resources = null;
        if (o.resources() != null) {
            ComponentSettings.Resources r = o.resources();
            resources = new Ir.Resources(r.cpu(), r.memory(), r.gpu(), r.gpuResource());
        }
        List<Ir.Toleration> tolerations = null;
        if (o.tolerations() != null) {
            tolerations = o.tolerations().stream()
                    .map(t -> new Ir.Toleration(t.key(), t.operator(), t.value(), t.effect())).toList();
        }
        SortedMap<String, String> selector = o.nodeSelector() == null || o.nodeSelector().isEmpty()
                ? null : new TreeMap<>(o.nodeSelector());
        Ir.Settings s = new Ir.Settings(retry, o.timeoutSeconds(), o.cache(), resources, selector,
                tolerations == null || tolerations.isEmpty() ? null : tolerations, o.shm(),
                // `mutex = []` at a call is kept: it takes off the component's
                o.mutexes());
        return s.equals(Ir.Settings.NONE) ? null : s;
    }

    /** The component as a call runs it: with the env and image its {@code with { ... }} gives, a variant of its own. */
    private Ir.Component component(Symbol.Component c, SortedMap<String, ComponentSettings.EnvValue> envOverride,
                                   String imageOverride) {
        Ir.Component base = baseComponents.get(c);
        if (base == null) {
            base = makeComponent(c, null, null);
            baseComponents.put(c, base);
            components.put(base.digest(), base);
        }
        if ((envOverride == null || envOverride.isEmpty()) && imageOverride == null) {
            return base;
        }
        Ir.Component variant = makeComponent(c, envOverride, imageOverride);
        components.put(variant.digest(), variant);
        return variant;
    }

    private Ir.Component makeComponent(Symbol.Component c, SortedMap<String, ComponentSettings.EnvValue> envOverride,
                                       String imageOverride) {
        ComponentSettings s = program.settingsOf(c);
        List<Ir.Param> inputs = new ArrayList<>();
        for (Symbol.Input in : c.inputs()) {
            inputs.add(param(in));
        }
        List<Ir.Field> outputs = new ArrayList<>();
        for (Symbol.Output out : c.outputs()) {
            outputs.add(new Ir.Field(out.name(), type(out.type())));
        }
        List<Ir.CommandArg> command = null;
        Ir.Script script = null;
        SortedMap<String, Ir.EnvValue> env = new TreeMap<>();
        String image = null;
        if (s != null) {
            image = imageOverride != null ? imageOverride : s.image();
            if (s.command() != null) {
                command = new ArrayList<>();
                for (ComponentSettings.CommandArg a : s.command()) {
                    command.add(arg(a));
                }
                for (ComponentSettings.CommandArg a : s.args()) {
                    command.add(arg(a));
                }
            }
            if (s.script() != null) {
                script = script(s.script());
            }
            Map<String, ComponentSettings.EnvValue> merged = new TreeMap<>(s.env());
            if (s.overrides() != null && s.overrides().env() != null) {
                merged.putAll(s.overrides().env());
            }
            if (envOverride != null) {
                merged.putAll(envOverride);
            }
            merged.forEach((k, v) -> env.put(k, env(v)));
        }
        Ir.ResourceSpec resource = s == null ? null : resource(s.resource());
        Ir.Component draft = new Ir.Component(null, c.name(), moduleName(c.module()), inputs, outputs, image, command,
                script, env.isEmpty() ? null : env, null, resource, emptyToNull(c.decl().doc()),
                s == null || s.requires().isEmpty() ? null : s.requires());
        return new Ir.Component(IrJson.componentDigest(draft), draft.name(), draft.module(), draft.inputs(),
                draft.outputs(), draft.image(), draft.command(), draft.script(), draft.env(), draft.settings(),
                draft.resource(), draft.doc(), draft.requires());
    }

    /** A resource component's spec; its local command or script built like a container's. */
    private static Ir.ResourceSpec resource(ComponentSettings.Resource r) {
        if (r == null) {
            return null;
        }
        SortedMap<String, Ir.ResourceOutput> outputs = new TreeMap<>();
        r.outputs().forEach((k, q) -> outputs.put(k, new Ir.ResourceOutput(q.jsonPath(), q.jqFilter())));
        Ir.Local local = null;
        if (r.local() != null) {
            ComponentSettings.Local l = r.local();
            local = new Ir.Local(l.command() == null ? null : l.command().stream().map(IrBuilder::arg).toList(),
                    l.script() == null ? null : script(l.script()), l.unavailable());
        }
        return new Ir.ResourceSpec(r.action(), r.manifest(), r.success(), r.failure(), r.owner(),
                outputs.isEmpty() ? null : outputs, local);
    }

    /**
     * A script with the place of its first line: a {@code """} string's body starts on the line after the
     * quotes when the rest of their line is blank (that line is dropped); a one-line string holds every line.
     */
    private static Ir.Script script(ComponentSettings.Script s) {
        Span w = s.written();
        if (w == null || w.source().text().isEmpty()) {
            return new Ir.Script(s.interpreter(), s.body());
        }
        String text = w.text();
        if (!text.startsWith("\"\"\"")) {
            return new Ir.Script(s.interpreter(), s.body(), pos(w), true);
        }
        int eol = text.indexOf('\n');
        if (eol >= 0 && text.substring(3, eol).isBlank()) {
            return new Ir.Script(s.interpreter(), s.body(), new Ir.Pos(fileName(w.path()), w.line() + 1, 1), null);
        }
        return new Ir.Script(s.interpreter(), s.body(), new Ir.Pos(fileName(w.path()), w.line(), w.column() + 3), null);
    }

    /** A stable, machine-independent name for a module: {@code stdlib/x}, or its path relative to the root file. */
    private String moduleName(Module m) {
        if (m.isStdlib()) {
            return m.key();
        }
        Path p = Path.of(m.key()).toAbsolutePath().normalize();
        try {
            return rootDir.relativize(p).toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return fileName(m.key());
        }
    }

    private static Ir.CommandArg arg(ComponentSettings.CommandArg a) {
        List<Ir.ArgPart> parts = new ArrayList<>();
        for (ComponentSettings.ArgPart p : a.parts()) {
            if (p instanceof ComponentSettings.Text t) {
                parts.add(new Ir.Text(t.text()));
            } else if (p instanceof ComponentSettings.InputValue v) {
                parts.add(new Ir.InputValue(v.input()));
            } else if (p instanceof ComponentSettings.InputPath v) {
                parts.add(new Ir.InputPath(v.input()));
            } else if (p instanceof ComponentSettings.OutputPath v) {
                parts.add(new Ir.OutputPath(v.output()));
            }
        }
        return new Ir.CommandArg(parts);
    }

    private static Ir.EnvValue env(ComponentSettings.EnvValue v) {
        if (v instanceof ComponentSettings.EnvSecret s) {
            return new Ir.EnvSecret(s.secret(), s.key());
        }
        return new Ir.EnvText(arg(((ComponentSettings.EnvText) v).value()));
    }

    // --- expressions ------------------------------------------------------------------------------------

    private Ir.Expr expr(Ast.Expr e) {
        Checked.Reference ref = program.referenceOf(e);
        if (ref != null) {
            return reference(e, ref);
        }
        JsonNode constant = program.constantOf(e);
        Type t = program.typeOf(e);
        if (constant != null) {
            return new Ir.Const(constant, type(t));
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (e instanceof Ast.IntLit i) {
            return new Ir.Const(f.numberNode(i.value()), type(t));
        } else if (e instanceof Ast.FloatLit x) {
            return new Ir.Const(f.numberNode(x.value()), type(t));
        } else if (e instanceof Ast.BoolLit x) {
            return new Ir.Const(f.booleanNode(x.value()), type(t));
        } else if (e instanceof Ast.NullLit) {
            return new Ir.Const(f.nullNode(), type(t));
        } else if (e instanceof Ast.DurationLit d) {
            // durations are seconds in the IR, like the checker's constants
            return new Ir.Const(d.millis() % 1000 == 0 ? f.numberNode(d.millis() / 1000) : f.numberNode(d.millis() / 1000.0),
                    type(t));
        } else if (e instanceof Ast.QuantityLit q) {
            return new Ir.Const(f.textNode(q.text()), type(t));
        } else if (e instanceof Ast.StringLit str && str.constant() != null) {
            return new Ir.Const(f.textNode(str.constant()), type(t));
        }
        if (e instanceof Ast.Member m) {
            return new Ir.FieldOf(expr(m.target()), m.name().name(), type(t));
        } else if (e instanceof Ast.Index i) {
            return new Ir.IndexOf(expr(i.target()), expr(i.index()), type(t));
        } else if (e instanceof Ast.Unary u) {
            return new Ir.Unary(u.op().symbol, expr(u.operand()), type(t));
        } else if (e instanceof Ast.Binary b) {
            return new Ir.Binary(b.op().symbol, expr(b.left()), expr(b.right()), type(t));
        } else if (e instanceof Ast.ListLit l) {
            return new Ir.ListOf(l.elements().stream().map(this::expr).toList(), type(t));
        } else if (e instanceof Ast.MapLit m) {
            return new Ir.MapOf(m.entries().stream().map(Ast.Entry::key).toList(),
                    m.entries().stream().map(x -> expr(x.value())).toList(), type(t));
        } else if (e instanceof Ast.StringLit s) {
            return concat(s, t);
        } else if (e instanceof Ast.Call c) {
            return call(c, t);
        }
        throw new IllegalStateException("cannot lower " + e.getClass().getSimpleName() + " at " + e.span());
    }

    private Ir.Expr concat(Ast.StringLit s, Type t) {
        List<Ir.Expr> parts = new ArrayList<>();
        for (Ast.StringPart p : s.parts()) {
            if (p instanceof Ast.Text text) {
                parts.add(new Ir.Const(JsonNodeFactory.instance.textNode(text.text()), IrType.STRING));
            } else if (p instanceof Ast.Interpolation i) {
                parts.add(expr(i.expr()));
            }
        }
        return new Ir.Concat(parts, type(t));
    }

    private Ir.Expr call(Ast.Call c, Type t) {
        Symbol callee = program.symbolOf(c);
        if (callee instanceof Symbol.StructDef sd) {
            Map<String, Ast.Expr> byName = new HashMap<>();
            for (Ast.Arg a : c.args()) {
                if (a.name() != null) {
                    byName.put(a.name().name(), a.value());
                }
            }
            List<String> keys = new ArrayList<>();
            List<Ir.Expr> values = new ArrayList<>();
            for (String field : sd.type().fields().keySet()) {
                Ast.Expr v = byName.get(field);
                if (v != null) {
                    keys.add(field);
                    values.add(expr(v));
                }
            }
            type(sd.type());
            return new Ir.MapOf(keys, values, type(t));
        }
        if (callee instanceof Symbol.Builtin b) {
            return new Ir.Builtin(b.name(), c.args().stream().map(a -> expr(a.value())).toList(), type(t));
        }
        throw new IllegalStateException("a call of " + callee + " is not a value, at " + c.span());
    }

    private Ir.Expr reference(Ast.Expr e, Checked.Reference ref) {
        IrType t = type(program.typeOf(e));
        if (!ref.crossed().isEmpty()) {
            Ast.Stmt outer = ref.crossed().get(ref.crossed().size() - 1);
            for (Checked.Export x : program.exportsOf(outer)) {
                if (x.symbol() == ref.target()) {
                    return new Ir.OutputRef(program.idOf(outer), x.name(), t);
                }
            }
            throw new IllegalStateException("no export of " + ref.target().name() + " from " + program.idOf(outer));
        }
        Symbol target = ref.target();
        if (target instanceof Symbol.StepOutput so) {
            return new Ir.OutputRef(so.step().id(), so.output().name(), t);
        } else if (target instanceof Symbol.Value v) {
            return expr(v.bind().value());
        } else if (target instanceof Symbol.Input in) {
            return new Ir.ParamRef(in.name(), t);
        } else if (target instanceof Symbol.LoopVar lv) {
            return new Ir.ItemRef(program.idOf(lv.loop()), t);
        } else if (target instanceof Symbol.Run r) {
            return new Ir.RunRef(r.field(), t);
        }
        throw new IllegalStateException("unexpected reference to " + target);
    }

    // --- types -------------------------------------------------------------------------------------------

    private IrType type(Type t) {
        record(t);
        return IrType.of(t.display());
    }

    /** Remembers user structs and artifact types met on the way, for the program's tables. */
    private void record(Type t) {
        if (t instanceof Type.Struct s) {
            if (!structs.containsKey(s.name())) {
                List<Ir.Field> fields = new ArrayList<>();
                structs.put(s.name(), fields);
                s.fields().forEach((k, v) -> fields.add(new Ir.Field(k, type(v))));
            }
        } else if (t instanceof Type.ArtifactType a) {
            if (a.parent() != null && !IrType.BUILTIN_ARTIFACTS.contains(a.name())) {
                artifactTypes.put(a.name(), a.parent().name());
                record(a.parent());
            }
        } else if (t instanceof Type.ListOf l) {
            record(l.element());
        } else if (t instanceof Type.MapOf m) {
            record(m.value());
        } else if (t instanceof Type.Optional o) {
            record(o.inner());
        }
    }

    private static Ir.Pos pos(Span s) {
        return new Ir.Pos(fileName(s.path()), s.line(), s.column());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
