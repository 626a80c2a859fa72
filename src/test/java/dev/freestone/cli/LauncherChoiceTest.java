package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freestone.runtime.local.LocalEngine;
import dev.freestone.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code FREESTONE_LAUNCHER} with a value the engine does not know is a usage error of {@code run}
 * and {@code resume}, before anything starts: the engine would otherwise start the steps from the
 * JVM as if it were unset, and a typo would go unnoticed.
 */
class LauncherChoiceTest {
    private static final String PIPE = CliRun.GREET;

    @TempDir
    Path dir;

    @Test
    void anUnknownLauncherIsAUsageErrorNamingTheAcceptedOnes() throws Exception {
        Path pipe = dir.resolve("greet.pipe");
        Files.writeString(pipe, PIPE);
        Path home = dir.resolve("home");
        CliRun ran = CliRun.of(Map.of("FREESTONE_HOME", home.toString(), "FREESTONE_LAUNCHER", "pyhton"),
                "run", "--progress", "none", pipe.toString());
        assertEquals(Main.USAGE, ran.code(), ran.out() + ran.err());
        assertTrue(ran.err().startsWith("error: FREESTONE_LAUNCHER is `pyhton`"), ran.err());
        assertTrue(ran.err().contains("did you mean `python`?"), ran.err());
        assertTrue(ran.err().contains("python, perl or jvm"), ran.err());
        assertFalse(ran.err().contains("run run-"), "nothing was started: " + ran.err());
        assertFalse(Files.exists(home.resolve(dev.freestone.runtime.store.RunStore.DATABASE_FILE)), "no run was recorded");

        CliRun resumed = CliRun.of(Map.of("FREESTONE_HOME", home.toString(), "FREESTONE_LAUNCHER", "docker"),
                "resume", "run-x");
        assertEquals(Main.USAGE, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("FREESTONE_LAUNCHER is `docker`"), resumed.err());
        assertFalse(resumed.err().contains("did you mean"), "nothing is close to docker: " + resumed.err());
    }

    @Test
    void theAcceptedLaunchersRunInAnyCase() throws Exception {
        Path pipe = dir.resolve("greet.pipe");
        Files.writeString(pipe, PIPE);
        // the engine reads the property (or the process's variable); the given environment agrees with it
        String before = System.getProperty("freestone.launcher");
        System.setProperty("freestone.launcher", "JVM");
        try {
            CliRun ran = CliRun.of(Map.of("FREESTONE_HOME", dir.resolve("home").toString(), "FREESTONE_LAUNCHER", "jvm"),
                    "run", "--progress", "none", pipe.toString());
            assertEquals(0, ran.code(), ran.out() + ran.err());
        } finally {
            if (before == null) {
                System.clearProperty("freestone.launcher");
            } else {
                System.setProperty("freestone.launcher", before);
            }
        }
    }

    @Test
    void aLauncherTheEngineWouldNotUseIsRefusedNotIgnored() throws Exception {
        assumeTrue(LocalEngine.launcherChoice().isEmpty(), "this JVM already picks a launcher");
        Path pipe = dir.resolve("greet.pipe");
        Files.writeString(pipe, PIPE);
        Path home = dir.resolve("home");
        // Main.run's environment reaches the CLI, not the engine's launcher (one per JVM): jvm here changed nothing
        CliRun ran = CliRun.of(Map.of("FREESTONE_HOME", home.toString(), "FREESTONE_LAUNCHER", "jvm"),
                "run", "--progress", "none", pipe.toString());
        assertEquals(Main.USAGE, ran.code(), ran.out() + ran.err());
        assertTrue(ran.err().startsWith("error: FREESTONE_LAUNCHER is `jvm` in the environment given to this run"), ran.err());
        assertTrue(ran.err().contains("system property freestone.launcher"), ran.err());
        assertFalse(Files.exists(home.resolve(dev.freestone.runtime.store.RunStore.DATABASE_FILE)), "no run was recorded");
    }
}
