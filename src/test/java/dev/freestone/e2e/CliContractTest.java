package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLI's contract with users and scripts: help and version everywhere, exit codes 0/1/2, an
 * {@code error:} line and never a stack trace for a user's mistake.
 */
class CliContractTest {
    @TempDir
    static Path tmp;
    static Freestone fs;
    static String hello;

    @BeforeAll
    static void files() throws IOException {
        fs = new Freestone(tmp.resolve("home"));
        hello = Freestone.example("hello/hello.pipe").toString();
        write("broken.pipe", "component x( {\n");
        write("unknown.pipe", "pipeline p(a: Int) {\n  b = nosuch(x = a)\n}\n");
        write("bad.yaml", "name: [unclosed\n");
        write("list.yaml", "- just\n- a list\n");
        write("empty-kubeconfig", "apiVersion: v1\nkind: Config\n");
        write("empty.pipe", "");
        Files.write(tmp.resolve("binary.pipe"), new byte[] {0, 1, (byte) 0xff, (byte) 0xfe});
        Files.writeString(tmp.resolve("homefile"), "not a directory");
    }

    private static void write(String name, String text) throws IOException {
        Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }

    static List<String> commands() {
        return new ArrayList<>(new TreeSet<>(Main.commandLine().getSubcommands().keySet()));
    }

    /** Argo's and KFP's words for a run's state and the list of runs lead to ours (`status` was told `stop`). */
    @Test
    void theWordsOfArgosCliLeadToOurCommands() {
        for (String[] pair : new String[][] {{"status", "show"}, {"get", "show"}, {"list", "runs"}}) {
            Freestone.Result r = fs.cli(pair[0], "run-20261126-092144-bdbf").expect(2);
            assertTrue(r.err().contains("  = help: did you mean `" + pair[1] + "`?"), r::all);
        }
        // other words keep picocli's spelling suggestions
        assertTrue(fs.cli("chek", hello).expect(2).err().contains("did you mean `check`"), "a typo of check");
    }

    @Test
    void everyCommandHasHelpAndVersion() {
        assertTrue(commands().containsAll(List.of("check", "compile", "run", "resume", "runs", "show", "logs",
                "artifacts", "metrics")), commands()::toString);
        for (String c : commands()) {
            Freestone.Result help = fs.cli(c, "--help").expect(0);
            assertTrue(help.out().contains("Usage: freestone " + c), help::all);
            Freestone.Result version = fs.cli(c, "--version").expect(0);
            if (!c.equals("help")) { // picocli's `help` takes a command name, and shows the overview for others
                assertTrue(version.out().startsWith("freestone "), () -> c + " --version printed: " + version.all());
            }
        }
        assertTrue(fs.cli("--help").expect(0).out().contains("Usage: freestone"));
        assertTrue(fs.cli("--version").expect(0).out().startsWith("freestone "));
        Freestone.Result helpRun = fs.cli("help", "run").expect(0);
        assertTrue(helpRun.out().contains("Usage: freestone run"), helpRun::all);
    }

    /**
     * picocli prints each line of a command's description as a line of its own, wrapped at 80 columns: a
     * description written a line per 100 columns left a short line before each of its continuations
     * (`steps per call),` / `a loop over ...`). A line of a paragraph goes on to the terminal's edge.
     */
    @Test
    void everyCommandsHelpIsParagraphsOnAnEightyColumnTerminal() {
        for (String c : commands().stream().filter(c -> !c.equals("help")).toList()) { // picocli's own
            List<String> lines = fs.cli(c, "--help").expect(0).out().lines().toList();
            int i = 0;
            while (i < lines.size() && (lines.get(i).startsWith("Usage:") || lines.get(i).startsWith(" "))) {
                i++;
            }
            for (; i + 1 < lines.size() && !lines.get(i + 1).startsWith(" "); i++) {
                String line = lines.get(i);
                assertTrue(line.endsWith(".") || line.length() > 60,
                        "`freestone " + c + " --help` breaks a sentence after `" + line + "`, before `" + lines.get(i + 1) + "`");
            }
        }
    }

