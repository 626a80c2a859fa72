package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline parameter that is a list of artifacts, given as file locations, runs locally. */
class ArtifactParamsE2ETest {
    @TempDir
    Path tmp;

    @Test
    void aListOfFilesBecomesAListOfArtifactsInOrder() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path a = Files.writeString(tmp.resolve("a.csv"), "x,y\n1,2\n");
        Path b = Files.writeString(tmp.resolve("b.csv"), "x,y\n3,4\n5,6\n");
        Path p = Files.writeString(tmp.resolve("rows.pipe"), """
                component rows(files: List[Dataset]) -> (counts: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import json, sys; open(sys.argv[2], 'w').write(','.join(str(len(open(f).read().splitlines()) - 1) for f in json.loads(sys.argv[1])))", files, counts]
                }

                pipeline tally(files: List[Dataset]) -> (counts: String) {
                  r = rows(files = files)
                  output counts = r.counts
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString(),
                "-p", "files=[\"" + b + "\", \"" + a + "\"]").expect(0);
        assertTrue(r.out().contains("output counts = 2,1"), r::all);
        assertEquals("x,y\n1,2\n", Files.readString(a), "the user's files stay as they were");

        // a default is a list of locations relative to the .pipe file
        Path withDefault = Files.writeString(tmp.resolve("defaults.pipe"),
                Files.readString(p).replace("pipeline tally(files: List[Dataset])",
                        "pipeline tally(files: List[Dataset] = [\"a.csv\", \"b.csv\", \"a.csv\"])"));
        Freestone.Result byDefault = fs.cli("run", "--progress", "none", withDefault.toString()).expect(0);
        assertTrue(byDefault.out().contains("output counts = 1,2,1"), byDefault::all);

        Freestone.Result missing = fs.cli("run", "--progress", "none", p.toString(),
                "-p", "files=[\"" + a + "\", \"" + tmp.resolve("nope.csv") + "\"]").expect(1);
        assertTrue(missing.err().contains("parameter `files`: no such file " + tmp.resolve("nope.csv")), missing::all);
        assertTrue(missing.err().contains("= help:"), missing::all);
        Freestone.assertNoTrace(missing.all());
    }

    @Test
    void aCalledPipelinesArtifactDefaultIsAFileBesideItsOwnModule() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("proj/lib/data"));
        Files.createDirectories(tmp.resolve("proj/.git"));
        Files.writeString(tmp.resolve("proj/lib/data/words.txt"), "one two three\n");
        Files.writeString(tmp.resolve("proj/lib/count.pipe"), """
                component words(text: Dataset) -> (n: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write(str(len(open(sys.argv[1]).read().split())))", text, n]
                }

                /// runs on its own too: the default is beside this file
                pipeline count(text: Dataset = "data/words.txt") -> (n: Int) {
                  w = words(text = text)
                  output n = w.n
                }
                """);
        Path flag = tmp.resolve("fail-once");
        Path main = Files.writeString(tmp.resolve("proj/main.pipe"), """
                import "lib/count.pipe" as c

                component gate(flag: String, n: Int) -> (n2: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import os, sys; sys.exit(3) if os.path.exists(sys.argv[1]) else open(sys.argv[3], 'w').write(sys.argv[2])", flag, n, n2]
                }

                pipeline main(flag: String) -> (n: Int, again: Int) {
                  k = c.count()
                  for i in [1, 2] {
                    again = c.count()
                  }
                  g = gate(flag = flag, n = k.n)
                  output n = g.n2
                  output again = again.n[0]
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", main.toString(), "-p", "flag=" + flag).expect(0);
        assertTrue(r.out().contains("output n = 3"), r::all);
        assertTrue(r.out().contains("output again = 3"), r::all);

        // the version is the compiled pipeline's, as `compile` says it
        Freestone.Result ir = fs.cli("compile", "--emit", "ir", main.toString(), "-p", "flag=x").expect(0);
        String version = ir.err().replaceAll("(?s).*sha256 ([0-9a-f]{12}).*", "$1");
        assertTrue(r.err().contains("(version " + version + ")"), r.all() + ir.all());

        // resume runs the recorded pipeline, the default's copy included, once the file is gone
        Files.writeString(flag, "");
        Freestone.Result failed = fs.cli("run", "--progress", "none", "--no-cache", main.toString(), "-p", "flag=" + flag).expect(1);
        Files.delete(flag);
        Files.delete(tmp.resolve("proj/lib/data/words.txt"));
        Freestone.Result resumed = fs.cli("resume", "--progress", "none", failed.runId()).expect(0);
        assertTrue(resumed.out().contains("output n = 3"), resumed::all);
        assertTrue(resumed.err().contains("version " + version), resumed::all);

        Freestone.Result gone = fs.cli("run", "--progress", "none", main.toString(), "-p", "flag=" + flag).expect(1);
        assertTrue(gone.err().contains("parameter `count.text`: no such file " + tmp.resolve("proj/lib/data/words.txt")), gone::all);
        // no --param reaches a called pipeline's parameter: the help names the call (it said --param count.text=PATH)
        assertTrue(gone.err().contains("= help: pass an existing file as the argument `text` of the call to `count`"), gone::all);
        assertFalse(gone.err().contains("--param count.text"), gone::all);
        Freestone.assertNoTrace(gone.all());

        // a default that leaves the workspace is refused as a run's own is
        Files.writeString(tmp.resolve("outside.txt"), "a b\n");
        Files.writeString(tmp.resolve("proj/lib/count.pipe"), Files.readString(tmp.resolve("proj/lib/count.pipe"))
                .replace("\"data/words.txt\"", "\"../../outside.txt\""));
        Freestone.Result outside = fs.cli("run", "--progress", "none", main.toString(), "-p", "flag=" + flag).expect(1);
        assertTrue(outside.err().contains("is outside the workspace"), outside::all);
        assertTrue(outside.err().contains("pass another file as the argument `text` of the call to `count`"), outside::all);
    }
}
