package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.runtime.store.RunStore;
import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every command driven in-process with random combinations of what a careless or hostile user hands it:
 * files that are directories, binary, Latin-1, UTF-16, CRLF, empty, missing, a FIFO, a link loop, a path
 * under a file; run stores that are a file, random bytes, truncated, of a newer schema, with objects
 * deleted; run ids that are prefixes of several runs or empty; values out of range, JSON keys twice,
 * options twice or after {@code --}; a garbage launcher or kubeconfig. Whatever the mix: exit 0, 1 or 2,
 * no stack trace, an error always followed by a help line or a diagnostic, and the user's files as they were.
 *
 * <p>Cluster commands always get a KUBECONFIG that names no cluster (garbage, a directory or nothing), so
 * no try reaches a real one; {@code lsp} (which reads stdin) is left out, and so is {@code -o} into a FIFO
 * (it waits for a reader, as the shell's {@code >} does).
 */
class CliHostileInputProperties {
    private static Path dir;
    private static Map<String, String> files;
    private static List<String> homes;
    private static List<String> runIds;
    private static Map<Path, String> userFiles;

    private static final List<String> FILE_COMMANDS = List.of("check", "compile", "graph", "run", "fmt", "submit",
            "schedule", "publish", "lineage");
    private static final List<String> RUN_COMMANDS = List.of("show", "logs", "artifacts", "metrics", "resume", "runs",
            "watch", "stop", "terminate", "retry", "resubmit", "help", "lineage");

    private static final String HELLO = """
            component say(message: String, d: Duration, f: Float, i: Int, m: Map[String, Int]) -> (echoed: String, data: Dataset) {
              image = "alpine:3.20"
              command = ["sh", "-c", "printf '%s %s %s %s %s' \\"$0\\" \\"$1\\" \\"$2\\" \\"$3\\" \\"$4\\" | tee \\"$5\\" > \\"$6\\"",
                         message, d, f, i, m, echoed, data]
            }

            pipeline hello(name: String = "world", d: Duration = 5s, f: Float = 0.5, i: Int = 1, m: Map[String, Int] = {"a": 1})
                -> (greeting: String, data: Dataset) {
              greet = say(message = "hello, ${name}", d = d, f = f, i = i, m = m)
              output greeting = greet.echoed
              output data = greet.data
            }
            """;

    @BeforeContainer
    static void makeTheUsersMess() throws Exception {
        dir = Files.createTempDirectory("freestone-hostile");
        files = new LinkedHashMap<>();
        Path hello = write("hello.pipe", HELLO.getBytes(StandardCharsets.UTF_8));
        files.put("hello", hello.toString());
        files.put("crlf", write("crlf.pipe", HELLO.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)).toString());
        files.put("bom", write("bom.pipe", ("\uFEFF" + HELLO).getBytes(StandardCharsets.UTF_8)).toString());
        files.put("broken", write("broken.pipe", "pipeline p( {\n  x = \n".getBytes(StandardCharsets.UTF_8)).toString());
        files.put("unknown", write("unknown.pipe", "pipeline p() {\n  x = nosuch()\n}\n".getBytes(StandardCharsets.UTF_8)).toString());
        files.put("empty", write("empty.pipe", new byte[0]).toString());
        files.put("latin1", write("latin1.pipe", "pipeline caf\u00e9() {}\n".getBytes(StandardCharsets.ISO_8859_1)).toString());
        byte[] utf16 = ("\uFEFF" + HELLO).getBytes(StandardCharsets.UTF_16BE);
        files.put("utf16", write("utf16.pipe", utf16).toString());
        byte[] binary = new byte[4096];
        new java.util.Random(7).nextBytes(binary);
        files.put("binary", write("binary.pipe", binary).toString());
        files.put("long-line", write("long.pipe", ("// " + "a".repeat(2_000_000) + "\n" + HELLO).getBytes(StandardCharsets.UTF_8)).toString());
        files.put("dir", Files.createDirectories(dir.resolve("folder.pipe")).toString());
        files.put("missing", dir.resolve("missing.pipe").toString());
        files.put("under-a-file", hello.resolve("x.pipe").toString());
        Path a = Files.createSymbolicLink(dir.resolve("loop-a.pipe"), dir.resolve("loop-b.pipe"));
        Files.createSymbolicLink(dir.resolve("loop-b.pipe"), a);
        files.put("link-loop", a.toString());
        Path fifo = dir.resolve("fifo.pipe");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            files.put("fifo", fifo.toString());
        }
        for (String imported : List.of("binary.pipe", "fifo.pipe", "loop-a.pipe", "folder.pipe", "missing-module.pipe")) {
            files.put("imports " + imported, write("imports-" + imported.replace(".pipe", "") + ".pipe",
                    ("import \"" + imported + "\" as x\n" + HELLO).getBytes(StandardCharsets.UTF_8)).toString());
        }
        files.put("params-dup", write("dup.yaml", "name: a\nname: b\n".getBytes(StandardCharsets.UTF_8)).toString());
        files.put("params-list", write("list.yaml", "- a\n- b\n".getBytes(StandardCharsets.UTF_8)).toString());
        files.put("kube-garbage", write("kubeconfig", binary).toString());
        files.put("kube-yaml", write("kube.yaml", "clusters: [\n".getBytes(StandardCharsets.UTF_8)).toString());

        homes = new ArrayList<>();
        Path good = dir.resolve("home-good");
        CliRun first = CliRun.of(Map.of("FREESTONE_HOME", good.toString()), "run", "--progress", "none", hello.toString());
        assertEquals(0, first.code(), first.err());
        CliRun second = CliRun.of(Map.of("FREESTONE_HOME", good.toString()), "run", "--progress", "none", "--no-cache",
                hello.toString(), "-p", "name=again");
        assertEquals(0, second.code(), second.err());
        runIds = List.of(first.runId(), first.runId().substring(0, 12), "run-", "run-2", "", "run-nope", " ", "--",
                "-", "run-" + "9".repeat(200));
        homes.add(good.toString());
        homes.add(dir.resolve("home-new").toString());
        homes.add(hello.toString());
        homes.add(hello.resolve("home").toString());
        homes.add(copyHome(good, "home-random", db -> {
            byte[] noise = new byte[20_000];
            new java.util.Random(11).nextBytes(noise);
            Files.write(db, noise);
        }));
        homes.add(copyHome(good, "home-truncated", db -> {
            try (var ch = Files.newByteChannel(db, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(Math.min(ch.size() / 2, 5000));
            }
        }));
        homes.add(copyHome(good, "home-empty-db", db -> Files.write(db, new byte[0])));
        homes.add(copyHome(good, "home-newer", db -> {
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                 var s = c.createStatement()) {
                s.execute("INSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01T00:00:00.000Z')");
            }
        }));
        homes.add(copyHome(good, "home-no-objects", db -> {
            try (Stream<Path> objects = Files.walk(db.resolveSibling("artifacts"))) {
                for (Path p : objects.filter(Files::isRegularFile).toList()) {
                    Files.delete(p);
                }
            }
        }));

        userFiles = new TreeMap<>();
        for (String f : files.values()) {
            Path p = Path.of(f);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                userFiles.put(p, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private interface DbChange {
        void apply(Path db) throws Exception;
    }

    private static String copyHome(Path from, String name, DbChange change) throws Exception {
        Path to = dir.resolve(name);
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        change.apply(to.resolve(RunStore.DATABASE_FILE));
        return to.toString();
    }

    /** One command line with its environment. */
    record Invocation(List<String> args, Map<String, String> env) {
        @Override
        public String toString() {
            Map<String, String> shown = new TreeMap<>(env);
            shown.remove("PATH");
            return shown + " freestone " + String.join(" ", args.stream().map(a -> "'" + a + "'").toList());
        }
    }

    @Provide
    Arbitrary<Invocation> invocations() {
        Arbitrary<String> fileCommand = Arbitraries.of(FILE_COMMANDS);
        Arbitrary<String> runCommand = Arbitraries.of(RUN_COMMANDS);
        Arbitrary<String> file = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(files.get("hello"))),
                net.jqwik.api.Tuple.of(6, Arbitraries.of(List.copyOf(files.values()))));
        Arbitrary<List<String>> fileLine = Combinators.combine(fileCommand, file).as(List::of);
        Arbitrary<List<String>> runLine = Combinators.combine(runCommand, Arbitraries.of(runIds)).as(List::of);
        Arbitrary<List<String>> line = Arbitraries.oneOf(fileLine, fileLine, runLine);
        Arbitrary<List<List<String>>> extras = Arbitraries.of(extras()).list().ofMaxSize(3);
        Arbitrary<Map<String, String>> env = Combinators.combine(
                Arbitraries.of(homes),
                Arbitraries.of("", "garbage", "python", "", ""),
                Arbitraries.of(files.get("kube-garbage"), files.get("kube-yaml"), files.get("dir"), files.get("missing")))
                .as((home, launcher, kube) -> {
                    Map<String, String> e = new TreeMap<>();
                    e.put("FREESTONE_HOME", home);
                    e.put("KUBECONFIG", kube);
                    e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
                    if (!launcher.isEmpty()) {
                        e.put("FREESTONE_LAUNCHER", launcher);
                    }
                    return e;
                });
        return Combinators.combine(line, extras, Arbitraries.integers().between(0, 3), env).as((l, x, at, e) -> {
            List<String> args = new ArrayList<>(l);
            List<String> more = new ArrayList<>();
            x.forEach(more::addAll);
            args.addAll(Math.min(at, args.size()), more);
            if (args.get(0).equals("run") || args.get(0).equals("resume")) {
                args.add(1, "--progress=none");
            }
            return new Invocation(List.copyOf(args), e);
        });
    }

    private static List<List<String>> extras() {
        return List.of(
                List.of("--output", "json"), List.of("--output", "yaml"), List.of("--output", ""),
                List.of("--output", "json", "--output", "text"),
                List.of("-p", "="), List.of("-p", "a.b=1"), List.of("-p", "name="), List.of("-p", "name=x", "-p", "name=y"),
                List.of("-p", "d=-5s"), List.of("-p", "d=1e3h"), List.of("-p", "d=99999999999999999999h"),
                List.of("-p", "f=NaN"), List.of("-p", "f=1e999"), List.of("-p", "i=99999999999999999999"),
                List.of("-p", "i=-9223372036854775809"), List.of("-p", "m={\"a\":1,\"a\":2}"), List.of("-p", "m={\"a\":1e999}"),
                List.of("-p", "m=[1"), List.of("--params", files.get("params-dup")), List.of("--params", files.get("params-list")),
                List.of("--params", files.get("binary")), List.of("--params", files.get("dir")),
                List.of("--", "--emit", "ir"), List.of("--"), List.of("--emit", "ir"), List.of("--emit", "bogus"),
                List.of("--format", "bogus"), List.of("--format", "mermaid"), List.of("--format", "svg"), List.of("--pipeline", ""),
                List.of("--pipeline", "nosuch"),
                List.of("-o", dir.resolve("out").resolve("deep").resolve("w.yaml").toString()),
                List.of("-o", files.get("dir")), List.of("-o", files.get("hello")), List.of("-o", files.get("under-a-file")),
                List.of("--limit", "-1"), List.of("--limit", "99999999999"), List.of("--attempt", "0"),
                List.of("--attempt", "7"), List.of("-j", "0"), List.of("-j", "-3"), List.of("--no-cache"),
                List.of("--check"), List.of("--strict"), List.of("--allow", ""), List.of("--color", "bogus"),
                List.of("--ttl", "-1"), List.of("--max-manifest-size", "0"), List.of("--argo-schema", files.get("binary")),
                List.of("--as", "cron", "--schedule", "bogus"), List.of("--cron", "61 * * * *"),
                List.of("--kubeconfig", files.get("kube-garbage")), List.of("--kubeconfig", files.get("missing")),
                List.of("--argo-server", "http://127.0.0.1:1"), List.of("--argo-server", "not a url"),
                List.of("--timeout", "0"), List.of("-n", "10"), List.of("--help"), List.of("--bogus"), List.of(""),
                List.of("greet.data"), List.of("greet"), List.of("greet.nope"), List.of("--downstream"),
                List.of("--depth", "0"), List.of("--depth", "1"));
    }

    /** An error line with its help, a rendered diagnostic, (--output json) diagnostics with their help, fmt's list. */
    private static boolean explained(CliRun r) {
        return r.err().contains("= help:") || r.err().contains("error[")
                // fmt --check: the files that would change, and what to run (its exit 1 is its answer, as gofmt -l's)
                || r.err().contains("; run `freestone fmt` on ")
                || (r.out().contains("\"code\" : ") && r.out().contains("\"help\" : "));
    }

    @Property(tries = 500)
    void noInputMakesATraceOrAnUnexplainedError(@ForAll("invocations") Invocation inv) throws IOException {
        CliRun r = CliRun.of(inv.env(), inv.args().toArray(String[]::new));
        String all = r.out() + r.err();
        assertTrue(Set.of(0, 1, 2).contains(r.code()), () -> "exit " + r.code() + " for " + inv + "\n" + all);
        assertFalse(all.contains("Exception") || all.contains("\tat ") || all.contains("internal error"),
                () -> inv + "\n" + all);
        if (r.code() != 0) {
            assertTrue(explained(r),
                    () -> "exit " + r.code() + " without a help line or a diagnostic: " + inv + "\n" + all);
        }
        for (Map.Entry<Path, String> f : userFiles.entrySet()) {
            if (inv.args().get(0).equals("fmt") && f.getKey().toString().endsWith(".pipe")) {
                // fmt rewrites a .pipe file on purpose (FmtCommandTest holds it to its meaning): the new text is the user's
                f.setValue(new String(Files.readAllBytes(f.getKey()), StandardCharsets.ISO_8859_1));
                continue;
            }
            assertTrue(Files.isRegularFile(f.getKey(), LinkOption.NOFOLLOW_LINKS), () -> f.getKey() + " is gone: " + inv);
            try {
                assertEquals(f.getValue(), new String(Files.readAllBytes(f.getKey()), StandardCharsets.ISO_8859_1),
                        () -> f.getKey() + " was changed by " + inv);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertTrue(Files.isSymbolicLink(dir.resolve("loop-a.pipe")), "the link loop was replaced");
        if (files.containsKey("fifo")) {
            assertTrue(Files.exists(Path.of(files.get("fifo"))) && !Files.isRegularFile(Path.of(files.get("fifo"))),
                    "the FIFO was replaced");
        }
    }
}
