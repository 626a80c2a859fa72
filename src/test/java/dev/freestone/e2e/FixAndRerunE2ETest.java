package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data scientist's loop: a run with parameters fails on a bug in a step's script, the user fixes
 * the .pipe file and asks what to do. {@code resume} runs the pipeline as it was, so the help names the
 * {@code freestone run} line that runs the fixed one with the same parameters; run as written, the
 * steps before the fixed one come from the cache.
 */
class FixAndRerunE2ETest {
    private static final String PIPELINE = """
            component make(rows: Int, tag: String, extra: Dataset, pause: Duration) -> (data: Dataset) {
              image  = "python:3.12-slim"
              script = python \"""
                import os
                with open(os.environ["data"], "w") as f:
                    f.write(os.environ["tag"] + "\\n" * int(os.environ["rows"]))
                    f.write(open(os.environ["extra"]).read())
              \"""
            }

            component count(data: Dataset) -> (n: Int) {
              image  = "python:3.12-slim"
              script = python \"""
                import os
                n = len(open(os.environ["data"]).read().splitlines())
                BUG
                open(os.environ["n"], "w").write(str(n))
              \"""
            }

            pipeline lines(rows: Int = 2, tag: String = "t", extra: Dataset = "extra.csv", pause: Duration = 1s) -> (n: Int) {
              m = make(rows = rows, tag = tag, extra = extra, pause = pause)
              c = count(data = m.data)
              output n = c.n
            }
            """;

    @TempDir
    Path tmp;

