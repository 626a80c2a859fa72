package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.runtime.store.RunStore;
import dev.freestone.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone run} opens an existing run store while the file compiles. What the user sees must
 * not depend on that: a file that does not compile never creates a store, its diagnostics come first
 * even when the store is broken too, a broken store is an error with a help line, and a store opened
 * for a run that then does not happen is left as it was.
 */
class RunStoreOpeningTest {
    private static final String GOOD = """
            component hello(who: String) {
              image   = "alpine:3.20"
              command = ["echo", "hello", who]
            }

            pipeline greet(who: String = "you") {
              h = hello(who = who)
            }
            """;
    private static final String BROKEN = """
            pipeline greet() {
              h = nosuch()
            }
            """;

    @TempDir
    Path dir;

    private CliRun run(Path home, String text) throws Exception {
        Path pipe = dir.resolve("greet.pipe");
        Files.writeString(pipe, text);
        return CliRun.of(Map.of("FREESTONE_HOME", home.toString()), "run", "--progress", "none", pipe.toString());
    }

    @Test
    void aFileThatDoesNotCompileCreatesNoStore() throws Exception {
        Path home = dir.resolve("home");
        CliRun r = run(home, BROKEN);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("nosuch"), r.err());
        assertFalse(Files.exists(home.resolve(RunStore.DATABASE_FILE)), "a failed compile created the run store");
    }

    @Test
    void aStoreOpenedForARunThatFailsToCompileKeepsItsRuns() throws Exception {
        Path home = dir.resolve("home");
        assertEquals(0, run(home, GOOD).code());
        for (int i = 0; i < 3; i++) {
            CliRun broken = run(home, BROKEN);
            assertEquals(1, broken.code(), broken.err());
            assertFalse(broken.err().contains("run store"), broken.err());
        }
        assertEquals(0, run(home, GOOD).code());
        CliRun runs = CliRun.of(Map.of("FREESTONE_HOME", home.toString()), "runs");
        assertEquals(0, runs.code(), runs.err());
        assertEquals(2, runs.out().lines().filter(l -> l.contains("greet")).count(), runs.out());
    }

    @Test
    void aBrokenStoreIsAnErrorWithHelpAndDiagnosticsComeFirst() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve(RunStore.DATABASE_FILE), "this is not a database, it is a note to self\n".repeat(200));
        CliRun good = run(home, GOOD);
        assertEquals(1, good.code(), good.err());
        assertTrue(good.err().startsWith("error: cannot open the run store"), good.err());
        assertTrue(good.err().contains("= help: "), good.err());
        assertFalse(good.err().contains("Exception"), good.err());

        CliRun broken = run(home, BROKEN);
        assertEquals(1, broken.code(), broken.err());
        assertTrue(broken.err().contains("nosuch"), broken.err());
        assertFalse(broken.err().contains("run store"), broken.err());
    }
}
