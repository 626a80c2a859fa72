package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wrong value in a {@code --params} file is shown where it was written (file:line:col, the line and a
 * caret), YAML and JSON alike; a value given with {@code --param} is named {@code --param NAME}.
 */
class ParamsFilePlacesE2ETest {
    static final String PIPE = """
            component fit(lr: Float, n: Int, tags: List[String]) {
              image   = "alpine:3.20"
              command = ["echo", "${lr}", "${n}", tags]
            }
            pipeline p(lr: Float = 0.1, n: Int = 2, tags: List[String] = []) {
              f = fit(lr = lr, n = n, tags = tags)
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void aYamlFilesMistakesAreShownAtTheirLines() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String pipe = Freestone.pipe(tmp, "p.pipe", PIPE).toString();
        Path yaml = Files.writeString(tmp.resolve("params.yaml"), "# a sweep\nlr:   fast\nn: 3\nepoch: 2\n");
        Freestone.Result r = fs.cli("run", "--progress", "none", pipe, "--params", yaml.toString()).expect(1);
        assertTrue(r.err().contains(String.join("\n",
                "error[E0603]: parameter `lr` expects `Float`: `fast` is not a Float",
                " --> " + yaml + ":2:7",
                "  |",
                "2 | lr:   fast",
                "  |       ^^^^",
                "  = help: write a number such as `0.5` or `1e-3`")), r::all);
        // an unknown name is marked at the name
        assertTrue(r.err().contains(String.join("\n",
                "error[E0601]: unknown parameter `epoch` of pipeline `p`",
                " --> " + yaml + ":4:1",
                "  |",
                "4 | epoch: 2",
                "  | ^^^^^")), r::all);
        Freestone.assertNoTrace(r.all());
    }

    @Test
    void aJsonFilesMistakesAreShownAtTheirValuesAndTheCommandLineKeepsItsName() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String pipe = Freestone.pipe(tmp, "p.pipe", PIPE).toString();
        Path json = Files.writeString(tmp.resolve("params.json"), "{\n  \"n\": \"three\",\n  \"tags\": {\"a\": [1,\n 2]}\n}\n");
        for (String command : List.of("run", "compile")) {
            Freestone.Result r = fs.cli(command, pipe, "--params", json.toString()).expect(1);
            assertTrue(r.err().contains(String.join("\n",
                    " --> " + json + ":2:8",
                    "  |",
                    "2 |   \"n\": \"three\",",
                    "  |        ^^^^^^^")), r::all);
            // a value over several lines is marked on its first
            assertTrue(r.err().contains(String.join("\n",
                    "error[E0603]: parameter `tags` expects `List[String]`: the value is not a JSON list",
                    " --> " + json + ":3:11",
                    "  |",
                    "3 |   \"tags\": {\"a\": [1,",
                    "  |           ^^^^^^^^^")), r::all);
            assertEquals("", r.out(), command);
        }
        // the command line wins over the file, and its value has no place in it
        Freestone.Result r = fs.cli("run", "--progress", "none", pipe, "--params", json.toString(), "-p", "n=x").expect(1);
        assertTrue(r.err().contains("error[E0603]: parameter `n` expects `Int`: `x` is not an Int\n --> --param n:1:1\n"), r::all);
        assertTrue(r.err().contains(" --> " + json + ":3:11"), r::all);
    }

    @Test
    void aValueAfterAnEmojiOnItsLineIsMarkedWhereItIs() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String pipe = Freestone.pipe(tmp, "p.pipe", PIPE).toString();
        // the parser counts each emoji as one column, the line holds it as two chars: the place is 1:25, not 1:23;
        // a terminal shows each two columns wide, so the carets stand two columns further than the chars before them
        Path json = Files.writeString(tmp.resolve("params.json"), "{\"tags\": [\"🚀🚀\"], \"n\": \"zz\"}\n");
        Freestone.Result r = fs.cli("compile", pipe, "--params", json.toString()).expect(1);
        assertTrue(r.err().contains(String.join("\n",
                " --> " + json + ":1:25",
                "  |",
                "1 | {\"tags\": [\"🚀🚀\"], \"n\": \"zz\"}",
                "  |                         ^^^^")), r::all);
    }
}
