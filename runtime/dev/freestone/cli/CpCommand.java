package dev.freestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.ArtifactStore;
import dev.freestone.runtime.store.Backend;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Copies a run's artifacts out of the artifact store into a folder, as {@code argo cp} does from an artifact
 * repository: each to {@code DIR/<task id>/<output name>} (the pipeline's outputs, with {@code --pipeline-outputs}, to
 * {@code DIR/<name>}). All or nothing: every object is copied to a temporary name beside its place and checked
 * against its digest before any is renamed into place, and a file of other content is replaced only with
 * {@code --force}.
 */
@Command(name = "cp", mixinStandardHelpOptions = true, description = {
    "Copy a run's artifacts out of the store into a folder, as `argo cp` does.",
    "DIR is created if missing. Each artifact goes to DIR/<task id>/<output name> (a loop's iteration is its own folder, DIR/fit[2]/model); with --pipeline-outputs"
        + " the pipeline's own artifact outputs go to DIR/<name> instead (a list of artifacts to DIR/<name>/0, 1, ...)."
        + " A folder artifact becomes a folder, its files executable where they were stored so.",
    "Every byte is checked against the SHA-256 the run recorded: an object changed or gone from the store is an error"
        + " (exit 1) and nothing is copied. A file already there with the same content is left as it is (said so);"
        + " one with other content is an error unless --force. A local run's only: an Argo run's artifacts are in the"
        + " cluster's artifact repository, which `argo cp` reads."})
