package dev.freestone.ir;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes IR values as JSON through jackson-core's streaming generator, walking the records by hand,
 * so that writing needs no databind: its first use in a JVM builds bean serializers by reflection and
 * annotation introspection (60–80 ms of a one-step {@code freestone run}). The output is the one
 * databind gives for the annotations on {@link Ir}, byte for byte, which {@code IrWriterOracleTest}
 * checks against databind itself:
 * <ul>
 *   <li>record components in declaration order; the members of a sealed interface start with
 *       {@code "kind"}, the name its {@code @JsonSubTypes} gives them;</li>
 *   <li>records marked {@code @JsonInclude(NON_NULL)} leave null components out (primitives, empty
 *       lists and empty maps stay); the others write {@code null};</li>
 *   <li>every map sorted by the natural order of its keys, whatever its own comparator (where databind
 *       would keep a sorted map's order: the one place the two part, and no map of {@code IrBuilder}'s is
 *       sorted otherwise); null elements and map values written as {@code null};</li>
 *   <li>{@link IrType} as its spelling; {@link JsonNode} values with object properties sorted
 *       (WRITE_PROPERTIES_SORTED) and numbers as the node holds them (int, long, BigInteger, float,
 *       double, BigDecimal).</li>
 * </ul>
 * No lambdas or string concatenation on this path: each call site would cost a bootstrap at start-up.
 */
final class IrWriter {
    /** Thread-safe once built; the generator's defaults are the ones databind's own factory has. */
    private static final JsonFactory JSON = new JsonFactory();

    private final JsonGenerator g;

    private IrWriter(JsonGenerator g) {
        this.g = g;
    }

    /**
     * {@code value}, a record of {@link Ir} or an {@link IrType}, as JSON with a trailing newline; indented by
     * {@code pretty} when not null. A member of a sealed interface gets its {@code "kind"} here too, as
     * databind gives it to a root value. (Not lists or maps: databind leaves the kind out of their
     * elements, whose declared type it cannot see, and no caller needs them.)
     * Written to a String, as databind's {@code writeValueAsString} does (a lone surrogate stays a
     * char until the caller encodes it).
     */
    static String write(Record value, PrettyPrinter pretty) {
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            if (pretty != null) {
                g.setPrettyPrinter(pretty);
            }
            new IrWriter(g).value(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.append('\n');
        return out.toString();
    }

    // --- any record (for the digests of parts) -------------------------------------------------------

    private void value(Record v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Ir.Expr e) {
            expr(e);
        } else if (v instanceof Ir.Node n) {
            node(n);
        } else if (v instanceof Ir.Program p) {
            program(p);
        } else if (v instanceof Ir.Dag d) {
            dag(d);
        } else if (v instanceof Ir.Component c) {
            component(c);
        } else if (v instanceof Ir.Settings s) {
            settings(s);
        } else if (v instanceof Ir.Field f) {
            field(f);
        } else if (v instanceof Ir.Param p) {
            param(p);
        } else if (v instanceof Ir.PipelineOutput o) {
            pipelineOutput(o);
        } else if (v instanceof Ir.Pos p) {
            pos(p);
        } else if (v instanceof Ir.Callee c) {
            callee(c);
        } else if (v instanceof Ir.Branch b) {
            branch(b);
        } else if (v instanceof Ir.Export e) {
            export(e);
        } else if (v instanceof Ir.Retry r) {
            retry(r);
        } else if (v instanceof Ir.Resources r) {
            resources(r);
        } else if (v instanceof Ir.Toleration t) {
            toleration(t);
        } else if (v instanceof Ir.CommandArg a) {
            commandArg(a);
        } else if (v instanceof Ir.ArgPart p) {
            argPart(p);
        } else if (v instanceof Ir.Script s) {
            script(s);
        } else if (v instanceof Ir.EnvValue e) {
            envValue(e);
        } else if (v instanceof Ir.ResourceSpec r) {
            resourceSpec(r);
        } else if (v instanceof Ir.ResourceOutput r) {
            resourceOutput(r);
        } else if (v instanceof Ir.Local l) {
            local(l);
        } else if (v instanceof IrType t) {
            type(t);
        } else {
            throw new IllegalArgumentException("not a record of the IR: " + v.getClass().getName());
        }
    }

