package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and values a careless user hands the CLI that once hung it, crashed it or replaced something of
 * theirs: a FIFO named as a .pipe, --params or --argo-schema file (read until someone writes to it),
 * {@code -o} naming a FIFO, a device or a link (renamed over, so gone), a Duration beyond 64 bits (an internal
 * error), a Float {@code 1e999} (taken as Infinity), a JSON key given twice (the last silently kept), options
 * written after {@code --}, limits read as "no limit". Each is an error with a help line, or done as asked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileFilesCliTest {
    private static final String HELLO = """
            component say(message: String, d: Duration, f: Float, m: Map[String, Int]) -> (echoed: String) {
              image = "alpine:3.20"
              command = ["sh", "-c", "printf '%s %s %s %s' \\"$0\\" \\"$1\\" \\"$2\\" \\"$3\\" > \\"$4\\"", message, d, f, m, echoed]
            }

            pipeline hello(name: String = "world", d: Duration = 5s, f: Float = 0.5, m: Map[String, Int] = {"a": 1})
                -> (greeting: String) {
              greet = say(message = "hello, ${name}", d = d, f = f, m = m)
              output greeting = greet.echoed
            }
            """;

    @TempDir
    Path dir;
    private Path hello;

    @BeforeEach
    void writeHello() throws IOException {
        hello = dir.resolve("hello.pipe");
        Files.writeString(hello, HELLO);
    }

    private Map<String, String> env() {
        return Map.of("FREESTONE_HOME", dir.resolve("home").toString());
    }

    private CliRun cli(String... args) {
        CliRun r = CliRun.of(env(), args);
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error") || r.err().contains("Exception"),
                r.err());
        return r;
    }

    private static void assertError(CliRun r, int code, String message, String help) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(message), "expected `" + message + "` in:\n" + r.err());
        assertTrue(r.err().contains("  = help: " + help), "expected help `" + help + "` in:\n" + r.err());
    }

    private Path fifo(String name) throws Exception {
        Path f = dir.resolve(name);
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", f.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("no mkfifo on this machine: " + e.getMessage());
            return f;
        }
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo failed");
        return f;
    }

    @Test
    void aFifoNamedAsAFileIsRefusedNotReadForever() throws Exception {
        Path fifo = fifo("p.pipe");
        for (String command : new String[] {"check", "fmt", "compile", "graph", "run"}) {
            assertError(cli(command, fifo.toString()), 2, fifo + " is not a regular file (a pipe, socket or device)",
                    "name a .pipe file");
        }
        assertError(cli("run", hello.toString(), "--params", fifo.toString()), 2,
                "cannot read parameters from " + fifo + ": it is not a regular file", "write a YAML or JSON map");
        assertError(cli("compile", hello.toString(), "--argo-schema", fifo.toString()), 2,
                "cannot read Argo's JSON schema " + fifo + ": it is not a regular file", "--argo-schema takes");
    }

    @Test
    void aBinaryValueInAParamsFileIsRefusedByItsKey() throws IOException {
        // parameters are text or JSON: bytes given as `!!binary` would reach a String as quoted base64
        String help = "write the value as text: parameters are text or JSON, not bytes";
        Path top = Files.writeString(dir.resolve("bin.yaml"), "name: !!binary aGVsbG8=\n");
        assertError(cli("run", hello.toString(), "--params", top.toString()), 2,
                "cannot read parameters from " + top + ": the value of `name` is binary (`!!binary`)", help);
        Path inside = Files.writeString(dir.resolve("inside.yaml"), "m:\n  a: !!binary aGVsbG8=\n");
        assertError(cli("compile", hello.toString(), "--params", inside.toString()), 2,
                "cannot read parameters from " + inside + ": the value of `m` is binary (`!!binary`)", help);
    }

    @Test
    void aParamsFileThatDoesNotParseSaysWhatIsWrongAndWhere() throws IOException {
        // the parser's first line is its context alone (`while parsing a flow sequence`): neither the mistake nor its place
        String help = "write a YAML or JSON map of parameter names to values";
        Path open = Files.writeString(dir.resolve("open.yaml"), "name: [0.1\n");
        assertError(cli("run", hello.toString(), "--params", open.toString()), 2, "cannot read parameters from " + open
                + ": expected ',' or ']', but got <stream end> at line 2, column 1 (while parsing a flow sequence at line 1, column 7)",
                help);
        Path json = Files.writeString(dir.resolve("args.json"), "{\"name\": \"x\"");
        assertError(cli("compile", hello.toString(), "--params", json.toString()), 2, "cannot read parameters from " + json
                + ": expected ',' or '}', but got <stream end> at line 1, column 13 (while parsing a flow mapping at line 1, column 1)",
                help);
    }

    @Test
    void aParamsFileThatIsNoMapSaysWhyInItsTerms() throws IOException {
        String help = "write a YAML or JSON map of parameter names to values";
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "# nothing yet\n");
        assertError(cli("run", hello.toString(), "--params", empty.toString()), 2,
                empty + " holds nothing (it is empty, or only comments)", help);
        Path complexKey = Files.writeString(dir.resolve("key.yaml"), "? [a]\n: 1\n");
        CliRun key = cli("run", hello.toString(), "--params", complexKey.toString());
        assertError(key, 2, "cannot read parameters from " + complexKey + ": a key is not a name at line 1, column 4", help);
        assertFalse(key.err().contains("snakeyaml"), key.err());
        Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'n', ':', ' ', (byte) 0xe9, '\n'});
        CliRun binary = cli("run", hello.toString(), "--params", latin1.toString());
        assertError(binary, 2, "cannot read parameters from " + latin1 + ": it is not UTF-8 text", help);
        assertFalse(binary.err().contains("java."), binary.err());
    }

    @Test
    void anImportOfAFifoABinaryFileOrALinkLoopSaysWhatItIs() throws Exception {
        fifo("fifo.pipe");
        Files.write(dir.resolve("binary.pipe"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        Files.createSymbolicLink(dir.resolve("loop-a.pipe"), dir.resolve("loop-b.pipe"));
        Files.createSymbolicLink(dir.resolve("loop-b.pipe"), dir.resolve("loop-a.pipe"));
        String[][] cases = {
            {"fifo.pipe", "cannot import `fifo.pipe`: it is not a regular file (a pipe, socket or device)", "import a `.pipe` file"},
            {"binary.pipe", "cannot import `binary.pipe`: it is not UTF-8 text", "save the file as UTF-8"},
            {"loop-a.pipe", "cannot import `loop-a.pipe`: it is a symbolic link that leads to no file", "import a `.pipe` file"},
        };
        for (String[] c : cases) {
            Path p = Files.writeString(dir.resolve("importer.pipe"), "import \"" + c[0] + "\" as x\npipeline p() {}\n");
            CliRun r = cli("check", p.toString());
            assertError(r, 1, "error[E0106]: " + c[1], c[2]);
        }
    }

    @Test
    void aLogReplacedByAFolderOrAFifoIsGoneNotACrashOrAHang() throws Exception {
        CliRun run = cli("run", "--progress", "none", hello.toString());
        assertEquals(0, run.code(), run.err());
        String id = run.runId();
        Path log = dir.resolve("home").resolve("runs").resolve(id).resolve("greet").resolve("attempt-1").resolve("log");
        assertTrue(Files.isRegularFile(log), "the step's log is not where this test looks: " + log);
        Files.delete(log);
        Files.createDirectory(log);
        assertError(cli("logs", id, "greet"), 1, "the log of task `greet` of run " + id + " is gone: " + log + " is not a file",
                "the file was deleted");
        assertError(cli("logs", id), 1, "no log of run " + id + " is left", "the file was deleted");
        Files.delete(log);
        fifo(dir.relativize(log).toString());
        assertError(cli("logs", id, "greet"), 1, "is gone: " + log + " is not a file", "the file was deleted");
    }

    @Test
    void aLinkThatLeadsNowhereIsNamedAsSuch() throws IOException {
        Path a = dir.resolve("a.pipe");
        Path b = dir.resolve("b.pipe");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        assertError(cli("check", a.toString()), 2, a + " is a symbolic link that leads to no file", "point the link");
        Path dangling = Files.createSymbolicLink(dir.resolve("gone.pipe"), dir.resolve("nothing.pipe"));
        assertError(cli("check", dangling.toString()), 2, "is a symbolic link that leads to no file", "point the link");
    }

    @Test
    void utf16TextIsCalledUtf16() throws IOException {
        Path p = dir.resolve("windows.pipe");
        byte[] text = HELLO.getBytes(StandardCharsets.UTF_16LE);
        byte[] bytes = new byte[text.length + 2];
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xfe;
        System.arraycopy(text, 0, bytes, 2, text.length);
        Files.write(p, bytes);
        assertError(cli("check", p.toString()), 1, p + " is UTF-16 text", "save the file as UTF-8");
    }

    /** A data file or a script named where the .pipe goes is said to be no pipeline, not told its first line's syntax. */
    @Test
    void aFileThatIsNoPipeIsSaidToBeOne() throws IOException {
        Path csv = Files.writeString(dir.resolve("data.csv"), "a,b\n1,2\n");
        CliRun run = cli("run", csv.toString());
        assertEquals(1, run.code(), run.err());
        assertEquals("error[E0007]: `data.csv` is not a Freestone pipeline: it does not parse as one\n"
                + " --> " + csv + ":1:1\n  |\n1 | a,b\n  | ^\n"
                + "  = help: Freestone reads `.pipe` files (`freestone run train.pipe`); a data file or a script is given to"
                + " a pipeline as a parameter, or run by a component\n\n1 error found\n", run.err());
        Path py = Files.writeString(dir.resolve("model.py"), "import pandas\nprint(1)\n");
        CliRun check = cli("check", py.toString());
        assertEquals(1, check.code(), check.err());
        assertTrue(check.err().startsWith("error[E0007]: `model.py` is not a Freestone pipeline"), check.err());
        assertFalse(check.err().contains("E0001"), check.err());
        // a .pipe file's syntax error is told as before, and a file of another name that parses is read
        Path broken = Files.writeString(dir.resolve("broken.pipe"), "a,b\n");
        assertTrue(cli("check", broken.toString()).err().startsWith("error[E0001]: syntax error"));
        Path txt = Files.writeString(dir.resolve("hello.txt"), HELLO);
        assertEquals(0, cli("check", txt.toString()).code());
    }

    @Test
    void anArgoSchemaThatIsNotJsonIsSaidWithoutTheParsersSettings() throws IOException {
        Path p = Files.write(dir.resolve("schema.json"), new byte[] {0x1b, 0x01, 0x02});
        CliRun r = cli("compile", hello.toString(), "--argo-schema", p.toString());
        assertError(r, 2, p + " is not JSON: ", "--argo-schema takes");
        assertFalse(r.err().contains("REDACTED") || r.err().contains("StreamReadFeature"), r.err());
    }

    @Test
    void compileIntoAFifoWritesIntoItAndTheFifoStays() throws Exception {
        Path fifo = fifo("out.yaml");
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(0, cli("compile", hello.toString(), "-o", fifo.toString()).code());
        String yaml = new String(read.get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertTrue(yaml.startsWith("apiVersion: argoproj.io/v1alpha1"), yaml);
        assertFalse(Files.isRegularFile(fifo), "the FIFO was replaced by a file");
        assertTrue(Files.exists(fifo));
    }

    @Test
    void compileThroughALinkWritesTheLinkedFileAndKeepsTheLink() throws IOException {
        Path real = Files.writeString(dir.resolve("real.yaml"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), real);
        assertEquals(0, cli("compile", hello.toString(), "-o", link.toString()).code());
        assertTrue(Files.isSymbolicLink(link), "the link was replaced by a file");
        assertTrue(Files.readString(real).startsWith("apiVersion: argoproj.io/v1alpha1"));
    }

    @Test
    void compileUnderAFileSaysTheFileIsNoFolder() {
        CliRun r = cli("compile", hello.toString(), "-o", hello.resolve("x.yaml").toString());
        assertError(r, 1, hello.toAbsolutePath() + " is a file, not a directory", "choose a writable path for -o");
    }

    @Test
    void valuesBeyondTheirTypesAreOutOfRangeNotCrashesOrInfinity() {
        assertError(cli("run", "--progress", "none", hello.toString(), "-p", "d=99999999999999999999h"), 1,
                "error[E0603]: parameter `d` expects `Duration`: `99999999999999999999h` is out of range",
                "the longest duration is about 292 million years");
        // fits in a long as hours, not as milliseconds
        assertError(cli("run", "--progress", "none", hello.toString(), "-p", "d=9999999999999999h"), 1,
                "`9999999999999999h` is out of range", "the longest duration");
        assertError(cli("run", "--progress", "none", hello.toString(), "-p", "f=1e999"), 1,
                "parameter `f` expects `Float`: `1e999` is out of range", "it does not fit in a 64-bit Float");
        assertError(cli("run", "--progress", "none", hello.toString(), "-p", "f=-1e999"), 1,
                "`-1e999` is out of range", "it does not fit in a 64-bit Float");
        assertTrue(cli("run", "--progress", "none", hello.toString(), "-p", "d=9223372036854775807ms").code() == 0);
    }

    @Test
    void aJsonKeyGivenTwiceIsAMistakeNotTheLastOneKept() {
        assertError(cli("run", "--progress", "none", hello.toString(), "-p", "m={\"a\": 1, \"a\": 2}"), 1,
                "parameter `m` expects `Map[String, Int]`: it is not valid JSON: the key `a` is given twice",
                "write a JSON object");
    }

    @Test
    void aDurationInJsonIsNotNegative() throws IOException {
        Path p = dir.resolve("timeouts.pipe");
        Files.writeString(p, """
                component wait(ts: Map[String, Duration]) -> (o: String) {
                  image = "alpine:3.20"
                  command = ["sh", "-c", "echo \\"$0\\" > \\"$1\\"", ts, o]
                }
                pipeline timeouts(ts: Map[String, Duration]) -> (o: String) {
                  w = wait(ts = ts)
                  output o = w.o
                }
                """);
        assertError(cli("run", "--progress", "none", p.toString(), "-p", "ts={\"a\": -5}"), 1,
                "the value at `a`, `-5`, is out of range", "a Duration is between 0 and about 292 million years");
        assertEquals(0, cli("run", "--progress", "none", p.toString(), "-p", "ts={\"a\": 5, \"b\": \"1m\"}").code());
    }

    @Test
    void anOptionAfterDoubleDashIsExplainedNotSuggestedAsItself() {
        CliRun r = cli("compile", hello.toString(), "--", "--emit", "ir");
        assertError(r, 2, "error: unexpected argument `--emit`: after `--` it is not read as an option",
                "put options before `--`");
        assertFalse(r.err().contains("did you mean `--emit`"), r.err());
    }

    @Test
    void aFileNamedLikeAnOptionIsPointedAfterDoubleDash() throws IOException {
        Path odd = Files.writeString(dir.resolve("-odd.pipe"), "pipeline p() {}\n");
        // the name as the user typed it, relative to the working directory, is what picocli sees
        String name = odd.getFileName().toString();
        assertError(cli("check", name), 2, "error: Missing required parameter: 'FILE' (`-odd.pipe` was read as an option)",
                "a name that starts with `-` goes after `--`, e.g. `freestone check -- -odd.pipe`");
        assertError(cli("show", "-run-x"), 2, "(`-run-x` was read as an option)", "a name that starts with `-`");
        // an option with its value glued on is not taken for a name
        CliRun glued = cli("run", "-j2");
        assertError(glued, 2, "error: Missing required parameter: 'FILE'", "see `freestone run --help`");
        assertEquals(0, cli("check", "--", odd.toString()).code());
    }

    @Test
    void limitsThatWouldMeanNoLimitAreRefused() {
        assertError(cli("runs", "--limit", "-5"), 2, "--limit -5 is negative", "give how many runs to list at most");
        assertError(cli("compile", hello.toString(), "--max-manifest-size", "0"), 2,
                "--max-manifest-size 0 is not a size", "e.g. --max-manifest-size 1048576; leave it out");
        assertError(cli("compile", hello.toString(), "--max-manifest-size", "-1"), 2,
                "--max-manifest-size -1 is not a size", "e.g. --max-manifest-size 1048576; leave it out");
    }

    @Test
    void aKubeconfigThatIsNotTextOrNotAFileIsSaidSo() throws IOException {
        // YAML up to a byte that is no UTF-8 (a binary file saved under the name, a kubeconfig in Latin-1)
        byte[] head = "apiVersion: v1\nkind: Config\n# caf".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xe9;
        bytes[head.length + 1] = '\n';
        Path binary = Files.write(dir.resolve("kubeconfig"), bytes);
        CliRun r = CliRun.of(Map.of("FREESTONE_HOME", dir.resolve("home").toString(), "KUBECONFIG", binary.toString()),
                "submit", hello.toString());
        assertError(r, 1, "cannot read the Kubernetes configuration in " + binary + ": not UTF-8 text, so not a kubeconfig",
                "fix the file");
        assertFalse(r.err().contains("java."), r.err());
        CliRun folder = CliRun.of(Map.of("FREESTONE_HOME", dir.resolve("home").toString(), "KUBECONFIG", dir.toString()),
                "submit", hello.toString());
        assertError(folder, 1, dir + " is not a regular file, so not a kubeconfig", "check --kubeconfig or KUBECONFIG");
    }

    @Test
    void aHomeThatCannotBeMadeSaysWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        CliRun r = CliRun.of(Map.of("FREESTONE_HOME", file.resolve("home").toString()), "runs");
        assertEquals(1, r.code(), r.err());
        // the reason, not the bare path the file system's exception carries
        assertFalse(r.err().contains(": " + file.resolve("home") + "\n"), r.err());
        assertTrue(r.err().contains("cannot create freestone home " + file.resolve("home") + ": " + file
                + " is a file, not a directory"), r.err());
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
    }
}
