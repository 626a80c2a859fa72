package dev.freestone.runtime.local;

import dev.freestone.ir.Ir;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The part of a pipeline a run with {@code --only} executes, as {@code make TARGET} builds a target and what it needs:
 * the steps asked for and every step of the root pipeline they depend on, directly or through others. A step inside a
 * loop or an {@code if} is asked for with its loop or {@code if}, whole; a step inside a called pipeline
 * ({@code a/norm}) with the call. The rest of the root pipeline ends Skipped; its {@code finally} block runs as always.
 */
public final class Selection {
    private Selection() {
    }

    /** A name of {@code --only} that is no step of the pipeline: what is wrong, and what to write instead. */
    public record Problem(String message, String help) {
        @Override
        public String toString() {
            return message + "; " + help;
        }
    }

    /** The ids of the root's nodes that run, or empty when every node runs; {@code names} known ({@link #problems}). */
    static Optional<Set<String>> of(Ir.Dag root, Set<String> names) {
        if (names.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> owner = owners(root);
        Map<String, Ir.Node> byId = new HashMap<>();
        root.body().forEach(n -> byId.put(n.id(), n));
        Set<String> out = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String name : names) {
            String top = owner.get(name.contains("/") ? name.substring(0, name.indexOf('/')) : name);
            if (top != null) {
                todo.add(top);
            }
        }
        while (!todo.isEmpty()) {
            String id = todo.pop();
            Ir.Node n = byId.get(id);
            if (n != null && out.add(id)) {
                todo.addAll(n.dependsOn());
            }
        }
        return Optional.of(out);
    }

    /**
     * Each name of {@code names} that is no step of the root pipeline; a step of a called pipeline is named after its
     * call's ({@code a/norm}, {@code a/inner/norm}), and each part of that path must be a step of the pipeline before it.
     */
    public static List<Problem> problems(Ir.Program program, Set<String> names) {
        List<Problem> out = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            problem(program, program.root(), "", name, name).ifPresent(out::add);
        }
        return out;
    }

    /** What is wrong with {@code rest}, the path of a step below {@code dag}, which the root calls {@code prefix}. */
    private static Optional<Problem> problem(Ir.Program program, Ir.Dag dag, String prefix, String rest, String name) {
        int slash = rest.indexOf('/');
        String step = slash < 0 ? rest : rest.substring(0, slash);
        Set<String> steps = new TreeSet<>();
        owners(dag).keySet().forEach(s -> steps.add(prefix + s));
        if (!steps.contains(prefix + step) && prefix.isEmpty() && owners(dag.exitHandler()).containsKey(step)) {
            return Optional.of(new Problem("--only " + name + ": `" + step + "` is a step of the `finally` block, which"
                    + " every run runs", "ask for the steps of the pipeline's body that you want; the `finally` block runs"
                    + " after them"));
        }
        if (!steps.contains(prefix + step) && dag.outputs().stream().anyMatch(o -> o.name().equals(step))) {
            return Optional.of(new Problem("--only " + name + ": `" + step + "` is an output of the pipeline, not a step",
                    "ask for the step that makes it; the steps are: " + String.join(", ", steps)));
        }
        if (!steps.contains(prefix + step)) {
            String pipeline = prefix.isEmpty() ? "the pipeline"
                    : "the pipeline `" + dag.name() + "` (called as `" + prefix.substring(0, prefix.length() - 1) + "`)";
            return Optional.of(new Problem("--only " + name + ": " + pipeline + " has no step `" + step + "`",
                    dev.freestone.diag.DidYouMean.help(prefix + step, steps, "its steps are: " + String.join(", ", steps))));
        }
        if (slash < 0) {
            return Optional.empty();
        }
        Ir.Dag callee = tasks(dag.body()).get(step).callee() instanceof Ir.PipelineCall c
                ? program.pipelines().get(c.name()) : null;
        if (callee == null) {
            return Optional.of(new Problem("--only " + name + ": `" + prefix + step + "` runs a component, not a pipeline",
                    "ask for the step itself: --only " + prefix + step));
        }
        return problem(program, callee, prefix + step + "/", rest.substring(slash + 1), name);
    }

    /** Each step of the root pipeline (outside its {@code finally}) by its name, to the id of its top-level node. */
    private static Map<String, String> owners(Ir.Dag root) {
        return owners(root.body());
    }

    private static Map<String, String> owners(List<Ir.Node> body) {
        Map<String, String> out = new HashMap<>();
        for (Ir.Node top : body) {
            collect(top, t -> out.putIfAbsent(t.id(), top.id()));
        }
        return out;
    }

    /** The steps of {@code body}, in its loops and `if`s too, by their names. */
    private static Map<String, Ir.Task> tasks(List<Ir.Node> body) {
        Map<String, Ir.Task> out = new HashMap<>();
        body.forEach(n -> collect(n, t -> out.putIfAbsent(t.id(), t)));
        return out;
    }

    private static void collect(Ir.Node n, java.util.function.Consumer<Ir.Task> each) {
        if (n instanceof Ir.Task t) {
            each.accept(t);
        } else if (n instanceof Ir.Loop l) {
            l.body().forEach(c -> collect(c, each));
        } else if (n instanceof Ir.Cond c) {
            c.branches().forEach(b -> b.body().forEach(x -> collect(x, each)));
            c.elseBody().forEach(x -> collect(x, each));
        }
    }
}
