package dev.freestone.lower.argo;

import static dev.freestone.testing.IrFixture.bin;
import static dev.freestone.testing.IrFixture.c;
import static dev.freestone.testing.IrFixture.cat;
import static dev.freestone.testing.IrFixture.dag;
import static dev.freestone.testing.IrFixture.export;
import static dev.freestone.testing.IrFixture.o;
import static dev.freestone.testing.IrFixture.out;
import static dev.freestone.testing.IrFixture.output;
import static dev.freestone.testing.IrFixture.p;
import static dev.freestone.testing.IrFixture.param;
import static dev.freestone.testing.IrFixture.str;
import static dev.freestone.testing.IrFixture.val;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import dev.freestone.testing.IrFixture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Randomly generated well-typed programs (steps, loops over literal and computed lists, loops in loops,
 * conditionals with merged exports, collected artifacts, called pipelines) lower to manifests that pass
 * Argo's schema and Argo's validator rules, deterministically.
 */
class ArgoLoweringProperties {

    // a fixed seed keeps CI deterministic; drop it locally to explore further
    @Property(tries = 80, seed = "20261126")
    void randomProgramsLowerToValidManifests(@ForAll @LongRange(min = 0, max = 1_000_000_000L) long seed) {
        Ir.Program program = new Gen(seed).program();
        Lowered a = ArgoLowering.lower(program, ArgoGoldenTest.OPTIONS);
        assertEquals(List.of(), a.diagnostics(), "seed " + seed);
        assertEquals(List.of(), LoweredValidity.problems(a), "seed " + seed);
        assertEquals(a.yaml(), ArgoLowering.lower(program, ArgoGoldenTest.OPTIONS).yaml(), "seed " + seed);
    }

    /** Builds one program from a seed. */
    static final class Gen {
        final Random rnd;
        final IrFixture fx = new IrFixture();
        final Ir.Component make;
        final Ir.Component use;
        final Ir.Component sum;
        final Ir.Component gather;
        final Ir.Component say;
        int ids;
        boolean usesInc;

        Gen(long seed) {
            rnd = new Random(seed);
            make = fx.component("make").in("x", "Int").out("n", "Int").out("d", "Dataset")
                    .command("sh", "-c", "echo $0 > $1; cp $1 $2", val("x"), out("n"), out("d")).build();
            use = fx.component("use").in("d", "Dataset").in("k", "Int").in("s", "String").out("n", "Int").out("d", "Dataset")
                    .script("python3", "import os\nprint(os.environ['s'])\n").build();
            sum = fx.component("sum").in("xs", "List[Int]").out("n", "Int")
                    .command("python3", "-c", "import json,sys; print(sum(json.loads(sys.argv[1])))", val("xs"), out("n"))
                    .build();
            gather = fx.component("gather").in("ds", "List[Dataset]").out("n", "Int")
                    .command("python3", "-c", "import json,sys; print(len(json.loads(sys.argv[1])))", IrFixture.in("ds"),
                            out("n")).build();
            say = fx.component("say").in("s", "String").image("busybox:1.36").command("echo", val("s")).build();
        }

        /** Values visible in a body. */
        record Env(List<Ir.Expr> ints, List<Ir.Expr> datasets, List<Ir.Expr> intLists, List<Ir.Expr> datasetLists) {
            Env copy() {
                return new Env(new ArrayList<>(ints), new ArrayList<>(datasets), new ArrayList<>(intLists), new ArrayList<>());
            }
        }

        Ir.Program program() {
            Env env = new Env(new ArrayList<>(List.of(p("seed", "Int"))), new ArrayList<>(),
                    new ArrayList<>(List.of(p("sizes", "List[Int]"))), new ArrayList<>());
            List<Ir.Node> body = body(env, 0, 2 + rnd.nextInt(6));
            Ir.Expr last = env.ints().get(env.ints().size() - 1);
            Ir.Dag root = dag("random", List.of(param("seed", "Int", 7), param("sizes", "List[Int]", List.of(1, 2, 3))),
                    List.of(output("n", "Int", last)), body,
                    rnd.nextBoolean() ? List.of(task(say).in("s", cat(str("done "), IrFixture.run("status"))).done()) : List.of());
            if (!usesInc) {
                return fx.program(root);
            }
            Ir.Dag inc = dag("inc", List.of(param("x", "Int", null), param("d", "Dataset", null)),
                    List.of(output("n", "Int", o("i2", "n", "Int")), output("d", "Dataset", o("i2", "d", "Dataset"))),
                    List.of(IrFixture.task("i1", make).in("x", bin("+", p("x", "Int"), c(1, "Int"), "Int")).done(),
                            IrFixture.task("i2", use).in("d", p("d", "Dataset")).in("k", o("i1", "n", "Int"))
                                    .in("s", str("inc")).after("i1").done()),
                    List.of());
            return fx.program(root, inc);
        }