    // --- program and DAGs ---------------------------------------------------------------------------

    /** NON_NULL. */
    private void program(Ir.Program p) throws IOException {
        g.writeStartObject();
        optString("apiVersion", p.apiVersion());
        optString("name", p.name());
        optString("sourceFile", p.sourceFile());
        optString("sourceDigest", p.sourceDigest());
        if (p.root() != null) {
            g.writeFieldName("root");
            dag(p.root());
        }
        if (p.pipelines() != null) {
            g.writeFieldName("pipelines");
            g.writeStartObject();
            for (Map.Entry<String, Ir.Dag> e : sorted(p.pipelines()).entrySet()) {
                g.writeFieldName(key(e.getKey()));
                dag(e.getValue());
            }
            g.writeEndObject();
        }
        if (p.components() != null) {
            g.writeFieldName("components");
            g.writeStartObject();
            for (Map.Entry<String, Ir.Component> e : sorted(p.components()).entrySet()) {
                g.writeFieldName(key(e.getKey()));
                component(e.getValue());
            }
            g.writeEndObject();
        }
        if (p.structs() != null) {
            g.writeFieldName("structs");
            g.writeStartObject();
            for (Map.Entry<String, List<Ir.Field>> e : sorted(p.structs()).entrySet()) {
                g.writeFieldName(key(e.getKey()));
                fields(e.getValue());
            }
            g.writeEndObject();
        }
        if (p.artifactTypes() != null) {
            g.writeFieldName("artifactTypes");
            stringMap(p.artifactTypes());
        }
        g.writeEndObject();
    }

