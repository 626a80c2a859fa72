package dev.freestone.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitInfoTest {

    @TempDir
    Path dir;

    @Test
    void findsTheCommitOfAFileInACheckout() throws Exception {
        Assumptions.assumeTrue(gitInstalled(), "git is not installed; GitInfo has nothing to ask");
        Path repo = Files.createDirectories(dir.resolve("repo"));
        git(repo, "init", "-q");
        assertEquals(Optional.empty(), GitInfo.commitOf(repo), "a checkout without commits has no HEAD");
        Path source = Files.writeString(Files.createDirectories(repo.resolve("pipelines")).resolve("iris.pipe"), "x");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");
        String head = git(repo, "rev-parse", "HEAD").trim();
        assertTrue(head.matches("[0-9a-f]{40}"), head);

        assertEquals(Optional.of(head), GitInfo.commitOf(source));
        assertEquals(Optional.of(head), GitInfo.commitOf(repo));
        assertEquals(Optional.of(head), GitInfo.commitOf(repo.resolve("pipelines")));
    }

    @Test
    void nothingOutsideACheckout() throws Exception {
        Path plain = Files.writeString(Files.createDirectories(dir.resolve("plain")).resolve("iris.pipe"), "x");
        assertEquals(Optional.empty(), GitInfo.commitOf(plain));
        assertEquals(Optional.empty(), GitInfo.commitOf(dir.resolve("missing/iris.pipe")));
    }

    private static boolean gitInstalled() {
        try {
            return new ProcessBuilder("git", "--version").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String git(Path repo, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "git " + String.join(" ", args) + ": " + out);
        return out;
    }
}
