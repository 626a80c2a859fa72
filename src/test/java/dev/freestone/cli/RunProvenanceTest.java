package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.freestone.testing.GitRepo.commitAll;
import static dev.freestone.testing.GitRepo.git;
import static dev.freestone.testing.GitRepo.gitInstalled;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freestone.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code freestone run} records of where a run came from, read back by {@code show --output json}:
 * the source file, its digest, and the commit of the git checkout it is in (asked of git while the
 * run is prepared), or none outside a checkout.
 */
class RunProvenanceTest {
    private static final String PIPE = CliRun.GREET;

    @TempDir
    Path dir;

    @Test
    void aRunOfAFileInACheckoutRecordsItsCommit() throws Exception {
        Assumptions.assumeTrue(gitInstalled(), "git is not installed: there is no commit to record");
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path pipe = repo.resolve("greet.pipe");
        Files.writeString(pipe, PIPE);
        git(repo, "init", "-q");
        String head = commitAll(repo);

        JsonNode run = runAndShow(pipe);
        assertEquals(head, run.path("gitCommit").asText(), run.toString());
        assertEquals(pipe.toAbsolutePath().normalize().toString(), run.path("source").asText());
    }

    @Test
    void aRunOfAFileOutsideACheckoutRecordsNoCommit() throws Exception {
        Path pipe = Files.createDirectories(dir.resolve("plain")).resolve("greet.pipe");
        Files.writeString(pipe, PIPE);
        JsonNode run = runAndShow(pipe);
        assertTrue(run.path("gitCommit").isNull() || run.path("gitCommit").isMissingNode(), run.toString());
        assertEquals("Succeeded", run.path("status").asText());
    }

    private JsonNode runAndShow(Path pipe) throws Exception {
        Map<String, String> env = Map.of("FREESTONE_HOME", dir.resolve("home").toString());
        CliRun ran = CliRun.of(env, "run", "--progress", "none", pipe.toString());
        assertEquals(0, ran.code(), ran.out() + ran.err());
        Matcher id = Pattern.compile("run (run-[0-9a-z-]+): ").matcher(ran.err());
        assertTrue(id.find(), ran.err());
        CliRun shown = CliRun.of(env, "show", id.group(1), "--output", "json");
        assertEquals(0, shown.code(), shown.err());
        return new ObjectMapper().readTree(shown.out());
    }
}
