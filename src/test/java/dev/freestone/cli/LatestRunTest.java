package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freestone.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @latest} names the newest run wherever a run is asked for, as {@code argo get @latest} does: a user who
 * just ran a pipeline reads it back without copying its id.
 */
class LatestRunTest {
    @TempDir
    Path dir;

    @Test
    void latestIsTheRunStartedLast() throws Exception {
        Map<String, String> env = Map.of("FREESTONE_HOME", dir.resolve("home").toString());
        Path pipe = Files.writeString(dir.resolve("greet.pipe"), CliRun.GREET);

        CliRun empty = CliRun.command(env, "show", "@latest");
        assertEquals(1, empty.code(), empty.err());
        assertTrue(empty.err().contains("no run is `@latest`: the store has no runs yet"), empty.err());
        assertTrue(empty.err().contains("`freestone run FILE` starts one"), empty.err());

        String first = CliRun.command(env, "run", pipe.toString(), "--param", "who=first", "--progress", "none").runId();
        String second = CliRun.command(env, "run", pipe.toString(), "--param", "who=second", "--progress", "none").runId();
        assertNotEquals(first, second);

        CliRun show = CliRun.command(env, "show", "@latest", "--output", "json");
        assertEquals(0, show.code(), show.err());
        JsonNode run = new ObjectMapper().readTree(show.out());
        assertEquals(second, run.path("id").asText());
        assertEquals("second", run.path("params").path("who").asText());

        CliRun logs = CliRun.command(env, "logs", "@latest", "h");
        assertEquals(0, logs.code(), logs.err());
        assertTrue(logs.out().contains("hello second"), logs.out());
        assertFalse(logs.out().contains("hello first"), logs.out());

        CliRun delete = CliRun.command(env, "delete", "@latest");
        assertEquals(0, delete.code(), delete.err());
        CliRun now = CliRun.command(env, "show", "@latest", "--output", "json");
        assertEquals(first, new ObjectMapper().readTree(now.out()).path("id").asText(), "the newest left is the first run");

        CliRun typo = CliRun.command(env, "show", "@lates");
        assertEquals(1, typo.code(), typo.err());
        assertTrue(typo.err().contains("`@latest` names the newest"), typo.err());
    }
}