    private void field(Ir.Field f) throws IOException {
        if (f == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("name", f.name());
        g.writeFieldName("type");
        type(f.type());
        g.writeEndObject();
    }

    /** NON_NULL. */
    private void param(Ir.Param p) throws IOException {
        if (p == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        optString("name", p.name());
        if (p.type() != null) {
            g.writeFieldName("type");
            type(p.type());
        }
        if (p.defaultValue() != null) {
            g.writeFieldName("defaultValue");
            json(p.defaultValue());
        }
        optString("doc", p.doc());
        g.writeEndObject();
    }

    private void pipelineOutput(Ir.PipelineOutput o) throws IOException {
        if (o == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("name", o.name());
        g.writeFieldName("type");
        type(o.type());
        g.writeFieldName("value");
        expr(o.value());
        g.writeEndObject();
    }

    private void dag(Ir.Dag d) throws IOException {
        if (d == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("name", d.name());
        g.writeFieldName("params");
        if (d.params() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (Ir.Param p : d.params()) {
                param(p);
            }
            g.writeEndArray();
        }
        g.writeFieldName("outputs");
        if (d.outputs() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (Ir.PipelineOutput o : d.outputs()) {
                pipelineOutput(o);
            }
            g.writeEndArray();
        }
        g.writeFieldName("body");
        nodes(d.body());
        g.writeFieldName("exitHandler");
        nodes(d.exitHandler());
        g.writeFieldName("pos");
        pos(d.pos());
        if (d.mutexes() != null) {
            // NON_NULL on this component alone
            g.writeFieldName("mutexes");
            strings(d.mutexes());
        }
        if (d.timeoutSeconds() != null) {
            g.writeNumberField("timeoutSeconds", d.timeoutSeconds());
        }
        g.writeEndObject();
    }

    private void pos(Ir.Pos p) throws IOException {
        if (p == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("file", p.file());
        g.writeNumberField("line", p.line());
        g.writeNumberField("column", p.column());
        g.writeEndObject();
    }

    // --- nodes --------------------------------------------------------------------------------------

    private void nodes(List<Ir.Node> nodes) throws IOException {
        if (nodes == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (Ir.Node n : nodes) {
            node(n);
        }
        g.writeEndArray();
    }

    private void node(Ir.Node n) throws IOException {
        if (n == null) {
            g.writeNull();
        } else if (n instanceof Ir.Task t) {
            task(t);
        } else if (n instanceof Ir.Cond c) {
            cond(c);
        } else {
            loop((Ir.Loop) n);
        }
    }

    /** NON_NULL. */
    private void task(Ir.Task t) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", "task");
        optString("id", t.id());
        if (t.callee() != null) {
            g.writeFieldName("callee");
            callee(t.callee());
        }
        if (t.inputs() != null) {
            g.writeFieldName("inputs");
            g.writeStartObject();
            for (Map.Entry<String, Ir.Expr> e : sorted(t.inputs()).entrySet()) {
                g.writeFieldName(key(e.getKey()));
                expr(e.getValue());
            }
            g.writeEndObject();
        }
        if (t.dependsOn() != null) {
            g.writeFieldName("dependsOn");
            strings(t.dependsOn());
        }
        if (t.settings() != null) {
            g.writeFieldName("settings");
            settings(t.settings());
        }
        if (t.pos() != null) {
            g.writeFieldName("pos");
            pos(t.pos());
        }
        g.writeEndObject();
    }

    private void callee(Ir.Callee c) throws IOException {
        if (c == null) {
            g.writeNull();
        } else if (c instanceof Ir.ComponentCall call) {
            g.writeStartObject();
            g.writeStringField("kind", "component");
            g.writeStringField("digest", call.digest());
            g.writeStringField("name", call.name());
            g.writeEndObject();
        } else {
            g.writeStartObject();
            g.writeStringField("kind", "pipeline");
            g.writeStringField("name", ((Ir.PipelineCall) c).name());
            g.writeEndObject();
        }
    }

    private void cond(Ir.Cond c) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", "if");
        g.writeStringField("id", c.id());
        g.writeFieldName("branches");
        if (c.branches() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (Ir.Branch b : c.branches()) {
                branch(b);
            }
            g.writeEndArray();
        }
        g.writeFieldName("elseBody");
        nodes(c.elseBody());
        g.writeFieldName("exports");
        exports(c.exports());
        g.writeFieldName("dependsOn");
        strings(c.dependsOn());
        g.writeFieldName("pos");
        pos(c.pos());
        g.writeEndObject();
    }

    private void branch(Ir.Branch b) throws IOException {
        if (b == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeFieldName("condition");
        expr(b.condition());
        g.writeFieldName("body");
        nodes(b.body());
        g.writeEndObject();
    }

    private void loop(Ir.Loop l) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", "for");
        g.writeStringField("id", l.id());
        g.writeStringField("variable", l.variable());
        g.writeFieldName("itemType");
        type(l.itemType());
        g.writeFieldName("items");
        expr(l.items());
        g.writeNumberField("parallelism", l.parallelism());
        g.writeFieldName("body");
        nodes(l.body());
        g.writeFieldName("exports");
        exports(l.exports());
        g.writeFieldName("dependsOn");
        strings(l.dependsOn());
        g.writeFieldName("pos");
        pos(l.pos());
        g.writeEndObject();
    }

    private void exports(List<Ir.Export> exports) throws IOException {
        if (exports == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (Ir.Export e : exports) {
            export(e);
        }
        g.writeEndArray();
    }

    private void export(Ir.Export e) throws IOException {
        if (e == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("name", e.name());
        g.writeFieldName("type");
        type(e.type());
        g.writeFieldName("value");
        expr(e.value());
        g.writeEndObject();
    }

    // --- settings -----------------------------------------------------------------------------------

    /** NON_NULL. */
    private void settings(Ir.Settings s) throws IOException {
        if (s == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        if (s.retry() != null) {
            g.writeFieldName("retry");
            retry(s.retry());
        }
        if (s.timeoutSeconds() != null) {
            g.writeNumberField("timeoutSeconds", s.timeoutSeconds().longValue());
        }
        if (s.cache() != null) {
            g.writeBooleanField("cache", s.cache());
        }
        if (s.resources() != null) {
            g.writeFieldName("resources");
            resources(s.resources());
        }
        if (s.nodeSelector() != null) {
            g.writeFieldName("nodeSelector");
            stringMap(s.nodeSelector());
        }
        if (s.tolerations() != null) {
            g.writeFieldName("tolerations");
            g.writeStartArray();
            for (Ir.Toleration t : s.tolerations()) {
                toleration(t);
            }
            g.writeEndArray();
        }
        if (s.shm() != null) {
            g.writeStringField("shm", s.shm());
        }
        if (s.mutexes() != null) {
            g.writeFieldName("mutexes");
            strings(s.mutexes());
        }
        g.writeEndObject();
    }

    /** NON_NULL. */
    private void retry(Ir.Retry r) throws IOException {
        if (r == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeNumberField("limit", r.limit());
        if (r.backoffSeconds() != null) {
            g.writeNumberField("backoffSeconds", r.backoffSeconds().longValue());
        }
        if (r.backoffFactor() != null) {
            g.writeNumberField("backoffFactor", r.backoffFactor().intValue());
        }
        if (r.maxBackoffSeconds() != null) {
            g.writeNumberField("maxBackoffSeconds", r.maxBackoffSeconds().longValue());
        }
        optString("policy", r.policy());
        g.writeEndObject();
    }

    /** NON_NULL. */
    private void resources(Ir.Resources r) throws IOException {
        if (r == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        optString("cpu", r.cpu());
        optString("memory", r.memory());
        if (r.gpu() != null) {
            g.writeNumberField("gpu", r.gpu().intValue());
        }
        optString("gpuResource", r.gpuResource());
        g.writeEndObject();
    }

    /** NON_NULL. */
    private void toleration(Ir.Toleration t) throws IOException {
        if (t == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        optString("key", t.key());
        optString("operator", t.operator());
        optString("value", t.value());
        optString("effect", t.effect());
        g.writeEndObject();
    }

    // --- components ---------------------------------------------------------------------------------

    /** NON_NULL. */
    private void component(Ir.Component c) throws IOException {
        if (c == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        optString("digest", c.digest());
        optString("name", c.name());
        optString("module", c.module());
        if (c.inputs() != null) {
            g.writeFieldName("inputs");
            g.writeStartArray();
            for (Ir.Param p : c.inputs()) {
                param(p);
            }
            g.writeEndArray();
        }
        if (c.outputs() != null) {
            g.writeFieldName("outputs");
            fields(c.outputs());
        }
        optString("image", c.image());
        if (c.command() != null) {
            g.writeFieldName("command");
            commandArgs(c.command());
        }
        if (c.script() != null) {
            g.writeFieldName("script");
            script(c.script());
        }
        if (c.env() != null) {
            g.writeFieldName("env");
            g.writeStartObject();
            for (Map.Entry<String, Ir.EnvValue> e : sorted(c.env()).entrySet()) {
                g.writeFieldName(key(e.getKey()));
                envValue(e.getValue());
            }
            g.writeEndObject();
        }
        if (c.settings() != null) {
            g.writeFieldName("settings");
            settings(c.settings());
        }
        if (c.resource() != null) {
            g.writeFieldName("resource");
            resourceSpec(c.resource());
        }
        optString("doc", c.doc());
        if (c.requires() != null) {
            g.writeFieldName("requires");
            strings(c.requires());
        }
        g.writeEndObject();
    }

    private void fields(List<Ir.Field> fields) throws IOException {
        if (fields == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (Ir.Field f : fields) {
            field(f);
        }
        g.writeEndArray();
    }

    private void commandArgs(List<Ir.CommandArg> args) throws IOException {
        if (args == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (Ir.CommandArg a : args) {
            commandArg(a);
        }
        g.writeEndArray();
    }

    private void commandArg(Ir.CommandArg a) throws IOException {
        if (a == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeFieldName("parts");
        if (a.parts() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (Ir.ArgPart p : a.parts()) {
                argPart(p);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private void argPart(Ir.ArgPart p) throws IOException {
        if (p == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        if (p instanceof Ir.Text t) {
            g.writeStringField("kind", "text");
            g.writeStringField("text", t.text());
        } else if (p instanceof Ir.InputValue v) {
            g.writeStringField("kind", "value");
            g.writeStringField("input", v.input());
        } else if (p instanceof Ir.InputPath i) {
            g.writeStringField("kind", "inputPath");
            g.writeStringField("input", i.input());
        } else {
            g.writeStringField("kind", "outputPath");
            g.writeStringField("output", ((Ir.OutputPath) p).output());
        }
        g.writeEndObject();
    }

    private void script(Ir.Script s) throws IOException {
        if (s == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeFieldName("interpreter");
        strings(s.interpreter());
        g.writeStringField("source", s.source());
        if (s.pos() != null) {
            g.writeFieldName("pos");
            pos(s.pos());
        }
        if (s.inline() != null) {
            g.writeBooleanField("inline", s.inline());
        }
        g.writeEndObject();
    }

    private void envValue(Ir.EnvValue v) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        if (v instanceof Ir.EnvText t) {
            g.writeStringField("kind", "text");
            g.writeFieldName("value");
            commandArg(t.value());
        } else {
            Ir.EnvSecret s = (Ir.EnvSecret) v;
            g.writeStringField("kind", "secret");
            g.writeStringField("secret", s.secret());
            g.writeStringField("key", s.key());
        }
        g.writeEndObject();
    }

    /** NON_NULL. */
    private void resourceSpec(Ir.ResourceSpec r) throws IOException {
        if (r == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        optString("action", r.action());
        if (r.manifest() != null) {
            g.writeFieldName("manifest");
            json(r.manifest());
        }
        optString("successCondition", r.successCondition());
        optString("failureCondition", r.failureCondition());
        g.writeBooleanField("setOwnerReference", r.setOwnerReference());
        if (r.outputs() != null) {
            g.writeFieldName("outputs");
            g.writeStartObject();
            for (Map.Entry<String, Ir.ResourceOutput> e : sorted(r.outputs()).entrySet()) {
                g.writeFieldName(key(e.getKey()));
                resourceOutput(e.getValue());
            }
            g.writeEndObject();
        }
        if (r.local() != null) {
            g.writeFieldName("local");
            local(r.local());
        }
        g.writeEndObject();
    }

    /** NON_NULL. */
    private void resourceOutput(Ir.ResourceOutput o) throws IOException {
        if (o == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        optString("jsonPath", o.jsonPath());
        optString("jqFilter", o.jqFilter());
        g.writeEndObject();
    }

    /** NON_NULL. */
    private void local(Ir.Local l) throws IOException {
        if (l == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        if (l.command() != null) {
            g.writeFieldName("command");
            commandArgs(l.command());
        }
        if (l.script() != null) {
            g.writeFieldName("script");
            script(l.script());
        }
        optString("unavailable", l.unavailable());
        g.writeEndObject();
    }

    // --- expressions --------------------------------------------------------------------------------

    private void exprs(List<Ir.Expr> exprs) throws IOException {
        if (exprs == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (Ir.Expr e : exprs) {
            expr(e);
        }
        g.writeEndArray();
    }

    /** Every expression: its kind, its own components, then {@code type} (the last component of each). */
    private void expr(Ir.Expr e) throws IOException {
        if (e == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        if (e instanceof Ir.Const c) {
            g.writeStringField("kind", "const");
            g.writeFieldName("value");
            json(c.value());
        } else if (e instanceof Ir.ParamRef p) {
            g.writeStringField("kind", "param");
            g.writeStringField("name", p.name());
        } else if (e instanceof Ir.OutputRef o) {
            g.writeStringField("kind", "output");
            g.writeStringField("node", o.node());
            g.writeStringField("output", o.output());
        } else if (e instanceof Ir.ItemRef i) {
            g.writeStringField("kind", "item");
            g.writeStringField("loop", i.loop());
        } else if (e instanceof Ir.RunRef r) {
            g.writeStringField("kind", "run");
            g.writeStringField("field", r.field());
        } else if (e instanceof Ir.FieldOf f) {
            g.writeStringField("kind", "field");
            g.writeFieldName("target");
            expr(f.target());
            g.writeStringField("field", f.field());
        } else if (e instanceof Ir.IndexOf i) {
            g.writeStringField("kind", "index");
            g.writeFieldName("target");
            expr(i.target());
            g.writeFieldName("index");
            expr(i.index());
        } else if (e instanceof Ir.Unary u) {
            g.writeStringField("kind", "unary");
            g.writeStringField("op", u.op());
            g.writeFieldName("operand");
            expr(u.operand());
        } else if (e instanceof Ir.Binary b) {
            g.writeStringField("kind", "binary");
            g.writeStringField("op", b.op());
            g.writeFieldName("left");
            expr(b.left());
            g.writeFieldName("right");
            expr(b.right());
        } else if (e instanceof Ir.Builtin b) {
            g.writeStringField("kind", "call");
            g.writeStringField("function", b.function());
            g.writeFieldName("args");
            exprs(b.args());
        } else if (e instanceof Ir.Concat c) {
            g.writeStringField("kind", "concat");
            g.writeFieldName("parts");
            exprs(c.parts());
        } else if (e instanceof Ir.ListOf l) {
            g.writeStringField("kind", "list");
            g.writeFieldName("elements");
            exprs(l.elements());
        } else {
            Ir.MapOf m = (Ir.MapOf) e;
            g.writeStringField("kind", "map");
            g.writeFieldName("keys");
            strings(m.keys());
            g.writeFieldName("values");
            exprs(m.values());
        }
        g.writeFieldName("type");
        type(e.type());
        g.writeEndObject();
    }

    private void type(IrType t) throws IOException {
        // @JsonValue spelling(): a null spelling is written as null too
        g.writeString(t == null ? null : t.spelling());
    }

    // --- JSON values (constants, defaults, manifests) -----------------------------------------------

    /** As {@code JsonNode.serialize} writes it, with WRITE_PROPERTIES_SORTED: a TreeMap of the properties. */
    private void json(JsonNode n) throws IOException {
        if (n == null) {
            g.writeNull();
            return;
        }
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                Map<String, JsonNode> properties = new TreeMap<>();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    properties.put(e.getKey(), e.getValue());
                }
                for (Map.Entry<String, JsonNode> e : properties.entrySet()) {
                    g.writeFieldName(e.getKey());
                    json(e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (int i = 0; i < n.size(); i++) {
                    json(n.get(i));
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> number(n);
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case BINARY -> {
                byte[] data = n.binaryValue();
                g.writeBinary(Base64Variants.getDefaultVariant(), data, 0, data.length);
            }
            default -> throw new IllegalArgumentException(
                    "an IR JSON value holds plain JSON only, not a " + n.getNodeType() + " node");
        }
    }

    private void number(JsonNode n) throws IOException {
        switch (n.numberType()) {
            case INT -> g.writeNumber(n.intValue());
            case LONG -> g.writeNumber(n.longValue());
            case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
            case FLOAT -> g.writeNumber(n.floatValue());
            case DOUBLE -> g.writeNumber(n.doubleValue());
            case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
            default -> throw new IllegalArgumentException("unknown JSON number type " + n.numberType());
        }
    }

    // --- small parts --------------------------------------------------------------------------------

    /** A component of a NON_NULL record: left out when null. */
    private void optString(String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private void strings(List<String> strings) throws IOException {
        if (strings == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (String s : strings) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private void stringMap(Map<String, String> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, String> e : sorted(map).entrySet()) {
            g.writeFieldName(key(e.getKey()));
            g.writeString(e.getValue());
        }
        g.writeEndObject();
    }

    /**
     * Every map by the natural order of its keys. (Databind's ORDER_MAP_ENTRIES_BY_KEYS leaves a sorted
     * map in its own comparator's order: a map sorted otherwise would have changed the canonical bytes.)
     */
    private static <K, V> Map<K, V> sorted(Map<K, V> map) {
        boolean natural = map instanceof SortedMap<K, V> m && m.comparator() == null;
        return natural || map.size() < 2 ? map : new TreeMap<>(map);
    }

    private static String key(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("an IR map has a null key");
        }
        return key.toString();
    }
}
