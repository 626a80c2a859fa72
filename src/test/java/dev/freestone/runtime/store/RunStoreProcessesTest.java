package dev.freestone.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several OS processes on one store, and processes killed with SIGKILL in the middle of writes. */
class RunStoreProcessesTest {

    @TempDir
    Path home;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void fourProcessesWritingAtOnceAllSucceed() throws Exception {
        // a fresh home: the four also race to create the schema
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            children.add(ChildJvm.start(home, home.resolve("child-" + i + ".err"), "run", "w" + i, "200"));
        }
        Set<String> runIds = new LinkedHashSet<>();
        for (int i = 0; i < 4; i++) {
            Process child = children.get(i);
            List<String> lines = readAll(child.getInputStream());
            assertTrue(child.waitFor(4, TimeUnit.MINUTES), "child " + i + " did not finish");
            assertEquals(0, child.exitValue(), "child " + i + " failed: " + Files.readString(home.resolve("child-" + i + ".err")));
            assertEquals(1, lines.size(), "child " + i + " printed " + lines);
            assertTrue(lines.get(0).startsWith("done run-"), lines.get(0));
            runIds.add(lines.get(0).substring("done ".length()));
        }
        assertEquals(4, runIds.size());

        try (RunStore store = RunStore.open(home)) {
            assertEquals("ok", store.integrityCheck());
            List<RunRecord> runs = store.listRuns(Optional.empty(), 0);
            assertEquals(runIds, runs.stream().map(RunRecord::id).collect(Collectors.toSet()));
            assertEquals(Set.of("p-w0", "p-w1", "p-w2", "p-w3"),
                    runs.stream().map(RunRecord::pipeline).collect(Collectors.toSet()));
            for (RunRecord run : runs) {
                assertEquals(RunStatus.Succeeded, run.status());
                List<TaskRecord> tasks = store.tasks(run.id());
                assertEquals(200, tasks.size());
                assertTrue(tasks.stream().allMatch(t -> t.state() == TaskState.Succeeded && t.attempts() == 1));
                assertEquals(200, store.events(run.id()).size());
                assertEquals(200, store.metrics(run.id()).size());
                assertEquals(200, store.attempts(run.id()).size());
            }
            assertEquals(Schema.latestVersion(), store.schemaVersion());
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void killingAWriterLeavesAnIntactStore() throws Exception {
        Map<String, Set<String>> committed = new java.util.HashMap<>();
        Set<String> finishedRuns = new LinkedHashSet<>();
        // kill at different points; each child resumes on the store the previous one left behind
        for (int threshold : new int[] {37, 260, 513}) {
            Process child = ChildJvm.start(home, home.resolve("forever.err"), "forever");
            try (BufferedReader out = reader(child.getInputStream())) {
                int seen = 0;
                String line;
                while (seen < threshold && (line = out.readLine()) != null) {
                    String[] words = line.split(" ");
                    if (words[0].equals("task")) {
                        committed.computeIfAbsent(words[1], k -> new LinkedHashSet<>()).add(words[2]);
                        seen++;
                    } else if (words[0].equals("run")) {
                        finishedRuns.add(words[1]);
                    }
                }
                assertEquals(threshold, seen, "child ended early: " + Files.readString(home.resolve("forever.err")));
                child.destroyForcibly(); // SIGKILL, in the middle of its writes
                assertTrue(child.waitFor(1, TimeUnit.MINUTES));
                assertEquals(128 + 9, child.exitValue(), "the child was still writing when killed");
            }
            try (RunStore store = RunStore.open(home)) {
                assertEquals("ok", store.integrityCheck());
                for (var entry : committed.entrySet()) {
                    Map<String, TaskRecord> tasks = store.tasks(entry.getKey()).stream()
                            .collect(Collectors.toMap(TaskRecord::taskId, t -> t));
                    for (String taskId : entry.getValue()) {
                        TaskRecord task = tasks.get(taskId);
                        assertEquals(TaskState.Succeeded, task == null ? null : task.state(), entry.getKey() + " " + taskId);
                    }
                    long metrics = store.metrics(entry.getKey()).size();
                    assertTrue(metrics >= entry.getValue().size(), "metrics of " + entry.getKey());
                }
                for (String runId : finishedRuns) {
                    RunLookup found = store.getRun(runId);
                    assertTrue(found instanceof RunLookup.Found f && f.run().status() == RunStatus.Succeeded, runId);
                    assertEquals(50, store.tasks(runId).size());
                }
            }
        }
        // and the store is still writable after the crashes
        try (RunStore store = RunStore.open(home)) {
            String runId = StoreWriter.writeRun(store, "after", 3, System.out, false);
            assertEquals(3, store.tasks(runId).size());
            assertEquals("ok", store.integrityCheck());
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void killingAnArtifactWriterLeavesOnlyWholeObjects() throws Exception {
        Set<String> reported = new LinkedHashSet<>();
        for (int threshold : new int[] {5, 23}) {
            Process child = ChildJvm.start(home, home.resolve("artifacts.err"), "artifacts");
            try (BufferedReader out = reader(child.getInputStream())) {
                String line;
                while (reported.size() < threshold && (line = out.readLine()) != null) {
                    reported.add(line.substring("put ".length()));
                }
                child.destroyForcibly();
                assertTrue(child.waitFor(1, TimeUnit.MINUTES));
                assertEquals(128 + 9, child.exitValue(), "the child was still writing when killed");
            }
        }
        ArtifactStore artifacts = ArtifactStore.open(home.resolve("artifacts"));
        for (String digest : reported) {
            assertTrue(artifacts.exists(digest), digest);
        }
        // every file under sha256/ is a whole object named by the hash of its content
        try (Stream<Path> files = Files.walk(home.resolve("artifacts").resolve("sha256"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                assertTrue(ArtifactStore.isDigest(name), "not an object: " + file);
                assertEquals(name.substring(0, 2), file.getParent().getFileName().toString());
                assertEquals(name, sha256(file), "partial or corrupt object " + file);
            }
        }
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static List<String> readAll(InputStream in) throws IOException {
        try (BufferedReader r = reader(in)) {
            return r.lines().toList();
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
