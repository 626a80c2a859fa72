package dev.freestone.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CLI run in-process as a user would, with an environment of its own, for the tests of the
 * cluster commands: every command's output is checked for the credential (which must never show)
 * and for a stack trace or an internal error (a user's or a cluster's fault must be an error and
 * a help line).
 */
public final class CliSession {
    private static final Pattern RUN_ID = Pattern.compile("run (run-[0-9a-z-]+): ");

    private final Map<String, String> env;
    private final String secret;

    /** {@code env} is read at each command, so a test may change it between commands. */
    public CliSession(Map<String, String> env, String secret) {
        this.env = env;
        this.secret = secret;
    }

    /** What one command printed and returned. */
    public record Result(int code, String out, String err) {
        /** The run the command started or named ({@code run <id>: ...}). */
        public String runId() {
            Matcher m = RUN_ID.matcher(out);
            assertTrue(m.find(), "no run id in: " + out);
            return m.group(1);
        }
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
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
