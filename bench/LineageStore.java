import dev.freestone.cli.Main;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.LineageRecord;
import dev.freestone.runtime.store.NewRun;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import dev.freestone.runtime.store.TaskState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * `freestone lineage` in a store of many runs: N runs of prepare → train, every prepare producing the same dataset
 * (one digest, as a cached or re-run prepare does), every train reading it and producing a model of its own. Times,
 * in this JVM (warm after a first round), a model's upstream (`lineage RUN train.model`) and the dataset's downstream
 * across all N runs (`lineage RUN prepare.data --downstream`), through the CLI's own entry point.
 *
 * <pre>
 * java -cp target/freestone.jar bench/LineageStore.java 3000
 * </pre>
 */
public class LineageStore {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path home = Files.createTempDirectory("fs-lineage");
        String dataset = "d".repeat(64);
        String first = null;
        String last = null;
        try (RunStore store = RunStore.open(home)) {
            for (int i = 0; i < n; i++) {
                RunRecord run = store.createRun(NewRun.local("train", "v".repeat(64), "/p/train.pipe", "s".repeat(64),
                        Optional.empty(), "{\"lr\":" + (i + 1) * 0.001 + "}"));
                String model = String.format("%064x", i + 1);
                store.recordTaskResult(TaskRecord.pending(run.id(), "prepare", "prepare", "prepare")
                        .withState(TaskState.Succeeded).withAttempts(1), List.of(new ArtifactRecord(run.id(), "prepare",
                        "data", Optional.of(dataset), Optional.of(1L), "Dataset", "file:/a/" + dataset)), List.of());
                store.upsertTask(TaskRecord.pending(run.id(), "train", "train", "train"));
                store.recordLineage(new LineageRecord(run.id(), "train", "data", Optional.of(dataset), "file:/a/" + dataset));
                store.recordTaskResult(TaskRecord.pending(run.id(), "train", "train", "train")
                        .withState(TaskState.Succeeded).withAttempts(1), List.of(new ArtifactRecord(run.id(), "train",
                        "model", Optional.of(model), Optional.of(1L), "Model", "file:/a/" + model)), List.of());
                first = first == null ? run.id() : first;
                last = run.id();
            }
        }
        System.setProperty("freestone.home", home.toString());
        for (String[] command : List.of(new String[] {"lineage", last, "train.model"},
                new String[] {"lineage", first, "prepare.data", "--downstream"})) {
            long best = Long.MAX_VALUE;
            int lines = 0;
            for (int round = 0; round < 4; round++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long s = System.nanoTime();
                int code = Main.run(command, new PrintStream(out), System.err, Map.of("FREESTONE_HOME", home.toString()));
                best = Math.min(best, System.nanoTime() - s);
                if (code != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited " + code);
                }
                lines = (int) out.toString().lines().count();
            }
            System.out.printf("%d runs, %s: best %.0f ms, %d lines%n", n, String.join(" ", command).replace(first, "FIRST")
                    .replace(last, "LAST"), best / 1e6, lines);
        }
        try (var walk = Files.walk(home)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
