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
 * A failing script step's traceback names the file the engine ran ({@code .../attempt-1/script}); the
 * failure report adds the {@code .pipe} line each cited line was written on, and the log stays the step's own.
 */
class ScriptTracebackE2ETest {
    @TempDir
    Path tmp;

    @Test
    void aPythonTracebackNamesThePipeLinesOfItsFrames() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("lib"));
        // the component in an imported module: its lines are named by its path from the pipeline's folder
        Freestone.pipe(tmp.resolve("lib"), "steps.pipe", """
                component divide(n: Int) -> (out: Float) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os

                    def inverse(x):
                        return 1 / x

                    inverse(int(os.environ["n"]))
                  \"""
                }
                """);
        Path p = Freestone.pipe(tmp, "t.pipe", """
                import "./lib/steps.pipe" as steps

                pipeline t(n: Int = 0) {
                  d = steps.divide(n = n)
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        List<String> frames = r.err().lines().filter(l -> l.contains("attempt-1/script\", line ")).toList();
        assertEquals(2, frames.size(), r::all);
        assertTrue(frames.get(0).endsWith("\", line 6, in <module>  (at lib/steps.pipe:9)"), r::all);
        assertTrue(frames.get(1).endsWith("\", line 4, in inverse  (at lib/steps.pipe:7)"), r::all);
        assertTrue(r.err().contains("  |     return 1 / x\n"), r::all);
        // show quotes the same report; the log is what the step wrote, without the places
        String shown = Freestone.task(fs.show(r.runId()), "d").get("message").asText();
        assertTrue(shown.contains("in inverse  (at lib/steps.pipe:7)"), shown);
        String log = fs.cli("logs", r.runId(), "d").expect(0).out();
        assertTrue(log.contains("line 4, in inverse\n"), log);
        assertFalse(log.contains("steps.pipe"), log);
    }

    @Test
    void aShellScriptAndAOneLineScriptAreNamedToo() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "sh.pipe", """
                component broken() {
                  image  = "alpine:3.20"
                  script = \"""
                    echo starting
                    no-such-program-here --now
                    exit 3
                  \"""
                }
                component raises() {
                  image  = "python:3.12-slim"
                  script = python "x = 1\\nraise ValueError(x)"
                }
                pipeline s() {
                  b = broken()
                  r = raises()
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        // bash says `script: line 2: ...`, dash `script: 2: ...`: both name the line
        assertTrue(r.err().lines().anyMatch(l -> l.contains("attempt-1/script:") && l.contains("no-such-program-here")
                && l.endsWith("  (at sh.pipe:5)")), r::all);
        // a one-line string holds every line of its script
        assertTrue(r.err().lines().anyMatch(l -> l.contains("attempt-1/script\", line 2, in <module>")
                && l.endsWith("  (at sh.pipe:11)")), r::all);
    }
}
