package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.store.Backend;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import dev.freestone.runtime.store.TaskState;
import dev.freestone.testing.CliRun;
import dev.freestone.testing.CliSession;
import dev.freestone.testing.MockArgoCluster;
import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster commands driven in-process as a user would, against fabric8's mock Kubernetes API
 * with a simulated Argo controller ({@link MockArgoCluster}), reached through a kubeconfig file
 * named by {@code KUBECONFIG}. Every command's output is checked for the cluster's token.
 */
class ArgoCliTest {
    private static final Pattern TASK_ID = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*(\\[\\d+])*(/[a-zA-Z_][a-zA-Z0-9_]*(\\[\\d+])*)*");

    @TempDir
    Path dir;
    private Path home;
    private MockArgoCluster cluster;
    private final Map<String, String> env = new HashMap<>();
    private final CliSession session = new CliSession(env, MockArgoCluster.TOKEN);

    @BeforeEach
    void start() throws IOException {
        home = dir.resolve("home");
        cluster = new MockArgoCluster(dir);
        env.put("FREESTONE_HOME", home.toString());
        env.put("KUBECONFIG", cluster.kubeconfig().toString());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        session.assertNotStoredUnder(home);
    }

    private CliRun cli(String... args) {
        return session.run(args);
    }

    private static String example(String name) {
        return SharedData.projectDir().resolve("examples").resolve(name).toString();
    }

    private RunStore store() {
        return RunStore.open(home);
    }

    private Map<String, TaskRecord> tasks(String runId) {
        Map<String, TaskRecord> out = new HashMap<>();
        try (RunStore s = store()) {
            s.tasks(runId).forEach(t -> out.put(t.taskId(), t));
        }
        return out;
    }

    private RunRecord run(String runId) {
        try (RunStore s = store()) {
            return Cli.findRun(s, runId);
        }
    }

    // ---- submit and follow ---------------------------------------------------------------------------------------