    /** A fix made in a file the pipeline imports names that file: the file the run names has not changed. */
    @Test
    void aFixInAnImportedFileIsToldAsOne() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path lib = Freestone.pipe(tmp, "lib.pipe", """
                component check(n: Int) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import sys
                    sys.exit(3)
                  \"""
                }
                """);
        Path p = Freestone.pipe(tmp, "main.pipe", """
                import "./lib.pipe" as lib

                pipeline main(n: Int = 1) {
                  lib.check(n = n)
                }
                """);
        String failed = fs.cli("run", "--progress", "none", p.toString()).expect(1).runId();
        Files.writeString(lib, Files.readString(lib).replace("sys.exit(3)", "sys.exit(0)"));
        Freestone.Result resumed = fs.cli("resume", failed, "--progress", "none").expect(1);
        assertTrue(resumed.err().contains("warning: " + lib + " changed since run " + failed
                + " ran it; the resumed run runs the pipeline as it was then"), resumed::all);
        assertTrue(resumed.err().contains("= help: `freestone run " + p + "` runs it as it is now"), resumed::all);
    }

    @Test
    void theHelpAfterAFailureRunsTheFixedPipelineWithTheSameParameters() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Files.writeString(tmp.resolve("extra.csv"), "a\n");
        Path other = Files.writeString(tmp.resolve("other.csv"), "b\nc\n");
        Path p = Freestone.pipe(tmp, "lines.pipe", PIPELINE.replace("BUG", "import sys; sys.exit(3)"));
        String[] given = {"--param", "rows=3", "--param", "tag=a b", "--param", "extra=" + other, "--param", "pause=2m"};
        // the defaults left out, the rest as --param reads them (a Duration with its unit, a file by its path)
        String line = "freestone run " + p + " --param rows=3 --param 'tag=a b' --param extra=" + other + " --param pause=2m";

        Freestone.Result failed = fs.cli(concat(new String[] {"run", "--progress", "none", p.toString()}, given)).expect(1);
        assertTrue(failed.err().contains("`freestone resume " + failed.runId() + "` runs what did not succeed again, as it"
                + " was; after a fix to the .pipe file, `" + line + "` runs it as it is now"), failed::all);
        // the one task that failed is named, so its whole log is one paste away
        assertTrue(failed.err().contains("see `freestone show " + failed.runId() + "` and `freestone logs " + failed.runId()
                + " c`;"), failed::all);
        fs.cli("logs", failed.runId(), "c").expect(0);

        Freestone.pipe(tmp, "lines.pipe", PIPELINE.replace("BUG", "pass"));
        Freestone.Result resumed = fs.cli("resume", failed.runId(), "--progress", "none").expect(1);
        assertTrue(resumed.err().contains("warning: " + p + " changed since run " + failed.runId()), resumed::all);
        assertTrue(resumed.err().contains("= help: `" + line + "` runs it as it is now"), resumed::all);

        // the line as a shell splits it
        Freestone.Result fixed = fs.cli(concat(new String[] {"run", "--progress", "none", p.toString()}, given)).expect(0);
        assertTrue(fixed.out().contains("output n = 5"), fixed::all);
        JsonNode run = fs.show(fixed.runId());
        assertEquals("Cached", Freestone.state(run, "m"), run::toPrettyString);
        assertEquals("Succeeded", Freestone.state(run, "c"), run::toPrettyString);
    }

    /** Documenting a component (its doc comment, its inputs' comments) or moving it in the file is no change to it. */
    @Test
    void commentsEditedAndLinesMovedKeepTheCache() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Files.writeString(tmp.resolve("extra.csv"), "a\n");
        String fixed = PIPELINE.replace("BUG", "pass");
        Path p = Freestone.pipe(tmp, "lines.pipe", fixed);
        fs.cli("run", "--progress", "none", p.toString()).expect(0);

        Freestone.pipe(tmp, "lines.pipe", "// the line counter\n\n/// Writes `rows` empty lines after the tag.\n"
                + fixed.replace("component make(rows: Int,", "component make(\n  /// how many\n  rows: Int,")
                        .replace("component count(", "/// Counts the lines.\ncomponent count("));
        Freestone.Result again = fs.cli("run", "--progress", "none", p.toString()).expect(0);
        JsonNode run = fs.show(again.runId());
        assertEquals("Cached", Freestone.state(run, "m"), run::toPrettyString);
        assertEquals("Cached", Freestone.state(run, "c"), run::toPrettyString);
    }

    @Test
    void aRunWithTheDefaultsIsRunAgainByItsFileAlone() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Files.writeString(tmp.resolve("extra.csv"), "a\n");
        Path p = Freestone.pipe(tmp, "lines.pipe", PIPELINE.replace("BUG", "import sys; sys.exit(3)"));
        Freestone.Result failed = fs.cli("run", "--progress", "none", p.toString(), "-p", "rows=2").expect(1);
        assertTrue(failed.err().contains("after a fix to the .pipe file, `freestone run " + p + "` runs it as it is now"),
                failed::all);
        // a pipeline chosen with --pipeline is chosen again
        Freestone.Result chosen = fs.cli("run", "--progress", "none", p.toString(), "--pipeline", "lines").expect(1);
        assertTrue(chosen.err().contains("`freestone run " + p + " --pipeline lines` runs it as it is now"), chosen::all);
    }

    /**
     * The run does not record whether --pipeline was given; the resume's line names the pipeline when the file
     * declares several, where the line without it would stop at E0605.
     */
    @Test
    void resumeNamesThePipelineOfAFileThatDeclaresSeveral() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Files.writeString(tmp.resolve("extra.csv"), "a\n");
        String second = "\npipeline twice() -> (n: Int) {\n  l = lines()\n  output n = l.n\n}\n";
        Path p = Freestone.pipe(tmp, "lines.pipe", PIPELINE.replace("BUG", "import sys; sys.exit(3)") + second);
        Freestone.Result failed = fs.cli("run", "--progress", "none", p.toString(), "--pipeline", "lines").expect(1);
        Freestone.pipe(tmp, "lines.pipe", PIPELINE.replace("BUG", "pass") + second);
        Freestone.Result resumed = fs.cli("resume", failed.runId(), "--progress", "none").expect(1);
        assertTrue(resumed.err().contains("= help: `freestone run " + p + " --pipeline lines` runs it as it is now"),
                resumed::all);
        fs.cli("run", "--progress", "none", p.toString(), "--pipeline", "lines").expect(0);
    }

    /** An iteration's id is quoted for the shell (`fit[1]` is a glob); several failed tasks leave TASK to choose. */
    @Test
    void theHelpNamesTheOneFailedTaskQuotedAndLeavesSeveralToChoose() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "loop.pipe", """
                component fit(lr: Float) -> (acc: Float) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os, sys
                    if float(os.environ["lr"]) > 0.5:
                        sys.exit("diverged")
                    open(os.environ["acc"], "w").write("0.9")
                  \"""
                }

                pipeline loop(rates: List[Float] = [0.1, 0.9]) -> (accs: List[Float]) {
                  for lr in rates {
                    f = fit(lr = lr)
                  }
                  output accs = f.acc
                }
                """);
        Freestone.Result one = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        assertTrue(one.err().contains("and `freestone logs " + one.runId() + " 'f[1]'`;"), one::all);
        Freestone.Result two = fs.cli("run", "--progress", "none", p.toString(), "--param", "rates=[0.7, 0.9]").expect(1);
        assertTrue(two.err().contains("and `freestone logs " + two.runId() + " TASK`;"), two::all);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
