package dev.freestone.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CLI run in-process as a user would, with an environment of its own, for the tests of the
 * cluster commands: every command's output is checked for the credential (which must never show)
 * and for a stack trace or an internal error (a user's or a cluster's fault must be an error and
 * a help line).
 */
public final class CliSession {
    private final Map<String, String> env;
    private final String secret;

    /** {@code env} is read at each command, so a test may change it between commands. */
    public CliSession(Map<String, String> env, String secret) {
        this.env = env;
        this.secret = secret;
    }

    /** Runs one command; fails the test if it shows the credential, a stack trace or an internal error. */
    public CliRun run(String... args) {
        CliRun r = CliRun.of(env, args);
        assertFalse(r.out().contains(secret) || r.err().contains(secret), "token shown: " + r);
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), "a stack trace or a bug: " + r.err());
        return r;
    }

    /** No file under {@code home} (the run store's database among them) holds the credential. */
    public void assertNotStoredUnder(Path home) throws IOException {
        if (!Files.exists(home)) {
            return;
        }
        try (Stream<Path> files = Files.walk(home)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(secret),
                        p + " holds the token");
            }
        }
    }
}
