package dev.freestone.ir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ShortNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Hand-built IR values for the writer's oracle tests: {@link #full} sets every component of every record
 * reachable from {@link Ir.Program} (the test derives the null, empty and reordered variants from it), and
 * {@link #jsonValues} holds JSON values of every node type and number type. Built with node classes and
 * {@link JsonNodeFactory} only, never an ObjectMapper, so that a fresh class loader can write them and
 * show that writing loads no databind.
 */
public final class IrSamples {
    private IrSamples() {
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Text that the generator must escape or pass through: quotes, controls, non-ASCII, a lone surrogate. */
    static final String AWKWARD = "q\"b\\s/ t\t n\n r\r f\f b\b nul\u0000 us\u001f del\u007f é ☃ 😀 ls\u2028 "
            + "lone\ud800 </script>";

    /** One JSON value of each kind the IR holds in constants, defaults and manifests. */
    public static List<JsonNode> jsonValues() {
        List<JsonNode> out = new ArrayList<>();
        out.add(TextNode.valueOf(""));
        out.add(TextNode.valueOf(AWKWARD));
        out.add(IntNode.valueOf(0));
        out.add(IntNode.valueOf(-7));
        out.add(IntNode.valueOf(Integer.MAX_VALUE));
        out.add(IntNode.valueOf(Integer.MIN_VALUE));
        out.add(ShortNode.valueOf((short) -12));
        out.add(LongNode.valueOf(Long.MAX_VALUE));
        out.add(LongNode.valueOf(3L));
        out.add(BigIntegerNode.valueOf(new BigInteger("123456789012345678901234567890")));
        out.add(FloatNode.valueOf(0.1f));
        out.add(FloatNode.valueOf(1.0e10f));
        out.add(DoubleNode.valueOf(0.1));
        out.add(DoubleNode.valueOf(1.0));
        out.add(DoubleNode.valueOf(100.0));
        out.add(DoubleNode.valueOf(1e-7));
        out.add(DoubleNode.valueOf(1.7976931348623157e308));
        out.add(DoubleNode.valueOf(-0.0));
        out.add(DoubleNode.valueOf(Double.NaN));
        out.add(DoubleNode.valueOf(Double.NEGATIVE_INFINITY));
        out.add(DecimalNode.valueOf(new BigDecimal("1.10")));
        out.add(DecimalNode.valueOf(new BigDecimal("1E+3")));
        out.add(DecimalNode.valueOf(new BigDecimal("0.000000012345678901234567890")));
        out.add(BooleanNode.TRUE);
        out.add(BooleanNode.FALSE);
        out.add(NullNode.getInstance());
        out.add(MissingNode.getInstance());
        out.add(BinaryNode.valueOf(new byte[] {0, 1, 2, (byte) 0xff, 64, 65, 66}));
        out.add(F.arrayNode());
        out.add(F.objectNode());
        out.add(nestedObject());
        return out;
    }

    /** Keys out of order at every level, keys that sort by UTF-16 unit, every kind of value inside. */
    static ObjectNode nestedObject() {
        ObjectNode o = F.objectNode();
        o.put("zeta", 1);
        o.put("Zeta", 2L);
        o.put("alpha", "a");
        o.put("", "empty key");
        o.put("ä", 1.5);
        o.put("😀", true);
        o.put("a\"b\n", AWKWARD);
        o.putNull("nothing");
        o.put("big", new BigDecimal("12345678901234567890.5"));
        o.put("huge", new BigInteger("-98765432109876543210"));
        o.put("f", 2.5f);
        ArrayNode a = o.putArray("list");
        a.add(3).add("x").addNull().add(false).add(F.objectNode().put("b", 1).put("a", 2));
        a.addArray().add(1.25).addArray();
        ObjectNode inner = o.putObject("inner");
        inner.put("y", "why");
        inner.putObject("x").put("d", 4).put("c", 3).putObject("deeper").put("2", 2).put("10", 10);
        return o;
    }

    static IrType t(String spelling) {
        return IrType.of(spelling);
    }

    static final Ir.Pos POS = new Ir.Pos("samples/full.pipe", 12, 7);

    static <V> SortedMap<String, V> map(Object... keysAndValues) {
        SortedMap<String, V> m = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            V v = (V) keysAndValues[i + 1];
            m.put((String) keysAndValues[i], v);
        }
        return m;
    }

    /** Every kind of expression, every component set; the constants hold every JSON value. */
    static List<Ir.Expr> everyExpr() {
        List<Ir.Expr> consts = new ArrayList<>();
        for (JsonNode n : jsonValues()) {
            consts.add(new Ir.Const(n, t("Json")));
        }
        Ir.Expr p = new Ir.ParamRef("lr", IrType.FLOAT);
        Ir.Expr o = new Ir.OutputRef("fit", "model", t("Model"));
        return List.of(
                new Ir.ListOf(consts, t("List[Json]")),
                p,
                o,
                new Ir.ItemRef("each", IrType.INT),
                new Ir.RunRef("id", IrType.STRING),
                new Ir.FieldOf(new Ir.ParamRef("cfg", t("Config")), "depth", IrType.INT),
                new Ir.IndexOf(new Ir.ParamRef("xs", t("List[Int]")), new Ir.Const(IntNode.valueOf(2), IrType.INT),
                        IrType.INT),
                new Ir.Unary("-", p, IrType.FLOAT),
                new Ir.Binary("*", p, new Ir.Const(DoubleNode.valueOf(0.5), IrType.FLOAT), IrType.FLOAT),
                new Ir.Builtin("max", List.of(p, new Ir.Const(DoubleNode.valueOf(1e-3), IrType.FLOAT)), IrType.FLOAT),
                new Ir.Concat(List.of(new Ir.Const(TextNode.valueOf("lr="), IrType.STRING), p), IrType.STRING),
                new Ir.MapOf(List.of("b", "a"), List.of(p, o), t("Map[String, Json]")));
    }

    static Ir.Settings fullSettings() {
        return new Ir.Settings(new Ir.Retry(3, 10L, 2, 300L, "OnFailure"), 3600L, Boolean.FALSE,
                new Ir.Resources("500m", "512Mi", 1, "nvidia.com/gpu"), map("zone", "a", "disk", "ssd"),
                List.of(new Ir.Toleration("gpu", "Equal", "yes", "NoSchedule")), "1Gi", List.of("gpu", "warehouse"));
    }

    static Ir.CommandArg everyArgPart() {
        return new Ir.CommandArg(List.of(new Ir.Text("--lr="), new Ir.InputValue("lr"), new Ir.InputPath("data"),
                new Ir.OutputPath("model")));
    }

    static Ir.Component container() {
        return new Ir.Component("c0ffee", "train", "lib/train", List.of(
                new Ir.Param("lr", IrType.FLOAT, DoubleNode.valueOf(0.01), "the learning rate"),
                new Ir.Param("cfg", t("Config"), nestedObject(), "a \"config\"")),
                List.of(new Ir.Field("model", t("Model"))), "python:3.12-slim",
                List.of(everyArgPart(), new Ir.CommandArg(List.of(new Ir.Text(AWKWARD)))),
                new Ir.Script(List.of("python3", "-u"), "print('hi')\n", POS, true),
                map("LR", new Ir.EnvText(everyArgPart()), "TOKEN", new Ir.EnvSecret("creds", "token")),
                fullSettings(), null, "Trains.\nTwo lines.", List.of("python3", "git"));
    }

    static Ir.Component resource() {
        ObjectNode manifest = F.objectNode();
        manifest.put("kind", "SparkApplication").put("apiVersion", "sparkoperator.k8s.io/v1beta2");
        manifest.putObject("spec").put("image", "${image}").putArray("args").add("--n=${n}");
        return new Ir.Component("beef", "spark", "lib/spark", List.of(), List.of(), "alpine:3.20",
                List.of(everyArgPart()), new Ir.Script(List.of("sh"), "true"), map(), Ir.Settings.NONE,
                new Ir.ResourceSpec("create", manifest, "status.state == COMPLETED", "status.state == FAILED", true,
                        map("state", new Ir.ResourceOutput("{.status.state}", ".status.state")),
                        new Ir.Local(List.of(everyArgPart()), new Ir.Script(List.of("bash", "-c"), "echo ok", POS, false),
                                "needs a cluster")),
                "Runs Spark.", List.of());
    }

    static Ir.Task task(String id, Ir.Callee callee, Ir.Expr input) {
        return new Ir.Task(id, callee, map("lr", input, "cfg", new Ir.ParamRef("cfg", t("Config"))),
                List.of("prep", "other"), fullSettings(), POS);
    }

    /** A program in which every component of every record reachable from {@link Ir.Program} is set (not empty). */
    public static Ir.Program full() {
        Ir.Component train = container();
        Ir.Component spark = resource();
        Ir.Callee callTrain = new Ir.ComponentCall(train.digest(), train.name());
        Ir.Callee callSub = new Ir.PipelineCall("sub");
        List<Ir.Expr> exprs = everyExpr();
        SortedMap<String, Ir.Expr> inputs = new TreeMap<>();
        for (int i = 0; i < exprs.size(); i++) {
            inputs.put("e" + i, exprs.get(i));
        }
        List<Ir.Node> body = new ArrayList<>();
        body.add(new Ir.Task("t0", callTrain, inputs, List.of("prep"), fullSettings(), POS));
        Ir.Expr cond = new Ir.Binary(">", new Ir.ParamRef("lr", IrType.FLOAT),
                new Ir.Const(DoubleNode.valueOf(0.1), IrType.FLOAT), IrType.BOOL);
        Ir.Export export = new Ir.Export("fit.model", t("Model?"), new Ir.OutputRef("fit", "model", t("Model")));
        body.add(new Ir.Cond("choose", List.of(new Ir.Branch(cond, List.of(task("fit", callTrain, cond)))),
                List.of(task("fallback", callSub, cond)), List.of(export), List.of("t0"), POS));
        body.add(new Ir.Loop("each", "n", IrType.INT, new Ir.ParamRef("ns", t("List[Int]")), 4,
                List.of(task("step", new Ir.ComponentCall(spark.digest(), spark.name()),
                        new Ir.ItemRef("each", IrType.INT))),
                List.of(new Ir.Export("step.state", t("List[String]"), new Ir.OutputRef("step", "state", IrType.STRING))),
                List.of("choose"), POS));
        Ir.Dag root = new Ir.Dag("main",
                List.of(new Ir.Param("cfg", t("Config"), nestedObject(), "settings"),
                        new Ir.Param("lr", IrType.FLOAT, DoubleNode.valueOf(0.01), "rate")),
                List.of(new Ir.PipelineOutput("model", t("Model?"), new Ir.OutputRef("choose", "fit.model", t("Model?")))),
                body, List.of(task("notify", callTrain, new Ir.RunRef("status", IrType.STRING))), POS, List.of("deploy"), 21600L);
        Ir.Dag sub = new Ir.Dag("sub", List.of(new Ir.Param("lr", IrType.FLOAT, null, null)), List.of(),
                List.of(task("inner", callTrain, new Ir.ParamRef("lr", IrType.FLOAT))), List.of(), POS);
        return new Ir.Program(Ir.API_VERSION, "main", "samples/full.pipe", "ab".repeat(32), root, map("sub", sub),
                map(train.digest(), train, spark.digest(), spark),
                map("Config", List.of(new Ir.Field("depth", IrType.INT), new Ir.Field("name", IrType.STRING))),
                map("Embeddings", "Dataset"));
    }
}
