package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four {@code freestone run} processes at once on one store: every run and task is recorded. */
class ConcurrentRunsE2ETest {
    @TempDir
    Path tmp;

    @Test
    void fourEnginesShareOneStore() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = tmp.resolve("dag.pipe");
        Files.writeString(pipe, KillResumeE2ETest.DAG.replace("sleep 0.15", "sleep 0.05"), StandardCharsets.UTF_8);
        List<Process> engines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            engines.add(fs.start(tmp.resolve("engine" + i), List.of(), "run", "--progress", "plain", pipe.toString(),
                    "--pipeline", "dag", "-p", "marker=" + tmp.resolve("marker" + i + ".txt"), "-j", "3"));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            Freestone.Result r = Freestone.await(engines.get(i), tmp.resolve("engine" + i), 90).expect(0);
            Freestone.assertNoTrace(r.all());
            ids.add(r.runId());
            assertTrue(r.out().contains("output last = ok"), r::all);
        }
        assertEquals(4, ids.size(), "four distinct runs: " + ids);
        for (String id : ids) {
            JsonNode run = fs.show(id);
            assertEquals("Succeeded", run.get("status").asText(), run::toPrettyString);
            // the steps and the nested pipeline's own task `n`
            assertEquals(KillResumeE2ETest.STEPS.size() + 1, run.get("tasks").size(), run::toPrettyString);
            for (JsonNode t : run.get("tasks")) {
                assertEquals("Succeeded", t.get("state").asText(), t::toString);
                assertEquals(t.get("id").asText().equals("n") ? 0 : 1, t.get("attempts").asInt(), t::toString);
                assertEquals("ok", t.get("outputs").get("done").asText(), t::toString);
            }
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(KillResumeE2ETest.STEPS.size(), Files.readAllLines(tmp.resolve("marker" + i + ".txt")).size());
        }
        JsonNode runs = Freestone.JSON.readTree(fs.cli("runs", "--output", "json").expect(0).out());
        Set<String> listed = new HashSet<>();
        runs.forEach(r -> listed.add(r.get("id").asText()));
        assertEquals(ids, listed);
        fs.assertStoreIntact();
    }
}
