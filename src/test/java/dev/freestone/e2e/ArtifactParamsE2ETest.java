package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
