package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.ArtifactStore;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone cp RUN DIR} gets a run's artifacts out of the store as files and folders, each checked against
 * its digest: every task's, one task's (a loop's step: every iteration), one output's, the pipeline's own; twice
 * (left as they are), over other content (refused, then {@code --force}), from a changed or deleted object (an error,
 * nothing left behind), with names from a store written by hand (kept inside DIR).
 */
class CopyArtifactsE2ETest {
    /** A file (Model) and a folder with an executable in it (Dataset), in a loop and once more as the pipeline's outputs. */
    private static final String PIPE = """
            component make(lr: Float) -> (model: Model, bundle: Dataset) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "printf 'w=%s\\\\n' \\"$0\\" > \\"$1\\" && mkdir -p \\"$2/sub\\" && printf '#!/bin/sh\\\\necho hi\\\\n' > \\"$2/run.sh\\" && chmod +x \\"$2/run.sh\\" && echo data > \\"$2/sub/d.txt\\"", lr, model, bundle]
            }
            pipeline grid(rates: List[Float] = [0.1, 0.2]) -> (best: Model, kit: Dataset) {
              for lr in rates {
                fit = make(lr = lr)
              }
              final = make(lr = 1.0)
              output best = final.model
              output kit  = final.bundle
            }
            """;

    @TempDir
    Path tmp;
    private Freestone fs;
    private String run;

    @BeforeEach
    void runThePipeline() throws Exception {
        fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "grid.pipe", PIPE);
        run = fs.cli("run", "--progress", "none", pipe.toString()).expect(0).runId();
    }

    private static List<String> files(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void everyArtifactBecomesAFileOrAFolderUnderItsTaskAndASecondCopyLeavesThem() throws Exception {
        Path out = tmp.resolve("out");
        Freestone.Result r = fs.cli("cp", run, out.toString()).expect(0);
        assertEquals(List.of("final", "final/bundle", "final/bundle/run.sh", "final/bundle/sub", "final/bundle/sub/d.txt",
                "final/model", "fit[0]", "fit[0]/bundle", "fit[0]/bundle/run.sh", "fit[0]/bundle/sub", "fit[0]/bundle/sub/d.txt",
                "fit[0]/model", "fit[1]", "fit[1]/bundle", "fit[1]/bundle/run.sh", "fit[1]/bundle/sub", "fit[1]/bundle/sub/d.txt",
                "fit[1]/model"), files(out), "and no temporary left");
        assertEquals("w=0.2\n", Files.readString(out.resolve("fit[1]/model")));
        assertEquals("w=1.0\n", Files.readString(out.resolve("final/model")));
        assertEquals("data\n", Files.readString(out.resolve("fit[0]/bundle/sub/d.txt")));
        // the executable bit as stored; a copy is the user's to change, not a read-only object
        assertTrue(Files.isExecutable(out.resolve("final/bundle/run.sh")), mode(out.resolve("final/bundle/run.sh")));
        assertFalse(Files.isExecutable(out.resolve("final/bundle/sub/d.txt")), mode(out.resolve("final/bundle/sub/d.txt")));
        assertTrue(Files.isWritable(out.resolve("final/model")), mode(out.resolve("final/model")));
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("fit[1]/model (lr=0.2)   Model    6 B   -> " + out + "/fit[1]/model"), r::all);
        assertTrue(lines.stream().anyMatch(l -> l.matches("final/bundle +Dataset +23 B +-> " + java.util.regex.Pattern.quote(
                out + "/final/bundle"))), r::all);
        assertEquals("copied 6 artifacts (87 B) of run " + run + " into " + out, lines.get(lines.size() - 1), r::all);

        long before = Files.getLastModifiedTime(out.resolve("final/model")).toMillis();
        Files.setLastModifiedTime(out.resolve("final/model"), java.nio.file.attribute.FileTime.fromMillis(before - 60_000));
        Freestone.Result again = fs.cli("cp", run, out.toString()).expect(0);
        assertTrue(again.out().contains("final/model             Model    6 B   == " + out + "/final/model (already there,"
                + " unchanged)"), again::all);
        assertTrue(again.out().endsWith("copied 0 artifacts of run " + run + " into " + out + "; 6 already there, unchanged\n"),
                again::all);
        assertEquals(before - 60_000, Files.getLastModifiedTime(out.resolve("final/model")).toMillis(), "rewritten");
    }

    @Test
    void aTaskALoopStepAnOutputOrThePipelinesOutputs() throws Exception {
        Path loop = tmp.resolve("loop");
        fs.cli("cp", "@latest", loop.toString(), "--task", "fit").expect(0);
        assertEquals(List.of("fit[0]", "fit[1]"), files(loop).stream().filter(f -> !f.contains("/")).toList());

        Path one = tmp.resolve("one");
        Freestone.Result r = fs.cli("cp", run.substring(0, 20), one.toString(), "--task", "fit[1]", "--artifact", "bundle",
                "--output", "json").expect(0);
        assertEquals(List.of("fit[1]", "fit[1]/bundle", "fit[1]/bundle/run.sh", "fit[1]/bundle/sub", "fit[1]/bundle/sub/d.txt"),
                files(one));
        JsonNode doc = Freestone.JSON.readTree(r.out());
        assertEquals(run, doc.get("run").asText());
        JsonNode a = doc.get("artifacts").get(0);
        assertEquals(1, doc.get("artifacts").size());
        assertEquals("fit[1]/bundle", a.get("name").asText());
        assertEquals("fit[1]", a.get("task").asText());
        assertEquals("[{\"name\":\"lr\",\"value\":0.2}]", a.get("items").toString());
        assertEquals("Dataset", a.get("type").asText());
        assertEquals(23, a.get("size").asLong());
        assertEquals(one.resolve("fit[1]/bundle").toString(), a.get("path").asText());
        assertEquals("copied", a.get("result").asText());

        Path outputs = tmp.resolve("outputs");
        Freestone.Result o = fs.cli("cp", run, outputs.toString(), "--pipeline-outputs").expect(0);
        assertEquals(List.of("best", "kit", "kit/run.sh", "kit/sub", "kit/sub/d.txt"), files(outputs));
        assertEquals("w=1.0\n", Files.readString(outputs.resolve("best")));
        assertTrue(o.out().contains("copied 2 artifacts (29 B)"), o::all);

        Freestone.Result typo = fs.cli("cp", run, tmp.resolve("none").toString(), "--task", "fitt").expect(1);
        assertTrue(typo.err().contains("error: run " + run + " has no task `fitt`"), typo::all);
        Freestone.Result noOutput = fs.cli("cp", run, tmp.resolve("none").toString(), "--artifact", "weights").expect(1);
        assertTrue(noOutput.err().contains("has no artifact named `weights`"), noOutput::all);
        fs.cli("cp", run, tmp.resolve("none").toString(), "--pipeline-outputs", "--task", "fit").expect(2);
        assertFalse(Files.exists(tmp.resolve("none")), "a failed cp made its folder");
        Path file = Files.writeString(tmp.resolve("file.txt"), "mine");
        Freestone.Result notFolder = fs.cli("cp", run, file.toString()).expect(1);
        assertTrue(notFolder.err().startsWith("error: " + file + " is not a folder\n"), notFolder::all);
        // a file where a task's folder goes is not replaced, even with --force: it is no artifact of the run
        Path blocked = tmp.resolve("blocked");
        Files.createDirectories(blocked);
        Files.writeString(blocked.resolve("final"), "mine");
        Freestone.Result inTheWay = fs.cli("cp", run, blocked.toString(), "--force").expect(1);
        assertTrue(inTheWay.err().startsWith("error: " + blocked.resolve("final") + " is in the way: final/bundle goes into"
                + " a folder of that name"), inTheWay::all);
        assertEquals(List.of("final"), files(blocked));
        // nor a link there: it is not followed out of DIR
        Files.delete(blocked.resolve("final"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(blocked.resolve("final"), elsewhere);
        Freestone.Result link = fs.cli("cp", run, blocked.toString(), "--task", "final").expect(1);
        assertTrue(link.err().startsWith("error: " + blocked.resolve("final") + " is in the way"), link::all);
        assertEquals(List.of(), files(elsewhere));
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void otherContentIsReplacedOnlyWithForce() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve("final"));
        Files.writeString(out.resolve("final/model"), "mine\n");
        Freestone.Result refused = fs.cli("cp", run, out.toString()).expect(1);
        assertTrue(refused.err().contains("error: not overwriting what is already in " + out + " with other content:"
                + " final/model; nothing was copied"), refused::all);
        assertTrue(refused.err().contains("add --force"), refused::all);
        assertEquals(List.of("final", "final/model"), files(out));
        assertEquals("mine\n", Files.readString(out.resolve("final/model")));

        // a folder where a file goes, too
        Files.createDirectories(out.resolve("fit[0]/model"));
        Freestone.Result forced = fs.cli("cp", run, out.toString(), "--force").expect(0);
        assertTrue(forced.out().contains("-> " + out + "/final/model (replaced)"), forced::all);
        assertEquals("w=1.0\n", Files.readString(out.resolve("final/model")));
        assertEquals("w=0.1\n", Files.readString(out.resolve("fit[0]/model")));
        assertTrue(files(out).stream().noneMatch(f -> f.contains(".freestone-")), files(out).toString());
    }

    @Test
    void aChangedOrDeletedObjectIsAnErrorAndLeavesNothing() throws Exception {
        String digest;
        try (RunStore store = fs.openStore()) {
            digest = store.artifacts(run).stream().filter(a -> a.taskId().equals("fit[1]") && a.outputName().equals("bundle"))
                    .findFirst().orElseThrow().digest().orElseThrow();
        }
        // every bundle has the same content: one object, which the first of them to be copied names
        Path tree = fs.home().resolve("artifacts/sha256/" + digest.substring(0, 2) + "/" + digest);
        Path inside = tree.resolve("sub/d.txt");
        tree.resolve("sub").toFile().setWritable(true);
        inside.toFile().setWritable(true);
        Files.writeString(inside, "changed\n");
        Path out = tmp.resolve("out");
        Freestone.Result r = fs.cli("cp", run, out.toString()).expect(1);
        assertTrue(r.err().contains("error: cannot copy `final/bundle`: the object " + tree + " no longer holds what was"
                + " stored: its content's SHA-256 is "), r::all);
        assertTrue(r.err().contains(", not " + digest + "; nothing was copied"), r::all);
        Freestone.assertNoTrace(r.all());
        assertFalse(Files.exists(out), "left behind: " + files(out));

        // an existing DIR keeps what it had, and only that
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        fs.cli("cp", run, out.toString()).expect(1);
        assertEquals(List.of("notes.txt"), files(out));

        // a file object, changed to content of the same size
        String model;
        try (RunStore store = fs.openStore()) {
            model = store.artifacts(run).stream().filter(a -> a.taskId().equals("final") && a.outputName().equals("model"))
                    .findFirst().orElseThrow().digest().orElseThrow();
        }
        Path object = fs.home().resolve("artifacts/sha256/" + model.substring(0, 2) + "/" + model);
        object.toFile().setWritable(true);
        Files.writeString(object, "w=9.9\n");
        Freestone.Result file = fs.cli("cp", run, out.toString(), "--task", "final", "--artifact", "model").expect(1);
        assertTrue(file.err().contains("error: cannot copy `final/model`: the object " + object + " no longer holds"), file::all);
        assertEquals(List.of("notes.txt"), files(out));

        ArtifactStore.deleteTree(tree); // by hand, read-only folders and all
        Freestone.Result gone = fs.cli("cp", run, out.toString(), "--task", "fit").expect(1);
        assertTrue(gone.err().contains("error: `fit[0]/bundle`, `fit[1]/bundle` are no longer in the artifact store "), gone::all);
        assertEquals(List.of("notes.txt"), files(out));
    }

    @Test
    void namesFromAStoreWrittenByHandStayInsideDir() throws Exception {
        try (RunStore store = fs.openStore()) {
            ArtifactRecord model = store.artifacts(run).stream().filter(a -> a.taskId().equals("final")
                    && a.outputName().equals("model")).findFirst().orElseThrow();
            store.upsertTask(TaskRecord.pending(run, "..", "..", "make"));
            store.recordArtifact(new ArtifactRecord(run, "..", "escaped", model.digest(), model.size(), "Model", model.uri()));
            store.upsertTask(TaskRecord.pending(run, "final/model", "model", "make"));
            store.recordArtifact(new ArtifactRecord(run, "final/model", "inner", model.digest(), model.size(), "Model",
                    model.uri()));
        }
        Path out = tmp.resolve("deep/out");
        Freestone.Result clash = fs.cli("cp", run, out.toString()).expect(1);
        assertTrue(clash.err().contains("error: `final/model` and `final/model/inner` cannot both be copied: the one's place"
                + " is inside the other's"), clash::all);
        Freestone.Result r = fs.cli("cp", run, out.toString(), "--artifact", "escaped").expect(1);
        assertTrue(r.err().contains("error: the run store names an artifact `../escaped`, which is not a path inside " + out),
                r::all);
        assertEquals(List.of(), files(tmp.resolve("deep")));
    }
}
