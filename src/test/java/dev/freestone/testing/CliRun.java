package dev.freestone.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One run of the CLI in-process through {@link Main#run}, as a user runs it: its exit status and what it printed. */
public record CliRun(int code, String out, String err) {
    private static final Pattern RUN_ID = Pattern.compile("run (run-[0-9a-z-]+): ");

    /** A one-step pipeline whose step runs `echo` (on every machine): for tests of a command, not of the language. */
    public static final String GREET = """
            component hello(who: String) {
              image   = "alpine:3.20"
              command = ["echo", "hello", who]
            }

            pipeline greet(who: String = "you") {
              h = hello(who = who)
            }
            """;

    /** Runs {@code args} in this process's environment. */
    public static CliRun of(String... args) {
        return run(null, args);
    }

    /** Runs {@code args} with {@code env} in place of the process environment (FREESTONE_HOME, KUBECONFIG, ...). */
    public static CliRun of(Map<String, String> env, String... args) {
        return run(env, args);
    }

    private static CliRun run(Map<String, String> env, String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = env == null ? Main.run(args, o, e) : Main.run(args, o, e, env);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs the CLI's {@code command} with {@code args} and {@code env}, and fails the test on a stack trace or
     * an internal error, which no input may cause.
     */
    public static CliRun command(Map<String, String> env, String command, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        CliRun r = run(env, all);
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), r.err());
        return r;
    }

    /**
     * The id of the run a command started or acted on, as it printed it ({@code run <id>: ...}): on stdout
     * (submit), else on stderr (a local run, whose stdout is the pipeline's outputs).
     */
    public String runId() {
        Matcher m = RUN_ID.matcher(out);
        if (m.find()) {
            return m.group(1);
        }
        Matcher e = RUN_ID.matcher(err);
        assertTrue(e.find(), "no run id in: " + out + err);
        return e.group(1);
    }
}
