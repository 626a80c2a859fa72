package dev.freestone.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreestoneHomeTest {

    @TempDir
    Path dir;

    @Test
    void theEnvironmentVariableWins() {
        Path chosen = dir.resolve("state");
        assertEquals(chosen, FreestoneHome.resolve(Map.of("FREESTONE_HOME", chosen.toString()), dir.resolve("user")));
    }

    @Test
    void thePropertyWinsOverTheEnvironment() {
        Path chosen = dir.resolve("by-property");
        System.setProperty(FreestoneHome.PROPERTY, chosen.toString());
        try {
            assertEquals(chosen, FreestoneHome.fromEnvironment());
            assertTrue(Files.isDirectory(chosen));
        } finally {
            System.clearProperty(FreestoneHome.PROPERTY);
        }
    }

    @Test
    void otherwiseADotDirectoryInTheUsersHome() {
        Path user = dir.resolve("user");
        assertEquals(user.resolve(".freestone"), FreestoneHome.resolve(Map.of(), user));
        assertEquals(user.resolve(".freestone"), FreestoneHome.resolve(Map.of("FREESTONE_HOME", "  "), user));
    }

    @Test
    void aRelativeValueIsTakenFromTheWorkingDirectory() {
        assertEquals(Path.of("").toAbsolutePath().resolve("fs-home"),
                FreestoneHome.resolve(Map.of("FREESTONE_HOME", "fs-home/."), dir));
    }

    @Test
    void createsTheDirectory() {
        Path home = FreestoneHome.create(dir.resolve("a/b/.freestone"));
        assertTrue(Files.isDirectory(home));
        assertEquals(home, FreestoneHome.create(home));
    }

    @Test
    void aFileInTheWayIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "mine");
        StoreException e = assertThrows(StoreException.class, () -> FreestoneHome.create(file));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
        assertEquals("mine", Files.readString(file));
    }
}
