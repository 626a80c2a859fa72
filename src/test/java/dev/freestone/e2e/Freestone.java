package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freestone.cli.Main;
import dev.freestone.runtime.store.FreestoneHome;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the {@code freestone} CLI as a user does: in-process through {@link Main#run} (the store
 * chosen with the {@code freestone.home} property), or as a child JVM with {@code FREESTONE_HOME}
 * in its environment when process behaviour (signals, kill -9, memory) is under test.
 */
final class Freestone {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUN_ID = Pattern.compile("\\brun (run-[0-9]{8}-[0-9]{6}-[0-9a-f]+)");

    private final Path home;

    Freestone(Path home) {
        this.home = home;
    }

    Path home() {
        return home;
    }

    /** What one command printed and returned. */
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }

        /** The run the command started (from its "run ID: ..." line). */
        String runId() {
            Matcher m = RUN_ID.matcher(err + out);
            if (!m.find()) {
                fail("no run id in the output of the command:\n" + all());
            }
            return m.group(1);
        }

        Result expect(int code) {
            assertEquals(code, exit, () -> "exit code; output:\n" + all());
            return this;
        }
    }

    /** Writes a .pipe file of the test into {@code dir}. */
    static Path pipe(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    static Path project() {
        return SharedData.projectDir();
    }

    static Path example(String relative) {
        return project().resolve("examples").resolve(relative);
    }

    /** Runs the CLI in this JVM against this store. */
    Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String before = System.getProperty(FreestoneHome.PROPERTY);
        System.setProperty(FreestoneHome.PROPERTY, home.toString());
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int code = Main.run(args, o, e);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            if (before == null) {
                System.clearProperty(FreestoneHome.PROPERTY);
            } else {
                System.setProperty(FreestoneHome.PROPERTY, before);
            }
        }
    }

    /** {@code freestone show RUN --output json}, parsed. */
    JsonNode show(String runId) {
        Result r = cli("show", runId, "--output", "json").expect(0);
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new UncheckedIOException("show printed no JSON:\n" + r.all(), e);
        }
    }

    static JsonNode task(JsonNode run, String id) {
        for (JsonNode t : run.get("tasks")) {
            if (t.get("id").asText().equals(id)) {
                return t;
            }
        }
        fail("no task " + id + " in " + run.toPrettyString());
        return null;
    }

    static String state(JsonNode run, String id) {
        return task(run, id).get("state").asText();
    }

    RunStore openStore() {
        return RunStore.open(home);
    }

    /** The log file of the task's last attempt, as the store records it. */
    Path logOf(String runId, String taskId) {
        try (RunStore store = openStore()) {
            var attempts = store.attempts(runId, taskId);
            return Path.of(attempts.get(attempts.size() - 1).logPath().orElseThrow());
        }
    }

    void assertStoreIntact() {
        try (RunStore store = openStore()) {
            assertEquals("ok", store.integrityCheck());
        }
    }

    /**
     * A wrapper for {@link #startUnder} that runs the command on a pseudo-terminal (its stdout and stderr, which
     * python copies to the files); {@code stdinFromNull}: its standard input is {@code /dev/null}, not the terminal.
     */
    static List<String> onTerminal(boolean stdinFromNull) {
        return List.of("python3", "-c", "import pty, sys; sys.exit(pty.spawn(['sh', '-c', 'exec \"$@\""
                + (stdinFromNull ? " < /dev/null" : "") + "', 'sh'] + sys.argv[1:]) >> 8)");
    }

    /**
     * What a user other than root may not do, this process may not either: without the capabilities
     * that let root ignore modes (root otherwise hides every mistake about them). Empty when this
     * machine cannot drop them, a non-root user needs nothing, root uses {@code setpriv}.
     */
    static java.util.Optional<List<String>> asPlainUser() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            return java.util.Optional.of(List.of());
        }
        List<String> setpriv = List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner");
        List<String> probe = new java.util.ArrayList<>(setpriv);
        probe.add("true");
        try {
            return new ProcessBuilder(probe).start().waitFor() == 0 ? java.util.Optional.of(setpriv) : java.util.Optional.empty();
        } catch (java.io.IOException noSetpriv) {
            return java.util.Optional.empty();
        }
    }

    /** A child JVM running {@code freestone args...}; stdout and stderr go to files in {@code logs}. */
    Process start(Path logs, List<String> jvmOptions, String... args) throws IOException {
        return startUnder(List.of(), logs, jvmOptions, args);
    }

    /** As {@link #start}, the JVM started by {@code wrapper} (a command that runs the rest, e.g. {@code setpriv ...}). */
    Process startUnder(List<String> wrapper, Path logs, List<String> jvmOptions, String... args) throws IOException {
        Files.createDirectories(logs);
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project().toFile());
        Map<String, String> env = pb.environment();
        env.put(FreestoneHome.ENV, home.toString());
        env.remove("FREESTONE_DEBUG");
        pb.redirectOutput(logs.resolve("out.txt").toFile());
        pb.redirectError(logs.resolve("err.txt").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    /**
     * Ends the child JVMs a test started, after creating {@code release} (the file their steps wait for):
     * a failed assertion must not leave them running.
     */
    static void stopAll(List<Process> started, Path release) throws Exception {
        Files.writeString(release, "go");
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** Waits for a child started with {@link #start} and returns what it printed. */
    static Result await(Process p, Path logs, long seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("freestone did not finish in " + seconds + " s:\n" + read(logs.resolve("out.txt"))
                    + read(logs.resolve("err.txt")));
        }
        return new Result(p.exitValue(), read(logs.resolve("out.txt")), read(logs.resolve("err.txt")));
    }

    /** Runs a child JVM to completion. */
    Result process(Path logs, long seconds, String... args) throws Exception {
        return await(start(logs, List.of(), args), logs, seconds);
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until the condition holds or the time is up. */
    static boolean eventually(long millis, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(25);
        }
        return condition.getAsBoolean();
    }

    /**
     * True when the process has ended. A zombie counts as ended: this machine's init may not reap
     * orphans, and a zombie runs nothing.
     */
    static boolean gone(long pid) {
        if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
            return true;
        }
        String stat;
        try {
            stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (UncheckedIOException vanished) {
            return true;
        }
        int close = stat.lastIndexOf(')');
        return stat.isEmpty() || (close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z');
    }

    static void assertNoTrace(String text) {
        assertTrue(!text.contains("Exception") && !text.contains("\tat "), () -> "a stack trace was printed:\n" + text);
    }
}
