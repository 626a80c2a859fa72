package dev.freestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.check.Checked;
import dev.freestone.check.Module;
import dev.freestone.check.Symbol;
import dev.freestone.check.Workspace;
import dev.freestone.ir.Ir;
import dev.freestone.runtime.store.RunStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The artifact defaults of called pipelines, made artifacts before a local run. A step that calls a pipeline
 * without one of its artifact parameters gets the callee's default, which the IR holds as the text the
 * author wrote ({@code corpus: Dataset = "../data/corpus.txt"}): a file location relative to the file that
 * declares the callee, as a run's own parameters are relative to the run's file. The engine cannot read
 * such a text (the IR names files, not folders), so each is put into the artifact store here, confined to
 * the workspace, and the run executes (and keeps, for {@code resume}) the IR with the artifact in its place;
 * the pipeline's version stays the hash of the IR as compiled. On Argo such a default is a key in the
 * artifact repository, as a run's own are (docs/argo.md).
 */
final class CallDefaults {
    private CallDefaults() {
    }

    /**
     * {@code ir} with every artifact default a pipeline call takes replaced by the stored file, and the files
     * read added to {@code read} (named {@code <pipeline>.<parameter>}); {@code ir} itself when there is none.
     */
    static Ir.Program resolve(Ir.Program ir, Checked program, Path source, RunStore store, List<RunCommand.ParamFile> read) {
        if (ir.pipelines() == null || ir.pipelines().isEmpty()) {
            return ir;
        }
        Workspace workspace = Workspace.around(source);
        Map<String, JsonNode> imported = new LinkedHashMap<>();
        CallDefaults.Rewrite rewrite = (task, param, value) -> {
            String key = task.name() + "." + param.name();
            JsonNode done = imported.get(key);
            if (done == null) {
                Path dir = declaringFile(ir.pipelines().get(task.name()), program).getParent();
                // no --param reaches a called pipeline: its caller passes the file
                done = RunCommand.importValue(ir, param.type(), value, RunPlaces.Origin.folder(dir), workspace, key,
                        "as the argument `" + param.name() + "` of the call to `" + task.name() + "`", store, read);
                imported.put(key, done);
            }
            return done;
        };
        Ir.Dag root = dag(ir, ir.root(), rewrite);
        SortedMap<String, Ir.Dag> pipelines = new TreeMap<>();
        ir.pipelines().forEach((name, d) -> pipelines.put(name, dag(ir, d, rewrite)));
        if (imported.isEmpty()) {
            return ir;
        }
        return new Ir.Program(ir.apiVersion(), ir.name(), ir.sourceFile(), ir.sourceDigest(), root, pipelines,
                ir.components(), ir.structs(), ir.artifactTypes());
    }

    @FunctionalInterface
    private interface Rewrite {
        JsonNode apply(Ir.PipelineCall callee, Ir.Param param, JsonNode location);
    }

    private static Ir.Dag dag(Ir.Program ir, Ir.Dag d, Rewrite rewrite) {
        return new Ir.Dag(d.name(), d.params(), d.outputs(), nodes(ir, d.body(), rewrite), nodes(ir, d.exitHandler(), rewrite),
                d.pos(), d.mutexes(), d.timeoutSeconds());
    }

    private static List<Ir.Node> nodes(Ir.Program ir, List<Ir.Node> nodes, Rewrite rewrite) {
        List<Ir.Node> out = new ArrayList<>(nodes.size());
        for (Ir.Node n : nodes) {
            out.add(node(ir, n, rewrite));
        }
        return out;
    }

    private static Ir.Node node(Ir.Program ir, Ir.Node n, Rewrite rewrite) {
        if (n instanceof Ir.Loop l) {
            return new Ir.Loop(l.id(), l.variable(), l.itemType(), l.items(), l.parallelism(), nodes(ir, l.body(), rewrite),
                    l.exports(), l.dependsOn(), l.pos());
        }
        if (n instanceof Ir.Cond c) {
            List<Ir.Branch> branches = new ArrayList<>();
            for (Ir.Branch b : c.branches()) {
                branches.add(new Ir.Branch(b.condition(), nodes(ir, b.body(), rewrite)));
            }
            return new Ir.Cond(c.id(), branches, nodes(ir, c.elseBody(), rewrite), c.exports(), c.dependsOn(), c.pos());
        }
        Ir.Task t = (Ir.Task) n;
        if (!(t.callee() instanceof Ir.PipelineCall call) || ir.pipelines().get(call.name()) == null) {
            return t;
        }
        SortedMap<String, Ir.Expr> inputs = new TreeMap<>(t.inputs());
        for (Ir.Param p : ir.pipelines().get(call.name()).params()) {
            // the checker takes a text for an artifact only as a parameter's default: this is the callee's
            if (inputs.get(p.name()) instanceof Ir.Const k && RunCommand.holdsArtifacts(ir, p.type()) && isLocation(k.value())) {
                inputs.put(p.name(), new Ir.Const(rewrite.apply(call, p, k.value()), k.type()));
            }
        }
        return new Ir.Task(t.id(), t.callee(), inputs, t.dependsOn(), t.settings(), t.pos());
    }

    /** A text, or a list (of lists) of texts: file locations, not yet artifacts. */
    private static boolean isLocation(JsonNode v) {
        if (v.isTextual()) {
            return true;
        }
        if (!v.isArray() || v.isEmpty()) {
            return false;
        }
        for (JsonNode e : v) {
            if (!isLocation(e)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The file declaring {@code d}: the IR keeps only a file's name and the place of the pipeline's name,
     * which the checked modules are matched against.
     */
    private static Path declaringFile(Ir.Dag d, Checked program) {
        Set<Path> found = new LinkedHashSet<>();
        for (Module m : program.modules()) {
            if (m.isStdlib()) {
                continue;
            }
            for (Symbol.Pipeline p : m.pipelines()) {
                var at = p.span();
                // a module's key is its path (the root's as given, relative to the working directory)
                Path file = Path.of(m.key()).toAbsolutePath().normalize();
                if (String.valueOf(file.getFileName()).equals(d.pos().file()) && at.line() == d.pos().line()
                        && at.column() == d.pos().column()) {
                    found.add(file);
                }
            }
        }
        if (found.size() != 1) {
            throw new UserError("pipeline `" + d.name() + "`: cannot tell which file declares it, to find the files its"
                    + " artifact parameters default to", "pass the artifacts to its call instead of relying on the defaults",
                    Main.FAILED);
        }
        return found.iterator().next();
    }
}
