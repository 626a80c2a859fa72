package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holes found by attacking the product's promises (docs/security.md), each pinned by driving the CLI
 * in-process with real files: what a failure must not lose, what other users of the machine must not
 * read, what Argo must not evaluate. Every command must end without a stack trace.
 */
class SecurityAuditE2ETest {
    private static final String SECRET = "hunter2-Zq8#secret";
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @TempDir
    Path dir;

    private Path home() {
        return dir.resolve("home");
    }

    private Map<String, String> env() {
        return Map.of("FREESTONE_HOME", home().toString(), "PATH", System.getenv("PATH"));
    }

    private CliRun cli(String... args) {
        CliRun r = CliRun.of(env(), args);
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), "a stack trace or a bug: " + r.err());
        return r;
    }

    private static Set<PosixFilePermission> mode(Path p) throws IOException {
        return Files.getPosixFilePermissions(p);
    }

    private static void assertPrivate(Path p) throws IOException {
        Set<PosixFilePermission> open = mode(p);
        open.retainAll(OTHERS);
        assertTrue(open.isEmpty(), p + " is " + PosixFilePermissions.toString(mode(p)) + ": others may use it");
    }

    /**
     * The secrets docs have the user make the home before Freestone ever runs
     * ({@code mkdir -p ~/.freestone/secrets/db-creds}), so it gets the umask's {@code rwxr-xr-x} and Freestone
     * leaves it as it is. What Freestone then keeps in it must still be the owner's alone: the attempts' logs
     * (a step that reads the secret may print it), the run store with every run's values, the artifacts.
     */
    @Test
    void aHomeTheUserMadeStillKeepsLogsStoreAndArtifactsPrivate() throws IOException {
        Path secret = home().resolve("secrets").resolve("db-creds").resolve("password");
        Files.createDirectories(secret.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(home(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(secret, SECRET + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        Path p = Freestone.pipe(dir, "p.pipe", """
                component connect(tag: String) -> (out: Dataset) {
                  image = "alpine"
                  env { TOKEN = secret("db-creds", "password") }
                  script = sh \"""
                    echo "connecting with $TOKEN"
                    printf '%s' "$tag" > "$out"
                  \"""
                }
                pipeline p(tag: String = "t") -> (r: Dataset) {
                  c = connect(tag = tag)
                  output r = c.out
                }
                """);
        CliRun run = cli("run", "--progress", "none", p.toString());
        assertEquals(0, run.code(), run.toString());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(mode(home())), "the user's own home is left as it is");
        // the secret file the user wrote is readable by others too: said, not changed (it is theirs)
        assertTrue(run.err().contains("warning: secret `db-creds` key `password`: " + secret
                + " can be read by other users (rw-r--r--); make it yours alone: chmod 600 " + secret), run.err());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(mode(secret)));
        assertPrivate(home().resolve("runs"));
        assertPrivate(home().resolve("artifacts"));
        assertPrivate(home().resolve("runs.db"));
        for (String journal : List.of("runs.db-wal", "runs.db-shm")) {
            if (Files.exists(home().resolve(journal))) {
                assertPrivate(home().resolve(journal));
            }
        }
        // the log that shows the secret is reachable only through the private runs/ folder
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("run (run-[0-9a-z-]+): ").matcher(run.err());
        assertTrue(id.find(), run.err());
        String log = cli("logs", id.group(1), "c").out();
        assertTrue(log.contains("connecting with " + SECRET), log);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        CliRun again = cli("run", "--progress", "none", "--no-cache", p.toString());
        assertEquals(0, again.code(), again.toString());
        assertFalse(again.err().contains("warning"), again.err());
    }

    /** A resumed run reads the secret file again: it says what a run says of a file others can read. */
    @Test
    void resumeWarnsOfASecretFileOthersCanReadAsRunDoes() throws IOException {
        Path secret = home().resolve("secrets").resolve("db-creds").resolve("password");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, SECRET + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path flag = Files.writeString(dir.resolve("fail"), "");
        Path p = Freestone.pipe(dir, "p.pipe", """
                component connect(flag: String) -> (out: String) {
                  image = "alpine"
                  env { TOKEN = secret("db-creds", "password") }
                  command = ["sh", "-c", "test ! -e \\"$0\\" && printf ok > \\"$1\\"", flag, out]
                }
                pipeline p(flag: String) -> (r: String) {
                  c = connect(flag = flag)
                  output r = c.out
                }
                """);
        CliRun failed = cli("run", "--progress", "none", p.toString(), "-p", "flag=" + flag);
        assertEquals(1, failed.code(), failed.toString());
        assertFalse(failed.err().contains("warning"), failed.err());
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("run (run-[0-9a-z-]+): ").matcher(failed.err());
        assertTrue(id.find(), failed.err());
        Files.delete(flag);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun resumed = cli("resume", "--progress", "none", id.group(1));
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.err().contains("warning: secret `db-creds` key `password`: " + secret
                + " can be read by other users (rw-r--r--); make it yours alone: chmod 600 " + secret), resumed.err());
    }

    /**
     * {@code compile -o} replaces its target atomically; named after a file the compile reads (a slip:
     * {@code -o p.pipe}, or an imported module, or the --params file, also through a link), it would replace
     * the user's source by the manifest, and nothing could bring it back. It is a usage error, and nothing is
     * written.
     */
    @Test
    void compileNeverWritesItsOutputOverAFileItReads() throws IOException {
        String module = """
                component hello(name: String) -> (out: String) {
                  image   = "alpine"
                  command = ["sh", "-c", "printf %s \\"$0\\" > \\"$1\\"", name, out]
                }
                """;
        Path lib = Freestone.pipe(dir, "lib.pipe", module);
        Path p = Freestone.pipe(dir, "p.pipe", """
                import "lib.pipe" as lib

                pipeline p(name: String = "x") -> (o: String) {
                  h = lib.hello(name = name)
                  output o = h.out
                }
                """);
        String source = Files.readString(p);
        Path params = dir.resolve("params.json");
        Files.writeString(params, "{\"name\": \"y\"}");
        Path link = dir.resolve("p-link.pipe");
        Files.createSymbolicLink(link, p);
        for (Path target : List.of(p, lib, params, link)) {
            for (List<String> emit : List.<List<String>>of(List.of(), List.of("--emit", "ir"))) {
                List<String> args = new ArrayList<>(List.of("compile", p.toString(), "--params", params.toString(),
                        "-o", target.toString()));
                args.addAll(emit);
                CliRun r = cli(args.toArray(String[]::new));
                assertEquals(2, r.code(), target + " " + emit + ": " + r);
                assertTrue(r.err().contains("which this compile reads: writing would replace it"), r.err());
            }
        }
        assertEquals(source, Files.readString(p));
        assertEquals(module, Files.readString(lib));
        assertEquals("{\"name\": \"y\"}", Files.readString(params));
        assertTrue(Files.isSymbolicLink(link));
        // a file of its own is written as before
        Path yaml = dir.resolve("p.yaml");
        CliRun ok = cli("compile", p.toString(), "-o", yaml.toString());
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(Files.readString(yaml).contains("kind: Workflow"));
    }

    /**
     * Argo fills a template's inputs with the global values and then reads the result as a template again
     * (SubstituteParams: globals first, "because globals could be referenced in the inputs"), so a parameter
     * value holding {@code {{workflow.name}}} or an expression {@code {{=...}}} is evaluated on the cluster
     * before the step sees it, and Argo has no escape for {@code {{}. Given on the command line or written as a
     * default, such a value is refused before anything is written or sent; the local engine passes it verbatim.
     */
    @Test
    void aValueArgoWouldEvaluateAsATemplateIsRefusedForTheCluster() throws IOException {
        Path p = Freestone.pipe(dir, "p.pipe", """
                component echo_it(text: String) -> (out: String) {
                  image   = "alpine"
                  command = ["sh", "-c", "printf %s \\"$0\\" > \\"$1\\"", text, out]
                }
                pipeline p(text: String = "plain", tags: List[String] = ["a"]) -> (o: String) {
                  e = echo_it(text = text)
                  output o = e.out
                }
                """);
        for (List<String> given : List.of(List.of("-p", "text={{workflow.name}}"),
                List.of("-p", "text=x {{=sprig.upper(workflow.parameters.text)}}"),
                List.of("-p", "tags=[\"{{workflow.uid}}\"]"))) {
            List<String> args = new ArrayList<>(List.of("compile", p.toString()));
            args.addAll(given);
            CliRun r = cli(args.toArray(String[]::new));
            assertEquals(1, r.code(), given + ": " + r);
            assertTrue(r.err().contains("error[E0703]: cannot lower to Argo: parameter `"), r.err());
            assertTrue(r.err().contains("its value holds `{{`, which Argo reads as a template tag"), r.err());
            assertEquals("", r.out(), "no manifest is written");
        }
        Path defaulted = Freestone.pipe(dir, "d.pipe", Files.readString(p).replace("\"plain\"", "\"{{workflow.name}}\""));
        CliRun d = cli("compile", defaulted.toString());
        assertEquals(1, d.code(), d.toString());
        assertTrue(d.err().contains("parameter `text`: its value holds `{{`"), d.err());
        // as a template the submitter gives the value, in Argo's own terms: nothing is refused
        assertEquals(0, cli("compile", p.toString(), "--as", "template").code());
        // the local engine hands the text over as written
        CliRun local = cli("run", "--progress", "none", p.toString(), "-p", "text={{workflow.name}}");
        assertEquals(0, local.code(), local.toString());
        assertTrue(local.out().contains("output o = {{workflow.name}}"), local.out());
    }

    /**
     * {@code ${msg}} inside the code of {@code sh -c} (or {@code python3 -c}, {@code perl -e}) splices the value
     * into that code as text: {@code $(touch ...)}, a quote or a newline in it runs, locally and in the pod alike.
     * A value whose text can hold code (a String, a list, a map) is an error there (E0510); Ints, paths of
     * artifacts and outputs, a value passed as its own argv element ({@code "$0"}) and a script file's own
     * arguments are fine.
     */
    @Test
    void aValueSplicedIntoTheCodeOfAShellIsAnErrorAndNothingRuns() throws IOException {
        Path marker = dir.resolve("ran");
        String spliced = """
                component shell(msg: String, n: Int) -> (out: String) {
                  image   = "alpine"
                  command = ["sh", "-c", "echo ${msg} ${n} > ${out}"]
                }
                component strict(msg: String?) -> (out: String) {
                  image   = "bash"
                  command = ["/bin/bash", "-euo", "pipefail", "-c", "printf '%s' '${msg}' > \\"$0\\"", out]
                }
                component py(tags: List[String]) -> (out: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "open('${out}', 'w').write('${tags}')"]
                }
                pipeline p(msg: String = "hi") -> (a: String, b: String, c: String) {
                  a = shell(msg = msg, n = 1)
                  b = strict(msg = msg)
                  c = py(tags = [msg])
                  output a = a.out
                  output b = b.out
                  output c = c.out
                }
                """;
        Path p = Freestone.pipe(dir, "p.pipe", spliced);
        CliRun check = cli("check", p.toString());
        assertEquals(1, check.code(), check.toString());
        assertTrue(check.err().contains("error[E0510]: `${msg}` splices a value into the code `sh` runs"), check.err());
        assertTrue(check.err().contains("help: pass `msg` as its own argv element after the code and read it there (`\"$0\"`)"), check.err());
        assertTrue(check.err().contains("error[E0510]: `${msg}` splices a value into the code `bash` runs"), check.err());
        assertTrue(check.err().contains("error[E0510]: `${tags}` splices a value into the code `python3` runs"), check.err());
        assertFalse(check.err().contains("`${n}`") || check.err().contains("`${out}`"), "Ints and paths are not code: " + check.err());
        CliRun run = cli("run", "--progress", "none", p.toString(), "-p", "msg=$(touch " + marker + ")");
        assertEquals(1, run.code(), run.toString());
        assertFalse(Files.exists(marker), "a shell ran the value");
        assertEquals(1, cli("compile", p.toString()).code());
        // the value as data: its own argv element, which the shell reads quoted; a script file's arguments
        Path safe = Freestone.pipe(dir, "safe.pipe", """
                component shell(msg: String, n: Int) -> (out: String) {
                  image   = "alpine"
                  command = ["sh", "-c", "printf '%s %s' \\"$0\\" ${n} > ${out}", msg]
                }
                component file(msg: String) -> (out: String) {
                  image   = "alpine"
                  command = ["sh", "-c", "printf %s \\"$0\\" > \\"$1\\"", "--msg=${msg}", out]
                }
                component train(msg: String) -> (out: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-u", "train.py", "-c", "--note=${msg}", "--out=${out}"]
                }
                pipeline p(msg: String = "hi") -> (a: String, b: String) {
                  a = shell(msg = msg, n = 1)
                  b = file(msg = msg)
                  output a = a.out
                  output b = b.out
                }
                """);
        CliRun checked = cli("check", safe.toString());
        assertEquals(0, checked.code(), checked.toString());
        CliRun ok = cli("run", "--progress", "none", safe.toString(), "-p", "msg=$(touch " + marker + ")");
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.out().contains("output a = $(touch " + marker + ") 1"), ok.out());
        assertTrue(ok.out().contains("output b = --msg=$(touch " + marker + ")"), ok.out());
        assertFalse(Files.exists(marker), "a shell ran the value");
    }

    /**
     * The workspace is the git checkout holding the file; a home directory that is itself a checkout
     * ({@code git init ~} for dotfiles) would make every file under it one workspace, so a pipeline saved to
     * {@code ~/Downloads} could import {@code ~/.aws/credentials} (and have its lines quoted in the errors) or
     * take it as a default artifact. A checkout that holds the user's home does not count: the workspace is
     * then the file's folder.
     */
    @Test
    void aHomeThatIsAGitCheckoutIsNoWorkspace() throws IOException {
        Path userHome = Files.createDirectories(dir.resolve("user"));
        Files.createDirectories(userHome.resolve(".git"));
        Path credentials = userHome.resolve(".aws").resolve("credentials");
        Files.createDirectories(credentials.getParent());
        Files.writeString(credentials, "aws_secret_access_key = credential-line-5521\n");
        Path downloads = Files.createDirectories(userHome.resolve("Downloads").resolve("evil"));
        Path imports = Freestone.pipe(downloads, "imports.pipe", """
                import "../../.aws/credentials" as creds
                pipeline p() {
                }
                """);
        Path defaults = Freestone.pipe(downloads, "defaults.pipe", """
                component size(data: Dataset) -> (n: Int) {
                  image   = "alpine"
                  command = ["sh", "-c", "wc -c < \\"$0\\" > \\"$1\\"", data, n]
                }
                pipeline p(data: Dataset = "../../.aws/credentials") -> (n: Int) {
                  s = size(data = data)
                  output n = s.n
                }
                """);
        String before = System.getProperty("user.home");
        System.setProperty("user.home", userHome.toString());
        try {
            CliRun check = cli("check", imports.toString());
            assertEquals(1, check.code(), check.toString());
            assertTrue(check.err().contains("it is outside the workspace"), check.err());
            assertFalse(check.err().contains("credential-line"), check.err());
            CliRun run = cli("run", "--progress", "none", defaults.toString());
            assertEquals(1, run.code(), run.toString());
            assertTrue(run.err().contains("error[E0609]: parameter `data`: its default `../../.aws/credentials` is outside the workspace"),
                    run.err());
            // a project checked out under the home is its own workspace, as before
            Path project = Files.createDirectories(userHome.resolve("src").resolve("proj"));
            Files.createDirectories(project.resolve(".git"));
            Files.writeString(project.resolve("lib.pipe"), "component c() -> (o: String) {\n  image = \"alpine\"\n"
                    + "  command = [\"sh\", \"-c\", \"echo > \\\"$0\\\"\", o]\n}\n");
            Path nested = Files.createDirectories(project.resolve("pipelines"));
            Path ok = Freestone.pipe(nested, "ok.pipe", "import \"../lib.pipe\" as lib\npipeline p() {\n  x = lib.c()\n}\n");
            CliRun fine = cli("check", ok.toString());
            assertEquals(0, fine.code(), fine.toString());
        } finally {
            System.setProperty("user.home", before);
        }
    }

    /**
     * A bearer token sent to an Argo Server over plain http crosses the network readable by anyone on the
     * path. It is said (the user may have no choice), except for a server on this machine, the usual
     * {@code kubectl port-forward}; the token itself is never printed.
     */
    @Test
    void aTokenIsNeitherSentInClearTextUnsaidNorKeptFromTheUrl() throws IOException {
        Path p = Freestone.pipe(dir, "p.pipe", """
                component hi() -> (out: String) {
                  image   = "alpine"
                  command = ["sh", "-c", "echo hi > \\"$0\\"", out]
                }
                pipeline p() -> (o: String) {
                  h = hi()
                  output o = h.out
                }
                """);
        Map<String, String> env = new java.util.HashMap<>(env());
        env.put("ARGO_TOKEN", "Bearer " + SECRET);
        // a host name that starts like a loopback address (127.0.0.1.example...) is another machine
        Map<String, Boolean> clear = Map.of("http://argo.example.invalid:2746", true, "http://127.0.0.1:9", false,
                "http://localhost:9", false, "http://[::1]:9", false, "http://127.0.0.1.example.invalid:2746", true,
                "https://argo.example.invalid:2746", false);
        for (Map.Entry<String, Boolean> e : new java.util.TreeMap<>(clear).entrySet()) {
            String server = e.getKey();
            CliRun r = CliRun.of(env, "submit", p.toString(), "--argo-server", server, "--progress", "none");
            assertEquals(1, r.code(), server + ": " + r);
            assertFalse((r.out() + r.err()).contains(SECRET), r.toString());
            boolean warned = r.err().contains("warning: the token from ARGO_TOKEN goes to the Argo Server at " + server
                    + " in clear text (http://)");
            assertEquals(e.getValue(), warned, server + ": " + r.err());
        }
        // credentials written into the URL would be recorded with the run and named in messages
        for (String server : List.of("https://me:" + SECRET + "@argo.example.invalid:2746", "https://argo.example.invalid/?token=" + SECRET, "?token=" + SECRET)) {
            CliRun r = cli("submit", p.toString(), "--argo-server", server, "--progress", "none");
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains("which would be stored with the run and shown in messages"), r.err());
            assertTrue(r.err().contains("give the server's root, e.g. https://"), r.err());
            assertFalse((r.out() + r.err()).contains(SECRET), r.toString());
        }
    }
}
