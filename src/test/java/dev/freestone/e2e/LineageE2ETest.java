package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone lineage}: a model copied out of the store is traced to the run that made it, its dataset and the
 * file that dataset was prepared from; a cached step leads to the run whose outputs it reused; {@code --downstream}
 * finds every training that read a dataset; a loop's iterations, a folder, the JSON shape and the mistakes.
 */
class LineageE2ETest {
    private static final String FLOW = """
            component clean(raw: Dataset) -> (data: Dataset) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "tr a-z A-Z < \\"$0\\" > \\"$1\\"", raw, data]
            }
            component fit(data: Dataset, lr: Float) -> (model: Model) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "printf 'lr=%s\\\\n' \\"$1\\" > \\"$2\\" && cat \\"$0\\" >> \\"$2\\"", data, lr, model]
            }
            component score(model: Model) -> (report: Dataset, log: Dataset) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "wc -c < \\"$0\\" > \\"$1\\" && echo scored > \\"$2\\"", model, report, log]
            }
            pipeline flow(raw: Dataset, lr: Float = 0.1) -> (model: Model) {
              prepare  = clean(raw = raw)
              train    = fit(data = prepare.data, lr = lr)
              evaluate = score(model = train.model)
              output model = train.model
            }
            """;

    private static final String GRID = """
            component fit(lr: Float) -> (model: Model) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "printf 'w=%s\\\\n' \\"$0\\" > \\"$1\\"", lr, model]
            }
            component pack(models: List[Model]) -> (kit: Dataset) {
              image   = "python:3.12-slim"
              command = ["python3", "-c", "import json, os, shutil, sys; os.makedirs(sys.argv[2], exist_ok=True); [shutil.copy(m, os.path.join(sys.argv[2], 'm%d' % i)) for i, m in enumerate(json.loads(sys.argv[1]))]", models, kit]
            }
            pipeline grid(rates: List[Float] = [0.1, 0.2]) {
              for lr in rates {
                sweep = fit(lr = lr)
              }
              bundle = pack(models = sweep.model)
            }
            """;

    @TempDir
    Path tmp;
    private Freestone fs;
    private Path raw;
    private String first;
    private String second;