final class CpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = Cli.RUN_ID)
    String run;

    @Parameters(index = "1", paramLabel = "DIR", description = "The folder to copy into; created if missing.")
    Path dir;

    @Option(names = "--task", paramLabel = "TASK", description = "Only this task's artifacts: a task id (fit[2]) or"
            + " a loop's step (fit: every iteration).")
    String task;

    @Option(names = {"--artifact", "--artifact-name"}, paramLabel = "NAME", description = "Only the artifacts of this"
            + " output (argo cp's --artifact-name); with --pipeline-outputs, this pipeline output.")
    String artifact;

    @Option(names = "--pipeline-outputs", description = "Copy the pipeline's artifact outputs, each to DIR/<name>, instead of"
            + " every task's.")
    boolean outputs;

    @Option(names = "--force", description = "Replace files and folders already in DIR whose content differs.")
    boolean force;

    @Option(names = "--output", defaultValue = "text", description = "text or json.")
    Cli.Format output;

    /**
     * One artifact to copy: {@code name} is where under DIR it goes, as the lines name it ({@code fit[2]/model});
     * {@code task} is empty for a pipeline output.
     */
    private record Copy(String name, Optional<String> task, String outputName, List<LoopItem> items, String type,
                        String digest, boolean directory, Optional<Long> size) {
    }

    /** What became of a copy: a new file, one replaced (--force), or one already there with its content. */
    private enum Outcome { copied, replaced, unchanged }

    @Override
    public Integer call() {
        if (outputs && task != null) {
            throw new UserError("--pipeline-outputs copies the pipeline's outputs, which are no task's: it does not take --task",
                    "leave out --task to copy the pipeline's outputs, or leave out --pipeline-outputs to copy that task's artifacts", Main.USAGE);
        }
        try (RunStore store = Cli.openStore()) {
            RunRecord r = Cli.findRun(store, run);
            List<ArtifactRecord> artifacts = ArtifactsCommand.ordered(store, r.id());
            if (r.backend() == Backend.Argo) {
                throw remote(store, r, artifacts);
            }
            List<Copy> copies = outputs ? pipelineOutputs(store, r, artifacts) : taskArtifacts(store, r, artifacts);
            return copy(store, r, copies);
        }
    }

    private List<Copy> taskArtifacts(RunStore store, RunRecord r, List<ArtifactRecord> artifacts) {
        Map<String, List<LoopItem>> items = TaskOrder.items(store, r.id());
        Predicate<String> asked = id -> true;
        if (task != null) {
            // as `logs RUN fit`: a loop's step without an index takes every iteration
            asked = items.containsKey(task) ? task::equals : TaskOrder.iterationOf(task);
            if (items.keySet().stream().noneMatch(asked)) {
                throw TaskOrder.noTask(store, r.id(), task);
            }
        }
        List<Copy> copies = new ArrayList<>();
        for (ArtifactRecord a : artifacts) {
            if (asked.test(a.taskId()) && (artifact == null || a.outputName().equals(artifact))) {
                copies.add(new Copy(a.taskId() + "/" + a.outputName(), Optional.of(a.taskId()), a.outputName(),
                        items.getOrDefault(a.taskId(), List.of()), a.type(), a.digest().orElseThrow(), a.directory(), a.size()));
            }
        }
        if (copies.isEmpty()) {
            String which = (task == null ? "" : " of `" + task + "`") + (artifact == null ? "" : " named `" + artifact + "`");
            List<String> names = artifacts.stream().map(a -> a.taskId() + "/" + a.outputName()).toList();
            throw new UserError("run " + r.id() + " has no artifact" + which, names.isEmpty() ? "it produced no artifacts"
                    : "its artifacts are: " + String.join(", ", names) + " (`freestone artifacts " + r.id() + "` lists them)");
        }
        return copies;
    }

    /** The pipeline's outputs that are artifacts, as {@code runs.outputs} records them (see docs/run-store.md). */
    private List<Copy> pipelineOutputs(RunStore store, RunRecord r, List<ArtifactRecord> artifacts) {
        JsonNode recorded = store.runOutputs(r.id()).map(ShowCommand::parse).orElse(null);
        Map<String, Long> sizes = new HashMap<>();
        artifacts.forEach(a -> a.size().ifPresent(s -> sizes.put(a.digest().orElseThrow(), s)));
        List<Copy> copies = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (OutputArtifact o : outputArtifacts(recorded)) {
            String digest = o.value().path("digest").asText("");
            if (!ArtifactStore.isDigest(digest)) {
                continue;
            }
            names.add(o.output());
            if (artifact == null || artifact.equals(o.output())) {
                copies.add(new Copy(o.name(), Optional.empty(), o.output(), List.of(), o.value().path("type").asText(""),
                        digest, o.uri().endsWith("/"), Optional.ofNullable(sizes.get(digest))));
            }
        }
        if (copies.isEmpty()) {
            throw new UserError("run " + r.id() + " has no pipeline output" + (artifact == null ? "" : " `" + artifact + "`")
                    + " that is an artifact", recorded == null
                    ? "its outputs are recorded when it ends (`freestone show " + r.id() + "`); without --pipeline-outputs, every"
                            + " task's artifacts are copied"
                    : names.isEmpty() ? "without --pipeline-outputs, every task's artifacts are copied"
                    : "its artifact outputs are: " + String.join(", ", names.stream().distinct().toList()));
        }
        return copies;
    }

    /** A pipeline output's artifact: {@code name} its place under DIR ({@code model}, {@code models/0} in a list). */
    private record OutputArtifact(String name, String output, JsonNode value, String uri) {
    }

    /** The artifacts among a run's recorded outputs (none when {@code recorded} is null), in the record's order. */
    private static List<OutputArtifact> outputArtifacts(JsonNode recorded) {
        List<OutputArtifact> found = new ArrayList<>();
        if (recorded != null) {
            recorded.fields().forEachRemaining(e -> {
                boolean list = e.getValue().isArray();
                List<JsonNode> each = new ArrayList<>();
                if (list) {
                    e.getValue().forEach(each::add);
                } else {
                    each.add(e.getValue());
                }
                for (int i = 0; i < each.size(); i++) {
                    JsonNode v = each.get(i);
                    String name = e.getKey() + (list ? "/" + i : "");
                    ArtifactRecord.outputUri(v).ifPresent(uri -> found.add(new OutputArtifact(name, e.getKey(), v, uri)));
                }
            });
        }
        return found;
    }

    /** An Argo run's artifacts are in the cluster's repository: what the user can do instead, as an error. */
    private UserError remote(RunStore store, RunRecord r, List<ArtifactRecord> artifacts) {
        List<String> uris = new ArrayList<>();
        if (outputs) {
            // as the Workflow's root node gave them when it ended: locations only
            outputArtifacts(store.runOutputs(r.id()).map(ShowCommand::parse).orElse(null)).stream()
                    .filter(o -> artifact == null || artifact.equals(o.output()))
                    .forEach(o -> uris.add(o.name() + " " + o.uri()));
        } else {
            Predicate<String> asked = task == null ? id -> true : TaskOrder.iterationOf(task).or(task::equals);
            artifacts.stream()
                    .filter(a -> asked.test(a.taskId())
                            && (artifact == null || a.outputName().equals(artifact)))
                    .forEach(a -> uris.add(a.taskId() + "/" + a.outputName() + " " + a.uri()));
        }
        String workflow = r.remote().map(w -> w.name()).orElse("WORKFLOW");
        String argoCp = "argo cp " + workflow + " " + RerunLine.quoted(dir.toString())
                + r.remote().map(w -> " -n " + w.namespace()).orElse("")
                + (artifact == null ? "" : " --artifact-name " + artifact);
        return new UserError("run " + r.id() + " ran on Argo: its artifacts are in the cluster's artifact repository, not in"
                + " this store" + (uris.isEmpty() ? "" : " (" + String.join(", ", uris) + ")"),
                "copy them with `" + argoCp + "` (Argo's CLI, with access to that repository)");
    }

    private int copy(RunStore store, RunRecord r, List<Copy> copies) {
        Path root = dir.toAbsolutePath().normalize();
        for (Copy c : copies) {
            // a called pipeline's output and its step's folder of one name (`a/norm` and `a/norm/model`)
            copies.stream().filter(o -> o.name().startsWith(c.name() + "/")).findFirst().ifPresent(o -> {
                throw new UserError("`" + c.name() + "` and `" + o.name() + "` cannot both be copied: the one's place is"
                        + " inside the other's", "copy them one at a time into two folders, with --task or --artifact");
            });
        }
        Map<Copy, Path> targets = new LinkedHashMap<>();
        for (Copy c : copies) {
            targets.put(c, confined(root, c.name()));
        }
        List<String> gone = copies.stream().filter(c -> !store.artifacts().holds(c.digest(), c.directory()))
                .map(c -> "`" + c.name() + "`").toList();
        if (!gone.isEmpty()) {
            throw new UserError(String.join(", ", gone) + (gone.size() == 1 ? " is" : " are") + " no longer in the artifact"
                    + " store " + store.artifacts().root() + " (deleted by hand): nothing was copied",
                    "run the pipeline again: the tasks that produced them run again");
        }
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new UserError(dir + " is not a folder", "name a folder to copy into (it is created if missing)");
        }
        Map<Copy, Outcome> outcomes = new LinkedHashMap<>();
        List<String> conflicts = new ArrayList<>();
        for (Copy c : copies) {
            Path target = targets.get(c);
            Optional<Path> notFolder = notFolder(root, target.getParent());
            if (notFolder.isPresent()) {
                throw new UserError(notFolder.get() + " is in the way: " + c.name() + " goes into a folder of that name,"
                        + " and it is no folder (a file, or a link)", "move it away; nothing was copied");
            }
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                outcomes.put(c, Outcome.copied);
            } else if (sameContent(store, target, c)) {
                outcomes.put(c, Outcome.unchanged);
            } else {
                conflicts.add(shown(c));
                outcomes.put(c, Outcome.replaced);
            }
        }
        if (!conflicts.isEmpty() && !force) {
            throw new UserError("not overwriting what is already in " + dir + " with other content: " + String.join(", ", conflicts)
                    + "; nothing was copied", "copy into another folder, or add --force to replace them");
        }
        write(store, targets, outcomes);
        print(r, copies, targets, outcomes);
        return Main.OK;
    }

    /**
     * Copies every artifact that is not there yet to a temporary name beside its place, each checked against its
     * digest, then renames them all into place: a failure (an object changed on disk, a full disk) leaves nothing
     * written, not even the folders made for them.
     */
    private void write(RunStore store, Map<Copy, Path> targets, Map<Copy, Outcome> outcomes) {
        Map<Copy, Path> temporaries = new LinkedHashMap<>();
        List<Path> made = new ArrayList<>();
        Copy current = null;
        int placed = 0;
        try {
            for (Map.Entry<Copy, Path> e : targets.entrySet()) {
                if (outcomes.get(e.getKey()) == Outcome.unchanged) {
                    continue;
                }
                current = e.getKey();
                Path target = e.getValue();
                made.addAll(makeFolders(target.getParent()));
                Path temporary = target.resolveSibling("." + target.getFileName() + ".freestone-" + UUID.randomUUID() + ".part");
                temporaries.put(current, temporary);
                store.artifacts().copyOut(current.digest(), current.directory(), temporary);
            }
            current = null;
            for (Map.Entry<Copy, Path> e : temporaries.entrySet()) {
                current = e.getKey();
                Path target = targets.get(current);
                Path aside = null;
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    // --force: a folder cannot be renamed over, so the old content goes aside first, then away
                    aside = target.resolveSibling("." + target.getFileName() + ".freestone-" + UUID.randomUUID() + ".old");
                    Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
                }
                try {
                    Files.move(e.getValue(), target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException failed) {
                    if (aside != null) {
                        Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE); // the user's content back
                    }
                    throw failed;
                }
                placed++;
                if (aside != null) {
                    ArtifactStore.deleteTree(aside);
                }
            }
        } catch (IOException e) {
            for (Path t : temporaries.values()) {
                try {
                    ArtifactStore.deleteTree(t);
                } catch (IOException left) {
                    // named by the error below's path; nothing else to do
                }
            }
            for (int i = made.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(made.get(i));
                } catch (IOException notEmpty) {
                    // something else was put there meanwhile: not ours to remove
                }
            }
            String what = current == null ? "the artifacts" : "`" + current.name() + "`";
            // a rename that fails after others (rare: the same folder) leaves those in place, whole
            String left = placed == 0 ? "; nothing was copied" : "; " + count(placed) + " had been copied whole";
            if (e instanceof ArtifactStore.NotIntact) {
                throw new UserError("cannot copy " + what + ": " + e.getMessage() + left,
                        "it was changed on disk after it was stored; run the pipeline again so that the task that"
                                + " produced it runs again");
            }
            throw new UserError("cannot copy " + what + " into " + dir + ": " + describe(e) + left,
                    "check that the folder is writable and has room");
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                ? f.getFile() + ": " + f.getReason() : String.valueOf(e.getMessage());
    }

    /** The missing folders from DIR down to {@code folder}, made, outermost first. */
    private static List<Path> makeFolders(Path folder) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            Files.createDirectory(p);
        }
        return missing;
    }

    /** The first of the folders from DIR to {@code folder} that exists and is no folder (a link is none: not followed). */
    private static Optional<Path> notFolder(Path root, Path folder) {
        Path p = root;
        for (Path segment : root.relativize(folder)) {
            p = p.resolve(segment);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether what is at {@code target} is the artifact's content (a link never is: it is no copy). */
    private static boolean sameContent(RunStore store, Path target, Copy c) {
        if (Files.isSymbolicLink(target) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) != c.directory()) {
            return false;
        }
        try {
            return store.artifacts().digestOf(target).equals(c.digest());
        } catch (IOException unreadable) {
            return false; // a link or a special file inside: not the artifact's content
        }
    }

    /**
     * {@code root/name}, where {@code name} comes from the store (a task id, an output name): each of its segments a
     * plain name, so that it cannot reach out of DIR with {@code ..} or an absolute path.
     */
    private Path confined(Path root, String name) {
        boolean plain = !name.isEmpty() && java.util.Arrays.stream(name.split("/", -1)).allMatch(s -> !s.isEmpty()
                && !s.equals(".") && !s.equals("..") && s.chars().noneMatch(ch -> ch == '\\' || ch < 0x20 || ch == 0x7f));
        Path target = root.resolve(name).normalize();
        if (!plain || !target.startsWith(root) || target.equals(root)) {
            throw new UserError("the run store names an artifact `" + name + "`, which is not a path inside " + dir
                    + ": nothing was copied", "task ids and output names are plain names; was the store written by hand?");
        }
        return target;
    }

    /** A copy as the lines name it: its place under DIR, and its loop items. */
    private static String shown(Copy c) {
        return LoopItem.labelled(c.name(), c.items());
    }

    private void print(RunRecord r, List<Copy> copies, Map<Copy, Path> targets, Map<Copy, Outcome> outcomes) {
        PrintWriter out = StandardOut.forText(spec.commandLine().getOut(), output);
        if (output == Cli.Format.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Copy c : copies) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.name());
                m.put("task", c.task().orElse(null));
                m.put("items", ShowCommand.itemsJson(c.items()));
                m.put("output", c.outputName());
                m.put("type", c.type());
                m.put("digest", c.digest());
                m.put("size", c.size().orElse(null));
                m.put("path", targets.get(c).toString());
                m.put("result", outcomes.get(c).name());
                rows.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("run", r.id());
            doc.put("dir", dir.toAbsolutePath().normalize().toString());
            doc.put("artifacts", rows);
            out.println(Cli.json(doc));
            out.flush();
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (Copy c : copies) {
            Path shownPath = dir.resolve(c.name());
            rows.add(new String[] {shown(c), c.type(), c.size().map(CompileCommand::size).orElse(""),
                outcomes.get(c) == Outcome.unchanged ? "== " + shownPath + " (already there, unchanged)"
                    : "-> " + shownPath + (outcomes.get(c) == Outcome.replaced ? " (replaced)" : "")});
        }
        out.print(Cli.table(rows, out));
        long unchanged = outcomes.values().stream().filter(o -> o == Outcome.unchanged).count();
        long written = copies.size() - unchanged;
        long bytes = copies.stream().filter(c -> outcomes.get(c) != Outcome.unchanged).mapToLong(c -> c.size().orElse(0L)).sum();
        out.println("copied " + count(written) + (written > 0 ? " (" + CompileCommand.size(bytes) + ")" : "") + " of run "
                + r.id() + " into " + dir + (unchanged > 0 ? "; " + unchanged + " already there, unchanged" : ""));
        out.flush();
    }

    private static String count(long n) {
        return n + (n == 1 ? " artifact" : " artifacts");
    }
}
