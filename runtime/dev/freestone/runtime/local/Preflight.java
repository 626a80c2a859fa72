package dev.freestone.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.ir.Ir;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checks made before a run starts, so that a run does not fail an hour in for something known
 * at once: parameters (unknown, missing, of the wrong type), the program of every step that can run
 * (argv[0] of its command or its interpreter, on the PATH the steps get), every secret a step
 * reads, and steps the local engine cannot run (Kubernetes resources without a usable {@code local} way,
 * unless the run skips them).
 */
final class Preflight {
    private Preflight() {
    }

    /** The parameters with defaults filled in and values coerced to their types; problems added to {@code problems}. */
    static SortedMap<String, JsonNode> params(Ir.Program program, Map<String, JsonNode> given, List<String> problems) {
        SortedMap<String, JsonNode> out = new TreeMap<>();
        Set<String> declared = new TreeSet<>();
        for (Ir.Param p : program.root().params()) {
            declared.add(p.name());
            JsonNode v = given.get(p.name());
            if (v == null) {
                v = p.defaultValue();
            }
            if (v == null) {
                if (p.type().isOptional()) {
                    out.put(p.name(), com.fasterxml.jackson.databind.node.NullNode.getInstance());
                } else {
                    problems.add("parameter `" + p.name() + "` (" + p.type() + ") is required");
                }
                continue;
            }
            try {
                out.put(p.name(), Values.coerce(v, p.type(), program));
            } catch (Values.BadValue e) {
                problems.add("parameter `" + p.name() + "`: " + e.getMessage());
            }
        }
        for (String k : new TreeSet<>(given.keySet())) {
            if (!declared.contains(k)) {
                problems.add("unknown parameter `" + k + "`; pipeline `" + program.name() + "` has "
                        + (declared.isEmpty() ? "no parameters" : "`" + String.join("`, `", declared) + "`"));
            }
        }
        return out;
    }

    /**
     * Problems with the steps: missing programs and secrets, components that cannot run here; each secret not set
     * also goes to {@code unset}, as a value.
     */
    static void steps(Ir.Program program, EngineOptions options, List<String> problems, List<LocalEngine.UnsetSecret> unset) {
        // the steps --only leaves out need nothing here: a deploy step's missing kubectl does not stop a run of train
        Selection.problems(program, options.only()).forEach(p -> problems.add(p.toString()));
        StepWalk w = new StepWalk(program, new Secrets(options.environment(), options.secretsDir()),
                options.environment().get("PATH"), options.skipClusterSteps(), new Programs(), new HashSet<>(),
                new ArrayList<>(), unset, Selection.of(program.root(), options.only()).orElse(null));
        w.walk(program.root(), "");
        problems.addAll(new TreeSet<>(w.found()));
    }

    /** One walk over the program's steps, each called pipeline once; problems go to {@code found}. */
    private record StepWalk(Ir.Program program, Secrets secrets, String path, boolean skipCluster, Programs programs,
                            Set<String> seen, List<String> found, List<LocalEngine.UnsetSecret> unset, Set<String> selected) {
        void walk(Ir.Dag dag, String prefix) {
            List<Ir.Node> all = new ArrayList<>(dag.body());
            if (dag == program.root() && selected != null) {
                all.removeIf(n -> !selected.contains(n.id()));
            }
            all.addAll(dag.exitHandler());
            for (Ir.Node n : all) {
                node(n, prefix);
            }
        }

        void node(Ir.Node n, String prefix) {
            if (n instanceof Ir.Loop l) {
                l.body().forEach(c -> node(c, prefix));
            } else if (n instanceof Ir.Cond c) {
                c.branches().forEach(b -> b.body().forEach(x -> node(x, prefix)));
                c.elseBody().forEach(x -> node(x, prefix));
            } else {
                task((Ir.Task) n, prefix);
            }
        }

        void task(Ir.Task t, String prefix) {
            if (t.callee() instanceof Ir.PipelineCall pc) {
                Ir.Dag sub = program.pipelines() == null ? null : program.pipelines().get(pc.name());
                if (sub == null) {
                    found.add("step `" + prefix + t.id() + "` calls pipeline `" + pc.name() + "`, which the program does not have");
                } else if (seen.add(pc.name())) {
                    walk(sub, prefix + t.id() + "/");
                }
                return;
            }
            Ir.ComponentCall cc = (Ir.ComponentCall) t.callee();
            Ir.Component comp = program.components().get(cc.digest());
            String step = "step `" + prefix + t.id() + "`";
            if (comp == null) {
                found.add(step + " calls component `" + cc.name() + "`, which the program does not have");
                return;
            }
            java.util.Optional<String> why = ClusterSteps.whyNot(comp, programs, path);
            if (why.isPresent()) {
                if (!skipCluster) {
                    found.add(step + " (component `" + comp.name() + "`) cannot run on this machine: " + why.get()
                            + "; run the pipeline on a cluster with `freestone submit`, or skip such steps with "
                            + "`freestone run --skip-cluster-steps`");
                }
                return;
            }
            comp = ClusterSteps.localForm(comp);
            String who = step + " (component `" + comp.name() + "`, image `" + comp.image() + "`)";
            if (comp.script() == null && (comp.command() == null || comp.command().isEmpty())) {
                found.add(who + " has neither a command nor a script");
            }
            // only a literal argv[0] can be checked before the run
            String program0 = Programs.knownBeforeRun(comp.script(), comp.command());
            if (program0 != null && programs.find(program0, path).isEmpty()) {
                found.add(Programs.missing(who, program0) + ", so install it or run on a cluster");
            }
            Ir.Component local = comp;
            if (comp.env() != null) {
                comp.env().forEach((name, v) -> {
                    if (v instanceof Ir.EnvSecret s && secrets.resolve(s.secret(), s.key()).isEmpty()) {
                        LocalEngine.UnsetSecret u = new LocalEngine.UnsetSecret(who, prefix + t.id(), local.name(), name,
                                s.secret(), s.key(), secrets.whereToPut(s.secret(), s.key()));
                        unset.add(u);
                        found.add(u.problem());
                    }
                });
            }
        }
    }
}