    /** The pipeline run twice with other learning rates: the second reuses the first's prepared dataset. */
    @BeforeEach
    void runTwice() throws Exception {
        fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "flow.pipe", FLOW);
        raw = Files.writeString(tmp.resolve("raw.csv"), "a,b\n1,2\n");
        first = fs.cli("run", "--progress", "none", pipe.toString(), "-p", "raw=" + raw, "-p", "lr=0.1").expect(0).runId();
        second = fs.cli("run", "--progress", "none", pipe.toString(), "-p", "raw=" + raw, "-p", "lr=0.2").expect(0).runId();
        assertEquals("Cached", Freestone.state(fs.show(second), "prepare"));
    }

    @Test
    void aCopiedModelNamesItsRunItsDatasetAndTheFileItCameFrom() throws Exception {
        Path out = tmp.resolve("out");
        fs.cli("cp", second, out.toString(), "--task", "train").expect(0);
        Freestone.Result r = fs.cli("lineage", out.resolve("train/model").toString()).expect(0);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith(out.resolve("train/model") + " (sha256:"), r::all);
        assertEquals("produced by 1 task:", lines.get(1), r::all);
        assertEquals(List.of(
                "train.model  run " + second,
                "  data <- prepare.data [Cached]",
                "    reused the outputs of prepare  run " + first,
                "      raw <- parameter `raw` (" + raw + ", sha256:" + digest(raw).substring(0, 12) + ")"),
                lines.subList(2, 6), r::all);
        // the runs with their parameters: the learning rate that made this model
        int runs = lines.indexOf("runs");
        assertTrue(lines.get(runs + 1).startsWith("  " + second + "  flow  version "), r::all);
        assertEquals("    params   lr = 0.2", lines.get(runs + 2), r::all);
        assertTrue(lines.get(lines.size() - 3).startsWith("  " + first + "  flow  version "), r::all);

        // the first run's model is another file: its own run
        Freestone.Result one = fs.cli("lineage", first, "train").expect(0);
        assertTrue(one.out().contains("train.model  run " + first + "\n  data <- prepare.data\n    raw <- parameter `raw`"),
                one::all);
    }

    @Test
    void aCachedTaskLeadsToTheRunThatProducedItsOutputs() {
        // the dataset is an artifact of both runs (the second reused it): the original first, then the reuse
        Freestone.Result r = fs.cli("lineage", second, "prepare.data").expect(0);
        assertTrue(r.out().contains("prepare.data [Cached]  run " + second + "\n  reused the outputs of prepare  run "
                + first + "\n    raw <- parameter `raw`"), r::all);
        Path data = tmp.resolve("data");
        fs.cli("cp", first, data.toString(), "--task", "prepare").expect(0);
        Freestone.Result both = fs.cli("lineage", data.resolve("prepare/data").toString()).expect(0);
        assertTrue(both.out().contains("produced by 2 tasks:\nprepare.data  run " + first + "\n  raw <- parameter"), both::all);
        assertTrue(both.out().contains("\nprepare.data [Cached]  run " + second + "\n  reused the outputs of prepare  run "
                + first + "  (see above)\n"), both::all);
    }

    @Test
    void downstreamOfTheDatasetListsBothTrainings() {
        Freestone.Result r = fs.cli("lineage", first, "prepare.data", "--downstream").expect(0);
        List<String> lines = r.out().lines().toList();
        assertEquals("consumed by 2 tasks:", lines.get(1), r::all);
        assertTrue(lines.contains("train, input data  run " + first), r::all);
        assertTrue(lines.contains("train, input data  run " + second), r::all);
        assertTrue(lines.contains("  model -> evaluate, input model"), r::all);
        assertTrue(lines.contains("    report (Dataset, consumed by no task)"), r::all);
        assertTrue(lines.contains("    log (Dataset, consumed by no task)"), r::all);
        // --depth 1: the trainings, not what came of them
        Freestone.Result shallow = fs.cli("lineage", first, "prepare.data", "--downstream", "--depth", "1").expect(0);
        assertTrue(shallow.out().contains("train, input data  run " + first + "\n  ...\n"), shallow::all);
        assertTrue(!shallow.out().contains("evaluate"), shallow::all);
        // the raw file: read by both preparations (the second's a cache hit)
        Freestone.Result file = fs.cli("lineage", raw.toString(), "--downstream", "--depth", "1").expect(0);
        assertTrue(file.out().contains("prepare, input raw  run " + first), file::all);
        assertTrue(file.out().contains("prepare [Cached], input raw  run " + second), file::all);
        // and upstream, a file no task made: the parameters it was
        Freestone.Result up = fs.cli("lineage", raw.toString()).expect(0);
        assertTrue(up.out().contains("produced by no task; read by runs as a parameter"), up::all);
        assertTrue(up.out().contains("parameter `raw` (" + raw + ", sha256:"), up::all);
    }

    @Test
    void downstreamOfADiamondNamesTheJoinOnceAndThenAsSeenAbove() throws Exception {
        Path pipe = Freestone.pipe(tmp, "diamond.pipe", """
                component half(data: Dataset, side: String) -> (part: Dataset) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "cat \\"$0\\" > \\"$2\\" && echo \\"$1\\" >> \\"$2\\"", data, side, part]
                }
                component join(a: Dataset, b: Dataset) -> (report: Dataset) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "cat \\"$0\\" \\"$1\\" > \\"$2\\"", a, b, report]
                }
                pipeline diamond(raw: Dataset) {
                  left  = half(data = raw, side = "l")
                  right = half(data = raw, side = "r")
                  both  = join(a = left.part, b = right.part)
                }
                """);
        String run = fs.cli("run", "--progress", "none", pipe.toString(), "-p", "raw=" + raw).expect(0).runId();
        Freestone.Result r = fs.cli("lineage", run, "left.part", "--downstream").expect(0);
        assertTrue(r.out().contains("both, input a  run " + run + "\n  report (Dataset, consumed by no task)\n"), r::all);
        // from the raw file both ways lead to the join: the second is named, its output left to the first
        Freestone.Result file = fs.cli("lineage", raw.toString(), "--downstream").expect(0);
        List<String> lines = file.out().lines().toList();
        assertTrue(lines.containsAll(List.of(
                "left, input data  run " + run,
                "  part -> both, input a",
                "    report (Dataset, consumed by no task)",
                "right, input data  run " + run,
                "  part -> both, input b  (see above)")), file::all);
    }

    @Test
    void aLoopsIterationsAndAFolderOfTheirModels() throws Exception {
        Path pipe = Freestone.pipe(tmp, "grid.pipe", GRID);
        String grid = fs.cli("run", "--progress", "none", pipe.toString()).expect(0).runId();
        Freestone.Result it = fs.cli("lineage", grid, "sweep[1]").expect(0);
        assertTrue(it.out().startsWith("sweep[1].model of run " + grid + " (sha256:"), it::all);
        assertTrue(it.out().contains("\nsweep[1].model (lr=0.2)  run " + grid + "\n"), it::all);
        Path out = tmp.resolve("kit");
        fs.cli("cp", "@latest", out.toString(), "--task", "bundle").expect(0);
        Freestone.Result folder = fs.cli("lineage", out.resolve("bundle/kit").toString()).expect(0);
        assertTrue(folder.out().lines().findFirst().orElseThrow().endsWith(", a folder"), folder::all);
        assertTrue(folder.out().contains("bundle.kit  run " + grid + "\n  models <- sweep[0].model (lr=0.1)\n"
                + "  models <- sweep[1].model (lr=0.2)\n"), folder::all);
        // a changed copy is other content
        Files.writeString(out.resolve("bundle/kit/extra"), "x");
        Freestone.Result changed = fs.cli("lineage", out.resolve("bundle/kit").toString()).expect(1);
        assertTrue(changed.err().contains("was never recorded by a run in this store"), changed::all);
    }

    @Test
    void jsonIsNodesAndEdges() throws Exception {
        Freestone.Result r = fs.cli("lineage", second, "train.model", "--output", "json").expect(0);
        JsonNode doc = Freestone.JSON.readTree(r.out());
        assertEquals(List.of("artifact", "depth", "direction", "edges", "nodes", "roots", "runs"), names(doc));
        assertEquals(second, doc.get("artifact").get("run").asText());
        assertEquals("model", doc.get("artifact").get("output").asText());
        assertEquals("upstream", doc.get("direction").asText());
        assertEquals("task:" + second + "/train", doc.get("roots").get(0).get("node").asText());
        List<String> ids = new ArrayList<>();
        doc.get("nodes").forEach(n -> ids.add(n.get("id").asText()));
        assertEquals(List.of("task:" + second + "/train", "task:" + second + "/prepare", "task:" + first + "/prepare",
                "param:" + first + ":raw"), ids);
        JsonNode param = doc.get("nodes").get(3);
        assertEquals("parameter", param.get("kind").asText());
        assertEquals(raw.toString(), param.get("file").asText());
        assertEquals(digest(raw), param.get("digest").asText());
        List<String> edges = new ArrayList<>();
        doc.get("edges").forEach(e -> edges.add(e.get("from").asText() + " " + e.get("via").asText() + " "
                + e.get("output").asText() + ">" + e.get("input").asText() + " " + e.get("to").asText()));
        assertEquals(List.of(
                "task:" + second + "/prepare input data>data task:" + second + "/train",
                "task:" + first + "/prepare cache null>null task:" + second + "/prepare",
                "param:" + first + ":raw input null>raw task:" + first + "/prepare"), edges);
        assertEquals(2, doc.get("runs").size());
        assertEquals(0.2, doc.get("runs").get(0).get("params").get("lr").asDouble());
    }

    @Test
    void mistakesAreErrorsWithHelp() throws Exception {
        Freestone.Result missing = fs.cli("lineage", tmp.resolve("nope.bin").toString()).expect(2);
        assertTrue(missing.err().startsWith("error: no such file or folder: " + tmp.resolve("nope.bin") + "\n  = help: "),
                missing::all);
        Path fifo = tmp.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assertTrue(fs.cli("lineage", fifo.toString()).expect(2).err().contains("is not a regular file or a folder"));
        Path other = Files.writeString(tmp.resolve("other.bin"), "never stored");
        Freestone.Result unknown = fs.cli("lineage", other.toString()).expect(1);
        assertTrue(unknown.err().contains("was never recorded by a run in this store\n  = help: no run's task produced or"
                + " consumed it in " + fs.home()), unknown::all);
        assertTrue(fs.cli("lineage", "run-nope", "train").expect(1).err().startsWith("error: no run matches"));
        Freestone.Result task = fs.cli("lineage", first, "trian").expect(1);
        assertTrue(task.err().contains("error: run " + first + " has no task `trian`\n  = help: did you mean `train`?"),
                task::all);
        Freestone.Result output = fs.cli("lineage", first, "train.modle").expect(1);
        assertTrue(output.err().contains("error: run " + first + " has no artifact `train.modle`"), output::all);
        for (String notAPath : List.of("", " ", "a\0b")) {
            Freestone.Result r = fs.cli("lineage", notAPath).expect(2);
            assertTrue(r.err().startsWith("error: `") && r.err().contains("` is not a path\n  = help: "), r::all);
        }
        Freestone.Result alone = fs.cli("lineage", first).expect(2);
        assertTrue(alone.err().contains("= help: a run's artifact is named after it, RUN TASK[.OUTPUT]: `freestone lineage "
                + first + " train.model`"), alone::all);
        Freestone.Result two = fs.cli("lineage", first, "train", "--depth", "0").expect(2);
        assertTrue(two.err().startsWith("error: --depth takes a number of tasks from 1 up, got 0\n"), two::all);
        Freestone.Result several = fs.cli("lineage", first, "evaluate").expect(1);
        assertTrue(several.err().contains("error: task `evaluate` of run " + first + " produced 2 artifacts: name one\n"
                + "  = help: its artifacts are: evaluate.log, evaluate.report"), several::all);
        Freestone.Result many = fs.cli("lineage", second, "prepare").expect(0);
        assertTrue(many.out().contains("prepare.data [Cached]"), many::all);
        fs.cli("lineage").expect(2);
        for (Freestone.Result r : List.of(missing, unknown, task, output)) {
            Freestone.assertNoTrace(r.all());
        }
    }

    private static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private String digest(Path file) throws Exception {
        try (var store = fs.openStore()) {
            return store.artifacts().digestOf(file);
        }
    }
}
