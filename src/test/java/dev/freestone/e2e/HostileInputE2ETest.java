package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI attacked as a hostile or careless user (or step) would: secrets a step prints or writes,
 * links a step leaves where its outputs go. Each test asserts what the user sees and what the run
 * store keeps; every command must end without a stack trace.
 */
class HostileInputE2ETest {
    private static final String SECRET = "hunter2-Zq8#secret";

    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of("FREESTONE_HOME", dir.resolve("home").toString(), "PATH", System.getenv("PATH"));
    }

    private CliRun cli(Map<String, String> env, String... args) {
        CliRun r = CliRun.of(env, args);
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), "a stack trace or a bug: " + r.err());
        return r;
    }

    private Path pipe(String text) throws IOException {
        return Freestone.pipe(dir, "p.pipe", text);
    }

    /** What Freestone itself wrote: the store and every file of the home but a step's log and out/ (the step's own). */
    private void assertSecretNotKeptByFreestone() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("home"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().equals("log") || f.toString().contains("/out/") || f.startsWith(secrets())) {
                    continue;
                }
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(SECRET), f + " holds the secret");
            }
        }
    }

    /** The user's secrets folder; the in-process CLI gives steps this JVM's environment, so the secret is put there. */
    private Path secrets() {
        return dir.resolve("home").resolve("secrets");
    }

    private Map<String, String> envWithSecret() throws IOException {
        Path f = secrets().resolve("db-creds").resolve("password");
        Files.createDirectories(f.getParent());
        Files.writeString(f, SECRET + "\n");
        return env();
    }

    /** The run a command started, from its first line on stderr ({@code run <id>: <pipeline> ...}). */
    private static String runId(CliRun r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("run (run-[0-9a-z-]+): ").matcher(r.err());
        assertTrue(m.find(), "no run id in: " + r.err());
        return m.group(1);
    }

    private void assertNotShown(CliRun r) {
        assertFalse(r.out().contains(SECRET) || r.err().contains(SECRET), "the secret is shown: " + r);
    }

    @Test
    void aFailingStepThatPrintedItsSecretHasItMaskedInWhatFreestoneSaysAndKeeps() throws IOException {
        Path p = pipe("""
                component leaky(tag: String) -> (out: String) {
                  image = "alpine"
                  env { TOKEN = secret("db-creds", "password") }
                  script = sh \"""
                    echo "connecting with $TOKEN"
                    exit 3
                  \"""
                }
                pipeline leak(tag: String = "t") -> (r: String) {
                  u = leaky(tag = tag)
                  output r = u.out
                }
                """);
        Map<String, String> env = envWithSecret();
        CliRun run = cli(env, "run", "--progress", "none", p.toString());
        assertEquals(1, run.code(), run.toString());
        assertNotShown(run);
        assertTrue(run.err().contains("connecting with ***"), "the log line is quoted, masked: " + run.err());
        String id = runId(run);
        for (List<String> cmd : List.of(List.of("show", id), List.of("show", "--output", "json", id), List.of("runs"))) {
            assertNotShown(cli(env, cmd.toArray(String[]::new)));
        }
        // the step's own log is its output, kept as written (as Argo and Kubeflow keep a pod's)
        assertTrue(cli(env, "logs", id, "u").out().contains("connecting with " + SECRET));
        assertSecretNotKeptByFreestone();
    }

    @Test
    void anOutputHoldingTheSecretThatIsNotAValidValueIsNotQuoted() throws IOException {
        Path p = pipe("""
                component leaky() -> (n: Int) {
                  image = "alpine"
                  env { TOKEN = secret("db-creds", "password") }
                  script = sh \"""
                    printf 'n=%045d%s' 0 "$TOKEN" > "$n"
                  \"""
                }
                pipeline leak() -> (r: Int) {
                  u = leaky()
                  output r = u.n
                }
                """);
        Map<String, String> env = envWithSecret();
        CliRun run = cli(env, "run", "--progress", "none", p.toString());
        assertEquals(1, run.code(), run.toString());
        assertNotShown(run);
        assertTrue(run.err().contains("output `n`"), run.err());
        // a secret cut short by the quote would leak its first characters
        assertFalse(run.err().contains(SECRET.substring(0, 8)), run.err());
        assertNotShown(cli(env, "show", "--output", "json", runId(run)));
        assertSecretNotKeptByFreestone();
    }

    /** A file outside the workspace whose content must not reach the artifact store or a value. */
    private Path outsideFile() throws IOException {
        Path f = dir.resolve("outside").resolve("private.txt");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "private-content-7731\n");
        return f;
    }

    private void assertNoObjectHolds(String content) throws IOException {
        Path objects = dir.resolve("home").resolve("artifacts");
        if (!Files.exists(objects)) {
            return;
        }
        try (Stream<Path> files = Files.walk(objects)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(content), f + " is the linked file");
            }
        }
    }

    @Test
    void anOutputThatIsALinkOutOfTheOutputFolderIsRefusedNotFollowed() throws IOException {
        Path outside = outsideFile();
        Path p = pipe("""
                component file_link(target: String) -> (d: Dataset) {
                  image = "alpine"
                  command = ["ln", "-s", target, d]
                }
                component dir_link(target: String) -> (d: Dataset) {
                  image = "alpine"
                  command = ["ln", "-s", target, d]
                }
                component value_link(target: String) -> (s: String) {
                  image = "alpine"
                  command = ["ln", "-s", target, s]
                }
                component folder_link(target: String) -> (d: Dataset) {
                  image = "alpine"
                  command = ["sh", "-c", "o=$(dirname $1); rmdir $o && ln -s $0 $o", target, d]
                }
                pipeline links(file: String, folder: String) -> (a: Dataset, b: Dataset, c: String, d: Dataset) {
                  a = file_link(target = file)
                  b = dir_link(target = folder)
                  c = value_link(target = file)
                  d = folder_link(target = folder)
                  output a = a.d
                  output b = b.d
                  output c = c.s
                  output d = d.d
                }
                """);
        // `d` replaces its whole out/ folder by a link to a folder that holds a file named like its output
        Path folder = outside.getParent();
        Files.writeString(folder.resolve("d"), "private-content-7731\n");
        CliRun run = cli(env(), "run", "--progress", "none", p.toString(), "-p", "file=" + outside, "-p", "folder=" + folder);
        assertEquals(1, run.code(), run.toString());
        String show = cli(env(), "show", runId(run)).out();
        assertTrue(show.contains("a: error: step `a` (component `file_link`, image `alpine`): output `d` is a symbolic link"), show);
        assertTrue(show.contains("b: error: step `b` (component `dir_link`, image `alpine`): output `d` is a symbolic link"), show);
        assertTrue(show.contains("c: error: step `c` (component `value_link`, image `alpine`): output `s` is a symbolic link"), show);
        assertTrue(show.contains("d: error: step `d` (component `folder_link`, image `alpine`): its output folder"), show);
        assertFalse(show.contains("private-content"), show);
        assertNoObjectHolds("private-content-7731");
    }

    /**
     * Kubernetes expands {@code $(NAME)} in a container's command, args and env values when NAME is one of its
     * variables, a secret among them: a parameter {@code $(TOKEN)} would hand the step the secret in its place (and
     * whoever may submit the template with parameters, but not read secrets, would have it echoed back). In a
     * container that has a secret every value reaches it with its {@code $} doubled, which Kubernetes gives back
     * as written.
     */
    @Test
    void aParameterCannotNameASecretOfTheContainerInTheArgoManifest() throws IOException {
        Path p = pipe("""
                component call(endpoint: String, note: String) -> (status: String) {
                  image   = "curlimages/curl:8.8.0"
                  command = ["sh", "-c", "curl -H \\"Authorization: $TOKEN\\" \\"$0\\" > \\"$1\\"", endpoint, status]
                  env { A_NOTE = "n: ${note}"  TOKEN = secret("api-creds", "token") }
                }
                component scripted(endpoint: String) -> (status: String) {
                  image   = "alpine"
                  env { TOKEN = secret("api-creds", "token") }
                  script = sh \"""
                    printf '%s' "$endpoint" > "$status"
                  \"""
                }
                component plain(endpoint: String) -> (status: String) {
                  image   = "alpine"
                  command = ["sh", "-c", "printf %s \\"$0\\" > \\"$1\\"", endpoint, status]
                }
                pipeline api(endpoint: String = "$(TOKEN)") -> (a: String, b: String, c: String) {
                  a = call(endpoint = endpoint, note = endpoint)
                  b = scripted(endpoint = endpoint)
                  c = plain(endpoint = endpoint)
                  output a = a.status
                  output b = b.status
                  output c = c.status
                }
                """);
        Path yaml = dir.resolve("api.yaml");
        CliRun compiled = cli(env(), "compile", p.toString(), "-o", yaml.toString());
        assertEquals(0, compiled.code(), compiled.toString());
        String y = Files.readString(yaml);
        // the command's argument, the env value holding an input, and the script's input variable
        assertTrue(y.contains("- \"{{=sprig.replace('$', '$$', inputs.parameters['endpoint'])}}\""), y);
        assertTrue(y.contains("value: \"n: {{=sprig.replace('$', '$$', inputs.parameters['note'])}}\""), y);
        assertTrue(y.contains("name: endpoint\n        value: \"{{=sprig.replace('$', '$$', inputs.parameters['endpoint'])}}\""), y);
        // a container without a secret is written as before
        assertTrue(y.contains("- \"{{inputs.parameters.endpoint}}\""), y);
        assertFalse(y.contains("{{inputs.parameters.note}}"), y);
    }

    private static final String MODULE = """
            component hello(name: String) -> (out: String) {
              image   = "alpine"
              command = ["sh", "-c", "printf %s \\"$0\\" > \\"$1\\"", name, out]
            }
            """;

    private static String importing(String path) {
        return "import \"" + path + "\" as lib\n\npipeline p() -> (o: String) {\n  h = lib.hello(name = \"x\")\n  output o = h.out\n}\n";
    }

    /**
     * Checking a file reads no file outside its workspace (the git checkout holding it, else its folder): a
     * file from elsewhere (a pull request checked in CI, whose log anyone may read) could otherwise import
     * {@code /proc/self/environ} or a credentials file, and the parse errors would quote its lines.
     */
    @Test
    void anImportReadsNothingOutsideTheWorkspace() throws IOException {
        Path project = dir.resolve("project");
        Path pipelines = Files.createDirectories(project.resolve("pipelines"));
        Files.createDirectories(project.resolve("common"));
        Files.writeString(project.resolve("common").resolve("steps.pipe"), MODULE);
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(outside.resolve("private.pipe"), "private-line-4471 is not a pipe\n");
        Files.createSymbolicLink(pipelines.resolve("linked.pipe"), outside.resolve("private.pipe"));

        Path p = pipelines.resolve("p.pipe");
        // without a git checkout the workspace is the file's folder
        Files.writeString(p, importing("../common/steps.pipe"));
        CliRun up = cli(env(), "check", p.toString());
        assertEquals(1, up.code(), up.toString());
        assertTrue(up.err().contains("error[E0106]: cannot import `../common/steps.pipe`: it is outside the workspace"), up.err());
        // in a git checkout it is the checkout: the folder next door is in
        Files.createDirectories(project.resolve(".git"));
        assertEquals(0, cli(env(), "check", p.toString()).code());

        for (String path : List.of("../../elsewhere/private.pipe", outside.resolve("private.pipe").toString(),
                "./linked.pipe", "/proc/self/environ")) {
            Files.writeString(p, importing(path));
            CliRun r = cli(env(), "check", p.toString());
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("it is outside the workspace"), path + ": " + r.err());
            assertFalse(r.err().contains("private-line") || r.err().contains("PATH="), r.err());
        }
    }

    /**
     * A default written in the file (by its author, who may not be the user) is a location inside the
     * workspace; a location the user types (--param, a --params file) is theirs to choose, as with {@code cp}.
     */
    @Test
    void anArtifactDefaultOutsideTheWorkspaceIsRefusedAndNothingIsCopied() throws IOException {
        Path outside = outsideFile();
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.createSymbolicLink(project.resolve("linked.csv"), outside);
        String component = """
                component size(data: Dataset) -> (n: Int) {
                  image   = "alpine"
                  command = ["sh", "-c", "wc -c < \\"$0\\" > \\"$1\\"", data, n]
                }
                """;
        Path p = project.resolve("p.pipe");
        for (String location : List.of("../outside/private.txt", outside.toString(), "file://" + outside, "linked.csv")) {
            Files.writeString(p, component + "pipeline p(data: Dataset = \"" + location + "\") -> (n: Int) {\n"
                    + "  s = size(data = data)\n  output n = s.n\n}\n");
            CliRun r = cli(env(), "run", "--progress", "none", p.toString());
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("error[E0609]: parameter `data`: its default `" + location + "` is outside the workspace"), r.err());
            assertNoObjectHolds("private-content-7731");
        }
        // given by the user, the same file is read
        CliRun given = cli(env(), "run", "--progress", "none", p.toString(), "-p", "data=" + outside);
        assertEquals(0, given.code(), given.toString());
        assertTrue(given.out().contains("output n = 21"), given.out());
    }

    /** A secret's name and key are Kubernetes names: `..` or `/` in them would be refused by the cluster, and locally name other files. */
    @Test
    void aSecretNameOrKeyThatIsNoKubernetesNameIsAnError() throws IOException {
        String component = """
                component u(tag: String) -> (out: String) {
                  image = "alpine"
                  env { TOKEN = secret("%s", "%s") }
                  command = ["sh", "-c", "printf %%s \\"$0\\" > \\"$1\\"", tag, out]
                }
                pipeline p(tag: String = "t") -> (r: String) {
                  x = u(tag = tag)
                  output r = x.out
                }
                """;
        CliRun bad = cli(env(), "check", pipe(component.formatted("../../etc", "pass/wd")).toString());
        assertEquals(1, bad.code(), bad.toString());
        assertTrue(bad.err().contains("error[E0501]: invalid secret name `../../etc`"), bad.err());
        assertTrue(bad.err().contains("error[E0501]: invalid secret key `pass/wd`"), bad.err());
        CliRun dots = cli(env(), "check", pipe(component.formatted("Db_Creds", "..")).toString());
        assertTrue(dots.err().contains("invalid secret name `Db_Creds`") && dots.err().contains("invalid secret key `..`"), dots.err());
        assertEquals(0, cli(env(), "check", pipe(component.formatted("db-creds.v2", "tls.key_2")).toString()).code());
    }

    /** Run ids and task ids are looked up in the store, never made into paths: `../` and SQL wildcards match nothing. */
    @Test
    void runAndTaskIdsThatLookLikePathsOrPatternsMatchNothing() throws IOException {
        Path p = pipe("""
                component say(word: String) -> (out: String) {
                  image   = "alpine"
                  command = ["sh", "-c", "echo said; printf %s \\"$0\\" > \\"$1\\"", word, out]
                }
                pipeline p() -> (o: String) {
                  s = say(word = "w")
                  output o = s.out
                }
                """);
        CliRun run = cli(env(), "run", "--progress", "none", p.toString());
        assertEquals(0, run.code(), run.toString());
        String id = runId(run);
        for (String bad : List.of("../../etc/passwd", "/etc/passwd", "%", "_", "run-%", "")) {
            for (String cmd : List.of("logs", "show", "artifacts", "metrics", "resume")) {
                CliRun r = cli(env(), cmd, bad);
                assertEquals(1, r.code(), cmd + " " + bad + ": " + r);
                assertTrue(r.err().contains("no run matches"), cmd + " " + bad + ": " + r.err());
            }
        }
        for (String task : List.of("../../../../etc/passwd", "s/../s", "%", "s/attempt-1/log")) {
            CliRun r = cli(env(), "logs", id, task);
            assertEquals(1, r.code(), task + ": " + r);
            assertTrue(r.err().contains("has no task"), r.err());
            assertEquals("", r.out());
        }
        assertEquals("said\n", cli(env(), "logs", id, "s").out());
    }

    /** Values a shell would interpret reach a command's argv and a script's variables byte for byte, and run nothing. */
    @Test
    void valuesAShellWouldInterpretReachTheStepVerbatim() throws IOException {
        Path marker = dir.resolve("ran");
        String hostile = "q\"' $(touch " + marker + ") `touch " + marker + "`; touch " + marker + " && echo $HOME\n--flag -x \u00e9\u202e\ud83d\ude00";
        Path p = pipe("""
                component argv(a: String, b: String) -> (out: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys, json; open(sys.argv[3], 'w').write(json.dumps(sys.argv[1:3]))", a, "pre ${b} post", out]
                }
                component scripted(a: String) -> (out: String) {
                  image  = "alpine"
                  script = sh \"""
                    printf '%s' "$a" > "$out"
                  \"""
                }
                pipeline p(a: String, b: String) -> (x: String, y: String) {
                  c = argv(a = a, b = b)
                  s = scripted(a = a)
                  output x = c.out
                  output y = s.out
                }
                """);
        Path params = dir.resolve("params.json");
        Files.writeString(params, Freestone.JSON.writeValueAsString(Map.of("a", hostile, "b", "-rf /")));
        CliRun run = cli(env(), "run", "--progress", "none", p.toString(), "--params", params.toString());
        assertEquals(0, run.code(), run.toString());
        var shown = Freestone.JSON.readTree(cli(env(), "show", "--output", "json", runId(run)).out());
        var outputs = new HashMap<String, String>();
        shown.path("tasks").forEach(t -> outputs.put(t.path("id").asText(), t.path("outputs").path("out").asText()));
        assertEquals(Freestone.JSON.valueToTree(List.of(hostile, "pre -rf / post")), Freestone.JSON.readTree(outputs.get("c")));
        assertEquals(hostile, outputs.get("s"));
        assertFalse(Files.exists(marker), "a shell ran the value");
    }

    /**
     * A resource template's manifest is YAML that Argo parses after putting the values in: a value spliced in as
     * text could close its quotes or start new lines and add fields to the created object (`x"\n  namespace: ...`).
     * Each value goes in as JSON (a YAML scalar whatever it holds), computed by Argo: {@code toJson} of the text,
     * and a non-text value parsed as JSON first, so that text which is no JSON value fails the step.
     */
    @Test
    void aValueCannotAddYamlToAResourceManifest() throws IOException {
        Path p = pipe("""
                import stdlib/serving as serving

                pipeline serve(name: String = "iris", uri: String = "s3://m/iris", replicas: Int = 1) -> (url: String) {
                  d = serving.deploy(name = name, model_uri = uri, min_replicas = replicas)
                  output url = d.url
                }
                """);
        Path yaml = dir.resolve("serve.yaml");
        CliRun compiled = cli(env(), "compile", p.toString(), "-o", yaml.toString());
        assertEquals(0, compiled.code(), compiled.toString());
        String y = Files.readString(yaml);
        int at = y.indexOf("manifest: |");
        assertTrue(at >= 0, y);
        String manifest = y.substring(at, y.indexOf("successCondition", at));
        assertFalse(manifest.contains("{{inputs.parameters."), manifest);
        assertTrue(manifest.contains("name: {{=toJson(inputs.parameters['name'])}}"), manifest);
        assertTrue(manifest.contains("storageUri: {{=toJson(inputs.parameters['model_uri'])}}"), manifest);
        assertTrue(manifest.contains("minReplicas: {{=toJson(jsonpath(inputs.parameters['min_replicas'], '$'))}}"), manifest);
    }

    /**
     * The home holds what steps printed (their logs may show a secret) and the values of every run: a new one is
     * made readable by its owner only, as ~/.ssh and ~/.kube are, so other users of a shared machine cannot read it.
     */
    @Test
    void aNewHomeIsTheOwnersAlone() throws IOException {
        Path home = dir.resolve("home");
        assertFalse(Files.exists(home));
        CliRun runs = cli(env(), "runs");
        assertEquals(0, runs.code(), runs.toString());
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
    }

    /** A 1 GB output parameter (a sparse file) is refused by its size, never read: parameters hold at most 1 MiB, as in Argo. */
    @Test
    void aHugeOutputParameterIsRefusedWithoutReadingIt() throws IOException {
        Path p = pipe("""
                component huge() -> (s: String, m: Metrics) {
                  image   = "alpine"
                  command = ["sh", "-c", "truncate -s 1G \\"$0\\" && truncate -s 1G \\"$1\\"", s, m]
                }
                pipeline p() -> (s: String) {
                  h = huge()
                  output s = h.s
                }
                """);
        long started = System.nanoTime();
        CliRun run = cli(env(), "run", "--progress", "none", p.toString());
        assertEquals(1, run.code(), run.toString());
        assertTrue(run.err().contains("must be a JSON file of at most 1 MiB")
                || run.err().contains("parameters are limited to 1 MiB (make it an artifact)"), run.err());
        assertTrue(System.nanoTime() - started < 20_000_000_000L, "the file was read");
    }
}
