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
 * {@code --color auto} colours diagnostics when standard error, where they go, is a terminal: also with standard
 * input from {@code /dev/null} (an editor's task, {@code make}), and never into a file that standard error is
 * redirected to while the rest stays on the terminal.
 */
class DiagnosticColorE2ETest {
    private static final String BAD = "pipeline p() {\n  a = nothing()\n}\n";

    @TempDir
    Path tmp;

    @Test
    void diagnosticsAreColouredExactlyWhenStandardErrorIsATerminal() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path bad = Freestone.pipe(tmp, "bad.pipe", BAD);

        Freestone.Result onTerminal = run(fs, Freestone.onTerminal(true), "terminal", bad);
        assertEquals(1, onTerminal.exit(), onTerminal::all);
        assertTrue(onTerminal.out().contains("\u001b[") && onTerminal.out().contains("E0104"), onTerminal::all);

        Path errors = tmp.resolve("errors.txt");
        List<String> stderrToFile = List.of("python3", "-c", "import pty, sys; sys.exit(pty.spawn(['sh', '-c', "
                + "'exec \"$@\" 2> " + errors + " < /dev/null', 'sh'] + sys.argv[1:]) >> 8)");
        Freestone.Result redirected = run(fs, stderrToFile, "redirected", bad);
        assertEquals(1, redirected.exit(), redirected::all);
        String written = Files.readString(errors);
        assertTrue(written.contains("error[E0104]: unknown component or pipeline `nothing`"), written);
        assertFalse(written.contains("\u001b"), written);

        // and --color always still colours the file
        Files.delete(errors);
        run(fs, stderrToFile, "always", bad, "--color", "always");
        String always = Files.readString(errors);
        assertTrue(always.contains("\u001b[") && always.contains("E0104"), always);
    }

    private Freestone.Result run(Freestone fs, List<String> wrapper, String name, Path file, String... more)
            throws Exception {
        Path logs = tmp.resolve(name);
        String[] args = new String[2 + more.length];
        args[0] = "check";
        args[1] = file.toString();
        System.arraycopy(more, 0, args, 2, more.length);
        return Freestone.await(fs.startUnder(wrapper, logs, List.of(), args), logs, 120);
    }
}
