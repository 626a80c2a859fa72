package dev.freestone.runtime.argo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import dev.freestone.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/** Argo's status payloads from the shared reference data, and small helpers shared by the backend tests. */
final class ArgoFixtures {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String IR_HASH = "5f0c6a4e1d2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5";

    private ArgoFixtures() {
    }

    /** A whole Workflow (spec and status) from {@code argo/status/<file>}. */
    static ObjectNode workflow(String file) {
        Path path = SharedData.file("argo/status/" + file);
        try {
            return (ObjectNode) YAML.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small lowered Workflow for tests that need no status payload (and so no shared data). */
    static ObjectNode minimalWorkflow(String name) {
        return ArgoJson.parseObject(("{'apiVersion':'argoproj.io/v1alpha1','kind':'Workflow','metadata':{'name':'" + name
                + "'},'spec':{'entrypoint':'main','templates':[{'name':'main','dag':{'tasks':[{'name':'hello',"
                + "'template':'echo'}]}},{'name':'echo','container':{'image':'alpine:3.23','command':['echo','hi']}}]}}")
                .replace('\'', '"'), "test workflow");
    }

    /** What a compiler would hand over: the fixture without status and without the server's metadata. */
    static ObjectNode manifest(ObjectNode fixture) {
        ObjectNode m = ArgoJson.MAPPER.createObjectNode();
        m.put("apiVersion", "argoproj.io/v1alpha1");
        m.put("kind", "Workflow");
        ObjectNode meta = m.putObject("metadata");
        meta.put("name", ArgoJson.name(fixture));
        if (fixture.path("metadata").has("annotations")) {
            meta.set("annotations", fixture.path("metadata").path("annotations").deepCopy());
        }
        m.set("spec", fixture.path("spec").deepCopy());
        return m;
    }

    static ObjectNode status(ObjectNode fixture) {
        return (ObjectNode) fixture.path("status").deepCopy();
    }

    /** The status with its nodes moved into {@code compressedNodes}, as the controller does for large workflows. */
    static ObjectNode compressed(ObjectNode status) {
        ObjectNode out = status.deepCopy();
        JsonNode nodes = out.remove("nodes");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(ArgoJson.write(nodes).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.put("compressedNodes", Base64.getEncoder().encodeToString(bytes.toByteArray()));
        return out;
    }

    static Map<String, TaskRecord> tasks(RunStore store, String runId) {
        return store.tasks(runId).stream().collect(Collectors.toMap(TaskRecord::taskId, t -> t));
    }

    /**
     * Waits until {@code condition} holds, at most 30 s: a watch reopened through fabric8 (a WebSocket tried, then a
     * plain HTTP watch) took over 15 s once on a machine loaded by four other builds.
     */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what + "; the threads then:\n" + threadDump());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** Every live thread's stack: what a timed-out wait needs to say where it hung. */
    static String threadDump() {
        StringBuilder out = new StringBuilder();
        for (java.lang.management.ThreadInfo t : java.lang.management.ManagementFactory.getThreadMXBean()
                .dumpAllThreads(true, true)) {
            out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState()).append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                out.append("    at ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** The token must be nowhere: not in the run's rows, events, nor in the database file's bytes. */
    static void assertNoSecret(RunStore store, String secret) throws IOException {
        for (var run : store.listRuns(java.util.Optional.empty(), 0)) {
            assertFalse(run.toString().contains(secret), "run row holds the secret");
            for (TaskRecord t : store.tasks(run.id())) {
                assertFalse(t.toString().contains(secret), "task row holds the secret");
            }
            for (EventRecord e : store.events(run.id())) {
                assertFalse(e.toString().contains(secret), "event holds the secret");
            }
        }
        for (Path p : Files.list(store.home()).toList()) {
            if (Files.isRegularFile(p)) {
                assertFalse(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(secret),
                        p.getFileName() + " holds the secret");
            }
        }
    }
}
