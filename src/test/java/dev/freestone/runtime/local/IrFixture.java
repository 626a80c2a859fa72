package dev.freestone.runtime.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds IR values in tests, as the IR builder would from a {@code .pipe} file: components (digests
 * computed), tasks, loops, conditions, expressions. Short static names so that a test reads like the
 * pipeline it stands for.
 */
final class IrFixture {
    private IrFixture() {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final Ir.Pos POS = new Ir.Pos("test.pipe", 1, 1);

    static IrType t(String spelling) {
        return IrType.of(spelling);
    }

    static JsonNode json(Object v) {
        return JSON.valueToTree(v);
    }

    // --- components -------------------------------------------------------------------------------------

    static Ir.Param param(String name, String type) {
        return new Ir.Param(name, t(type), null, null);
    }

    static Ir.Param param(String name, String type, Object defaultValue) {
        return new Ir.Param(name, t(type), json(defaultValue), null);
    }

    static Ir.Field field(String name, String type) {
        return new Ir.Field(name, t(type));
    }

    /** An argv part: the value of input {@code name}. */
    static Ir.ArgPart value(String name) {
        return new Ir.InputValue(name);
    }

    /** An argv part: the path of artifact input {@code name}. */
    static Ir.ArgPart path(String name) {
        return new Ir.InputPath(name);
    }

    /** An argv part: the path output {@code name} must be written to. */
    static Ir.ArgPart output(String name) {
        return new Ir.OutputPath(name);
    }

    /** One argv element from parts: {@code arg("--lr=", value("lr"))}. */
    static Ir.CommandArg arg(Object... parts) {
        List<Ir.ArgPart> ps = new ArrayList<>();
        for (Object p : parts) {
            ps.add(p instanceof String s ? new Ir.Text(s) : (Ir.ArgPart) p);
        }
        return new Ir.CommandArg(ps);
    }

    /** A component builder. */
    static Comp component(String name) {
        return new Comp(name);
    }

    static final class Comp {
        private final String name;
        private String image = "alpine:3.20";
        private final List<Ir.Param> inputs = new ArrayList<>();
        private final List<Ir.Field> outputs = new ArrayList<>();
        private List<Ir.CommandArg> command;
        private Ir.Script script;
        private final SortedMap<String, Ir.EnvValue> env = new TreeMap<>();
        private Ir.Settings settings = Ir.Settings.NONE;

        Comp(String name) {
            this.name = name;
        }

        Comp image(String i) {
            image = i;
            return this;
        }

        Comp in(String n, String type) {
            inputs.add(param(n, type));
            return this;
        }

        Comp in(String n, String type, Object defaultValue) {
            inputs.add(param(n, type, defaultValue));
            return this;
        }

        Comp out(String n, String type) {
            outputs.add(field(n, type));
            return this;
        }

        /** argv: Strings are literal elements, ArgParts single-part elements, CommandArgs as they are. */
        Comp command(Object... argv) {
            command = new ArrayList<>();
            for (Object a : argv) {
                command.add(a instanceof Ir.CommandArg c ? c : arg(a));
            }
            return this;
        }

        /** {@code sh -c SCRIPT arg0 arg1 ...}: the script sees the arguments as $0, $1, ... */
        Comp sh(String shellScript, Object... args) {
            List<Object> argv = new ArrayList<>(List.of("sh", "-c", shellScript));
            argv.addAll(Arrays.asList(args));
            return command(argv.toArray());
        }

        Comp script(String interpreter, String source) {
            script = new Ir.Script(List.of(interpreter), source);
            return this;
        }

        Comp env(String n, String text) {
            env.put(n, new Ir.EnvText(arg(text)));
            return this;
        }

        Comp secret(String n, String secret, String key) {
            env.put(n, new Ir.EnvSecret(secret, key));
            return this;
        }

        Comp settings(Ir.Settings s) {
            settings = s;
            return this;
        }

        Ir.Component build() {
            Ir.Component c = new Ir.Component(null, name, null, inputs, outputs, image, command, script,
                    env.isEmpty() ? null : env, settings, null, null);
            try {
                String digest = "sha256:" + Values.sha256Hex(JSON.writeValueAsString(c));
                return new Ir.Component(digest, name, null, inputs, outputs, image, command, script,
                        env.isEmpty() ? null : env, settings, null, null);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Ir.Settings retry(int limit, Long backoffSeconds) {
        return new Ir.Settings(new Ir.Retry(limit, backoffSeconds, null, null, null), null, null, null, null, null, null);
    }

    static Ir.Settings timeout(long seconds) {
        return new Ir.Settings(null, seconds, null, null, null, null, null);
    }

    // --- nodes ------------------------------------------------------------------------------------------

    /** Inputs as name, expression pairs. */
    static SortedMap<String, Ir.Expr> inputs(Object... kv) {
        SortedMap<String, Ir.Expr> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Ir.Expr) kv[i + 1]);
        }
        return m;
    }

    static Ir.Task task(String id, Ir.Component c, SortedMap<String, Ir.Expr> inputs, String... dependsOn) {
        return new Ir.Task(id, new Ir.ComponentCall(c.digest(), c.name()), inputs, List.of(dependsOn), Ir.Settings.NONE, POS);
    }

    static Ir.Task task(String id, Ir.Component c, Ir.Settings settings, SortedMap<String, Ir.Expr> inputs,
                        String... dependsOn) {
        return new Ir.Task(id, new Ir.ComponentCall(c.digest(), c.name()), inputs, List.of(dependsOn), settings, POS);
    }

    static Ir.Task call(String id, String pipeline, SortedMap<String, Ir.Expr> inputs, String... dependsOn) {
        return new Ir.Task(id, new Ir.PipelineCall(pipeline), inputs, List.of(dependsOn), Ir.Settings.NONE, POS);
    }

    static Ir.Loop loop(String id, String variable, String itemType, Ir.Expr items, int parallelism, List<Ir.Node> body,
                        List<Ir.Export> exports, String... dependsOn) {
        return new Ir.Loop(id, variable, t(itemType), items, parallelism, body, exports, List.of(dependsOn), POS);
    }

    static Ir.Cond cond(String id, List<Ir.Branch> branches, List<Ir.Node> elseBody, List<Ir.Export> exports,
                        String... dependsOn) {
        return new Ir.Cond(id, branches, elseBody, exports, List.of(dependsOn), POS);
    }

    static Ir.Branch branch(Ir.Expr condition, Ir.Node... body) {
        return new Ir.Branch(condition, List.of(body));
    }

    static Ir.Export export(String name, String type, Ir.Expr value) {
        return new Ir.Export(name, t(type), value);
    }

    static Ir.Dag dag(String name, List<Ir.Param> params, List<Ir.PipelineOutput> outputs, List<Ir.Node> body,
                      List<Ir.Node> exitHandler) {
        return new Ir.Dag(name, params, outputs, body, exitHandler, POS);
    }

    static Ir.Dag dag(String name, List<Ir.Param> params, List<Ir.Node> body) {
        return dag(name, params, List.of(), body, List.of());
    }

    static Ir.PipelineOutput pipelineOutput(String name, String type, Ir.Expr value) {
        return new Ir.PipelineOutput(name, t(type), value);
    }

    static Ir.Program program(Ir.Dag root, Map<String, Ir.Dag> pipelines, Ir.Component... components) {
        SortedMap<String, Ir.Component> cs = new TreeMap<>();
        for (Ir.Component c : components) {
            cs.put(c.digest(), c);
        }
        return new Ir.Program(Ir.API_VERSION, root.name(), "test.pipe", "sha256:0", root, new TreeMap<>(pipelines), cs,
                new TreeMap<>(), new TreeMap<>());
    }

    static Ir.Program program(Ir.Dag root, Ir.Component... components) {
        return program(root, Map.of(), components);
    }

    // --- expressions ------------------------------------------------------------------------------------

    static Ir.Expr constant(Object v, String type) {
        return new Ir.Const(json(v), t(type));
    }

    static Ir.Expr str(String s) {
        return constant(s, "String");
    }

    static Ir.Expr paramRef(String name, String type) {
        return new Ir.ParamRef(name, t(type));
    }

    static Ir.Expr out(String node, String output, String type) {
        return new Ir.OutputRef(node, output, t(type));
    }

    static Ir.Expr item(String loop, String type) {
        return new Ir.ItemRef(loop, t(type));
    }

    static Ir.Expr runField(String field) {
        return new Ir.RunRef(field, t("String"));
    }

    static Ir.Expr binary(String op, Ir.Expr l, Ir.Expr r, String type) {
        return new Ir.Binary(op, l, r, t(type));
    }

    static Ir.Expr unary(String op, Ir.Expr e, String type) {
        return new Ir.Unary(op, e, t(type));
    }

    static Ir.Expr builtin(String f, String type, Ir.Expr... args) {
        return new Ir.Builtin(f, List.of(args), t(type));
    }

    static Ir.Expr concat(Ir.Expr... parts) {
        return new Ir.Concat(List.of(parts), t("String"));
    }

    static Ir.Expr list(String type, Ir.Expr... elements) {
        return new Ir.ListOf(List.of(elements), t(type));
    }

    static Ir.Expr fieldOf(Ir.Expr target, String f, String type) {
        return new Ir.FieldOf(target, f, t(type));
    }

    static Ir.Expr index(Ir.Expr target, Ir.Expr i, String type) {
        return new Ir.IndexOf(target, i, t(type));
    }

    static Ir.Expr mapOf(String type, Object... kv) {
        List<String> keys = new ArrayList<>();
        List<Ir.Expr> values = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            keys.add((String) kv[i]);
            values.add((Ir.Expr) kv[i + 1]);
        }
        return new Ir.MapOf(keys, values, t(type));
    }
}
