package dev.freestone.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrJson;
import dev.freestone.ir.IrType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A small fluent way to write IR programs in tests (the IR builder from checked ASTs comes later):
 * components with their digests computed, tasks, loops, conditionals, pipelines. One fixture collects
 * the components its tasks use, so {@link #program} needs only the DAGs.
 */
public final class IrFixture {
    private final SortedMap<String, Ir.Component> components = new TreeMap<>();
    private final SortedMap<String, List<Ir.Field>> structs = new TreeMap<>();

    public static IrType t(String spelling) {
        return IrType.of(spelling);
    }

    public static JsonNode json(Object value) {
        return IrJson.mapper().valueToTree(value);
    }

    // --- expressions -------------------------------------------------------------------------------------

    public static Ir.Const c(Object value, String type) {
        return new Ir.Const(json(value), t(type));
    }

    public static Ir.Const str(String s) {
        return c(s, "String");
    }

    public static Ir.ParamRef p(String name, String type) {
        return new Ir.ParamRef(name, t(type));
    }

    public static Ir.OutputRef o(String node, String output, String type) {
        return new Ir.OutputRef(node, output, t(type));
    }

    public static Ir.ItemRef item(String loop, String type) {
        return new Ir.ItemRef(loop, t(type));
    }

    public static Ir.RunRef run(String field) {
        return new Ir.RunRef(field, IrType.STRING);
    }

    public static Ir.Binary bin(String op, Ir.Expr l, Ir.Expr r, String type) {
        return new Ir.Binary(op, l, r, t(type));
    }

    public static Ir.Concat cat(Ir.Expr... parts) {
        return new Ir.Concat(List.of(parts), IrType.STRING);
    }

    public static Ir.Builtin call(String fn, String type, Ir.Expr... args) {
        return new Ir.Builtin(fn, List.of(args), t(type));
    }

    public static Ir.FieldOf field(Ir.Expr target, String f, String type) {
        return new Ir.FieldOf(target, f, t(type));
    }

    // --- components --------------------------------------------------------------------------------------

    /** Argv parts: a String is text, {@code val("x")} an input value, {@code in("x")} an input path, {@code out("y")} an output path. */
    public static Ir.ArgPart val(String input) {
        return new Ir.InputValue(input);
    }

    public static Ir.ArgPart in(String input) {
        return new Ir.InputPath(input);
    }

    public static Ir.ArgPart out(String output) {
        return new Ir.OutputPath(output);
    }

    public final class Comp {
        private final String name;
        private final List<Ir.Param> inputs = new ArrayList<>();
        private final List<Ir.Field> outputs = new ArrayList<>();
        private String image = "python:3.12-slim";
        private List<Ir.CommandArg> command;
        private Ir.Script script;
        private SortedMap<String, Ir.EnvValue> env;
        private Ir.Settings settings;
        private Ir.ResourceSpec resource;

        Comp(String name) {
            this.name = name;
        }

        public Comp in(String n, String type) {
            inputs.add(new Ir.Param(n, t(type), null, null));
            return this;
        }

        public Comp in(String n, String type, Object def) {
            inputs.add(new Ir.Param(n, t(type), json(def), null));
            return this;
        }

        public Comp out(String n, String type) {
            outputs.add(new Ir.Field(n, t(type)));
            return this;
        }

        public Comp image(String i) {
            image = i;
            return this;
        }

        /** Each element one argv entry: a String, an ArgPart, or a List of those joined. */
        public Comp command(Object... argv) {
            command = new ArrayList<>();
            for (Object a : argv) {
                command.add(arg(a));
            }
            return this;
        }

        public Comp script(String interpreter, String source) {
            script = new Ir.Script(List.of(interpreter), source);
            return this;
        }

        public Comp env(String n, Ir.EnvValue v) {
            if (env == null) {
                env = new TreeMap<>();
            }
            env.put(n, v);
            return this;
        }

        public Comp settings(Ir.Settings s) {
            settings = s;
            return this;
        }

        public Comp resource(Ir.ResourceSpec r) {
            resource = r;
            image = null;
            return this;
        }

        public Ir.Component build() {
            Ir.Component c = new Ir.Component(null, name, null, List.copyOf(inputs), List.copyOf(outputs), image,
                    command == null ? null : List.copyOf(command), script, env, settings, resource, null);
            String digest = IrJson.componentDigest(c);
            Ir.Component done = new Ir.Component(digest, name, null, c.inputs(), c.outputs(), image, c.command(), script,
                    env, settings, resource, null);
            components.put(digest, done);
            return done;
        }
    }

    public static Ir.CommandArg arg(Object a) {
        if (a instanceof String s) {
            return new Ir.CommandArg(List.of(new Ir.Text(s)));
        }
        if (a instanceof Ir.ArgPart part) {
            return new Ir.CommandArg(List.of(part));
        }
        List<Ir.ArgPart> parts = new ArrayList<>();
        for (Object x : (List<?>) a) {
            parts.add(x instanceof String s ? new Ir.Text(s) : (Ir.ArgPart) x);
        }
        return new Ir.CommandArg(parts);
    }

    public Comp component(String name) {
        return new Comp(name);
    }

    public void struct(String name, Ir.Field... fields) {
        structs.put(name, List.of(fields));
    }

    // --- nodes -------------------------------------------------------------------------------------------

    public static final Ir.Pos POS = new Ir.Pos("test.pipe", 1, 1);

    public static final class TaskB {
        private final String id;
        private final Ir.Callee callee;
        private final SortedMap<String, Ir.Expr> inputs = new TreeMap<>();
        private final List<String> deps = new ArrayList<>();
        private Ir.Settings settings;

        TaskB(String id, Ir.Callee callee) {
            this.id = id;
            this.callee = callee;
        }

        public TaskB in(String name, Ir.Expr e) {
            inputs.put(name, e);
            return this;
        }

        public TaskB after(String... ids) {
            deps.addAll(Arrays.asList(ids));
            return this;
        }

        public TaskB with(Ir.Settings s) {
            settings = s;
            return this;
        }

        public Ir.Task done() {
            return new Ir.Task(id, callee, inputs, List.copyOf(deps), settings, POS);
        }
    }

    public static TaskB task(String id, Ir.Component c) {
        return new TaskB(id, new Ir.ComponentCall(c.digest(), c.name()));
    }

    public static TaskB call(String id, String pipeline) {
        return new TaskB(id, new Ir.PipelineCall(pipeline));
    }

    public static Ir.Loop loop(String id, String variable, String itemType, Ir.Expr items, int parallel,
                               List<Ir.Node> body, List<Ir.Export> exports, String... deps) {
        return new Ir.Loop(id, variable, t(itemType), items, parallel, body, exports, List.of(deps), POS);
    }

    public static Ir.Cond cond(String id, List<Ir.Branch> branches, List<Ir.Node> elseBody, List<Ir.Export> exports,
                               String... deps) {
        return new Ir.Cond(id, branches, elseBody, exports, List.of(deps), POS);
    }

    public static Ir.Branch branch(Ir.Expr condition, Ir.Node... body) {
        return new Ir.Branch(condition, List.of(body));
    }

    public static Ir.Export export(String name, String type, Ir.Expr value) {
        return new Ir.Export(name, t(type), value);
    }

    public static Ir.Param param(String name, String type, Object def) {
        return new Ir.Param(name, t(type), def == null ? null : json(def), null);
    }

    public static Ir.PipelineOutput output(String name, String type, Ir.Expr value) {
        return new Ir.PipelineOutput(name, t(type), value);
    }

    public static Ir.Dag dag(String name, List<Ir.Param> params, List<Ir.PipelineOutput> outputs, List<Ir.Node> body,
                             List<Ir.Node> exit) {
        return new Ir.Dag(name, params, outputs, body, exit, POS);
    }

    public Ir.Program program(Ir.Dag root, Ir.Dag... pipelines) {
        SortedMap<String, Ir.Dag> ps = new TreeMap<>();
        for (Ir.Dag d : pipelines) {
            ps.put(d.name(), d);
        }
        return new Ir.Program(Ir.API_VERSION, root.name(), root.name() + ".pipe", "0".repeat(64), root, ps,
                new TreeMap<>(components), new TreeMap<>(structs), new TreeMap<>());
    }
}