    static Stream<Arguments> mistakes() {
        String t = tmp.toString() + "/";
        return Stream.of(
                // usage errors: 2
                Arguments.of(2, List.of()),
                Arguments.of(2, List.of("frobnicate")),
                Arguments.of(2, List.of("run")),
                Arguments.of(2, List.of("run", "--bogus", hello)),
                Arguments.of(2, List.of("run", hello, "--param", "noequals")),
                Arguments.of(2, List.of("run", hello, "--params", t + "missing.yaml")),
                Arguments.of(2, List.of("run", hello, "--params", t + "bad.yaml")),
                Arguments.of(2, List.of("run", hello, "--params", t + "list.yaml")),
                Arguments.of(2, List.of("run", "-j", "0", hello)),
                Arguments.of(2, List.of("run", "-j", "abc", hello)),
                Arguments.of(2, List.of("run", "--progress", "bogus", hello)),
                Arguments.of(2, List.of("compile", "--emit", "bogus", hello)),
                Arguments.of(2, List.of("runs", "--output", "bogus")),
                Arguments.of(2, List.of("show")),
                Arguments.of(2, List.of("logs")),
                Arguments.of(2, List.of("metrics")),
                Arguments.of(2, List.of("lineage")),
                Arguments.of(2, List.of("lineage", t + "missing-model.bin")),
                Arguments.of(2, List.of("lineage", "run-nope", "train", "--depth", "0")),
                Arguments.of(2, List.of("resume")),
                Arguments.of(2, List.of("check", "--allow")),
                Arguments.of(2, List.of("submit")),
                Arguments.of(2, List.of("submit", "--progress", "bogus", hello)),
                Arguments.of(2, List.of("submit", "--output", "bogus", hello)),
                Arguments.of(2, List.of("submit", "--ttl", "abc", hello)),
                Arguments.of(2, List.of("submit", hello, "--argo-server", "not a url")),
                Arguments.of(2, List.of("submit", hello, "--argo-server", "ftp://argo.example.com")),
                Arguments.of(2, List.of("schedule", hello)),
                // a schedule that is no cron schedule is the user's, not a lint finding about Freestone's output
                Arguments.of(2, List.of("schedule", hello, "--cron", "61 * * * *", "--argo-server", "http://127.0.0.1:9")),
                Arguments.of(2, List.of("compile", hello, "--as", "cron", "--schedule", "bogus")),
                // and it wins over the file's own errors: options are checked before the file is read
                Arguments.of(2, List.of("compile", t + "broken.pipe", "--as", "cron", "--schedule", "bogus")),
                Arguments.of(2, List.of("compile", hello, "--ttl", "-1")),
                Arguments.of(2, List.of("compile", hello, "--pod-gc", "Nope")),
                Arguments.of(2, List.of("submit", t + "broken.pipe", "--pod-gc", "Nope")),
                Arguments.of(2, List.of("watch")),
                Arguments.of(2, List.of("watch", "run-nope", "--timeout", "0")),
                Arguments.of(2, List.of("watch", "run-nope", "--timeout", "abc")),
                Arguments.of(2, List.of("stop")),
                Arguments.of(2, List.of("terminate")),
                Arguments.of(2, List.of("retry")),
                Arguments.of(2, List.of("resubmit")),
                Arguments.of(2, List.of("fmt")),
                Arguments.of(2, List.of("lsp", "--bogus")),
                // missing files: 2
                Arguments.of(2, List.of("check", t + "missing.pipe")),
                Arguments.of(2, List.of("run", t + "missing.pipe")),
                Arguments.of(2, List.of("compile", t + "missing.pipe")),
                Arguments.of(2, List.of("graph", t + "missing.pipe")),
                Arguments.of(2, List.of("check", tmp.toString())),
                Arguments.of(2, List.of("compile", hello, "-o", tmp.toString())),
                Arguments.of(2, List.of("submit", t + "missing.pipe")),
                Arguments.of(2, List.of("publish", t + "missing.pipe")),
                Arguments.of(2, List.of("schedule", t + "missing.pipe", "--cron", "0 3 * * *")),
                Arguments.of(2, List.of("fmt", t + "missing.pipe")),
                // pipelines with errors, unknown runs: 1
                Arguments.of(1, List.of("check", t + "broken.pipe")),
                Arguments.of(1, List.of("check", t + "unknown.pipe")),
                Arguments.of(1, List.of("run", t + "unknown.pipe")),
                Arguments.of(1, List.of("compile", t + "broken.pipe")),
                Arguments.of(1, List.of("compile", hello, "-o", "/proc/no-such-dir/x.yaml")),
                Arguments.of(1, List.of("check", t + "binary.pipe")),
                Arguments.of(1, List.of("run", hello, "--param", "nosuch=1")),
                Arguments.of(1, List.of("run", hello, "--pipeline", "nosuch")),
                Arguments.of(1, List.of("show", "run-nope")),
                Arguments.of(1, List.of("show", "--output", "json", "run-nope")),
                Arguments.of(1, List.of("logs", "run-nope")),
                Arguments.of(1, List.of("artifacts", "run-nope")),
                Arguments.of(1, List.of("metrics", "run-nope")),
                Arguments.of(1, List.of("lineage", "run-nope", "train")),
                Arguments.of(1, List.of("lineage", t + "bad.yaml")),
                Arguments.of(1, List.of("resume", "run-nope")),
                // the cluster commands: refused before anything is sent, or for a run that is not there
                Arguments.of(1, List.of("submit", t + "broken.pipe")),
                Arguments.of(1, List.of("publish", t + "unknown.pipe")),
                Arguments.of(1, List.of("submit", hello, "--param", "nosuch=1")),
                Arguments.of(2, List.of("submit", hello, "--kubeconfig", t + "missing-kubeconfig")),
                Arguments.of(1, List.of("submit", hello, "--kubeconfig", t + "bad.yaml")),
                Arguments.of(1, List.of("submit", hello, "--kubeconfig", t + "empty-kubeconfig")),
                Arguments.of(1, List.of("watch", "run-nope")),
                Arguments.of(1, List.of("stop", "run-nope")),
                Arguments.of(1, List.of("terminate", "run-nope")),
                Arguments.of(1, List.of("retry", "run-nope")),
                Arguments.of(1, List.of("resubmit", "run-nope")),
                Arguments.of(1, List.of("fmt", t + "broken.pipe")));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void aMistakeGetsAnErrorLineAndNoStackTrace(int code, List<String> args) {
        Freestone.Result r = fs.cli(args.toArray(String[]::new));
        assertEquals(code, r.exit(), () -> args + "\n" + r.all());
        Freestone.assertNoTrace(r.all());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("error")), () -> "no error line for " + args + ":\n" + r.all());
        assertTrue(r.err().lines().anyMatch(CliContractTest::isHelp), () -> "no help line for " + args + ":\n" + r.all());
        assertFalse(r.err().contains("internal error"), r::all);
    }

    /** What follows an error: a help line (usage mistakes too: a suggestion or a pointer to --help). */
    private static boolean isHelp(String line) {
        return line.startsWith("  = help: ");
    }

    @Test
    void anUnreachableClusterIsOneErrorAndOneHelpLine() throws IOException {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Freestone.Result r = fs.cli("submit", hello, "--argo-server", "http://127.0.0.1:" + port).expect(1);
        assertTrue(r.err().startsWith("error: cannot reach the Argo Server at http://127.0.0.1:" + port), r::all);
        assertTrue(r.err().contains("\n  = help: "), r::all);
        Freestone.assertNoTrace(r.all());
    }

    @Test
    void aFailedLocalRunIsToldToResumeNotToUseTheCluster() throws Exception {
        Path failing = Freestone.pipe(tmp, "failing.pipe", """
                component boom() {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "exit 3"]
                }
                pipeline failing() {
                  boom()
                }
                """);
        Freestone.Result ran = fs.cli("run", "--progress", "none", failing.toString()).expect(1);
        String id = ran.runId();
        Freestone.Result r = fs.cli("stop", id).expect(1);
        assertTrue(r.err().startsWith("error: run " + id + " ran locally, not on Argo"), r::all);
        assertTrue(r.err().contains("  = help: `freestone resume " + id + "` runs what did not succeed again"), r::all);
        Freestone.assertNoTrace(r.all());
    }

    @Test
    void aLocalRunIsNotACommandForTheCluster() {
        Freestone.Result ran = fs.cli("run", "--progress", "none", hello).expect(0);
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("run (run-[0-9a-z-]+): ").matcher(ran.err());
        assertTrue(id.find(), ran::all);
        for (String command : List.of("watch", "stop", "terminate", "retry", "resubmit")) {
            Freestone.Result r = fs.cli(command, id.group(1)).expect(1);
            assertTrue(r.err().startsWith("error: run " + id.group(1) + " ran locally, not on Argo"), r::all);
            assertTrue(r.err().contains("  = help: it succeeded: `freestone show " + id.group(1) + "` shows it, and"
                    + " `freestone run " + hello + "` runs the pipeline again"), r::all);
            Freestone.assertNoTrace(r.all());
        }
    }

    @Test
    void anAttemptATaskNeverHadIsAnErrorNotAnotherAttemptsLog() {
        Freestone.Result ran = fs.cli("run", "--progress", "none", hello).expect(0);
        String id = ran.runId();
        String task = fs.show(id).get("tasks").get(0).get("id").asText();
        assertEquals(0, fs.cli("logs", id, task, "--attempt", "1").exit());
        Freestone.Result r = fs.cli("logs", id, task, "--attempt", "7").expect(1);
        assertTrue(r.err().startsWith("error: task `" + task + "` of run " + id + " has no attempt 7"), r::all);
        assertTrue(r.err().contains("  = help: its attempts are 1; without --attempt the last one is shown"), r::all);
        assertEquals("", r.out(), "no log of another attempt");
        Freestone.assertNoTrace(r.all());
    }

    @Test
    void anUnusableStoreIsAUserError() throws IOException {
        Freestone onFile = new Freestone(tmp.resolve("homefile"));
        Freestone.Result r = onFile.cli("runs").expect(1);
        assertTrue(r.err().contains("error: cannot open the run store"), r::all);
        Freestone.assertNoTrace(r.all());

        Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
        try (var store = fs.openStore()) {
            Files.write(corrupt.resolve(store.databaseFile().getFileName()), "garbage, not SQLite".repeat(300)
                    .getBytes(StandardCharsets.UTF_8));
        }
        Freestone.Result c = new Freestone(corrupt).cli("run", "--progress", "none", hello).expect(1);
        assertTrue(c.err().contains("not a SQLite database"), c::all);
        Freestone.assertNoTrace(c.all());
    }

    @Test
    void checkErrorsAreRenderedForPeopleAndListedForScripts() throws IOException {
        Freestone.Result text = fs.cli("check", tmp.resolve("unknown.pipe").toString()).expect(1);
        assertTrue(text.all().contains("error[E0104]: unknown component or pipeline `nosuch`"), text::all);
        assertTrue(text.all().contains("unknown.pipe:2:7"), text::all);
        assertTrue(text.all().contains("^^^^^^"), text::all);
        assertTrue(text.all().contains("= help: "), text::all);

        Freestone.Result json = fs.cli("check", "--output", "json", tmp.resolve("broken.pipe").toString()).expect(1);
        JsonNode list = Freestone.JSON.readTree(json.out());
        assertTrue(list.isArray() && list.size() > 0, json::all);
        Set<String> keys = Set.of("code", "severity", "file", "line", "column", "endLine", "endColumn", "message", "help");
        for (JsonNode d : list) {
            Set<String> names = new TreeSet<>();
            for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            assertEquals(new TreeSet<>(keys), names, d::toString);
            assertEquals("error", d.get("severity").asText());
            assertTrue(d.get("line").asInt() >= 1 && d.get("column").asInt() >= 1, d::toString);
        }
        assertTrue(list.toString().contains("E0001"), json::all);
        assertEquals("[ ]", fs.cli("check", "--output", "json", hello).expect(0).out().strip());
    }
}
