package dev.freestone.cli;

import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "lineage", mixinStandardHelpOptions = true, description = {
    "Show where an artifact came from, or where it went, across runs.",
    "Upstream: the run and task that produced it (the run's pipeline, version, git commit, start and parameters), then"
        + " the task that produced each of that task's inputs, and so on, as an indented tree; a task reached twice is"
        + " printed once and then named (see above).",
    "FILE is a file or a folder on disk (a model someone handed you, a file `freestone cp` copied out): it is hashed as"
        + " the artifact store hashes it and found by its content, in every run. RUN TASK[.OUTPUT] names a recorded"
        + " artifact instead: TASK may be a loop's iteration (`fit[2]`), and .OUTPUT may be left out when the task"
        + " produced one artifact.",
    "An input is traced to the task of the same run that produced it, else to the earliest run that did; a file the"
        + " run was given as a parameter is named with the file it read; a cached task leads to the task whose outputs"
        + " it reused.",
    "--downstream goes the other way: the tasks, in every run, that consumed the artifact, what they produced, and who"
        + " consumed that. An Argo run's artifacts, which have no digest here, are matched by their location"
        + " (docs/run-store.md, \"Lineage\")."})
final class LineageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|RUN", description = "A file or folder; or a run: " + Cli.RUN_ID)
    String first;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TASK[.OUTPUT]",
            description = "With RUN: the task and its artifact output, e.g. train.model or fit[2].model.")
    String taskOutput;

    @Option(names = "--downstream", description = "Where the artifact went, instead of where it came from.")
    boolean downstream;

    @Option(names = "--depth", paramLabel = "N", description = "Follow at most N tasks away from the artifact (default: all).")
    Integer depth;

    @Option(names = "--output", defaultValue = "text", description = "text or json.")
    Cli.Format output;

    /** The artifact asked about: a file on disk, or a recorded one. */
    private record Start(Optional<Path> path, Optional<ArtifactRecord> recorded, Optional<String> digest, String uri,
            boolean directory) {
    }

    @Override
    public Integer call() {
        if (depth != null && depth < 1) {
            throw new UserError("--depth takes a number of tasks from 1 up, got " + depth,
                    "--depth 1 shows the tasks that produced (or consumed) the artifact; leave it out to follow it all the way",
                    Main.USAGE);
        }
        PrintWriter out = StandardOut.forText(spec.commandLine().getOut(), output);
        Cli.EarlyStore early = Cli.openStoreEarly();
        Start start;
        Path file = null;
        if (taskOutput == null) {
            try {
                file = fileOf(first);
            } catch (UserError e) {
                early.discard();
                throw e;
            }
        }
        try (RunStore store = early.get()) {
            start = file != null ? hashed(store, file) : recorded(store);
            Lineage.Direction direction = downstream ? Lineage.Direction.downstream : Lineage.Direction.upstream;
            List<ArtifactRecord> producers = start.recorded().map(List::of)
                    .orElseGet(() -> store.producers(start.digest(), start.uri(), null, 0));
            Lineage graph = Lineage.of(store, direction, depth == null ? Integer.MAX_VALUE : depth, start.digest(),
                    start.uri(), producers);
            if (graph.roots.isEmpty() && producers.isEmpty()) {
                // read by none and made by none
                throw new UserError(what(start) + " was never recorded by a run in this store",
                        "no run's task produced or consumed it in " + store.home() + " (FREESTONE_HOME); a file is found"
                                + " by its content, so a changed copy is another artifact");
            }
            if (output == Cli.Format.json) {
                out.println(Cli.json(json(store, start, graph, direction)));
            } else {
                text(store, start, graph, direction, producers, out);
            }
            out.flush();
        }
        return Main.OK;
    }

    /**
     * The file or folder to hash; a path that is none (empty, missing, a FIFO, a device) is a usage error, before the
     * store opens (an empty path would name the working folder, every file under it).
     */
    private static Path fileOf(String given) {
        Path file;
        try {
            file = given.isBlank() ? null : Path.of(given);
        } catch (java.nio.file.InvalidPathException e) {
            file = null;
        }
        if (file == null) {
            throw new UserError("`" + given + "` is not a path", "name a file or folder, or a run and one of its"
                    + " artifacts: RUN TASK[.OUTPUT]", Main.USAGE);
        }
        if (!Files.exists(file)) {
            // a run named alone: the artifact is missing, not the file
            boolean run = given.equals(RunStore.LATEST) || given.matches("run-[0-9a-f-]*");
            throw new UserError(Files.isSymbolicLink(file) ? file + " is a symbolic link that leads to no file"
                    : "no such file or folder: " + file, run
                    ? "a run's artifact is named after it, RUN TASK[.OUTPUT]: `freestone lineage " + given
                            + " train.model`; `freestone artifacts " + given + "` lists them"
                    : "a single argument is a file or folder on disk; a recorded artifact is named RUN TASK[.OUTPUT]"
                            + " (`freestone artifacts RUN` lists them)", Main.USAGE);
        }
        if (!Files.isDirectory(file) && !Files.isRegularFile(file)) {
            // a FIFO would be read until someone writes to it: the command would hang
            throw new UserError(file + " is not a regular file or a folder (a pipe, socket or device)",
                    "name a file or a folder to find the runs that produced it", Main.USAGE);
        }
        return file;
    }

    /** A file or folder on disk, by the digest the artifact store would give it. */
    private static Start hashed(RunStore store, Path file) {
        String digest;
        try {
            digest = store.artifacts().digestOf(file);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + Cli.ioProblem(e), Files.isDirectory(file)
                    ? "a folder is hashed with every file in it (no symbolic links or special files); check their permissions"
                    : "check the file's permissions");
        }
        return new Start(Optional.of(file), Optional.empty(), Optional.of(digest), "", Files.isDirectory(file));
    }

    /** The artifact RUN TASK[.OUTPUT] names. */
    private Start recorded(RunStore store) {
        RunRecord r = Cli.findRun(store, first);
        String task = taskOutput;
        String name = null;
        int dot = taskOutput.lastIndexOf('.');
        if (store.task(r.id(), task).isEmpty() && dot > 0) {
            task = taskOutput.substring(0, dot);
            name = taskOutput.substring(dot + 1);
        }
        if (store.task(r.id(), task).isEmpty()) {
            throw TaskOrder.noTask(store, r.id(), task);
        }
        List<ArtifactRecord> artifacts = store.artifacts(r.id(), task).stream()
                .sorted(java.util.Comparator.comparing(ArtifactRecord::outputName)).toList();
        String shown = task;
        if (name == null && artifacts.size() != 1) {
            List<String> names = artifacts.stream().map(a -> shown + "." + a.outputName()).toList();
            throw new UserError("task `" + task + "` of run " + r.id() + " produced " + (artifacts.isEmpty()
                    ? "no artifacts" : artifacts.size() + " artifacts: name one"), artifacts.isEmpty()
                    ? "`freestone artifacts " + r.id() + "` lists the run's artifacts"
                    : "its artifacts are: " + String.join(", ", names));
        }
        String output = name;
        ArtifactRecord a = name == null ? artifacts.get(0) : artifacts.stream()
                .filter(x -> x.outputName().equals(output)).findFirst()
                .orElseThrow(() -> ArtifactsCommand.noArtifact(store, r, store.artifacts(r.id()), taskOutput));
        return new Start(Optional.empty(), Optional.of(a), a.digest(), a.uri(), a.directory());
    }

    /** The artifact as the first line names it. */
    private static String what(Start s) {
        String content = s.digest().map(d -> "sha256:" + d.substring(0, 12)).orElse(s.uri());
        return s.path().map(p -> p + " (" + content + ")")
                .orElseGet(() -> s.recorded().map(a -> a.taskId() + "." + a.outputName() + " of run " + a.runId()
                        + " (" + content + ")").orElse(content));
    }

    // ---- text ---------------------------------------------------------------------------------------------------

    private void text(RunStore store, Start start, Lineage g, Lineage.Direction direction, List<ArtifactRecord> producers,
            PrintWriter out) {
        String kind = start.recorded().map(ArtifactRecord::type).orElse(start.directory() ? "a folder" : "a file");
        out.println(what(start) + ", " + kind);
        long tasks = g.roots.stream().map(Lineage.Root::node).distinct().count();
        if (direction == Lineage.Direction.upstream && producers.isEmpty()) {
            out.println("produced by no task; read by runs as a parameter (--downstream lists the tasks that consumed it):");
        } else if (direction == Lineage.Direction.upstream) {
            out.println("produced by " + count(tasks, "task") + ":");
        } else if (g.roots.isEmpty()) {
            out.println("consumed by no task");
        } else {
            out.println("consumed by " + count(tasks, "task") + ":");
        }
        Set<String> printed = new HashSet<>();
        for (Lineage.Root root : g.roots) {
            Lineage.Node n = g.nodes.get(root.node());
            String line = direction == Lineage.Direction.upstream
                    ? label(n, root.name()) : label(n, null) + (root.name() == null ? "" : ", input " + root.name());
            tree(g, n, line + inRun(n, null), "", direction == Lineage.Direction.downstream, printed, out);
        }
        if (!g.cut.isEmpty()) {
            out.println("(... marks where --depth " + depth + " stopped)");
        }
        if (!g.runs.isEmpty()) {
            out.println();
            out.println("runs");
            for (RunRecord r : g.runs.values()) {
                out.println("  " + r.id() + "  " + r.pipeline() + "  version " + shortDigest(r.version()) + "  started "
                        + r.startedAt() + r.gitCommit().map(c -> "  git " + shortDigest(c)).orElse("")
                        + (r.backend() == dev.freestone.runtime.store.Backend.Argo ? "  (Argo)" : ""));
                ShowCommand.paramLines(store, r).forEach(l -> out.println("    " + l));
            }
        }
    }

    /** Prints {@code line} for node {@code n}, then what it leads to, once: a node met again is named, not expanded. */
    private static void tree(Lineage g, Lineage.Node n, String line, String indent, boolean down, Set<String> printed,
            PrintWriter out) {
        boolean again = !printed.add(n.id());
        out.println(indent + line + (again && hasLines(g, n, down) ? "  (see above)" : ""));
        if (again) {
            return;
        }
        String inner = indent + "  ";
        if (n.note() != null) {
            out.println(inner + "(" + n.note() + ")");
        }
        for (Lineage.Edge e : g.next(n.id())) {
            Lineage.Node other = g.nodes.get(down ? e.to() : e.from());
            String text = switch (e.via()) {
                case cache -> "reused the outputs of " + label(other, null);
                case content -> "the same content as " + label(other, e.output());
                case input -> down ? e.output() + " -> " + label(other, null) + ", input " + e.input()
                        : e.input() + " <- " + label(other, e.output());
            };
            tree(g, other, text + inRun(other, n), inner, down, printed, out);
        }
        if (g.cut.contains(n.id())) {
            out.println(inner + "...");
        }
        if (down) {
            // downstream: an output no task read is named too (what the task produced)
            Set<String> consumed = new HashSet<>();
            g.next(n.id()).forEach(e -> consumed.add(e.output()));
            for (ArtifactRecord a : n.outputs()) {
                if (!consumed.contains(a.outputName()) && !g.cut.contains(n.id())) {
                    out.println(inner + a.outputName() + " (" + a.type() + ", consumed by no task)");
                }
            }
        }
    }

    /**
     * Whether {@code n} prints lines under its own: what it leads to, a note, the mark of a cut, or (downstream) the
     * outputs no task read; a node met again with none is a leaf, said in full by its line.
     */
    private static boolean hasLines(Lineage g, Lineage.Node n, boolean down) {
        return !g.next(n.id()).isEmpty() || n.note() != null || g.cut.contains(n.id()) || (down && !n.outputs().isEmpty());
    }

    /** A node as a line names it: {@code fit[1].model (lr=0.01)}, {@code parameter `raw` (/tmp/raw.csv, sha256:...)}. */
    private static String label(Lineage.Node n, String output) {
        return switch (n.kind()) {
            case task -> LoopItem.labelled(n.task() + (output == null ? "" : "." + output), n.items())
                    + (n.state() == TaskState.Succeeded ? "" : " [" + n.state() + "]");
            case parameter -> "parameter `" + n.parameter() + "` (" + (n.file() == null ? "" : n.file() + ", ")
                    + "sha256:" + n.digest().substring(0, 12) + ")";
            case unrecorded -> (n.digest() != null ? "sha256:" + n.digest().substring(0, 12) : n.uri())
                    + " (produced by no run in this store)";
        };
    }

    /** {@code  run ID} after a node of another run than the line above it (every root names its run). */
    private static String inRun(Lineage.Node n, Lineage.Node above) {
        return n.run() == null || (above != null && n.run().equals(above.run())) ? "" : "  run " + n.run();
    }

    /** A SHA-256 by its first 12 hex digits, with or without its {@code sha256:} prefix. */
    static String shortDigest(String s) {
        String hex = s.startsWith("sha256:") ? s.substring(7) : s;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    // ---- json ---------------------------------------------------------------------------------------------------

    private Map<String, Object> json(RunStore store, Start start, Lineage g, Lineage.Direction direction) {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> artifact = new LinkedHashMap<>();
        artifact.put("path", start.path().map(Path::toString).orElse(null));
        artifact.put("run", start.recorded().map(ArtifactRecord::runId).orElse(null));
        artifact.put("task", start.recorded().map(ArtifactRecord::taskId).orElse(null));
        artifact.put("output", start.recorded().map(ArtifactRecord::outputName).orElse(null));
        artifact.put("type", start.recorded().map(ArtifactRecord::type).orElse(null));
        artifact.put("digest", start.digest().orElse(null));
        artifact.put("uri", start.uri().isEmpty() ? null : start.uri());
        artifact.put("directory", start.directory());
        doc.put("artifact", artifact);
        doc.put("direction", direction.name());
        doc.put("depth", depth);
        List<Map<String, Object>> roots = new ArrayList<>();
        for (Lineage.Root r : g.roots) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", r.node());
            m.put(direction == Lineage.Direction.upstream ? "output" : "input", r.name());
            roots.add(m);
        }
        doc.put("roots", roots);
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Lineage.Node n : g.nodes.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("kind", n.kind().name());
            m.put("run", n.run());
            switch (n.kind()) {
                case task -> {
                    m.put("task", n.task());
                    m.put("items", ShowCommand.itemsJson(n.items()));
                    m.put("state", n.state().name());
                    List<Map<String, Object>> outputs = new ArrayList<>();
                    for (ArtifactRecord a : n.outputs()) {
                        Map<String, Object> o = new LinkedHashMap<>();
                        o.put("name", a.outputName());
                        o.put("type", a.type());
                        o.put("digest", a.digest().orElse(null));
                        o.put("uri", a.uri());
                        outputs.add(o);
                    }
                    m.put("outputs", outputs);
                    m.put("note", n.note());
                }
                case parameter -> {
                    m.put("parameter", n.parameter());
                    m.put("file", n.file() == null ? null : n.file().toString());
                    m.put("digest", n.digest());
                }
                case unrecorded -> {
                    m.put("digest", n.digest());
                    m.put("uri", n.uri());
                }
            }
            m.put("cut", g.cut.contains(n.id()));
            nodes.add(m);
        }
        doc.put("nodes", nodes);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Lineage.Edge e : g.edges) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", e.from());
            m.put("to", e.to());
            m.put("via", e.via().name());
            m.put("output", e.output());
            m.put("input", e.input());
            m.put("digest", e.digest().orElse(null));
            m.put("uri", e.uri().isEmpty() ? null : e.uri());
            edges.add(m);
        }
        doc.put("edges", edges);
        List<Map<String, Object>> runs = new ArrayList<>();
        g.runs.values().forEach(r -> runs.add(ShowCommand.summary(r)));
        doc.put("runs", runs);
        return doc;
    }
}
