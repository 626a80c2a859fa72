package dev.freestone.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.freestone.testing.GitRepo.commitAll;
import static dev.freestone.testing.GitRepo.git;
import static dev.freestone.testing.GitRepo.gitInstalled;

import java.nio.file.Files;
import java.nio.file.Path;
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
        String head = commitAll(repo);
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
}
