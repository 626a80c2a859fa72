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
    private static final String GOOD = CliRun.GREET;
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

    /** The store's file as bytes, to show a refused store was left exactly as it was. */
    private static byte[] bytes(Path home) throws Exception {
        return Files.readAllBytes(home.resolve(RunStore.DATABASE_FILE));
    }

    @Test
    void aStoreOfANewerFreestoneIsRefusedUntouchedWithAdviceThatFits() throws Exception {
        Path home = dir.resolve("home");
        assertEquals(0, run(home, GOOD).code());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve(RunStore.DATABASE_FILE));
             java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01T00:00:00.000Z')");
        }
        byte[] before = bytes(home);
        for (String[] args : new String[][] {{"runs"}, {"run", "--progress", "none", dir.resolve("greet.pipe").toString()}}) {
            CliRun r = CliRun.of(Map.of("FREESTONE_HOME", home.toString()), args);
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("has schema version 99 but this Freestone knows versions up to"), r.err());
            // the advice is about versions: a writable directory is not what this store lacks
            assertTrue(r.err().contains("= help: it was written by a newer Freestone and is left as it is"), r.err());
            assertFalse(r.err().contains("writable"), r.err());
        }
        assertTrue(java.util.Arrays.equals(before, bytes(home)), "the newer store was changed");
    }

    @Test
    void aDamagedStoreIsRefusedUntouchedWithAWayToRecoverIt() throws Exception {
        Path home = dir.resolve("home");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, run(home, GOOD).code());
        }
        // what a disk or a careless copy leaves: the first half of the file
        Path db = home.resolve(RunStore.DATABASE_FILE);
        byte[] whole = Files.readAllBytes(db);
        Files.write(db, java.util.Arrays.copyOf(whole, whole.length / 2));
        byte[] before = bytes(home);
        CliRun r = CliRun.of(Map.of("FREESTONE_HOME", home.toString()), "runs");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("is damaged") && r.err().contains("Freestone left it as it is"), r.err());
        assertTrue(r.err().contains(".recover"), r.err());
        assertFalse(r.err().contains("writable") || r.err().contains("Exception"), r.err());
        assertTrue(java.util.Arrays.equals(before, bytes(home)), "the damaged store was changed");
    }
}
