package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pipeline parameter given twice with {@code --param} is a usage error naming it, in every
 * command that takes parameters (they share the parsing): keeping either value would drop the other
 * without a word.
 */
class RepeatedParamE2ETest {
    static final String PIPE = """
            component show(n: Int) -> (out: Int) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "printf %s \\"$0\\" > \\"$1\\"", n, out]
            }
            pipeline once(n: Int = 0) -> (out: Int) {
              s = show(n = n)
              output out = s.out
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void runCompileAndSubmitRefuseAParameterGivenTwice() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String pipe = Freestone.pipe(tmp, "once.pipe", PIPE).toString();
        for (String command : new String[] {"run", "compile", "submit"}) {
            Freestone.Result r = fs.cli(command, pipe, "--param", "n=1", "-p", "n=2").expect(2);
            assertTrue(r.err().contains("error: parameter `n` is given twice: --param n=1 and --param n=2"), r::all);
            assertTrue(r.err().contains("  = help: give each parameter once"), r::all);
            assertEquals("", r.out(), command);
            Freestone.assertNoTrace(r.all());
        }
        assertTrue(!Files.exists(tmp.resolve("home").resolve("runs.db"))
                || fs.cli("runs").expect(0).all().contains("no runs"), "a refused run records nothing");
        Path twice = Files.writeString(tmp.resolve("twice.yaml"), "n: 1\nn: 2\n");
        Freestone.Result file = fs.cli("run", pipe, "--params", twice.toString()).expect(2);
        assertTrue(file.err().contains("error: cannot read parameters from " + twice + ": Duplicate field 'n'"), file::all);
        // once on the command line over the same parameter in --params is still fine: the command line wins
        Path params = Files.writeString(tmp.resolve("params.yaml"), "n: 5\n");
        Freestone.Result r = fs.cli("run", "--progress", "none", pipe, "--params", params.toString(), "-p", "n=7").expect(0);
        assertTrue(r.out().contains("output out = 7"), r::all);
    }
}
