package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone graph --run RUN}: the DAG of a run as it went, as a user draws it after a failed run (piped to
 * {@code dot} or pasted into a Mermaid viewer): each task filled by its state, a loop's iterations counted, a called
 * pipeline as the one task that called it, the run as the title; a cached re-run drawn blue.
 */
class RunGraphE2ETest {
    @TempDir
    Path tmp;

    /** A step that exits with its {@code code} (and writes it), and a pipeline that calls it: for the pictures' tests. */
    static final String STEPS = """
            component step(code: Int) -> (o: Int) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "printf %s \\"$0\\" > \\"$1\\"; exit $0", "${code}", o]
            }

            pipeline inner(code: Int) -> (o: Int) {
              s = step(code = code)
              output o = s.o
            }

            """;

    private static final String PIPE = STEPS + """
            pipeline sweep(rates: List[Int] = [0, 3, 0]) {
              a = step(code = 0)
              for lr in rates {
                f = step(code = lr)
              }
              _g = step(code = f.o[0])
              w = inner(code = a.o)
            }
            """;

    @Test
    void aRunIsDrawnWithEachTaskFilledByItsState() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "sweep.pipe", PIPE);
        String failed = fs.cli("run", "--progress", "none", p.toString()).expect(1).runId();

        String dot = fs.cli("graph", "--run", failed).expect(0).out();
        assertTrue(dot.startsWith("digraph \"sweep\" {\n  labelloc=t;\n  label=\"" + failed + " sweep: Failed\";\n"), dot);
        assertTrue(dot.contains("[label=\"a\\nstep\\nSucceeded\", style=\"rounded,filled\", fillcolor=\"#c8e6c9\"];"), dot);
        // the loop's three iterations under one node, red for the one that failed
        assertTrue(dot.contains("[label=\"f\\nstep\\n2 Succeeded, 1 Failed\", style=\"rounded,filled\", fillcolor=\"#ffcdd2\"];"),
                dot);
        assertTrue(dot.contains("[label=\"_g\\nstep\\nSkipped\", style=\"rounded,filled,dashed\", fillcolor=\"#e0e0e0\"];"), dot);
        // the called pipeline is its calling task; its own tasks (w/s) are not drawn apart
        assertTrue(dot.contains("[label=\"w\\ninner\\nSucceeded\", style=\"rounded,bold,filled\", fillcolor=\"#c8e6c9\"];"), dot);
        assertFalse(dot.contains("w/s"), dot);
        // the same picture as `graph FILE` but for the marks: the edges and the loop's cluster are the file's
        String file = fs.cli("graph", p.toString()).expect(0).out();
        assertEquals(edges(file), edges(dot));

        // the run again with the failing rate gone: the steps that ran before are cached
        String cached = fs.cli("run", "--progress", "none", p.toString(), "--param", "rates=[0, 0]").expect(0).runId();
        String mermaid = fs.cli("graph", "--run", "@latest", "--format", "mermaid").expect(0).out();
        assertTrue(mermaid.startsWith("---\ntitle: \"" + cached + " sweep: Succeeded\"\n---\nflowchart TD\n"), mermaid);
        assertTrue(mermaid.contains("[\"a<br/>step<br/>Cached\"]:::cached\n"), mermaid);
        assertTrue(mermaid.contains("[\"f<br/>step<br/>2 Cached\"]:::cached\n"), mermaid);
        // `_g` runs now, with the same input as `a` had: a hit too; the called pipeline is a task of the run itself
        assertTrue(mermaid.contains("[\"_g<br/>step<br/>Cached\"]:::cached\n"), mermaid);
        assertTrue(mermaid.contains("[[\"w<br/>inner<br/>Succeeded\"]]:::succeeded\n"), mermaid);
        assertTrue(mermaid.contains("  classDef succeeded fill:#c8e6c9\n  classDef cached fill:#bbdefb\n"), mermaid);
        assertFalse(mermaid.contains("classDef failed"), "only the fills used are defined:\n" + mermaid);
    }

    private static List<String> edges(String dot) {
        return dot.lines().filter(l -> l.contains(" -> ") || l.contains("subgraph")).toList();
    }

    @Test
    void mistakesAreSaidWithWhatToDo() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "sweep.pipe", PIPE.replace("[0, 3, 0]", "[0]"));

        Freestone.Result neither = fs.cli("graph").expect(2);
        assertTrue(neither.err().contains("give a .pipe file, or a run with --run"), neither::all);
        Freestone.Result both = fs.cli("graph", p.toString(), "--run", "@latest").expect(2);
        assertTrue(both.err().contains("not both"), both::all);
        Freestone.Result empty = fs.cli("graph", "--run", "@latest").expect(1);
        assertTrue(empty.err().contains("`freestone run FILE` starts one"), empty::all);

        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        Freestone.Result unknown = fs.cli("graph", "--run", "run-19990101").expect(1);
        assertTrue(unknown.err().contains("freestone runs"), unknown::all);
        Freestone.Result withPipeline = fs.cli("graph", "--run", run, "--pipeline", "sweep").expect(2);
        assertTrue(withPipeline.err().contains("leave --pipeline out with --run"), withPipeline::all);

        // the recorded pipeline deleted from the artifact store by hand: said, with the way that still works
        try (var objects = Files.walk(tmp.resolve("home/artifacts"))) {
            for (Path f : objects.filter(Files::isRegularFile).toList()) {
                f.toFile().setWritable(true);
                if (Files.readString(f).contains("\"sweep\"")) {
                    Files.delete(f);
                }
            }
        }
        Freestone.Result gone = fs.cli("graph", "--run", run).expect(1);
        assertTrue(gone.err().contains("run " + run + " cannot be drawn: the pipeline it ran"), gone::all);
        assertTrue(gone.err().contains("`freestone graph FILE` draws the pipeline from its file"), gone::all);
        Freestone.assertNoTrace(gone.all());
    }
}
