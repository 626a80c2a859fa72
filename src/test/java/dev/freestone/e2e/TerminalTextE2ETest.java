package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a step writes (an output's value, a metric's name, the log tail a failed task's message quotes) cannot drive
 * the terminal {@code run}, {@code show} and {@code metrics} print it on: its escape codes, C1 controls and bidi
 * overrides are shown ({@code ^[}, {@code <U+202E>}), not sent. Redirected, and with {@code --output json}, the text is
 * printed exactly as the step wrote it.
 */
class TerminalTextE2ETest {
    /** A step that would set the clipboard (OSC 52), clear the screen and reverse the line; and one that fails so. */
    static final String PIPE = """
            component write() -> (s: String, m: Metrics) {
              image  = "python:3.12-slim"
              script = python \"""
                import json, os
                open(os.environ["s"], "w").write("a\\x1b]52;c;ZWNobw==\\x07b\\x1b[2Jc\\u202ed\\u009b")
                json.dump({"acc\\x1b[2J": 0.9}, open(os.environ["m"], "w"))
              \"""
            }
            component fail() {
              image  = "python:3.12-slim"
              script = python \"""
                import sys
                print("boom\\x1b]52;c;ZWNobw==\\x07\\x1b[2J", flush=True)
                sys.exit(3)
              \"""
            }
            pipeline h() -> (said: String) {
              w = write()
              f = fail() after w
              output said = w.s
            }
            """;

    static final String VALUE = "a\u001b]52;c;ZWNobw==\u0007b\u001b[2Jc\u202ed\u009b";
    static final String SHOWN = "a^[]52;c;ZWNobw==^Gb^[[2Jc<U+202E>d<U+009B>";

    @TempDir
    Path tmp;

    @Test
    void stepTextIsExactWhenRedirectedAndShownOnATerminal() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "h.pipe", PIPE);
        // redirected: exactly what the step wrote
        Freestone.Result ran = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        String run = ran.runId();
        assertTrue(ran.out().contains("  output said = " + VALUE + "\n"), ran::all);
        assertTrue(fs.cli("show", run).expect(0).out().contains("output   said = " + VALUE + "\n"));
        assertTrue(fs.cli("show", run, "--output", "json").expect(0).out().contains("\\u001B]52;c;ZWNobw==\\u0007b"));
        assertTrue(fs.cli("metrics", run).expect(0).out().contains("acc\u001b[2J"));
        // resume's report of the failed task, on stderr (read by people): shown
        Freestone.Result resumed = fs.cli("resume", run, "--progress", "none").expect(1);
        assertTrue(resumed.err().contains("boom^[]52;c;ZWNobw==^G^[[2J") && !resumed.err().contains("\u001b"), resumed::all);
        // an error quoting what was typed or written (a name that is no artifact): shown, on stderr always
        Freestone.Result named = fs.cli("artifacts", run, "--print", "w.\u001b]52;c;ZWNobw==\u0007").expect(1);
        assertTrue(named.err().contains("w.^[]52;c;ZWNobw==^G") && !named.err().contains("\u001b"), named::all);

        // on a terminal (a pseudo-terminal), also with standard input from /dev/null: shown, not sent
        for (boolean stdinFromNull : List.of(false, true)) {
            List<String> pty = Freestone.onTerminal(stdinFromNull);
            Freestone.Result show = onTerminal(fs, pty, "show" + stdinFromNull, "show", run);
            assertTrue(show.out().contains("output   said = " + SHOWN + "\r\n"), show::all);
            assertTrue(show.out().contains("f: ") && show.out().contains("boom^[]52;c;ZWNobw==^G^[[2J"), show::all);
            Freestone.Result metrics = onTerminal(fs, pty, "metrics" + stdinFromNull, "metrics", run);
            assertTrue(metrics.out().contains("acc^[[2J"), metrics::all);
            Freestone.Result again = onTerminal(fs, pty, "run" + stdinFromNull, "run", "--progress", "none", p.toString());
            assertTrue(again.out().contains("  output said = " + SHOWN + "\r\n"), again::all);
            assertTrue(again.out().contains("error: task `f` failed: ") && again.out().contains("boom^[]52;c;ZWNobw==^G^[[2J"),
                    again::all);
        }
    }

    /**
     * A table lines up whatever text a step put into its cells: a CJK name takes two columns a character, a combining
     * accent none, an emoji (a surrogate pair) two; on a terminal an ESC takes the two of {@code ^[} and a bidi override
     * the eight of {@code <U+202E>}, redirected they take none and the text is printed as it is.
     */
    @Test
    void tablesLineUpWhateverTextTheirCellsHold() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "names.pipe", """
                component fit(name: String) -> (m: Metrics) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    json.dump({os.environ["name"]: 0.5}, open(os.environ["m"], "w"))
                  \"""
                }
                pipeline names(names: List[String] = ["日本", "e\\u0301t\\u00e9", "\\u{1F680}", "a\\u001b[2Jb", "r\\u202eev", "x"]) {
                  for name in names {
                    f = fit(name = name)
                  }
                }
                """);
        String run = fs.cli("run", "--progress", "none", p.toString()).expect(0).runId();
        // redirected: the text as the step wrote it (an ESC in an item's JSON is `\u001B`, in a metric's name itself)
        assertEquals(List.of(
                "METRIC                           " + run,
                "f[0] (name=\"\u65e5\u672c\")/\u65e5\u672c          0.5",
                "f[1] (name=\"e\u0301t\u00e9\")/e\u0301t\u00e9            0.5",
                "f[2] (name=\"\ud83d\ude80\")/\ud83d\ude80              0.5",
                "f[3] (name=\"a\\u001B[2Jb\")/a\u001b[2Jb  0.5",
                "f[4] (name=\"r\u202eev\")/r\u202eev            0.5",
                "f[5] (name=\"x\")/x                0.5"), lines(fs.cli("metrics", run).expect(0).out(), "METRIC", "f["));
        // (an item's ESC is `\u001B` in its JSON, on a terminal too: the rows differ in the bidi override only)
        assertEquals(showTable("f[4]  name=\"r\u202eev\"          Succeeded"), states(fs.cli("show", run).expect(0).out()));
        // on a terminal: as they show there
        List<String> pty = Freestone.onTerminal(true);
        assertEquals(List.of(
                "METRIC                                 " + run,
                "f[0] (name=\"\u65e5\u672c\")/\u65e5\u672c                0.5",
                "f[1] (name=\"e\u0301t\u00e9\")/e\u0301t\u00e9                  0.5",
                "f[2] (name=\"\ud83d\ude80\")/\ud83d\ude80                    0.5",
                "f[3] (name=\"a\\u001B[2Jb\")/a^[[2Jb      0.5",
                "f[4] (name=\"r<U+202E>ev\")/r<U+202E>ev  0.5",
                "f[5] (name=\"x\")/x                      0.5"),
                lines(onTerminal(fs, pty, "table-metrics", "metrics", run).out(), "METRIC", "f["));
        assertEquals(showTable("f[4]  name=\"r<U+202E>ev\"  Succeeded"), states(onTerminal(fs, pty, "table-show", "show", run).out()));
    }

    /** {@code show}'s task table of that run up to its STATE column, with {@code f4} the row of the bidi override. */
    private static List<String> showTable(String f4) {
        return List.of(
                "TASK  ITEM                STATE",
                "f[0]  name=\"\u65e5\u672c\"         Succeeded",
                "f[1]  name=\"e\u0301t\u00e9\"          Succeeded",
                "f[2]  name=\"\ud83d\ude80\"           Succeeded",
                "f[3]  name=\"a\\u001B[2Jb\"  Succeeded",
                f4,
                "f[5]  name=\"x\"            Succeeded");
    }

    /** The lines of {@code out} that start with one of {@code starts}, without their line ends. */
    private static List<String> lines(String out, String... starts) {
        return out.lines().map(String::stripTrailing).filter(l -> java.util.Arrays.stream(starts).anyMatch(l::startsWith)).toList();
    }

    /** {@code show}'s task table up to its STATE column (what follows, the elapsed time, varies). */
    private static List<String> states(String out) {
        return lines(out, "TASK ", "f[").stream().map(l -> l.substring(0, l.indexOf(l.startsWith("TASK") ? "STATE" : "Succeeded")
                + (l.startsWith("TASK") ? 5 : 9))).toList();
    }

    /** {@code args} run under {@code pty}, whose terminal gets the command's stdout and stderr; nothing that drives it. */
    private Freestone.Result onTerminal(Freestone fs, List<String> pty, String name, String... args) throws Exception {
        Path logs = tmp.resolve(name);
        Freestone.Result r = Freestone.await(fs.startUnder(pty, logs, List.of("-Dfile.encoding=UTF-8"), args), logs, 120);
        String all = r.all();
        assertFalse(all.contains("\u001b") || all.contains("\u0007") || all.contains("\u009b") || all.contains("\u202e"), all);
        return r;
    }
}
