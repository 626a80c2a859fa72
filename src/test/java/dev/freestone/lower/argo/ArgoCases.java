package dev.freestone.lower.argo;

import static dev.freestone.testing.IrFixture.bin;
import static dev.freestone.testing.IrFixture.branch;
import static dev.freestone.testing.IrFixture.c;
import static dev.freestone.testing.IrFixture.call;
import static dev.freestone.testing.IrFixture.cat;
import static dev.freestone.testing.IrFixture.cond;
import static dev.freestone.testing.IrFixture.dag;
import static dev.freestone.testing.IrFixture.export;
import static dev.freestone.testing.IrFixture.field;
import static dev.freestone.testing.IrFixture.in;
import static dev.freestone.testing.IrFixture.item;
import static dev.freestone.testing.IrFixture.loop;
import static dev.freestone.testing.IrFixture.o;
import static dev.freestone.testing.IrFixture.out;
import static dev.freestone.testing.IrFixture.output;
import static dev.freestone.testing.IrFixture.p;
import static dev.freestone.testing.IrFixture.param;
import static dev.freestone.testing.IrFixture.run;
import static dev.freestone.testing.IrFixture.str;
import static dev.freestone.testing.IrFixture.task;
import static dev.freestone.testing.IrFixture.val;

import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import dev.freestone.testing.IrFixture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** IR programs, one per construct, built the way the IR builder will build them from the examples in docs/language.md. */
final class ArgoCases {
    private ArgoCases() {
    }