        IrFixture.TaskB task(Ir.Component c) {
            return IrFixture.task(c.name() + "_" + (++ids), c);
        }

        Ir.Expr pick(List<Ir.Expr> xs) {
            return xs.get(rnd.nextInt(xs.size()));
        }

        Ir.Expr intExpr(Env env) {
            return switch (rnd.nextInt(4)) {
                case 0 -> c(rnd.nextInt(100), "Int");
                case 1 -> bin(rnd.nextBoolean() ? "+" : "*", pick(env.ints()), c(1 + rnd.nextInt(3), "Int"), "Int");
                default -> pick(env.ints());
            };
        }

        List<Ir.Node> body(Env env, int depth, int n) {
            List<Ir.Node> nodes = new ArrayList<>();
            Set<String> here = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                int kind = rnd.nextInt(depth >= 2 ? 4 : 8);
                Ir.Node node;
                if (kind == 0 || env.datasets().isEmpty()) {
                    Ir.Task t = task(make).in("x", intExpr(env)).done();
                    env.ints().add(o(t.id(), "n", "Int"));
                    env.datasets().add(o(t.id(), "d", "Dataset"));
                    node = t;
                } else if (kind == 1) {
                    Ir.Task t = task(use).in("d", pick(env.datasets())).in("k", intExpr(env))
                            .in("s", cat(str("k="), IrFixture.call("str", "String", pick(env.ints())), str(" it's \"ok\""))).done();
                    env.ints().add(o(t.id(), "n", "Int"));
                    env.datasets().add(o(t.id(), "d", "Dataset"));
                    node = t;
                } else if (kind == 2) {
                    Ir.Task t = !env.datasetLists().isEmpty() && rnd.nextBoolean()
                            ? task(gather).in("ds", pick(env.datasetLists())).done()
                            : task(sum).in("xs", pick(env.intLists())).done();
                    env.ints().add(o(t.id(), "n", "Int"));
                    node = t;
                } else if (kind == 3) {
                    Ir.Task t = task(say).in("s", cat(str("v="), IrFixture.call("str", "String", intExpr(env)))).done();
                    node = t;
                } else if (kind == 4 || kind == 5) {
                    node = loop(env, depth);
                } else if (kind == 6) {
                    node = cond(env, depth);
                } else {
                    usesInc = true;
                    Ir.Task t = IrFixture.call("inc_" + (++ids), "inc").in("x", intExpr(env)).in("d", pick(env.datasets())).done();
                    env.ints().add(o(t.id(), "n", "Int"));
                    env.datasets().add(o(t.id(), "d", "Dataset"));
                    node = t;
                }
                nodes.add(withDeps(node, here));
                here.add(node.id());
                if (pendingOneof != null) {
                    Ir.Task t = task(say).in("s", cat(str("merged "), IrFixture.call("str", "String", pendingOneof))).done();
                    pendingOneof = null;
                    nodes.add(withDeps(t, here));
                    here.add(t.id());
                }
            }
            return nodes;
        }

