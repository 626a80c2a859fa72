package dev.freestone.cli;

import dev.freestone.check.CheckOptions;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrGraph;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import dev.freestone.runtime.store.TaskState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Print a pipeline's DAG as Graphviz DOT or Mermaid (render with `dot -Tsvg` or any Mermaid viewer), "
                + "or as an SVG picture that any browser opens, with nothing installed (--format svg > dag.svg).",
                "With --run, the DAG of a run (local or Argo) as it went: each task filled by its state, a loop's "
                        + "iterations counted by state, the run's id and status as the title."})
final class GraphCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The .pipe file (not with --run).")
    Path file;

    @Option(names = "--run", paramLabel = "RUN", description = "Draw this run instead of a file: a run id, a unique prefix of one, or @latest (the newest run).")
    String run;

    @Option(names = "--format", defaultValue = "dot", description = "dot, mermaid or svg (a standalone picture drawn by Freestone). Default: ${DEFAULT-VALUE}.")
    IrGraph.Format format;

    @Option(names = "--pipeline", description = "Which pipeline, when the file has several.")
    String pipeline;

    @Option(names = "--color", defaultValue = "auto", description = "auto (when standard error is a terminal"
            + " and NO_COLOR is unset), always or never (for diagnostics).")
    FrontEnd.Color color;

    @Override
    public Integer call() throws IOException {
        if ((file == null) == (run == null)) {
            throw new UserError(file == null ? "give a .pipe file, or a run with --run" : "give a .pipe file or --run, not both",
                    "`freestone graph FILE` draws a pipeline, `freestone graph --run RUN` a run", Main.USAGE);
        }
        if (run != null) {
            if (pipeline != null) {
                throw new UserError("--pipeline chooses a pipeline of a file; a run has one",
                        "leave --pipeline out with --run", Main.USAGE);
            }
            return drawRun();
        }
        // the DAG is the same whatever the parameters' values: a parameter without a default needs none here
        FrontEnd.Compiled c = FrontEnd.compile(file, new CheckOptions(Set.of(), false, pipeline), pipeline, FrontEnd.RawParams.NONE,
                true);
        if (c.ir() == null) {
            FrontEnd.report(c.diagnostics(), Cli.Format.text, spec.commandLine().getOut(), spec.commandLine().getErr(), color);
            return Main.FAILED;
        }
        spec.commandLine().getOut().print(IrGraph.render(c.ir(), format));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }

    private int drawRun() throws IOException {
        try (RunStore store = Cli.openStore()) {
            RunRecord r = Cli.findRun(store, run);
            spec.commandLine().getOut().print(drawn(store, r, TaskOrder.tasks(store, r.id()),
                    RunCommand.goneEngine(store, r).isPresent(), format));
            spec.commandLine().getOut().flush();
            return Main.OK;
        }
    }

    /**
     * The DAG of run {@code r} as it went, in {@code format}, from its {@code tasks} in order and whether its engine is
     * gone (as {@code graph --run} reads them; the UI's run page has them from {@code show}'s reading already); an error
     * when the pipeline it ran is no longer in the artifact store.
     */
    static String drawn(RunStore store, RunRecord r, List<TaskRecord> tasks, boolean engineGone, IrGraph.Format format)
            throws IOException {
        Ir.Program ir = RunCommand.loadIr(store, r.id(), store.events(r.id()), "drawn",
                "`freestone graph FILE` draws the pipeline from its file");
        // a killed engine left the run Running: said as `runs` and `show` say it
        String title = r.id() + " " + r.pipeline() + ": " + r.status() + (engineGone ? " (engine gone)" : "");
        return IrGraph.render(ir, format, marks(tasks, engineGone), title);
    }

    /**
     * A mark per task of the pipeline's DAG from the run's tasks: a loop's iterations ({@code fit[0]}, {@code fit[1]}, a
     * loop that never expanded {@code fit[*]}) together under the task's id, a called pipeline's own tasks
     * ({@code a/norm}) left to the task that called it ({@code a}); with {@code engineGone}, an unfinished state says
     * that the engine that ran it is gone.
     */
    static Map<String, IrGraph.Mark> marks(List<TaskRecord> tasks, boolean engineGone) {
        Map<String, List<TaskRecord>> byNode = new LinkedHashMap<>();
        for (TaskRecord t : tasks) {
            String id = t.taskId();
            if (id.contains("/")) {
                continue;
            }
            byNode.computeIfAbsent(TaskOrder.stepOf(id), k -> new ArrayList<>()).add(t);
        }
        Map<String, IrGraph.Mark> out = new LinkedHashMap<>();
        byNode.forEach((id, rows) -> out.put(id, mark(rows, engineGone)));
        return out;
    }

    /**
     * One task: its state, with the exit code of a failed step; several iterations: how many are in each state. The
     * fill is the state that matters most: any failed, cancelled, running or pending one, else cached or skipped when
     * all are, else succeeded.
     */
    private static IrGraph.Mark mark(List<TaskRecord> rows, boolean engineGone) {
        Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
        rows.forEach(t -> counts.merge(t.state(), 1, Integer::sum));
        java.util.function.Function<TaskState, String> said = state -> state.name()
                + (engineGone && !state.isTerminal() ? " (engine gone)" : "");
        String text;
        if (rows.size() == 1) {
            TaskRecord t = rows.get(0);
            text = said.apply(t.state()) + (t.state() == TaskState.Failed && t.exitCode().isPresent()
                    ? " (exit " + t.exitCode().get() + ")" : "");
        } else {
            List<String> parts = new ArrayList<>();
            counts.forEach((state, n) -> parts.add(n + " " + said.apply(state)));
            text = String.join(", ", parts);
        }
        IrGraph.Shade shade;
        if (counts.containsKey(TaskState.Failed)) {
            shade = IrGraph.Shade.failed;
        } else if (counts.containsKey(TaskState.Cancelled)) {
            shade = IrGraph.Shade.cancelled;
        } else if (counts.containsKey(TaskState.Running)) {
            shade = IrGraph.Shade.running;
        } else if (counts.containsKey(TaskState.Pending)) {
            shade = IrGraph.Shade.pending;
        } else if (counts.keySet().equals(Set.of(TaskState.Cached))) {
            shade = IrGraph.Shade.cached;
        } else if (counts.keySet().equals(Set.of(TaskState.Skipped))) {
            shade = IrGraph.Shade.skipped;
        } else {
            shade = IrGraph.Shade.succeeded;
        }
        return new IrGraph.Mark(text, shade);
    }
}
