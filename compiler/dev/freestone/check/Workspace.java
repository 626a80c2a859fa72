package dev.freestone.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder a pipeline's files are confined to: the git checkout holding the root file (the nearest folder
 * with a {@code .git}, a directory or a worktree's file, unless it holds the user's home), else the root
 * file's own folder. Imports and the
 * artifact locations a file writes are read only from inside it, judged after following links, so that
 * checking or running a file from elsewhere (a pull request, a download) reads nothing else of this machine.
 */
public record Workspace(Path root) {
    /** The workspace of {@code file}. */
    public static Workspace around(Path file) {
        Path dir = file.toAbsolutePath().normalize().getParent();
        String userHome = System.getProperty("user.home");
        Path home = userHome == null || userHome.isBlank() ? null : real(Path.of(userHome));
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) {
                Path root = real(d);
                // a checkout holding the user's home (`git init ~` for dotfiles) is no project: taken as
                // the workspace, it would let a downloaded file import or default to ~/.aws/credentials
                if (home != null && home.startsWith(root)) {
                    break;
                }
                return new Workspace(root);
            }
        }
        return new Workspace(real(dir));
    }

    /** Whether {@code path}, its links followed, is inside; one that does not exist is judged by its text. */
    public boolean holds(Path path) {
        return real(path).startsWith(root);
    }

    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }
}
