package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Argo flags of every command that lowers a pipeline ({@code compile}, {@code submit},
 * {@code schedule}, {@code publish}) through {@link Main#run}: a bad value is a usage error (exit 2)
 * reported before the file is read, so it wins over the file's own errors and nothing is sent.
 */
class LoweringFlagsCliTest {
    @TempDir
    Path dir;
    private Map<String, String> env;
    private String hello;
    private String broken;
    private String missing;

    @BeforeEach
    void files() throws IOException {
        env = Map.of("FREESTONE_HOME", dir.resolve("home").toString());
        hello = SharedData.projectDir().resolve("examples/hello/hello.pipe").toString();
        Path b = dir.resolve("broken.pipe");
        Files.writeString(b, "pipeline broken( {\n");
        broken = b.toString();
        missing = dir.resolve("missing.pipe").toString();
    }

    /**
     * {@code command FILE extra...}; the cluster commands name an Argo Server on a closed port, so a
     * flag that got past the check would end in exit 1 (cannot reach it), not in the usage error.
     */
    private CliRun run(String command, String file, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, file));
        args.addAll(List.of(extra));
        if (!command.equals("compile")) {
            args.addAll(List.of("--argo-server", "http://127.0.0.1:9"));
        }
        if (command.equals("schedule") && !args.contains("--cron")) {
            args.addAll(List.of("--cron", "0 3 * * *"));
        }
        CliRun r = CliRun.of(env, args.toArray(String[]::new));
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), r.err());
        return r;
    }

    /** A usage error: exit 2, one error line starting with {@code error}, one help line, nothing on stdout. */
    private static void assertUsageError(CliRun r, String error, String what) {
        assertEquals(2, r.code(), what + ": " + r.err());
        assertTrue(r.err().startsWith("error: " + error), what + ": " + r.err());
        assertTrue(r.err().contains("\n  = help: "), what + ": " + r.err());
        assertEquals(2, r.err().lines().count(), what + ": the file's diagnostics are not reported: " + r.err());
        assertEquals("", r.out(), what);
    }

    /**
     * The annotations of every pod of the Workflow that {@code compile hello.pipe extra...} writes (null when none),
     * the Workflow checked against Argo's schema where the reference data is.
     */
    private Map<String, String> podAnnotations(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("compile", hello));
        if (SharedData.isAvailable()) {
            args.addAll(List.of("--argo-schema", SharedData.file("argo/schema.json").toString()));
        }
        args.addAll(List.of(extra));
        CliRun r = CliRun.of(env, args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode wf = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(r.out());
        com.fasterxml.jackson.databind.JsonNode a = wf.path("spec").path("podMetadata").path("annotations");
        return a.isMissingNode() ? null : new com.fasterxml.jackson.databind.ObjectMapper().convertValue(a,
                new com.fasterxml.jackson.core.type.TypeReference<java.util.TreeMap<String, String>>() { });
    }

    @Test
    void everyPodIsKeptOutOfTheIstioMeshUnlessToldOtherwise() throws IOException {
        assertEquals(Map.of("sidecar.istio.io/inject", "false"), podAnnotations());
        assertEquals(Map.of("sidecar.istio.io/inject", "true", "example.com/team", "ml-platform"),
                podAnnotations("--pod-annotation", "sidecar.istio.io/inject=true", "--pod-annotation", "example.com/team=ml-platform"));
        assertEquals(null, podAnnotations("--pod-annotation", "sidecar.istio.io/inject-"));
        assertEquals(Map.of("note", "a=b"), podAnnotations("--pod-annotation", "sidecar.istio.io/inject-",
                "--pod-annotation", "note=a=b"));
        for (String bad : List.of("novalue", "Bad_Prefix/x=1", "/x=1", "x-y-=1", "a/" + "n".repeat(64) + "=1")) {
            assertUsageError(run("compile", broken, "--pod-annotation", bad),
                    "--pod-annotation `" + bad + "` is not KEY=VALUE with a Kubernetes annotation key", bad);
        }
    }

    @Test
    void aBadScheduleIsAUsageErrorWhateverTheFileHolds() {
        for (String file : List.of(hello, broken, missing)) {
            assertUsageError(run("compile", file, "--as", "cron", "--schedule", "61 * * * *"),
                    "\"61 * * * *\" is not a cron schedule: minute `61`", "compile " + file);
            assertUsageError(run("schedule", file, "--cron", "0 3 * * *", "--cron", "bogus"),
                    "\"bogus\" is not a cron schedule", "schedule " + file);
        }
        // the broken file on its own is the file's mistake: exit 1 with its diagnostics
        CliRun fileOnly = run("compile", broken, "--as", "cron", "--schedule", "0 3 * * *");
        assertEquals(1, fileOnly.code(), fileOnly.err());
        assertTrue(fileOnly.err().contains("error["), fileOnly.err());
    }

    @Test
    void aBadConnectionFlagIsAUsageErrorWhateverTheFileHolds() {
        for (String command : List.of("submit", "publish", "schedule")) {
            for (String file : List.of(hello, broken)) {
                List<String> args = new ArrayList<>(List.of(command, file, "--argo-server", "ftp://argo.example.com"));
                if (command.equals("schedule")) {
                    args.addAll(List.of("--cron", "0 3 * * *"));
                }
                assertUsageError(CliRun.of(env, args.toArray(String[]::new)), "--argo-server: `ftp://argo.example.com` is not an http(s) URL", command + " " + file);
            }
        }
    }

    @Test
    void aNegativeTtlAndAnUnknownPodGcAreUsageErrorsOnEveryCommand() {
        for (String command : List.of("compile", "submit", "schedule", "publish")) {
            for (String file : List.of(hello, broken)) {
                String what = command + " " + file;
                assertUsageError(run(command, file, "--ttl", "-1"),
                        "--ttl -1 is negative: a finished Workflow is kept 0 or more seconds", what);
                CliRun nope = run(command, file, "--pod-gc", "Nope");
                assertUsageError(nope, "--pod-gc `Nope` is not a podGC strategy", what);
                assertTrue(nope.err().contains("  = help: the strategies are OnPodCompletion, OnPodSuccess,"
                        + " OnWorkflowCompletion, OnWorkflowSuccess\n"), nope.err());
                CliRun misspelt = run(command, file, "--pod-gc", "onPodSucess");
                assertUsageError(misspelt, "--pod-gc `onPodSucess` is not a podGC strategy", what);
                assertTrue(misspelt.err().contains("  = help: did you mean `OnPodSuccess`? the strategies are "),
                        misspelt.err());
            }
            // beyond Argo's int32: picocli's own usage error
            assertEquals(2, run(command, hello, "--ttl", "2147483648").code(), command);
        }
    }

    @Test
    void aValidTtlAndPodGcAreWrittenAndAnEmptyPodGcIsNone() throws IOException {
        CliRun r = run("compile", hello, "--ttl", "0", "--pod-gc", "OnWorkflowSuccess");
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode spec = CompileCommandTest.documents(r.out()).get(0).path("spec");
        assertEquals(0, spec.path("ttlStrategy").path("secondsAfterCompletion").asInt(-1), r.out());
        assertTrue(spec.path("ttlStrategy").path("secondsAfterCompletion").isInt(), r.out());
        assertEquals("OnWorkflowSuccess", spec.path("podGC").path("strategy").asText(), r.out());
        for (String strategy : List.of("OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion")) {
            assertEquals(0, run("compile", hello, "--pod-gc", strategy).code(), strategy);
        }
        // Argo's "" deletes no pod, as no podGC does: written as none
        CliRun empty = run("compile", hello, "--pod-gc", "");
        assertEquals(0, empty.code(), empty.err());
        assertEquals(run("compile", hello).out(), empty.out());
    }

    @Test
    void aScheduleWithoutCronIsAUsageErrorNotDropped() {
        for (String as : List.of("workflow", "template")) {
            assertUsageError(run("compile", hello, "--as", as, "--schedule", "0 3 * * *"), "--schedule is for --as cron",
                    "--as " + as);
        }
        assertUsageError(run("compile", hello, "--schedule", "0 3 * * *"), "--schedule is for --as cron", "default --as");
    }
}
