package dev.freestone.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The git commit of a source file, when the file is in a git checkout and git is installed. */
public final class GitInfo {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final long TIMEOUT_SECONDS = 10;

    private GitInfo() {
    }

    /**
     * {@code git -C <dir> rev-parse HEAD} for the directory of {@code path} (run directly, no shell);
     * empty when git is absent, the directory is not a checkout, HEAD has no commit yet, or git
     * does not answer within ten seconds.
     */
    public static Optional<String> commitOf(Path path) {
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        ProcessBuilder builder = new ProcessBuilder(List.of("git", "-C", dir.toString(), "rev-parse", "HEAD"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return Optional.empty(); // git is not installed
        }
        try (InputStream out = process.getInputStream()) {
            // wait before reading, so that a hung git cannot block us; its one line fits in the pipe
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            String text = new String(out.readNBytes(256), StandardCharsets.UTF_8).trim();
            return COMMIT.matcher(text).matches() ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            process.destroyForcibly();
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
