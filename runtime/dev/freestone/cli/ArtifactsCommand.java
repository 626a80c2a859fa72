package dev.freestone.cli;

import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "artifacts", mixinStandardHelpOptions = true, description = {"List the artifacts a run produced.",
    "A loop's iteration is named with the item it ran with, as `show` names it: an ITEM column after TASK, `items` in"
        + " --output json (`[]` for a task that is no iteration).",
    "A local artifact whose object is no longer in the artifact store (deleted by hand) is marked (missing);"
        + " in --output json, \"missing\" is true or false for a local artifact, null for a remote one.",
    "--print TASK.OUTPUT prints one text artifact of a local run (a Markdown report to read, an HTML report to"
        + " redirect into a .html file and open: stored objects are named by digest, without an extension): redirected,"
        + " its bytes as they are; into a terminal, with its control characters (escape codes) shown as ^X."})
final class ArtifactsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = Cli.RUN_ID)
    String run;

    @Option(names = "--output", defaultValue = "text", description = "text or json.")
    Cli.Format output;

    @Option(names = "--print", paramLabel = "TASK.OUTPUT", description = "Print the content of this text artifact"
            + " (e.g. report.html) instead of the list.")
    String print;

    /** By task as {@link TaskOrder} lists them, then output. */
    static final java.util.Comparator<ArtifactRecord> ORDER = java.util.Comparator
            .comparing(ArtifactRecord::taskId, TaskOrder.BY_ID).thenComparing(ArtifactRecord::outputName);

    /** The artifacts of run {@code runId} in {@link #ORDER}: the list, the UI's, {@code metrics}' reports. */
    static List<ArtifactRecord> ordered(RunStore store, String runId) {
        return store.artifacts(runId).stream().sorted(ORDER).toList();
    }

    /** The artifact types that are reports for people to read (KFP's visualizations). */
    private static final java.util.Set<String> REPORTS = java.util.Set.of("HTML", "Markdown");

    @Override
    public Integer call() {
        PrintWriter out = StandardOut.forText(spec.commandLine().getOut(), output);
        try (RunStore store = Cli.openStore()) {
            RunRecord r = Cli.findRun(store, run);
            List<ArtifactRecord> artifacts = ordered(store, r.id());
            if (print != null) {
                // the artifact as it is where redirected: not through the text writer
                return print(store, r, artifacts, spec.commandLine().getOut());
            }
            Map<ArtifactRecord, Boolean> missing = missing(store, artifacts);
            // which item a loop's iteration ran with: `fit[3]` alone does not say which artifact is lr=0.03's
            Map<String, List<LoopItem>> items = TaskOrder.items(store, r.id());
            if (output == Cli.Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ArtifactRecord a : artifacts) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("task", a.taskId());
                    m.put("items", ShowCommand.itemsJson(items.getOrDefault(a.taskId(), List.of())));
                    m.put("output", a.outputName());
                    m.put("type", a.type());
                    m.put("digest", a.digest().orElse(null));
                    m.put("size", a.size().orElse(null));
                    m.put("uri", a.uri());
                    m.put("missing", missing.get(a));
                    rows.add(m);
                }
                out.println(Cli.json(rows));
            } else if (artifacts.isEmpty()) {
                out.println("run " + r.id() + " has no artifacts");
            } else {
                out.print(Cli.table(rows(artifacts, items, missing), out));
                PrintWriter err = spec.commandLine().getErr();
                for (ArtifactRecord a : artifacts) {
                    if (REPORTS.contains(a.type()) && a.uri().startsWith("file:") && !missing.getOrDefault(a, true)
                            && !a.directory()) {
                        err.println("note: " + a.taskId() + "." + a.outputName() + " is " + (a.type().equals("HTML")
                                ? "an HTML report: `freestone artifacts " + r.id() + " --print " + a.taskId() + "." + a.outputName()
                                        + " > " + a.outputName() + ".html` and open that file"
                                : "a Markdown report: `freestone artifacts " + r.id() + " --print " + a.taskId() + "." + a.outputName()
                                        + "` prints it") + "; `freestone ui` draws it");
                    }
                }
                err.flush();
                long gone = missing.values().stream().filter(m -> m).count();
                if (gone > 0) {
                    err.println("note: " + gone + (gone == 1 ? " artifact is" : " artifacts are") + " no longer in the artifact store "
                            + store.artifacts().root() + " (deleted by hand)");
                    err.println("  = help: the tasks that produced them are no longer cache hits: the next `freestone run`"
                            + " runs them again");
                    err.flush();
                }
            }
            out.flush();
        }
        return Main.OK;
    }

    /** Whether each local artifact's object is gone from the artifact store: an existence check, no re-hash. */
    static Map<ArtifactRecord, Boolean> missing(RunStore store, List<ArtifactRecord> artifacts) {
        // listing stays cheap however large the objects
        Map<ArtifactRecord, Boolean> missing = new java.util.HashMap<>();
        for (ArtifactRecord a : artifacts) {
            if (a.uri().startsWith("file:") && a.digest().isPresent()) {
                missing.put(a, !a.storedIn(store.artifacts()));
            }
        }
        return missing;
    }

    /** The table of {@code artifacts}, its header first, a row each in their order: the list and the UI's. */
    static List<String[]> rows(List<ArtifactRecord> artifacts, Map<String, List<LoopItem>> items,
            Map<ArtifactRecord, Boolean> missing) {
        boolean loops = artifacts.stream().anyMatch(a -> !items.getOrDefault(a.taskId(), List.of()).isEmpty());
        List<String[]> rows = new ArrayList<>();
        rows.add(ShowCommand.withItem(loops, "ITEM", "TASK", "OUTPUT", "TYPE", "SIZE", "DIGEST", "URI"));
        for (ArtifactRecord a : artifacts) {
            rows.add(ShowCommand.withItem(loops, LoopItem.label(items.getOrDefault(a.taskId(), List.of())), a.taskId(),
                a.outputName(), a.type(), a.size().map(String::valueOf).orElse(""),
                a.digest().map(d -> d.substring(0, Math.min(19, d.length()))).orElse(""),
                a.uri() + (missing.getOrDefault(a, false) ? "  (missing)" : "")));
        }
        return rows;
    }

    /** A local artifact and its stored object (a file, or a folder's tree). */
    record Stored(ArtifactRecord artifact, java.nio.file.Path object) {
    }

    /**
     * The artifact {@code asked} (TASK.OUTPUT) of the run and its object in the artifact store; an error that says
     * why when it names none, is in a cluster's repository, or its object was deleted by hand.
     */
    static Stored stored(RunStore store, RunRecord r, List<ArtifactRecord> artifacts, String asked) {
        int dot = asked.lastIndexOf('.');
        String task = dot < 0 ? asked : asked.substring(0, dot);
        String name = dot < 0 ? "" : asked.substring(dot + 1);
        ArtifactRecord a = artifacts.stream().filter(x -> x.taskId().equals(task) && x.outputName().equals(name))
                .findFirst().orElseThrow(() -> noArtifact(store, r, artifacts, asked));
        if (!a.uri().startsWith("file:") || a.digest().isEmpty()) {
            throw new UserError("`" + asked + "` is in the cluster's artifact repository (" + a.uri() + "), not here",
                    "read it from there, e.g. with the Argo UI");
        }
        if (!a.storedIn(store.artifacts())) {
            throw new UserError("`" + asked + "` is no longer in the artifact store " + store.artifacts().root()
                    + " (deleted by hand)", "run the pipeline again: the task that produced it runs again");
        }
        return new Stored(a, store.artifacts().get(a.digest().get()).orElseThrow());
    }

    /**
     * The error for {@code asked} (TASK.OUTPUT) that names none of the run's {@code artifacts}: a value output is said
     * to be one; else the help names the one artifact of the task or the output it names alone ({@code fit},
     * {@code report}: {@code fit.report}), else the closest name, else all of them.
     */
    static UserError noArtifact(RunStore store, RunRecord r, List<ArtifactRecord> artifacts, String asked) {
        int dot = asked.lastIndexOf('.');
        String task = dot < 0 ? asked : asked.substring(0, dot);
        String name = dot < 0 ? "" : asked.substring(dot + 1);
        return value(store, r, task, name)
                .map(v -> new UserError("`" + asked + "` is a value, not a file: " + name + " = " + v,
                        "`freestone show " + r.id() + "` gives every task's values; an artifact is a file (a report, a model)"))
                .orElseGet(() -> new UserError("run " + r.id() + " has no artifact `" + asked + "`",
                        artifacts.isEmpty() ? "it produced no artifacts" : closest(artifacts, asked)));
    }

    private static String closest(List<ArtifactRecord> artifacts, String asked) {
        List<String> names = artifacts.stream().map(x -> x.taskId() + "." + x.outputName()).toList();
        List<String> half = artifacts.stream().filter(x -> x.taskId().equals(asked) || x.outputName().equals(asked))
                .map(x -> x.taskId() + "." + x.outputName()).toList();
        return half.size() == 1 ? "did you mean `" + half.get(0) + "`? an artifact is named TASK.OUTPUT"
                : dev.freestone.diag.DidYouMean.help(asked, names, "its artifacts are: " + String.join(", ", names));
    }

    /** The value output {@code name} of {@code task} (an Int, a String: no file to print), as {@code show}'s OUTPUTS has it. */
    private static java.util.Optional<String> value(RunStore store, RunRecord r, String task, String name) {
        return store.tasks(r.id()).stream().filter(t -> t.taskId().equals(task)).findFirst()
                .map(t -> ShowCommand.parse(t.outputsJson()).get(name))
                .map(v -> ShowCommand.abbreviate(RunCommand.display(v, x -> java.util.Optional.empty())));
    }

    /** {@code --print}: the text of one file artifact of a local run, as it is (made harmless for a terminal). */
    private int print(RunStore store, RunRecord r, List<ArtifactRecord> artifacts, PrintWriter out) {
        Stored found = stored(store, r, artifacts, print);
        java.nio.file.Path file = found.object();
        if (found.artifact().directory()) {
            throw new UserError("`" + print + "` is a folder, not one file: its files are in " + file,
                    "list them with `ls " + file + "`");
        }
        byte[] bytes;
        String text;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserError("`" + print + "` is not text (UTF-8): it is printed only as text", "its file is " + file);
        } catch (java.io.IOException e) {
            throw new UserError("cannot read `" + print + "`: " + Cli.ioProblem(e), "its file is " + file);
        }
        if (!(out instanceof StandardOut stdout) || stdout.terminal()) {
            // a report is not to drive the terminal (escape codes can retitle it, set the clipboard, ...)
            String shown = StandardOut.visible(text);
            out.print(shown);
            out.flush();
            if (!shown.equals(text)) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("note: its control characters are shown as ^X; redirected into a file it is written as it is");
                err.flush();
            }
        } else {
            // into a file or a pipe: the artifact itself, byte for byte (whatever the locale's charset)
            stdout.writeBytes(bytes);
        }
        return Main.OK;
    }
}