    @Test
    void everyExampleIsSubmittedAndFollowedToTheEnd() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(SharedData.projectDir().resolve("examples"))) {
            files = s.filter(p -> p.toString().endsWith(".pipe")).sorted().toList();
        }
        assertTrue(files.size() >= 5, files.toString());
        List<String> runs = new ArrayList<>();
        for (Path file : files) {
            CliRun r = cli("submit", file.toString(), "--wait", "--progress", "plain");
            assertEquals(0, r.code(), file + ": " + r.out() + r.err());
            assertTrue(r.out().contains("Succeeded  run "), r.out());
            String id = r.runId();
            runs.add(id);
            RunRecord run = run(id);
            assertEquals(Backend.Argo, run.backend());
            assertEquals(RunStatus.Succeeded, run.status());
            Map<String, TaskRecord> tasks = tasks(id);
            assertFalse(tasks.isEmpty(), file + " has no tasks in the store");
            for (TaskRecord t : tasks.values()) {
                assertEquals(TaskState.Succeeded, t.state(), t.toString());
                assertTrue(TASK_ID.matcher(t.taskId()).matches(), file + ": `" + t.taskId() + "` is not an IR task id");
                // the plain progress view printed each task's end, as for a local run
                assertTrue(r.out().contains("succeeded  " + t.taskId()), r.out());
            }
        }
        assertEquals(files.size(), cluster.workflows().size());
        CliRun flowers = cli("submit", example("train/train.pipe"), "--output", "json");
        assertTrue(flowers.err().startsWith("note: artifact parameter `data` = data/flowers.csv is read from the"
                + " cluster's artifact repository"), flowers.err());
        // the IR's own ids, through the lowering's annotations: loop iterations, sub-pipelines, renamed components
        String sweep = runs.get(files.indexOf(SharedData.projectDir().resolve("examples/sweep/sweep.pipe")));
        assertEquals(List.of("best", "fit[0]", "fit[1]"), tasks(sweep).keySet().stream().sorted().toList());
        assertEquals("pick_best", tasks(sweep).get("best").component());
        String nested = runs.get(files.indexOf(SharedData.projectDir().resolve("examples/nested/nested.pipe")));
        assertEquals(List.of("a", "a/c", "a/norm", "b", "b/c", "b/norm", "sum"),
                tasks(nested).keySet().stream().sorted().toList());
    }

    /** `submit --label`: the Workflow carries the labels (`argo list -l` finds it), and the store files the run under them. */
    @Test
    void aSubmittedRunsLabelsAreItsWorkflowsAndTheStores() {
        CliRun r = cli("submit", example("hello/hello.pipe"), "-l", "experiment=baseline", "--label", "team=nlp");
        assertEquals(0, r.code(), r.err());
        String name = run(r.runId()).remote().orElseThrow().name();
        com.fasterxml.jackson.databind.JsonNode labels = cluster.get(MockArgoCluster.WORKFLOWS, name).orElseThrow()
                .path("metadata").path("labels");
        assertEquals("baseline", labels.path("experiment").asText(), labels.toString());
        assertEquals("nlp", labels.path("team").asText(), labels.toString());
        CliRun listed = cli("runs", "--label", "experiment=baseline", "--output", "json");
        assertTrue(listed.out().contains(r.runId()), listed.out());
        assertTrue(listed.out().contains("\"team\" : \"nlp\""), listed.out());
        // a bad label is refused before anything is sent
        int before = cluster.workflows().size();
        CliRun bad = cli("submit", example("hello/hello.pipe"), "-l", "workflows.argoproj.io/phase=x");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("error: --label workflows.argoproj.io/phase=x: the prefix workflows.argoproj.io/ is"
                + " kept for Argo's own labels\n"), bad.err());
        assertEquals(before, cluster.workflows().size());
    }

    @Test
    void eachLoopIterationsItemIsRecordedAsTheSameTextAsByALocalRun() throws IOException {
        Path file = Files.writeString(dir.resolve("items.pipe"), """
                struct Cfg {
                  tag: String
                  lr: Float
                }

                component train(lr: Float, tag: String) -> (acc: Float) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os
                    open(os.environ["acc"], "w").write("0.9")
                  \"""
                }

                component make(tag: String) -> (m: Model) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os
                    open(os.environ["m"], "w").write(os.environ["tag"])
                  \"""
                }

                component hold(d: Duration, on: Bool, n: Int) -> (acc: Float) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os
                    open(os.environ["acc"], "w").write("0.9")
                  \"""
                }

                pipeline one(tag: String) -> (acc: Float) {
                  t = train(lr = 0.1, tag = tag)
                  output acc = t.acc
                }

                pipeline items() -> (accs: List[Float], models: List[Model]) {
                  for lr in [0.3, 1e-05] parallel 2 {
                    for tag in ["a", "b \\"q\\""] {
                      fit = train(lr = lr, tag = tag)
                    }
                  }
                  for name in ["x"] {
                    named = train(lr = 0.5, tag = name)
                  }
                  for made in ["m"] {
                    mk = make(tag = made)
                  }
                  for cfg in [Cfg(tag = "z", lr = 1.0)] {
                    s = train(lr = cfg.lr, tag = cfg.tag)
                  }
                  for w in ["p"] {
                    c = one(tag = w)
                  }
                  for d in [250ms, 2m] {
                    for on in [true] {
                      for n in [3] {
                        h = hold(d = d, on = on, n = n)
                      }
                    }
                  }
                  output accs = named.acc
                  output models = mk.m
                }
                """);
        CliRun local = cli("run", file.toString(), "--progress", "none");
        assertEquals(0, local.code(), local.out() + local.err());
        CliRun remote = cli("submit", file.toString(), "--wait", "--progress", "none");
        assertEquals(0, remote.code(), remote.out() + remote.err());
        Map<String, TaskRecord> here = tasks(local.runId());
        Map<String, TaskRecord> there = tasks(remote.runId());
        assertEquals(new java.util.TreeSet<>(here.keySet()), new java.util.TreeSet<>(there.keySet()));
        for (String id : here.keySet()) {
            assertEquals(here.get(id).items(), there.get(id).items(), id);
        }
        // a Float as the engine writes it, a text as JSON, a structure's keys in the engine's (Go's) order, every
        // level outermost first, through a called pipeline, and a collecting loop's text taken out of its wrapper
        assertEquals("lr=1e-05 tag=\"b \\\"q\\\"\"", LoopItem.label(there.get("fit[1][1]").items()));
        assertEquals("name=\"x\"", LoopItem.label(there.get("named[0]").items()));
        assertEquals("made=\"m\"", LoopItem.label(there.get("mk[0]").items()));
        assertEquals("cfg={\"lr\":1.0,\"tag\":\"z\"}", LoopItem.label(there.get("s[0]").items()));
        assertEquals("w=\"p\"", LoopItem.label(there.get("c[0]/t").items()));
        assertEquals("w=\"p\"", LoopItem.label(there.get("c[0]").items()));
        assertEquals("d=120 on=true n=3", LoopItem.label(there.get("h[1][0][0]").items()));
        // and show says it for the Argo run as for the local one
        CliRun shown = cli("show", remote.runId());
        assertTrue(shown.out().lines().anyMatch(l -> l.matches("fit\\[1]\\[1] +lr=1e-05 tag=\"b \\\\\"q\\\\\"\" +Succeeded .*")),
                shown.out());
        // and logs names each iteration's lines with it, as for a local run
        CliRun logs = cli("logs", remote.runId());
        assertEquals(0, logs.code(), logs.err());
        assertTrue(logs.out().contains("\n[fit[1][1] (lr=1e-05 tag=\"b \\\"q\\\"\")] "), logs.out());
    }

    /**
     * A task that did not run reads the same on both backends: Argo's "omitted: depends condition not met" and
     * "when 'false' evaluated false" are mirrored as a local run words them, in the run store's states, in the
     * progress view of `submit --wait` and in `show`.
     */
    @Test
    void aTaskThatDidNotRunIsSaidInTheSameWordsAsByALocalRun() throws IOException {
        Path file = Files.writeString(dir.resolve("stops.pipe"), """
                component step(code: Int) -> (o: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "printf %s \\"$0\\" > \\"$1\\"; exit $0", "${code}", o]
                }

                pipeline stops(go: Bool = false) -> (o: Int) {
                  a = step(code = 1)
                  b = step(code = a.o)
                  if go {
                    c = step(code = 0)
                  }
                  output o = b.o
                }
                """);
        CliRun local = cli("run", file.toString(), "--progress", "plain");
        assertEquals(1, local.code(), local.out() + local.err());
        cluster.dispatcher().endAs = status -> {
            status.put("phase", "Failed");
            String a = null;
            String b = null;
            for (JsonNode n : status.path("nodes")) {
                ObjectNode node = (ObjectNode) n;
                switch (node.path("displayName").asText()) {
                    case "a" -> {
                        a = node.path("id").asText();
                        node.put("phase", "Failed").put("message", "Error (exit code 1)");
                        ((ObjectNode) node.path("outputs")).put("exitCode", "1");
                    }
                    case "b" -> {
                        b = node.path("id").asText();
                        node.put("phase", "Omitted").put("type", "Skipped").put("message", "omitted: depends condition not met")
                                .put("startedAt", node.path("finishedAt").asText());
                        node.remove("outputs");
                    }
                    case "c" -> {
                        node.put("phase", "Skipped").put("type", "Skipped").put("message", "when 'false' evaluated false")
                                .put("startedAt", node.path("finishedAt").asText());
                        node.remove("outputs");
                    }
                    default -> {
                        if (!node.has("boundaryID")) {
                            node.put("phase", "Failed");
                        }
                    }
                }
            }
            ((ObjectNode) status.path("nodes").path(a)).putArray("children").add(b);
            return status;
        };
        CliRun remote = cli("submit", file.toString(), "--wait", "--progress", "plain");
        assertEquals(1, remote.code(), remote.out() + remote.err());
        for (CliRun r : List.of(local, remote)) {
            assertTrue(r.out().contains("skipped    b  `a` failed\n"), r.out());
            assertTrue(r.out().contains("skipped    c  its condition was false\n"), r.out());
            assertFalse((r.out() + r.err()).toLowerCase(java.util.Locale.ROOT).contains("omitted"), r.out() + r.err());
        }
        Map<String, TaskRecord> here = tasks(local.runId());
        Map<String, TaskRecord> there = tasks(remote.runId());
        for (String id : List.of("b", "c")) {
            assertEquals(TaskState.Skipped, there.get(id).state(), id);
            assertEquals(here.get(id).message(), there.get(id).message(), id);
        }
        assertEquals(Optional.of("skipped: `a` failed"), there.get("b").message());
        try (RunStore s = store()) {
            // the event says the state once too
            assertTrue(s.events(remote.runId()).stream().anyMatch(e -> e.kind().equals("task.skipped")
                    && e.message().equals("b skipped: `a` failed")), () -> s.events(remote.runId()).toString());
        }
        CliRun shown = cli("show", remote.runId());
        assertTrue(shown.out().contains("\nb: skipped: `a` failed\n"), shown.out());
        assertTrue(shown.out().contains("\nc: skipped: its condition was false\n"), shown.out());
    }

    /** A submitted run records its parameters' defaults as `run` does: `diff` and `metrics` of the two list none. */
    @Test
    void anArgoRunRecordsTheDefaultsItRanWithAsALocalRun() throws IOException {
        CliRun local = cli("run", example("sweep/sweep.pipe"), "--progress", "none");
        CliRun remote = cli("submit", example("sweep/sweep.pipe"), "--wait", "--progress", "none");
        assertEquals(0, remote.code(), remote.out() + remote.err());
        assertEquals(run(local.runId()).paramsJson(), run(remote.runId()).paramsJson());
        CliRun d = cli("diff", local.runId(), remote.runId(), "--output", "json");
        assertEquals("{}", new com.fasterxml.jackson.databind.ObjectMapper().readTree(d.out()).get("params").toString(), d.out());
    }

    @Test
    void anArgoRunRecordsTheSameMetricsAsALocalRun() throws IOException {
        Path file = Files.writeString(dir.resolve("scored.pipe"), """
                component score(lr: Float) -> (scores: Metrics, extra: Metrics) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    json.dump({"acc": float(os.environ["lr"]), "loss": 0.5}, open(os.environ["scores"], "w"))
                    json.dump({"metrics": [{"name": "acc", "numberValue": 1.5}]}, open(os.environ["extra"], "w"))
                  \"""
                }

                pipeline scored() {
                  for lr in [0.3, 1e-05] {
                    fit = score(lr = lr)
                  }
                  last = score(lr = 2.0)
                }
                """);
        // the simulated pods write what the script writes (the lowering's parameter reads the same file)
        cluster.dispatcher().podOutputs = (template, parameter, inputs) -> switch (parameter) {
            case "fs-metrics-scores" -> Optional.of("{\"acc\": " + inputs.get("lr") + ", \"loss\": 0.5}\n");
            case "fs-metrics-extra" -> Optional.of("{\"metrics\": [{\"name\": \"acc\", \"numberValue\": 1.5}]}");
            default -> Optional.empty();
        };
        CliRun local = cli("run", file.toString(), "--progress", "none");
        assertEquals(0, local.code(), local.out() + local.err());
        CliRun remote = cli("submit", file.toString(), "--wait", "--progress", "none");
        assertEquals(0, remote.code(), remote.out() + remote.err());
        CliRun here = cli("metrics", local.runId(), "--output", "json");
        CliRun there = cli("metrics", remote.runId(), "--output", "json");
        assertEquals(0, there.code(), there.err());
        assertEquals("", there.err(), "a run that records its metrics gets no note");
        assertEquals(here.out().replace(local.runId(), "RUN"), there.out().replace(remote.runId(), "RUN"));
        // the same rows: names (two outputs sharing `acc`), values, task ids of loop iterations, their items
        JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(there.out()).get(remote.runId());
        assertEquals(0.3, rows.get("fit[0]/scores/acc").doubleValue());
        assertEquals(1e-05, rows.get("fit[1]/scores/acc").doubleValue());
        assertEquals(1.5, rows.get("fit[1]/extra/acc").doubleValue());
        assertEquals(0.5, rows.get("last/loss").doubleValue());
        assertEquals(10, rows.size(), rows.toString()); // nine metrics and the items
        // the metrics texts are no outputs of the task
        assertEquals("{}", tasks(remote.runId()).get("last").outputsJson());
    }

    @Test
    void aMetricsTextTheEngineRefusesIsNotRecordedFromArgoEitherAndSaysWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.pipe"), """
                component report() -> (m: Metrics) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os
                    open(os.environ["m"], "w").write("accuracy: 0.9")
                  \"""
                }

                pipeline bad() {
                  r = report()
                }
                """);
        cluster.dispatcher().podOutputs = (template, parameter, inputs) -> parameter.equals("fs-metrics-m")
                ? Optional.of("accuracy: 0.9") : Optional.empty();
        String why = "metrics output `m` is not JSON (line 1, column 10); write a JSON object of numbers, e.g."
                + " {\"accuracy\": 0.9}, or KFP's {\"metrics\": [{\"name\": \"accuracy\", \"numberValue\": 0.9}]}";
        CliRun local = cli("run", file.toString(), "--progress", "none");
        assertEquals(1, local.code(), local.out() + local.err());
        assertTrue(local.err().contains(why), local.err());
        // Argo has passed the step by the time its text is read: it stays Succeeded, with the engine's reason
        CliRun remote = cli("submit", file.toString(), "--wait", "--progress", "none");
        assertEquals(0, remote.code(), remote.out() + remote.err());
        TaskRecord r = tasks(remote.runId()).get("r");
        assertEquals(TaskState.Succeeded, r.state());
        assertEquals(Optional.of(why + " (its metrics are not recorded)"), r.message());
        try (RunStore s = store()) {
            assertEquals(List.of(), s.metrics(remote.runId()));
        }
    }

    @Test
    void anArgoRunSubmittedBeforeMetricsWereReadBackKeepsItsNote() {
        // as such a run is in the store: an Argo run without the event that says its metrics are read back
        String id;
        try (RunStore s = store()) {
            id = s.createRun(new dev.freestone.runtime.store.NewRun("hello", "0".repeat(64), "hello.pipe", "0".repeat(64),
                    Optional.empty(), "{}", Backend.Argo, Optional.of(new dev.freestone.runtime.store.RemoteRef("argo",
                    "hello-x1")))).id();
        }
        CliRun metrics = cli("metrics", id);
        assertEquals(0, metrics.code(), metrics.err());
        assertEquals("note: run " + id + " was submitted to Argo before Freestone read metrics back: its metrics stay"
                + " in its Metrics artifacts in the cluster's artifact repository (`freestone artifacts " + id
                + "` lists where)\n", metrics.err());
    }

    @Test
    void aCreateStoredButAnswered500IsNotSubmittedTwice() {
        // the API server stored the Workflow and then failed the answer; the client's retry must not add a second
        cluster.dispatcher().storeThenFailCreates.set(1);
        CliRun r = cli("submit", example("hello/hello.pipe"), "--wait", "--progress", "none");
        assertEquals(0, r.code(), r.out() + r.err());
        List<JsonNode> workflows = cluster.workflows();
        assertEquals(1, workflows.size(), workflows.stream().map(w -> w.path("metadata").path("name").asText()).toList()
                .toString());
        String name = workflows.get(0).path("metadata").path("name").asText();
        assertTrue(name.matches("hello-[a-z0-9]{5}"), name);
        assertEquals(name, run(r.runId()).remote().orElseThrow().name());
        assertEquals(RunStatus.Succeeded, run(r.runId()).status());
    }

    @Test
    void aResubmitStoredButAnswered500IsNotCreatedTwice() {
        // the Kubernetes-mode resubmit creates the new Workflow itself: the same client retry, the same guard
        CliRun first = cli("submit", example("hello/hello.pipe"), "--wait", "--progress", "none");
        assertEquals(0, first.code(), first.out() + first.err());
        cluster.dispatcher().storeThenFailCreates.set(1);
        CliRun again = cli("resubmit", first.runId(), "--wait", "--progress", "none");
        assertEquals(0, again.code(), again.out() + again.err());
        List<String> names = cluster.workflows().stream().map(w -> w.path("metadata").path("name").asText()).toList();
        assertEquals(2, names.size(), names.toString());
        String name = run(again.runId()).remote().orElseThrow().name();
        assertTrue(names.contains(name) && name.matches("hello-[a-z0-9]{5}"), name + " in " + names);
        assertEquals(RunStatus.Succeeded, run(again.runId()).status());
    }

    /** `resubmit` files the new run under the old one's labels, as Argo's resubmit keeps the Workflow's. */
    @Test
    void aResubmittedRunKeepsItsLabels() {
        CliRun first = cli("submit", example("hello/hello.pipe"), "-l", "experiment=again", "--wait", "--progress", "none");
        assertEquals(0, first.code(), first.out() + first.err());
        CliRun again = cli("resubmit", first.runId(), "--wait", "--progress", "none");
        assertEquals(0, again.code(), again.out() + again.err());
        CliRun listed = cli("runs", "--label", "experiment=again");
        assertTrue(listed.out().contains(first.runId()) && listed.out().contains(again.runId()), listed.out());
    }

    @Test
    void cpOfAnArgoRunSaysWhereItsArtifactsAreAndTheArgoCpCommand() throws IOException {
        Path file = Files.writeString(dir.resolve("one.pipe"), """
                component make() -> (model: Model) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo w > \\"$0\\"", model]
                }
                pipeline one() -> (model: Model) {
                  m = make()
                  output model = m.model
                }
                """);
        CliRun submitted = cli("submit", file.toString(), "--wait", "--progress", "none");
        assertEquals(0, submitted.code(), submitted.out() + submitted.err());
        String workflow = run(submitted.runId()).remote().orElseThrow().name();
        Path out = dir.resolve("out");
        CliRun cp = cli("cp", submitted.runId(), out.toString(), "--pipeline-outputs", "--artifact", "model");
        assertEquals(1, cp.code(), cp.out() + cp.err());
        assertEquals("error: run " + submitted.runId() + " ran on Argo: its artifacts are in the cluster's artifact repository,"
                + " not in this store (model s3://" + workflow + "/" + workflow + "/model.tgz)\n"
                + "  = help: copy them with `argo cp " + workflow + " " + out + " -n argo --artifact-name model` (Argo's CLI,"
                + " with access to that repository)\n", cp.err());
        assertFalse(Files.exists(out), "nothing is made for a run whose artifacts are elsewhere");
        // every task's: the same way out, whether or not the Workflow's status named their locations
        CliRun all = cli("cp", "@latest", out.toString());
        assertEquals(1, all.code(), all.out() + all.err());
        assertTrue(all.err().contains("  = help: copy them with `argo cp " + workflow + " " + out + " -n argo`"), all.err());
        assertFalse(Files.exists(out), "nothing is made for a run whose artifacts are elsewhere");
    }

    @Test
    void runShowMetricsAndLogsWorkForRemoteRuns() {
        CliRun submitted = cli("submit", example("hello/hello.pipe"), "-p", "name=argo", "--wait", "--progress", "none");
        assertEquals(0, submitted.code(), submitted.err());
        String id = submitted.runId();
        assertTrue(submitted.out().contains("as Workflow argo/hello-"), submitted.out());
        assertTrue(submitted.out().contains("\n  output greeting = echoed-value\n"), submitted.out());

        CliRun runs = cli("runs");
        assertEquals(0, runs.code());
        assertTrue(runs.out().contains(id) && runs.out().contains("argo"), runs.out());
        CliRun show = cli("show", id);
        assertTrue(show.out().contains("greet") && show.out().contains("Succeeded"), show.out());
        assertTrue(show.out().contains("\nremote   argo Workflow argo/hello-"), show.out());
        // the pipeline's output, from the root node's outputs once the Workflow ended
        assertTrue(show.out().contains("\noutput   greeting = echoed-value\n"), show.out());
        CliRun json = cli("show", id, "--output", "json");
        assertTrue(json.out().contains("\"remote\" : \"argo/hello-"), json.out());
        assertTrue(json.out().contains("\"outputs\" : {\n    \"greeting\" : \"echoed-value\"\n  },"), json.out());
        assertTrue(json.out().contains("\"name\" : \"argo\""), "the checked argument is recorded: " + json.out());
        // a run that reports no metrics says so, as a local one does: no note that would blame the backend
        CliRun metrics = cli("metrics", id);
        assertEquals(0, metrics.code(), metrics.err());
        assertEquals("no metrics recorded for " + id + "\n", metrics.out());
        assertEquals("", metrics.err());

        CliRun log = cli("logs", id, "greet");
        assertEquals(0, log.code(), log.err());
        assertTrue(log.out().startsWith("hello from hello-"), log.out());
        CliRun all = cli("logs", id);
        assertTrue(all.out().contains("[greet] hello from hello-"), all.out());
        // the last line of each pod's log, as the API server cuts it
        CliRun tail = cli("logs", id, "--tail", "1");
        assertEquals(0, tail.code(), tail.err());
        assertTrue(tail.out().startsWith("[greet] bye from hello-") && tail.out().lines().count() == 1, tail.out());
        CliRun unknown = cli("logs", id, "gret");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().startsWith("error: task `gret` of run " + id), unknown.err());
        assertTrue(unknown.err().contains("  = help: the run's tasks are: greet"), unknown.err());
        CliRun followed = cli("logs", id, "greet", "--follow");
        assertEquals(0, followed.code(), followed.err());
        assertTrue(followed.out().startsWith("hello from hello-") && followed.out().contains("\nbye from hello-"),
                followed.out());
        cluster.dispatcher().garbledLogStreams = true;
        CliRun garbled = cli("logs", id, "greet", "--follow");
        assertEquals(1, garbled.code(), garbled.err());
        assertTrue(garbled.err().startsWith("error: cannot read the answer of the Kubernetes API at "), garbled.err());
        assertEquals(2, garbled.err().lines().count(), garbled.err());
        cluster.dispatcher().garbledLogStreams = false;
        CliRun followAll = cli("logs", id, "--follow");
        assertEquals(2, followAll.code(), followAll.err());
        // attempts are numbered per task: --attempt needs one, and one it does not have is an error, followed or not
        CliRun attemptOfAll = cli("logs", id, "--attempt", "1");
        assertEquals(2, attemptOfAll.code(), attemptOfAll.err());
        assertTrue(attemptOfAll.err().startsWith("error: --attempt needs a TASK"), attemptOfAll.err());
        assertEquals("hello from hello-", cli("logs", id, "greet", "--attempt", "1").out().substring(0, 17));
        for (boolean follow : new boolean[] {false, true}) {
            CliRun noSuchAttempt = follow ? cli("logs", id, "greet", "--attempt", "2", "--follow")
                    : cli("logs", id, "greet", "--attempt", "2");
            assertEquals(1, noSuchAttempt.code(), noSuchAttempt.err());
            assertEquals("error: task `greet` of run " + id + " has no attempt 2\n"
                    + "  = help: its attempts are 1; without --attempt the last one is shown\n", noSuchAttempt.err());
            assertEquals("", noSuchAttempt.out());
        }
    }

    @Test
    void anArgoRunIsDrawnAsItWentAsALocalRunIs() {
        // the simulated controller runs two of the loop's iterations
        String id = cli("submit", example("sweep/sweep.pipe"), "--wait", "--progress", "none").runId();
        CliRun graph = cli("graph", "--run", id, "--format", "mermaid");
        assertEquals(0, graph.code(), graph.err());
        assertTrue(graph.out().startsWith("---\ntitle: \"" + id + " sweep: Succeeded\"\n---\n"), graph.out());
        assertTrue(graph.out().contains("[\"fit<br/>train<br/>2 Succeeded\"]:::succeeded\n"), graph.out());
        assertTrue(graph.out().contains("[\"best<br/>pick_best<br/>Succeeded\"]:::succeeded\n"), graph.out());
    }

    @Test
    void aCallOfAPipelinesLogsAreThoseOfTheTasksInsideIt() {
        String id = cli("submit", example("nested/nested.pipe"), "--wait", "--progress", "none").runId();
        CliRun a = cli("logs", id, "a");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("[a/norm] hello from ") && a.out().contains("[a/c] hello from "), a.out());
        assertFalse(a.out().contains("[b/"), a.out());
        CliRun followed = cli("logs", id, "a", "-f");
        assertEquals(2, followed.code());
        assertTrue(followed.err().contains("`a` is a call of a pipeline"), followed.err());
    }

    @Test
    void logsOfEveryTaskGoOnPastPodsThatArgoRemoved() {
        // `--pod-gc OnPodSuccess` removes the pods of the steps that succeeded: the failed one's log is
        // the one a user wants, and `logs RUN` must not stop at the first pod that is gone
        String id = cli("submit", example("sweep/sweep.pipe"), "--wait", "--progress", "none").runId();
        String gone;
        try (RunStore s = store()) {
            gone = s.attempts(id, "fit[0]").get(0).logPath().orElseThrow();
        }
        cluster.client().pods().inNamespace(MockArgoCluster.NAMESPACE).withName(gone).delete();
        CliRun all = cli("logs", id);
        assertEquals(0, all.code(), all.err());
        assertTrue(all.out().contains("[best] hello from ") && all.out().contains("[fit[1]] hello from "), all.out());
        assertFalse(all.out().contains("fit[0]"), all.out());
        assertTrue(all.out().indexOf("[best] ") < all.out().indexOf("[fit[1]] "), "tasks by id: " + all.out());
        assertEquals("note: no log of task `fit[0]`: pod argo/" + gone + " does not exist\n"
                + "  = help: Argo's pod garbage collection may have removed it; the log may still be in the artifact"
                + " repository as `main-logs`\n", all.err());
        for (String task : List.of("best", "fit[1]")) {
            try (RunStore s = store()) {
                String pod = s.attempts(id, task).get(0).logPath().orElseThrow();
                cluster.client().pods().inNamespace(MockArgoCluster.NAMESPACE).withName(pod).delete();
            }
        }
        CliRun none = cli("logs", id);
        assertEquals(1, none.code(), none.err());
        assertEquals("", none.out());
        assertTrue(none.err().startsWith("error: no log of run " + id + " is left on the cluster: the pods of its"
                + " tasks (best, fit[0], fit[1]) do not exist\n  = help: Argo's pod garbage collection"), none.err());
    }

    @Test
    void manifestsAreCheckedAgainstArgosLimitsAndSchemaBeforeAnythingIsSent() throws IOException {
        // over the size budget: E0701, and its help names a flag that submit takes
        CliRun tooBig = cli("submit", example("hello/hello.pipe"), "--max-manifest-size", "300");
        assertEquals(1, tooBig.code(), tooBig.err());
        assertTrue(tooBig.err().startsWith("error[E0701]: the manifest is Workflow hello-* of "), tooBig.err());
        assertTrue(tooBig.err().contains("raise it with `--max-manifest-size`"), tooBig.err());
        assertTrue(tooBig.err().endsWith("  = help: nothing was sent to the cluster\n"), tooBig.err());

        // Argo's schema of the cluster's version, when the user has it: what it refuses is refused here
        Path schema = SharedData.file("argo/schema.json");
        JsonNode strict = Cli.JSON.readTree(schema.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) strict.path("definitions")
                .path("io.argoproj.workflow.v1alpha1.Template").path("properties").path("name")).put("maxLength", 3);
        Path shorter = dir.resolve("schema-with-short-template-names.json");
        Files.writeString(shorter, Cli.JSON.writeValueAsString(strict));
        CliRun refused = cli("submit", example("hello/hello.pipe"), "--argo-schema", shorter.toString());
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().startsWith("error[E0702]: the lowered manifest is not valid: schema: $.spec.templates[0].name:"
                + " must be at most 3 characters long"), refused.err());
        assertTrue(refused.err().endsWith("  = help: nothing was sent to the cluster\n"), refused.err());
        CliRun unreadable = cli("submit", example("hello/hello.pipe"), "--argo-schema", dir.resolve("nope.json").toString());
        assertEquals(2, unreadable.code(), unreadable.err());
        assertTrue(unreadable.err().startsWith("error: cannot read Argo's JSON schema "), unreadable.err());
        assertEquals(2, unreadable.err().lines().count(), unreadable.err());
        assertTrue(cluster.workflows().isEmpty());
        try (RunStore s = store()) {
            assertTrue(s.listRuns(Optional.empty(), 0).isEmpty(), "refused submissions leave no run");
        }

        // a budget raised past what etcd stores: the API server's answer says what to do instead
        cluster.dispatcher().createFailureCode = 500;
        cluster.dispatcher().createFailure = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"etcdserver: request is too large\",\"code\":500}";
        CliRun etcd = cli("submit", example("hello/hello.pipe"), "--max-manifest-size", "4000000");
        assertEquals(1, etcd.code(), etcd.err());
        assertEquals("error: the object is too large for the cluster to create Workflow argo/hello-*: etcdserver: request"
                + " is too large\n  = help: lower --max-manifest-size (the default, 960 KiB, keeps under etcd's limit) so"
                + " that the pipeline is split into WorkflowTemplates, or pass large values as artifacts\n", etcd.err());
        cluster.dispatcher().createFailure = null;

        CliRun valid = cli("submit", example("sweep/sweep.pipe"), "--argo-schema", schema.toString(), "--wait",
                "--progress", "none");
        assertEquals(0, valid.code(), valid.err());
    }

    @Test
    void jsonForScripts() throws IOException {
        CliRun r = cli("submit", example("hello/hello.pipe"), "--wait", "--output", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Cli.JSON.readTree(r.out());
        assertEquals("Succeeded", doc.path("status").asText());
        assertTrue(doc.path("workflow").asText().startsWith("argo/hello-"), r.out());
        assertEquals(RunStatus.Succeeded, run(doc.path("run").asText()).status());
    }

    @Test
    void argumentsAreCheckedBeforeAnythingIsSent() {
        CliRun r = cli("submit", example("hello/hello.pipe"), "-p", "nmae=x");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error[E0601]: unknown parameter `nmae`"), r.err());
        assertTrue(cluster.workflows().isEmpty());
        try (RunStore s = store()) {
            assertTrue(s.listRuns(Optional.empty(), 0).isEmpty());
        }
    }

    @Test
    void stopTerminateResubmitAndWatch() {
        cluster.holdNewWorkflows(true);
        String first = cli("submit", example("hello/hello.pipe")).runId();
        assertEquals(RunStatus.Pending, run(first).status());
        // let the simulated controller take the workflow first: its status update rewrites the whole
        // object, so a stop sent in the same instant could be lost and the watch below would never end
        awaitRunning(first);
        CliRun stop = cli("stop", first, "--message", "enough");
        assertEquals(0, stop.code(), stop.err());
        assertEquals("Stop", cluster.get(MockArgoCluster.WORKFLOWS, run(first).remote().orElseThrow().name())
                .orElseThrow().path("spec").path("shutdown").asText());
        CliRun watched = cli("watch", first, "--progress", "none", "--timeout", "120");
        assertEquals(1, watched.code());
        assertTrue(watched.out().startsWith("Cancelled  run " + first), watched.out());
        assertEquals(RunStatus.Cancelled, run(first).status());

        String second = cli("submit", example("hello/hello.pipe")).runId();
        assertEquals(0, cli("terminate", second).code());
        assertEquals("Terminate", cluster.get(MockArgoCluster.WORKFLOWS, run(second).remote().orElseThrow().name())
                .orElseThrow().path("spec").path("shutdown").asText());

        cluster.holdNewWorkflows(false);
        CliRun again = cli("resubmit", first, "--wait", "--progress", "none");
        assertEquals(0, again.code(), again.out() + again.err());
        String third = again.runId();
        assertFalse(third.equals(first));
        assertTrue(again.out().contains("resubmitted run " + first), again.out());
        assertEquals(run(first).version(), run(third).version());
        assertEquals(RunStatus.Succeeded, run(third).status());

        // Argo retries in place only through its server
        CliRun retry = cli("retry", first);
        assertEquals(1, retry.code());
        assertTrue(retry.err().startsWith("error: "), retry.err());
        assertTrue(retry.err().contains("  = help: ") && retry.err().contains("--argo-server"), retry.err());
        CliRun local = cli("stop", "run-nope");
        assertEquals(1, local.code());

    }

    /** Waits until the held Workflow of {@code runId} is Running on the cluster; returns its name. */
    private String awaitRunning(String runId) {
        String name = run(runId).remote().orElseThrow().name();
        await("Workflow " + name + " is Running", () -> cluster.get(MockArgoCluster.WORKFLOWS, name).orElseThrow()
                .path("status").path("phase").asText("").equals("Running"));
        return name;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Test
    void aWatchRidesOutAnApiServerThatIsBrieflyDown() throws Exception {
        // a control-plane upgrade or failover: the watch stream drops and the API answers 503 for a few
        // seconds; `watch` must pick the run up again, as kubectl --watch and argo watch do
        cluster.holdNewWorkflows(true);
        String id = cli("submit", example("hello/hello.pipe")).runId();
        String name = awaitRunning(id);
        cluster.dispatcher().watchFaults.add("outage");
        java.util.concurrent.CompletableFuture<CliRun> watched = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli("watch", id, "--progress", "none", "--timeout", "60"));
        await("the watch was opened", () -> cluster.dispatcher().watches.get() >= 1);
        Thread.sleep(3000);
        cluster.dispatcher().failAllWith = 0;
        cluster.release(name);
        CliRun r = watched.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("Succeeded  run " + id), r.out());
        try (RunStore s = store()) {
            // the outage is noted; or, when fabric8 lost the stream closed as it opened (about once in 40 here),
            // that the watch never started, after which the run was read again (the API was back by then)
            assertTrue(s.events(id).stream().anyMatch(e -> e.kind().equals("argo.watch")
                    && (e.message().contains("(503)") && e.message().contains("trying again")
                            || e.message().contains("the watch did not start within 30 s"))),
                    s.events(id).toString());
        }
    }

    @Test
    void aWorkflowDeletedWhileWatchedIsSaidWithoutPointingAtRetry() throws Exception {
        cluster.holdNewWorkflows(true);
        String id = cli("submit", example("hello/hello.pipe")).runId();
        String name = awaitRunning(id);
        java.util.concurrent.CompletableFuture<CliRun> watched = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli("watch", id, "--progress", "none", "--timeout", "60"));
        await("the watch was opened", () -> cluster.dispatcher().watches.get() >= 1);
        cluster.client().genericKubernetesResources(MockArgoCluster.WORKFLOWS).inNamespace(MockArgoCluster.NAMESPACE)
                .withName(name).delete();
        CliRun r = watched.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("Cancelled  run " + id), r.out());
        // retry and resubmit both start from the Workflow, which is gone: only the file runs it again
        assertEquals("error: the Workflow argo/" + name + " was deleted (by its TTL strategy or by hand) before Freestone"
                + " saw it finish; tasks keep their last known state\n"
                + "  = help: see `freestone show " + id + "`; its Workflow is gone, so `freestone submit "
                + example("hello/hello.pipe") + "` runs the pipeline again\n", r.err());
    }

    @Test
    void publishScheduleAndSubmitFromTheTemplate() {
        CliRun published = cli("publish", example("sweep/sweep.pipe"));
        assertEquals(0, published.code(), published.err());
        assertTrue(published.out().startsWith("published sweep (version "), published.out());
        assertTrue(cluster.get(MockArgoCluster.TEMPLATES, "sweep").isPresent());
        assertEquals(0, cli("publish", example("sweep/sweep.pipe")).code(), "an identical template is fine");

        CliRun conflict = cli("publish", example("sweep/sweep.pipe"), "-p", "rates=[0.5]");
        assertEquals(1, conflict.code());
        assertTrue(conflict.err().startsWith("error: WorkflowTemplate argo/sweep already exists with a different spec"),
                conflict.err());
        assertTrue(conflict.err().contains("  = help: publish with --replace"), conflict.err());
        assertEquals(0, cli("publish", example("sweep/sweep.pipe"), "-p", "rates=[0.5]", "--replace").code());
        assertEquals(1, cli("publish", example("sweep/sweep.pipe")).code(),
                "the template now differs from the file's defaults");

        CliRun fromTemplate = cli("submit", example("sweep/sweep.pipe"), "-p", "rates=[0.5]", "--from-template", "--wait",
                "--progress", "none");
        assertEquals(0, fromTemplate.code(), fromTemplate.out() + fromTemplate.err());
        JsonNode wf = cluster.workflows().get(0);
        assertEquals("sweep", wf.path("spec").path("workflowTemplateRef").path("name").asText());
        assertEquals(List.of("best", "fit[0]", "fit[1]"),
                tasks(fromTemplate.runId()).keySet().stream().sorted().toList());

        CliRun scheduled = cli("schedule", example("hello/hello.pipe"), "--cron", "0 3 * * *", "--cron", "30 12 * * 1");
        assertEquals(0, scheduled.code(), scheduled.err());
        assertTrue(scheduled.out().startsWith("scheduled hello (version "), scheduled.out());
        JsonNode cron = cluster.get(MockArgoCluster.CRONS, "hello").orElseThrow();
        assertEquals("[\"0 3 * * *\",\"30 12 * * 1\"]", cron.path("spec").path("schedules").toString());
        CliRun missing = cli("schedule", example("hello/hello.pipe"));
        assertEquals(2, missing.code());
    }

    @Test
    void schedulesAreListedSuspendedResumedAndDeleted() throws Exception {
        CliRun none = cli("schedules");
        assertEquals(0, none.code(), none.err());
        assertEquals("no schedules in namespace argo: create one with `freestone schedule FILE --cron \"0 3 * * *\"`\n",
                none.out());
        assertEquals(0, cli("schedule", example("hello/hello.pipe"), "--cron", "0 3 * * *", "-p", "name=team").code());
        assertEquals(0, cli("schedule", example("sweep/sweep.pipe"), "--cron", "0 4 * * *", "--cron", "@hourly").code());
        // a CronWorkflow someone made by hand is not Freestone's: not listed
        cluster.client().genericKubernetesResources(MockArgoCluster.CRONS).inNamespace(MockArgoCluster.NAMESPACE)
                .resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                        .withApiVersion("argoproj.io/v1alpha1").withKind("CronWorkflow")
                        .withNewMetadata().withName("by-hand").endMetadata().build()).create();
        // what the controller writes after a run started
        var crons = cluster.client().genericKubernetesResources(MockArgoCluster.CRONS).inNamespace(MockArgoCluster.NAMESPACE);
        var hello = crons.withName("hello").get();
        hello.setAdditionalProperty("status", Map.of("lastScheduledTime", "2026-01-02T03:00:00Z",
                "active", List.of(Map.of("kind", "Workflow", "name", "hello-1767322800"))));
        crons.resource(hello).update();

        CliRun listed = cli("schedules");
        assertEquals(0, listed.code(), listed.err());
        List<String> lines = listed.out().lines().toList();
        assertEquals(3, lines.size(), listed.out());
        assertTrue(lines.get(0).matches("NAME +PIPELINE +SCHEDULES +SUSPENDED +LAST RUN +ACTIVE +PARAMS"), lines.get(0));
        assertTrue(lines.get(1).matches("hello +hello +0 3 \\* \\* \\* +no +2026-01-02T03:00:00Z +1 +name=team"), lines.get(1));
        assertTrue(lines.get(2).matches("sweep +sweep +0 4 \\* \\* \\*, @hourly +no +- +0 +rates=.*"), lines.get(2));

        CliRun json = cli("schedules", "--output", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode rows = Cli.JSON.readTree(json.out());
        assertEquals(2, rows.size(), json.out());
        assertEquals("{\"active\":1,\"lastRun\":\"2026-01-02T03:00:00Z\",\"name\":\"hello\",\"namespace\":\"argo\","
                + "\"params\":{\"name\":\"team\"},\"pipeline\":\"hello\",\"schedules\":[\"0 3 * * *\"],\"suspended\":false}",
                rows.get(0).toString());
        assertTrue(rows.get(1).path("lastRun").isNull(), json.out());

        CliRun suspended = cli("schedules", "--suspend", "hello");
        assertEquals(0, suspended.code(), suspended.err());
        assertEquals("suspended schedule argo/hello: it starts no runs until `freestone schedules --resume hello`\n",
                suspended.out());
        assertTrue(cluster.get(MockArgoCluster.CRONS, "hello").orElseThrow().path("spec").path("suspend").asBoolean());
        assertTrue(cli("schedules").out().lines().toList().get(1).matches("hello +hello +0 3 \\* \\* \\* +yes .*"));
        assertEquals(List.of("2026-01-02T03:00:00Z"), List.of(cluster.get(MockArgoCluster.CRONS, "hello").orElseThrow()
                .path("status").path("lastScheduledTime").asText()), "the patch leaves the status alone");
        // suspended is the schedule's state, not the file's: the same file again is no conflict, a new version stays suspended
        CliRun same = cli("schedule", example("hello/hello.pipe"), "--cron", "0 3 * * *", "-p", "name=team");
        assertEquals(0, same.code(), same.err());
        CliRun replaced = cli("schedule", example("hello/hello.pipe"), "--cron", "0 3 * * *", "-p", "name=crew", "--replace");
        assertEquals(0, replaced.code(), replaced.err());
        assertTrue(cluster.get(MockArgoCluster.CRONS, "hello").orElseThrow().path("spec").path("suspend").asBoolean());
        assertEquals(0, cli("schedule", example("hello/hello.pipe"), "--cron", "0 3 * * *", "-p", "name=team", "--replace")
                .code());

        CliRun resumed = cli("schedules", "--resume", "hello");
        assertEquals("resumed schedule argo/hello\n", resumed.out(), resumed.err());
        assertFalse(cluster.get(MockArgoCluster.CRONS, "hello").orElseThrow().path("spec").path("suspend").asBoolean(true));

        CliRun deleted = cli("schedules", "--delete", "sweep");
        assertEquals("deleted schedule argo/sweep\n", deleted.out(), deleted.err());
        assertTrue(cluster.get(MockArgoCluster.CRONS, "sweep").isEmpty());
        assertEquals(2, cli("schedules").out().lines().count(), "the header and hello");
        CliRun again = cli("schedules", "--delete", "sweep");
        assertEquals(1, again.code());
        assertEquals("error: no schedule `sweep` in namespace argo\n  = help: the schedules in namespace argo are: hello\n",
                again.err());
        CliRun typo = cli("schedules", "--suspend", "helo");
        assertEquals(1, typo.code());
        assertTrue(typo.err().endsWith("  = help: did you mean `hello`? the schedules in namespace argo are: hello\n"),
                typo.err());

        CliRun elsewhere = cli("schedules", "-n", "ml-team", "--resume", "hello");
        assertEquals(1, elsewhere.code());
        assertEquals("error: no schedule `hello` in namespace ml-team\n  = help: namespace ml-team has no schedules made by"
                + " Freestone; another namespace's are listed by `freestone schedules -n NS`\n", elsewhere.err());
        assertTrue(cli("schedules", "-n", "ml-team").out().startsWith("no schedules in namespace ml-team"));

        CliRun both = cli("schedules", "--suspend", "hello", "--delete", "hello");
        assertEquals(2, both.code(), both.err());
        assertEquals("error: --suspend=NAME, --delete=NAME are mutually exclusive (specify only one)\n"
                + "  = help: see `freestone schedules --help`\n", both.err());
        assertEquals(2, cli("schedules", "--delete", "hello", "--output", "json").code());
        assertEquals(2, cli("schedules", "hello").code(), "a name alone is no action");
        assertTrue(cluster.get(MockArgoCluster.CRONS, "hello").isPresent(), "no usage error deleted anything");

        // a role that may delete but not list: the name is still said to be missing, without suggestions
        cluster.dispatcher().forbidListOf = "cronworkflows";
        CliRun unlisted = cli("schedules", "--delete", "helo");
        assertEquals(1, unlisted.code());
        assertTrue(unlisted.err().startsWith("error: no schedule `helo` in namespace argo\n  = help: check the name (this"
                + " credential may not list the schedules to suggest one: "), unlisted.err());
        assertEquals(2, unlisted.err().lines().count(), unlisted.err());
        cluster.dispatcher().forbidListOf = null;
        assertTrue(cluster.get(MockArgoCluster.CRONS, "hello").isPresent());

        cluster.dispatcher().failAllWith = 403;
        CliRun forbidden = cli("schedules", "--delete", "hello");
        assertEquals(1, forbidden.code());
        assertTrue(forbidden.err().startsWith("error: kubeconfig context `test` (user `alice`) may not delete CronWorkflow"
                + " argo/hello (403 Forbidden on cronworkflows.argoproj.io in namespace argo)"), forbidden.err());
        cluster.dispatcher().failAllWith = 0;
    }

    // ---- errors a user can act on ----------------------------------------------------------------------------

    @Test
    void clusterErrorsAreOneErrorAndOneHelpLine() {
        cluster.dispatcher().failAllWith = 401;
        CliRun unauthorized = cli("submit", example("hello/hello.pipe"));
        assertEquals(1, unauthorized.code());
        assertTrue(unauthorized.err().startsWith("error: "), unauthorized.err());
        assertTrue(unauthorized.err().contains("kubeconfig context `test` (user `alice`)"), unauthorized.err());
        assertTrue(unauthorized.err().contains("\n  = help: "), unauthorized.err());
        assertEquals(2, unauthorized.err().lines().count(), unauthorized.err());

        cluster.dispatcher().failAllWith = 403;
        CliRun forbidden = cli("publish", example("hello/hello.pipe"));
        assertEquals(1, forbidden.code());
        assertTrue(forbidden.err().startsWith("error: kubeconfig context `test` (user `alice`) may not create"),
                forbidden.err());

        cluster.dispatcher().failAllWith = 0;
        cluster.dispatcher().argoMissing = true;
        CliRun notInstalled = cli("submit", example("hello/hello.pipe"));
        assertEquals(1, notInstalled.code());
        assertTrue(notInstalled.err().startsWith("error: Argo Workflows is not installed in namespace argo"),
                notInstalled.err());
        cluster.dispatcher().argoMissing = false;

        // Kyverno, Gatekeeper and the like answer 400 through the API server: a policy, not an old CRD
        cluster.dispatcher().createFailureCode = 400;
        cluster.dispatcher().createFailure = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"admission webhook \\\"validate.kyverno.svc-fail\\\" denied the request: resource"
                + " Workflow/argo/ was blocked due to the following policies require-team-label: team label is required\","
                + "\"reason\":\"BadRequest\",\"code\":400}";
        CliRun denied = cli("submit", example("hello/hello.pipe"));
        assertEquals(1, denied.code());
        assertTrue(denied.err().startsWith("error: an admission policy of the cluster refused to create Workflow"
                + " argo/hello-*: admission webhook \"validate.kyverno.svc-fail\" denied the request: "), denied.err());
        assertTrue(denied.err().endsWith("\n  = help: the cluster's policy decides this: change the pipeline (or the"
                + " submit flags) to meet it, or ask the cluster's administrators\n"), denied.err());
        cluster.dispatcher().createFailure = null;

        CliRun noContext = cli("submit", example("hello/hello.pipe"), "--context", "prod");
        assertEquals(1, noContext.code());
        assertTrue(noContext.err().startsWith("error: no context `prod` in the kubeconfig"), noContext.err());
        CliRun both = cli("submit", example("hello/hello.pipe"), "--context", "test", "--argo-server", "https://a:2746");
        assertEquals(2, both.code());
        try (RunStore s = store()) {
            assertTrue(s.listRuns(Optional.empty(), 0).isEmpty(), "refused submissions leave no run");
        }
    }

    @Test
    void aTokenFromAnExecPluginIsNeverShownEither() throws IOException {
        // cloud clusters hand out tokens through an exec plugin, which fabric8 keeps apart from `token:`
        String execToken = "exec-plugin-token-7f6e5d4c3b2a1908";
        String credential = "{\\\"apiVersion\\\":\\\"client.authentication.k8s.io/v1\\\",\\\"kind\\\":\\\"ExecCredential\\\","
                + "\\\"status\\\":{\\\"token\\\":\\\"" + execToken + "\\\"}}";
        Path kubeconfig = dir.resolve("exec-kubeconfig");
        Files.writeString(kubeconfig, Files.readString(cluster.kubeconfig()).replace("    token: " + MockArgoCluster.TOKEN,
                String.join("\n", "    exec:", "      apiVersion: client.authentication.k8s.io/v1", "      command: sh",
                        "      args: [\"-c\", \"echo '" + credential + "'\"]", "      interactiveMode: Never")));
        cluster.dispatcher().failAllWith = 422; // and the server echoes the request's credential in its answer
        CliRun r = new CliSession(env, execToken).run("submit", example("hello/hello.pipe"), "--kubeconfig",
                kubeconfig.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("credential Bearer [redacted] rejected"), r.err());
    }

    @Test
    void anApiServerThatIsNotThereIsSaidSoWithinSeconds() throws IOException {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Path kubeconfig = dir.resolve("closed-kubeconfig");
        Files.writeString(kubeconfig, Files.readString(cluster.kubeconfig())
                .replaceAll("server: \\S+", "server: http://127.0.0.1:" + port));
        long started = System.nanoTime();
        CliRun r = cli("submit", example("hello/hello.pipe"), "--kubeconfig", kubeconfig.toString());
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("error: cannot reach the Kubernetes API at http://127.0.0.1:" + port), r.err());
        assertTrue(r.err().contains("\n  = help: "), r.err());
        assertTrue(seconds < 10, "a closed port took " + seconds + " s to report (fabric8 retried 10 times: 23 s)");
    }

    @Test
    void aKubeconfigThatCannotBeReadIsNamedNeverQuoted() throws IOException {
        // YAML parsers echo the offending line or value, and here that is the token
        String secret = "k8s-bearer-in-a-broken-file-5d4c3b2a";
        Path broken = dir.resolve("broken-kubeconfig");
        Files.writeString(broken, "apiVersion: v1\nkind: Config\nusers: [alice\n  token: " + secret + "\n");
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, secret);
        Map<String, CliRun> results = new java.util.LinkedHashMap<>();
        results.put("invalid YAML", cli("submit", example("hello/hello.pipe"), "--kubeconfig", broken.toString()));
        env.put("KUBECONFIG", tokenFile.toString());
        results.put("not a kubeconfig", cli("submit", example("hello/hello.pipe")));
        results.put("missing", cli("submit", example("hello/hello.pipe"), "--kubeconfig", dir.resolve("nope").toString()));
        // client certificates: a key that is no key (its bytes are the secret here), a key file that is not there
        String good = Files.readString(cluster.kubeconfig());
        Path badKey = dir.resolve("bad-key-kubeconfig");
        Files.writeString(badKey, good.replace("    token: " + MockArgoCluster.TOKEN, "    client-certificate-data: "
                + java.util.Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\nAAAA\n".getBytes())
                + "\n    client-key-data: " + java.util.Base64.getEncoder().encodeToString(secret.getBytes())));
        results.put("a client key that is no key", cli("submit", example("hello/hello.pipe"), "--kubeconfig", badKey.toString()));
        Path noKeyFile = dir.resolve("no-key-file-kubeconfig");
        Files.writeString(noKeyFile, good.replace("    token: " + MockArgoCluster.TOKEN, "    client-certificate: "
                + dir.resolve("alice.crt") + "\n    client-key: " + dir.resolve("alice.key")));
        results.put("a client key file that is not there", cli("submit", example("hello/hello.pipe"), "--kubeconfig",
                noKeyFile.toString()));
        for (Map.Entry<String, CliRun> e : results.entrySet()) {
            CliRun r = e.getValue();
            // a missing file named by --kubeconfig is a usage error, like a missing .pipe file
            assertEquals(e.getKey().equals("missing") ? 2 : 1, r.code(), e.getKey() + ": " + r.err());
            assertFalse(r.err().contains(secret), e.getKey() + ": " + r.err());
            assertFalse(r.err().contains(java.util.Base64.getEncoder().encodeToString(secret.getBytes())), e.getKey());
            assertEquals(2, r.err().lines().count(), e.getKey() + ": " + r.err());
            assertTrue(r.err().contains("\n  = help: "), e.getKey() + ": " + r.err());
        }
        assertTrue(results.get("invalid YAML").err().startsWith("error: cannot read the Kubernetes configuration in "
                + broken + ": not valid YAML: "), results.get("invalid YAML").err());
        assertTrue(results.get("invalid YAML").err().contains(" at line 4, column "), results.get("invalid YAML").err());
        assertTrue(results.get("not a kubeconfig").err().startsWith("error: cannot read the Kubernetes configuration in "
                + tokenFile + ": not a kubeconfig"), results.get("not a kubeconfig").err());
        assertTrue(results.get("missing").err().startsWith("error: no kubeconfig file at "), results.get("missing").err());
        for (String clientCert : List.of("a client key that is no key", "a client key file that is not there")) {
            String err = results.get(clientCert).err();
            assertTrue(err.startsWith("error: cannot set up the client certificate or TLS of kubeconfig context `test`"
                    + " (user `alice`): "), clientCert + ": " + err);
            assertTrue(err.contains("  = help: check client-certificate(-data), client-key(-data) and"
                    + " certificate-authority(-data) of that context's user and cluster"), clientCert + ": " + err);
        }
        assertTrue(results.get("a client key file that is not there").err().contains(": no file " + dir.resolve("alice.")),
                "the missing file is named: " + results.get("a client key file that is not there").err());
        assertTrue(cluster.workflows().isEmpty());
    }

    @Test
    void aKubeconfigWithoutAClusterToUseIsSaidSoNotBlamedOnTheServiceAccount() throws IOException {
        // fabric8 falls back to the in-cluster address for all of these; the error must name the file's gap
        String good = Files.readString(cluster.kubeconfig());
        String server = good.lines().filter(l -> l.startsWith("    server: ")).findFirst().orElseThrow();
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("empty", "apiVersion: v1\nkind: Config\n");
        files.put("no current context", good.replace("current-context: test\n", ""));
        files.put("a current context not in it", good.replace("current-context: test", "current-context: gone"));
        files.put("no clusters", good.replace("clusters:\n- name: mock\n  cluster:\n" + server + "\n", ""));
        files.put("a context's cluster not in it", good.replace("    cluster: mock", "    cluster: other"));
        files.put("a cluster without a server", good.replace(server + "\n", "    insecure-skip-tls-verify: true\n"));
        Map<String, String> expected = Map.of(
                "empty", "names no current context",
                "no current context", "names no current context",
                "a current context not in it", "",
                "no clusters", "has no clusters",
                "a context's cluster not in it", "",
                "a cluster without a server", "");
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path file = dir.resolve(e.getKey().replace(' ', '-') + ".kubeconfig");
            Files.writeString(file, e.getValue());
            CliRun r = cli("submit", example("hello/hello.pipe"), "--kubeconfig", file.toString());
            String what = e.getKey() + ": " + r.err();
            assertEquals(1, r.code(), what);
            String error = switch (e.getKey()) {
                case "a current context not in it" -> "the current context `gone` of the kubeconfig " + file + " is not in it";
                case "a context's cluster not in it" -> "context `test` of the kubeconfig " + file
                        + " names cluster `other`, which is not in it";
                case "a cluster without a server" -> "cluster `mock` of the kubeconfig " + file + " has no server";
                default -> "the kubeconfig " + file + " " + expected.get(e.getKey());
            };
            assertTrue(r.err().startsWith("error: " + error + "\n  = help: "), what);
            assertEquals(2, r.err().lines().count(), what);
            assertFalse(r.err().contains("kubernetes.default.svc") || r.err().contains("service account"), what);
        }
        assertTrue(cli("submit", example("hello/hello.pipe"), "--kubeconfig", dir.resolve("empty.kubeconfig").toString())
                .err().contains("  = help: it has no contexts either; `kubectl config view --kubeconfig "), "the help says how to look");
        CliRun noCurrent = cli("submit", example("hello/hello.pipe"), "--kubeconfig",
                dir.resolve("no-current-context.kubeconfig").toString());
        assertTrue(noCurrent.err().contains(" config use-context NAME` or --context NAME; its contexts are: test\n"),
                noCurrent.err());
        // the same file named by KUBECONFIG instead of the flag
        env.put("KUBECONFIG", dir.resolve("empty.kubeconfig").toString());
        CliRun fromEnv = cli("submit", example("hello/hello.pipe"));
        assertEquals(1, fromEnv.code(), fromEnv.err());
        assertTrue(fromEnv.err().startsWith("error: the kubeconfig " + dir.resolve("empty.kubeconfig") + " names no current context"),
                fromEnv.err());
        assertTrue(cluster.workflows().isEmpty());
        // --context names the context the file does not make current: then the file is fine
        CliRun withContext = cli("submit", example("hello/hello.pipe"), "--kubeconfig",
                dir.resolve("no-current-context.kubeconfig").toString(), "--context", "test");
        assertEquals(0, withContext.code(), withContext.err());
    }

    @Test
    void withoutAnyKubeconfigOutsideAPodNoClusterIsConfigured() {
        // no --kubeconfig, no KUBECONFIG, no ~/.kube/config, and no pod: fabric8 would try the in-cluster
        // address, and the error talked of a pod's service account to a user on a laptop
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("KUBERNETES_SERVICE_HOST") == null
                && !Files.exists(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token")),
                "this runs in a pod: the in-cluster address would be a real cluster");
        env.remove("KUBECONFIG");
        String before = System.getProperty("kubeconfig");
        // fabric8 reads the system property before KUBECONFIG and ~/.kube/config: a file that is not there
        System.setProperty("kubeconfig", dir.resolve("no-such-kubeconfig").toString());
        try {
            CliRun r = cli("submit", example("hello/hello.pipe"));
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().startsWith("error: no Kubernetes cluster is configured: no --kubeconfig, KUBECONFIG is not set"), r.err());
            assertTrue(r.err().contains("  = help: point --kubeconfig or KUBECONFIG at the cluster's kubeconfig"), r.err());
            assertFalse(r.err().contains("kubernetes.default.svc"), r.err());
        } finally {
            if (before == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", before);
            }
        }
    }
}