    static final Map<String, Supplier<Ir.Program>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("hello", ArgoCases::hello);
        ALL.put("sweep", ArgoCases::sweep);
        ALL.put("nested", ArgoCases::nested);
        ALL.put("resilient", ArgoCases::resilient);
        ALL.put("resource", ArgoCases::resource);
        ALL.put("structs", ArgoCases::structs);
        ALL.put("mixed-scopes", ArgoCases::mixedScopes);
    }

    static Ir.Program hello() {
        IrFixture fx = new IrFixture();
        Ir.Component say = fx.component("say").in("message", "String").out("echoed", "String").image("alpine:3.20")
                .command("sh", "-c", "echo \"$0\" | tee \"$1\"", val("message"), out("echoed")).build();
        Ir.Dag root = dag("hello", List.of(param("name", "String", "world")),
                List.of(output("greeting", "String", o("greet", "echoed", "String"))),
                List.of(task("greet", say).in("message", cat(str("hello, "), p("name", "String"))).done()), List.of());
        return fx.program(root);
    }

    static Ir.Program sweep() {
        IrFixture fx = new IrFixture();
        Ir.Component train = fx.component("train").in("lr", "Float").in("epochs", "Int", 10)
                .out("model", "Model").out("accuracy", "Float").out("scores", "Metrics")
                .script("python3", "import os\nopen(os.environ['model'], 'w').write('w')\n"
                        + "open(os.environ['accuracy'], 'w').write('0.9')\n").build();
        Ir.Component pick = fx.component("pick_best").in("models", "List[Model]").in("scores", "List[Float]")
                .out("model", "Model").out("score", "Float")
                .script("python3", "import json, os\nprint(json.loads(os.environ['scores']))\n").build();
        Ir.Component publish = fx.component("publish").in("model", "Model").in("channel", "String").out("url", "String")
                .image("alpine:3.20").command("sh", "-c", "echo \"file://$0\" > \"$1\"", in("model"), out("url")).build();
        Ir.Component notify = fx.component("notify").in("text", "String").image("alpine:3.20")
                .command("echo", val("text")).build();
        Ir.Loop fit = loop("fit-loop", "lr", "Float", p("rates", "List[Float]"), 2,
                List.of(task("fit", train).in("lr", item("fit-loop", "Float")).in("epochs", c(10, "Int")).done()),
                List.of(export("model", "List[Model]", o("fit", "model", "Model")),
                        export("accuracy", "List[Float]", o("fit", "accuracy", "Float"))));
        Ir.Task best = task("best", pick).in("models", o("fit-loop", "model", "List[Model]"))
                .in("scores", o("fit-loop", "accuracy", "List[Float]")).after("fit-loop").done();
        Ir.Expr ok = bin(">=", o("best", "score", "Float"), p("threshold", "Float"), "Bool");
        Ir.Cond gate = cond("gate", List.of(branch(ok,
                        task("prod", publish).in("model", o("best", "model", "Model")).in("channel", str("prod")).done())),
                List.of(task("staging", publish).in("model", o("best", "model", "Model")).in("channel", str("staging")).done()),
                List.of(export("prod.url", "String?", o("prod", "url", "String")),
                        export("staging.url", "String?", o("staging", "url", "String"))), "best");
        Ir.Expr url = IrFixture.call("oneof", "String", o("gate", "prod.url", "String?"), o("gate", "staging.url", "String?"));
        Ir.Task tell = task("notify", notify).in("text", cat(str("published at "), url)).after("gate").done();
        Ir.Task report = task("notify-2", notify)
                .in("text", cat(str("sweep "), run("id"), str(" ended: "), run("status"))).done();
        Ir.Dag root = dag("sweep", List.of(param("rates", "List[Float]", List.of(0.1, 0.03, 0.01)),
                        param("threshold", "Float", 0.9)), List.of(output("url", "String", url)),
                List.of(fit, best, gate, tell), List.of(report));
        return fx.program(root);
    }

    static Ir.Program nested() {
        IrFixture fx = new IrFixture();
        Ir.Component dbl = fx.component("double").in("x", "Int").out("y", "Int")
                .command("python3", "-c", "import sys; open(sys.argv[2], 'w').write(str(2 * int(sys.argv[1])))",
                        val("x"), out("y")).build();
        Ir.Dag quad = dag("quadruple", List.of(param("x", "Int", null)), List.of(output("y", "Int", o("b", "y", "Int"))),
                List.of(task("a", dbl).in("x", p("x", "Int")).done(), task("b", dbl).in("x", o("a", "y", "Int")).after("a").done()),
                List.of());
        Ir.Dag main = dag("main", List.of(param("x", "Int", 3)), List.of(output("y", "Int", o("q", "y", "Int"))),
                List.of(call("q", "quadruple").in("x", p("x", "Int")).done(),
                        call("r", "quadruple").in("x", bin("+", o("q", "y", "Int"), c(1, "Int"), "Int")).after("q").done()),
                List.of());
        return fx.program(main, quad);
    }

    static Ir.Program resilient() {
        IrFixture fx = new IrFixture();
        Ir.Settings flakySettings = new Ir.Settings(new Ir.Retry(3, 1L, 2, 60L, "OnFailure"), null, null,
                new Ir.Resources("500m", "512Mi", 1, null), new TreeMap<>(Map.of("disktype", "ssd")),
                List.of(new Ir.Toleration("gpu", "Exists", null, "NoSchedule")), null);
        Ir.Component flaky = fx.component("flaky").in("marker_dir", "String").out("attempts", "Int")
                .script("python3", "import os\nopen(os.environ['attempts'], 'w').write('2')\n")
                .env("TOKEN", new Ir.EnvSecret("api", "token"))
                .env("MODE", new Ir.EnvText(IrFixture.arg(List.of("dir=", val("marker_dir")))))
                .settings(flakySettings).build();
        Ir.Component quick = fx.component("quick").in("seconds", "Float").out("done", "Bool")
                .command("python3", "-c", "import sys, time; time.sleep(float(sys.argv[1]))", val("seconds"), out("done"))
                .settings(new Ir.Settings(null, 30L, false, null, null, null, null)).build();
        Ir.Component report = fx.component("report").in("run_id", "String").in("status", "String").in("log", "String")
                .command("python3", "-c", "print(1)", val("run_id"), val("status"), val("log")).build();
        Ir.Dag root = dag("resilient", List.of(param("workdir", "String", "/tmp/freestone-resilient"),
                        param("pause", "Float", 0.2)),
                List.of(output("attempts", "Int", o("f", "attempts", "Int")), output("finished", "Bool", o("q", "done", "Bool"))),
                List.of(task("f", flaky).in("marker_dir", p("workdir", "String")).done(),
                        task("q", quick).in("seconds", p("pause", "Float"))
                                .with(new Ir.Settings(new Ir.Retry(1, null, null, null, null), 60L, null, null, null, null, null))
                                .done()),
                List.of(task("report", report).in("run_id", run("id")).in("status", run("status"))
                        .in("log", cat(p("workdir", "String"), str("/report.log"))).done()));
        return fx.program(root);
    }

    static Ir.Program resource() {
        IrFixture fx = new IrFixture();
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "serving.kserve.io/v1beta1");
        manifest.put("kind", "InferenceService");
        manifest.put("metadata", Map.of("generateName", "${name}-"));
        Map<String, Object> predictor = new LinkedHashMap<>();
        predictor.put("minReplicas", "${replicas}");
        predictor.put("model", Map.of("storageUri", "${uri}", "modelFormat", Map.of("name", "sklearn")));
        manifest.put("spec", Map.of("predictor", predictor));
        Ir.Component deploy = fx.component("deploy").in("name", "String").in("uri", "String").in("replicas", "Int", 1)
                .out("url", "String")
                .resource(new Ir.ResourceSpec("apply", IrFixture.json(manifest),
                        "status.modelStatus.states.activeModelState == Loaded",
                        "status.modelStatus.transitionStatus in (BlockedByFailedLoad,InvalidSpec)", false,
                        new TreeMap<>(Map.of("url", new Ir.ResourceOutput("{.status.url}", null))),
                        new Ir.Local(null, null, "KServe serves models on a cluster only"))).build();
        Ir.Dag root = dag("serve", List.of(param("uri", "String", "s3://models/iris")), List.of(),
                List.of(task("deploy", deploy).in("name", str("iris")).in("uri", p("uri", "String"))
                        .in("replicas", c(2, "Int")).done()), List.of());
        return fx.program(root);
    }

    /** Loops over structs (field access on the item), a computed list, and a loop nested in a loop. */
    static Ir.Program structs() {
        IrFixture fx = new IrFixture();
        fx.struct("Config", new Ir.Field("lr", IrType.FLOAT), new Ir.Field("epochs", IrType.INT));
        Ir.Component grid = fx.component("grid").in("n", "Int").out("configs", "List[Config]")
                .command("python3", "-c", "print()", val("n"), out("configs")).build();
        Ir.Component fit = fx.component("fit").in("lr", "Float").in("epochs", "Int").in("seed", "Int").out("loss", "Float")
                .command("python3", "-c", "print()", List.of("--lr=", val("lr")), val("epochs"), val("seed"), out("loss"))
                .build();
        Ir.Component sum = fx.component("sum").in("xs", "List[List[Float]]").out("total", "Float")
                .command("python3", "-c", "print()", val("xs"), out("total")).build();
        Ir.Loop seeds = loop("seeds", "seed", "Int", c(List.of(1, 2), "List[Int]"), 0,
                List.of(task("run", fit).in("lr", field(item("cfgs", "Config"), "lr", "Float"))
                        .in("epochs", field(item("cfgs", "Config"), "epochs", "Int"))
                        .in("seed", item("seeds", "Int")).done()),
                List.of(export("loss", "List[Float]", o("run", "loss", "Float"))));
        Ir.Loop cfgs = loop("cfgs", "cfg", "Config", o("g", "configs", "List[Config]"), 4, List.of(seeds),
                List.of(export("loss", "List[List[Float]]", o("seeds", "loss", "List[Float]"))), "g");
        Ir.Dag root = dag("grid-search", List.of(param("n", "Int", 4)),
                List.of(output("total", "Float", o("s", "total", "Float"))),
                List.of(task("g", grid).in("n", p("n", "Int")).done(), cfgs,
                        task("s", sum).in("xs", o("cfgs", "loss", "List[List[Float]]")).after("cfgs").done()),
                List.of());
        return fx.program(root);
    }

    /** Inside a loop body a condition compares a step's output with the loop item (two scopes in one expression). */
    static Ir.Program mixedScopes() {
        IrFixture fx = new IrFixture();
        Ir.Component score = fx.component("score").in("name", "String").out("value", "Float")
                .command("python3", "-c", "print()", val("name"), out("value")).build();
        Ir.Component keep = fx.component("keep").in("name", "String").in("note", "String")
                .command("echo", val("name"), val("note")).build();
        Ir.Expr better = bin(">", o("s", "value", "Float"), field(item("each", "Map[String, Float]"), "min", "Float"), "Bool");
        Ir.Loop each = loop("each", "m", "Map[String, Float]",
                c(List.of(Map.of("min", 0.5), Map.of("min", 0.7)), "List[Map[String, Float]]"), 0,
                List.of(task("s", score).in("name", p("label", "String")).done(),
                        cond("if-better", List.of(branch(better, task("k", keep).in("name", p("label", "String"))
                                .in("note", cat(str("it's \"good\": "), IrFixture.call("str", "String", o("s", "value", "Float"))))
                                .done())), List.of(), List.of(), "s")),
                List.of());
        Ir.Dag root = dag("mixed", List.of(param("label", "String", "a'b\"c")), List.of(), List.of(each), List.of());
        return fx.program(root);
    }

    /** A pipeline of {@code n} steps in a chain (each reads the previous output). */
    static Ir.Program chain(int n, boolean distinctComponents) {
        IrFixture fx = new IrFixture();
        List<Ir.Component> comps = new ArrayList<>();
        int kinds = distinctComponents ? n : 1;
        for (int i = 0; i < kinds; i++) {
            comps.add(fx.component("step" + (distinctComponents ? "-" + i : "")).in("x", "Int").out("y", "Int")
                    .image("busybox:1.36").command("sh", "-c", "echo $(( $0 + 1 )) > $1", val("x"), out("y")).build());
        }
        List<Ir.Node> body = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IrFixture.TaskB t = task("s" + i, comps.get(distinctComponents ? i : 0))
                    .in("x", i == 0 ? p("x", "Int") : o("s" + (i - 1), "y", "Int"));
            if (i > 0) {
                t.after("s" + (i - 1));
            }
            body.add(t.done());
        }
        Ir.Dag root = dag("chain", List.of(param("x", "Int", 0)),
                List.of(output("y", "Int", o("s" + (n - 1), "y", "Int"))), body, List.of());
        return fx.program(root);
    }
}
