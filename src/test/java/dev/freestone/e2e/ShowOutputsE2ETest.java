package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code show} gives the pipeline's outputs that {@code run} printed: parameters as values, artifacts by their stored object. */
class ShowOutputsE2ETest {
    @TempDir
    Path tmp;

    @Test
    void showGivesThePipelinesOutputsAsRunPrintedThem() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "o.pipe", """
                component make(n: Int) -> (model: Model, score: Float, names: List[String]) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    open(os.environ["model"], "w").write("weights")
                    open(os.environ["score"], "w").write("0.93")
                    json.dump(["a", "b"], open(os.environ["names"], "w"))
                  \"""
                }
                pipeline o(n: Int = 1) -> (model: Model, score: Float, names: List[String], models: List[Model]) {
                  m = make(n = n)
                  for k in [1, 2] {
                    each = make(n = k)
                  }
                  output model = m.model
                  output score = m.score
                  output names = m.names
                  output models = each.model
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(r.out().contains("  output score = 0.93\n"), r::all);
        JsonNode outputs = fs.show(r.runId()).get("outputs");
        assertEquals(0.93, outputs.get("score").doubleValue());
        assertEquals("[\"a\",\"b\"]", outputs.get("names").toString());
        JsonNode model = outputs.get("model");
        assertEquals("Model", model.get("type").asText());
        Path object = Path.of(URI.create(model.get("uri").asText()));
        assertEquals("weights", Files.readString(object));
        assertTrue(object.toString().endsWith(model.get("digest").asText()), model::toString);
        // a list of artifacts: each as one
        assertEquals(2, outputs.get("models").size());
        assertEquals(model.get("digest"), outputs.get("models").get(1).get("digest"));
        // the text gives each as `run` printed it: an artifact by its path
        String text = fs.cli("show", r.runId()).expect(0).out();
        assertTrue(text.contains("output   model = " + object + "\n"), text);
        assertTrue(text.contains("output   score = 0.93\n"), text);
        assertTrue(r.out().contains("  output model = " + object + "\n"), r::all);
        // a list of artifacts too, in `run` and `show` alike: a JSON list of paths, as a step is given one
        Path first = Path.of(URI.create(outputs.get("models").get(0).get("uri").asText()));
        String paths = "[\"" + first + "\",\"" + object + "\"]";
        assertTrue(r.out().contains("  output models = " + paths + "\n"), r::all);
        assertTrue(text.contains("output   models = " + paths + "\n"), text);
        // a value is no file to print: `artifacts --print` gives it and says where the values are
        Freestone.Result value = fs.cli("artifacts", r.runId(), "--print", "m.names").expect(1);
        assertTrue(value.err().contains("error: `m.names` is a value, not a file: names = [\"a\",\"b\"]\n"
                + "  = help: `freestone show " + r.runId() + "` gives every task's values"), value::all);
    }

    /** A small or large Float reads as the step was handed it and as the OUTPUTS column has it: `1e-05`, not `1.0E-5`. */
    @Test
    void aFloatOutputReadsAsTheEngineWritesIt() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "small.pipe", """
                component shrink(x: Float) -> (y: Float, ys: List[Float]) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    open(os.environ["y"], "w").write("1e-05")
                    json.dump([1e-05, 2e20], open(os.environ["ys"], "w"))
                  \"""
                }
                pipeline small(x: Float = 0.001) -> (y: Float, ys: List[Float]) {
                  s = shrink(x = x)
                  output y = s.y
                  output ys = s.ys
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        assertTrue(r.out().contains("  output y = 1e-05\n  output ys = [1e-05,2e+20]\n"), r::all);
        String text = fs.cli("show", r.runId()).expect(0).out();
        assertTrue(text.contains("output   y = 1e-05\noutput   ys = [1e-05,2e+20]\n"), text);
        assertTrue(text.contains("{\"y\":1e-05,\"ys\":[1e-05,2e+20]}"), text);
    }

    /**
     * The parameters a line each, as the outputs: an artifact by the file it was read from (and the digest of what was
     * read), not the store's {@code {"$artifact": ...}}; a Float as the step was handed it.
     */
    @Test
    void showGivesAParameterALineAndAnArtifactByItsFile() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "count.pipe", """
                component count(data: Dataset, rates: List[Float], tag: String) -> (n: Int) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os
                    open(os.environ["n"], "w").write(str(len(open(os.environ["data"]).readlines())))
                  \"""
                }
                pipeline c(data: Dataset = "rows.csv", rates: List[Float] = [0.1, 0.00001], tag: String = "first try") -> (n: Int) {
                  k = count(data = data, rates = rates, tag = tag)
                  output n = k.n
                }
                """);
        Path rows = Files.writeString(tmp.resolve("rows.csv"), "a\nb\n");
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        String digest = fs.show(run).get("params").get("data").get("$artifact").asText();
        String text = fs.cli("show", run).expect(0).out();
        assertTrue(text.contains("params   data = " + rows.toRealPath() + " (sha256:" + digest.substring(0, 12) + ")\n"
                + "         rates = [0.1,1e-05]\n"
                + "         tag = first try\n"
                + "output   n = 2\n"), text);
    }

    /**
     * A Duration reads as its literal, by the type the recorded pipeline declares (the store keeps its seconds and no
     * types), in a list and a struct too; {@code --output json} keeps the seconds; without the recorded pipeline, the
     * seconds.
     */
    @Test
    void aDurationParameterReadsAsItsLiteral() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "wait.pipe", """
                struct Policy { pause: Duration, tries: Int }

                component idle(pause: Duration, waits: List[Duration], policy: Policy, memory: Quantity) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    pass
                  \"""
                }
                pipeline w(pause: Duration = 10m, waits: List[Duration] = [250ms, 90m, 1d], policy: Policy = Policy(pause = 2h, tries = 3),
                           memory: Quantity = 512Mi, n: Int = 600) {
                  idle(pause = pause, waits = waits, policy = policy, memory = memory)
                }
                """);
        String run = fs.cli("run", "--progress", "none", p.toString(), "--param", "pause=1h").expect(0).runId();
        String text = fs.cli("show", run).expect(0).out();
        assertTrue(text.contains("params   memory = 512Mi\n"
                + "         n = 600\n"
                + "         pause = 1h\n"
                + "         policy = {\"pause\":\"2h\",\"tries\":3}\n"
                + "         waits = [\"250ms\",\"90m\",\"1d\"]\n"), text);
        // metrics, comparing two runs, lists the parameters they differ in as show writes them
        String other = fs.cli("run", "--progress", "none", p.toString(), "--param", "pause=90s").expect(0).runId();
        String compared = fs.cli("metrics", run, other).expect(0).out();
        assertTrue(compared.lines().anyMatch(l -> l.matches("pause\\s+1h\\s+90s")), compared);
        JsonNode params = fs.show(run).get("params");
        assertEquals(3600, params.get("pause").intValue());
        assertEquals("[0.25,5400,86400]", params.get("waits").toString());

        // the recorded pipeline gone from the artifact store: the store's seconds, as before it was read
        try (var store = fs.openStore()) {
            String ir = store.events(run).stream().filter(e -> e.kind().equals("ir")).findFirst().orElseThrow().message();
            Files.delete(store.artifacts().get(ir).orElseThrow());
        }
        String without = fs.cli("show", run).expect(0).out();
        assertTrue(without.contains("         pause = 3600\n"), without);
        assertTrue(without.contains("         waits = [0.25,5400,86400]\n"), without);
    }

    @Test
    void aRunWithoutOutputsHasNone() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "greet.pipe", dev.freestone.testing.CliRun.GREET);
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        assertEquals("{}", fs.show(run).get("outputs").toString());
        assertTrue(!fs.cli("show", run).expect(0).out().contains("output "), run);
    }
}