        Ir.Node loop(Env env, int depth) {
            String id = "loop_" + (++ids);
            Ir.Expr items = rnd.nextBoolean() ? c(List.of(1, 2, 3).subList(0, 1 + rnd.nextInt(3)), "List[Int]")
                    : pick(env.intLists());
            Env inner = env.copy();
            inner.ints().add(IrFixture.item(id, "Int"));
            List<Ir.Node> body = new ArrayList<>();
            Ir.Task head = task(make).in("x", bin("+", IrFixture.item(id, "Int"), pick(env.ints()), "Int")).done();
            body.add(withDeps(head, Set.of()));
            inner.ints().add(o(head.id(), "n", "Int"));
            inner.datasets().add(o(head.id(), "d", "Dataset"));
            Set<String> here = new LinkedHashSet<>(Set.of(head.id()));
            for (Ir.Node n : body(inner, depth + 1, rnd.nextInt(3))) {
                body.add(withDeps(n, here));
                here.add(n.id());
            }
            List<Ir.Export> exports = new ArrayList<>();
            exports.add(export(head.id() + ".n", "List[Int]", o(head.id(), "n", "Int")));
            if (rnd.nextBoolean()) {
                exports.add(export(head.id() + ".d", "List[Dataset]", o(head.id(), "d", "Dataset")));
                env.datasetLists().add(o(id, head.id() + ".d", "List[Dataset]"));
            }
            env.intLists().add(o(id, head.id() + ".n", "List[Int]"));
            return IrFixture.loop(id, "i", "Int", items, rnd.nextInt(3), body, exports);
        }

        Ir.Node cond(Env env, int depth) {
            String id = "if_" + (++ids);
            int arms = 1 + rnd.nextInt(2);
            boolean hasElse = rnd.nextBoolean();
            List<Ir.Branch> branches = new ArrayList<>();
            List<Ir.Export> exports = new ArrayList<>();
            List<Ir.Expr> merged = new ArrayList<>();
            for (int b = 0; b < arms + (hasElse ? 1 : 0); b++) {
                Env inner = env.copy();
                List<Ir.Node> body = body(inner, depth + 1, 1 + rnd.nextInt(2));
                String producer = null;
                for (Ir.Node n : body) {
                    if (n instanceof Ir.Task t && (t.callee() instanceof Ir.PipelineCall
                            || ((Ir.ComponentCall) t.callee()).name().matches("make|use|sum|gather"))) {
                        producer = t.id();
                    }
                }
                if (producer != null) {
                    String name = producer + ".n";
                    exports.add(export(name, "Int?", o(producer, "n", "Int")));
                    merged.add(o(id, name, "Int?"));
                }
                Ir.Expr condition = bin(rnd.nextBoolean() ? ">" : "<=", pick(env.ints()), c(rnd.nextInt(50), "Int"), "Bool");
                if (b < arms) {
                    branches.add(new Ir.Branch(condition, body));
                } else {
                    return finishCond(env, id, branches, body, exports, merged, arms + 1);
                }
            }
            return finishCond(env, id, branches, List.of(), exports, merged, -1);
        }

        Ir.Node finishCond(Env env, String id, List<Ir.Branch> branches, List<Ir.Node> elseBody, List<Ir.Export> exports,
                           List<Ir.Expr> merged, int bodies) {
            Ir.Cond c = IrFixture.cond(id, branches, elseBody, exports);
            if (bodies > 0 && merged.size() == bodies) {
                // oneof over every branch of an if with an else is an Int; used at once by a step after the if
                pendingOneof = IrFixture.call("oneof", "Int", merged.toArray(Ir.Expr[]::new));
            }
            return c;
        }

        Ir.Expr pendingOneof;

        /** dependsOn: the nodes of this body that {@code n} reads, at any depth. */
        Ir.Node withDeps(Ir.Node n, Set<String> siblings) {
            Map<String, Refs.Ref> refs = new LinkedHashMap<>();
            Refs.collectNode(n, refs);
            List<String> deps = new ArrayList<>();
            for (Refs.Ref r : refs.values()) {
                if (r.kind() == Refs.Kind.OUTPUT && siblings.contains(r.a()) && !deps.contains(r.a())) {
                    deps.add(r.a());
                }
            }
            if (n instanceof Ir.Task t) {
                return new Ir.Task(t.id(), t.callee(), t.inputs(), deps, t.settings(), t.pos());
            }
            if (n instanceof Ir.Loop l) {
                return new Ir.Loop(l.id(), l.variable(), l.itemType(), l.items(), l.parallelism(), l.body(), l.exports(),
                        deps, l.pos());
            }
            Ir.Cond c = (Ir.Cond) n;
            return new Ir.Cond(c.id(), c.branches(), c.elseBody(), c.exports(), deps, c.pos());
        }

        static IrType t(String s) {
            return IrType.of(s);
        }
    }
}
