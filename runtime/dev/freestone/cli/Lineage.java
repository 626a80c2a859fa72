package dev.freestone.cli;

import dev.freestone.runtime.local.Values;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.LineageRecord;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.RunLookup;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import dev.freestone.runtime.store.TaskState;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lineage graph of one artifact, read from the run store's {@code artifacts} and {@code lineage} rows: upstream,
 * the tasks that produced it, then for each input of such a task the task that produced that (the same run's first,
 * else the earliest run's; a file the run was given as a parameter; content no run produced), and so on; downstream,
 * the tasks that consumed it, what they produced and who consumed that. A task is a node once however often it is
 * reached (the graph is a DAG); the walk is breadth first, so that {@code depth} counts from the artifact along the
 * shortest way. Every step is a lookup by digest (a remote artifact's by location) or by run and task: the store's
 * indexes answer them, whatever the number of runs.
 */
final class Lineage {
    enum Direction { upstream, downstream }

    enum Kind { task, parameter, unrecorded }

    /** How an artifact went from {@code from} to {@code to}: a task's input; a cache hit's reuse; a parameter file's content. */
    enum Via { input, cache, content }

    /**
     * A task of a run, a pipeline parameter of a run (a file it was given), or content no recorded task produced.
     *
     * @param state  a task's, as the store has it
     * @param file   a parameter's: the file the run read it from, when the run says
     * @param digest a parameter's or unrecorded content's digest (an unrecorded remote artifact: empty, {@code uri} set)
     * @param note   why a cached task's inputs are its own (the run it reused has been deleted since)
     */
    record Node(String id, Kind kind, String run, String task, List<LoopItem> items, TaskState state,
            List<ArtifactRecord> outputs, String parameter, Path file, String digest, String uri, String note) {
    }

    /** An artifact from {@code from} to {@code to}; {@code output} the producer's name for it, {@code input} the consumer's. */
    record Edge(String from, String to, Via via, String output, String input, Optional<String> digest, String uri) {
    }

    /** Where the walk starts: a node with the output it produced (upstream) or the input it consumed (downstream). */
    record Root(String node, String name) {
    }

    private static final Pattern CACHED_TASK = Pattern.compile("task `([^`]+)`");

    private final RunStore store;
    private final Direction direction;
    private final int depth;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final Set<Edge> edges = new LinkedHashSet<>();
    /** The edges by the node they lead on from: upstream their {@code to}, downstream their {@code from}. */
    private final Map<String, List<Edge>> onward = new HashMap<>();
    final List<Root> roots = new ArrayList<>();
    /** Nodes whose own inputs (upstream) or consumers (downstream) {@code depth} left out. */
    final Set<String> cut = new LinkedHashSet<>();
    /** The runs the nodes belong to, in the order first met. */
    final Map<String, RunRecord> runs = new LinkedHashMap<>();
    private final Map<String, Integer> level = new HashMap<>();
    private final Deque<String> queue = new ArrayDeque<>();
    /** Per run: the digest of each artifact parameter and its name, and the file it was read from. */
    private final Map<String, Map<String, String>> paramNames = new HashMap<>();
    private final Map<String, Map<String, Path>> paramFiles = new HashMap<>();
    /** Per cached task (run/task): the run and task whose outputs it reused, as its event says. */
    private final Map<String, Optional<String[]>> cacheSources = new HashMap<>();

    private Lineage(RunStore store, Direction direction, int depth) {
        this.store = store;
        this.direction = direction;
        this.depth = depth;
    }

    /** Upstream from the outputs that produced the artifact (its {@code producers}), or downstream from its consumers. */
    static Lineage of(RunStore store, Direction direction, int depth, Optional<String> digest, String uri,
            List<ArtifactRecord> producers) {
        Lineage g = new Lineage(store, direction, depth);
        if (direction == Direction.upstream) {
            for (ArtifactRecord a : producers) {
                g.roots.add(new Root(g.taskNode(a.runId(), a.taskId(), 1), a.outputName()));
            }
            if (producers.isEmpty()) {
                // read by runs but made by none: the parameters it was given as
                for (LineageRecord l : store.consumers(digest, uri)) {
                    String node = g.origin(l.runId(), digest, uri, 1);
                    if (g.roots.stream().noneMatch(r -> r.node().equals(node))) {
                        g.roots.add(new Root(node, null));
                    }
                }
            }
        } else {
            for (LineageRecord l : store.consumers(digest, uri)) {
                g.roots.add(new Root(g.taskNode(l.runId(), l.taskId(), 1), l.inputName()));
            }
        }
        g.walk();
        return g;
    }

    private void walk() {
        while (!queue.isEmpty()) {
            String id = queue.removeFirst();
            Node n = nodes.get(id);
            boolean deeper = level.get(id) < depth;
            boolean more = direction == Direction.upstream ? upstream(n, deeper) : downstream(n, deeper);
            if (more && !deeper) {
                cut.add(id);
            }
        }
    }

    /** Adds what {@code n} was made from when {@code expand}; whether there is any. */
    private boolean upstream(Node n, boolean expand) {
        if (n.kind() == Kind.unrecorded) {
            return false;
        }
        int next = level.get(n.id()) + 1;
        if (n.kind() == Kind.parameter) {
            // a file given to the run: an earlier run may have produced its content
            List<ArtifactRecord> made = n.digest() == null ? List.of()
                    : store.producers(Optional.of(n.digest()), "", null, 1);
            if (!made.isEmpty() && expand) {
                ArtifactRecord a = made.get(0);
                link(new Edge(taskNode(a.runId(), a.taskId(), next), n.id(), Via.content, a.outputName(), null,
                        a.digest(), a.uri()));
            }
            return !made.isEmpty();
        }
        if (n.state() == TaskState.Cached) {
            Optional<String[]> source = cacheSource(n.run(), n.task());
            if (source.isPresent() && store.task(source.get()[0], source.get()[1]).isPresent()) {
                if (expand) {
                    link(new Edge(taskNode(source.get()[0], source.get()[1], next), n.id(), Via.cache, null, null,
                            Optional.empty(), ""));
                }
                return true;
            }
        }
        // by name; a list's artifacts (a fan-in) in the list's order, as recorded
        List<LineageRecord> inputs = store.inputs(n.run(), n.task()).stream()
                .sorted(Comparator.comparing(LineageRecord::inputName)).toList();
        if (!expand) {
            return !inputs.isEmpty();
        }
        for (LineageRecord l : inputs) {
            // the same run's producer first; else the parameter the run was given, else the earliest run's producer
            ArtifactRecord made = store.producers(l.digest(), l.uri(), n.run(), 1).stream().findFirst()
                    .filter(a -> a.runId().equals(n.run())
                            || l.digest().map(d -> !paramNames(n.run()).containsKey(d)).orElse(true))
                    .orElse(null);
            String from = made == null ? origin(n.run(), l.digest(), l.uri(), next)
                    : taskNode(made.runId(), made.taskId(), next);
            link(new Edge(from, n.id(), Via.input, made == null ? null : made.outputName(), l.inputName(), l.digest(),
                    l.uri()));
        }
        return !inputs.isEmpty();
    }

    /** Adds who consumed what {@code n} produced when {@code expand}; whether any task did. */
    private boolean downstream(Node n, boolean expand) {
        boolean any = false;
        for (ArtifactRecord a : n.outputs()) {
            List<LineageRecord> consumers = store.consumers(a.digest(), a.uri());
            any |= !consumers.isEmpty();
            if (!expand) {
                continue;
            }
            int next = level.get(n.id()) + 1;
            for (LineageRecord l : consumers) {
                link(new Edge(n.id(), taskNode(l.runId(), l.taskId(), next), Via.input, a.outputName(),
                        l.inputName(), a.digest(), a.uri()));
            }
        }
        return any;
    }

    /** The run and task whose outputs a cached task reused (its event {@code cache.hit} or {@code cache.resumed}). */
    private Optional<String[]> cacheSource(String runId, String taskId) {
        return cacheSources.computeIfAbsent(runId + "/" + taskId, k -> readCacheSource(runId, taskId));
    }

    private Optional<String[]> readCacheSource(String runId, String taskId) {
        for (EventRecord e : store.taskEvents(runId, taskId)) {
            if (e.kind().equals("cache.hit") || e.kind().equals("cache.resumed")) {
                Matcher run = ShowCommand.RUN_ID.matcher(e.message());
                Matcher task = CACHED_TASK.matcher(e.message());
                if (run.find()) {
                    // a resumed run's task reused its own earlier execution, of the same id
                    return Optional.of(new String[] {run.group(), task.find() ? task.group(1) : taskId});
                }
            }
        }
        return Optional.empty();
    }

    /** The node of a task, added (and queued at {@code at}) when new. */
    private String taskNode(String runId, String taskId, int at) {
        String id = "task:" + runId + "/" + taskId;
        if (!nodes.containsKey(id)) {
            TaskRecord t = store.task(runId, taskId).orElseThrow();
            add(new Node(id, Kind.task, runId, taskId, t.items(), t.state(),
                    store.artifacts(runId, taskId).stream().sorted(Comparator.comparing(ArtifactRecord::outputName)).toList(),
                    null, null, null, null, cacheNote(t)), at);
        }
        return id;
    }

    /** Why a cached task is followed through its own inputs: the run it reused is gone. */
    private String cacheNote(TaskRecord t) {
        if (t.state() != TaskState.Cached) {
            return null;
        }
        return cacheSource(t.runId(), t.taskId()).filter(s -> store.task(s[0], s[1]).isEmpty())
                .map(s -> "reused the outputs of run " + s[0] + " (deleted since)").orElse(null);
    }

    /** Where a run got content no task of it produced: a parameter it was given, else content no run recorded. */
    private String origin(String runId, Optional<String> digest, String uri, int at) {
        Optional<String> param = digest.map(d -> paramNames(runId).get(d));
        if (param.isPresent()) {
            String id = "param:" + runId + ":" + param.get();
            if (!nodes.containsKey(id)) {
                add(new Node(id, Kind.parameter, runId, null, List.of(), null, List.of(), param.get(),
                        paramFiles(runId).get(digest.get()), digest.get(), null, null), at);
            }
            return id;
        }
        String id = "content:" + digest.map(d -> "sha256:" + d).orElse(uri);
        if (!nodes.containsKey(id)) {
            add(new Node(id, Kind.unrecorded, null, null, List.of(), null, List.of(), null, null, digest.orElse(null),
                    digest.isPresent() ? null : uri, null), at);
        }
        return id;
    }

    private void add(Node n, int at) {
        nodes.put(n.id(), n);
        level.put(n.id(), at);
        queue.addLast(n.id());
        if (n.run() != null && !runs.containsKey(n.run())) {
            RunLookup found = store.getRun(n.run());
            if (found instanceof RunLookup.Found f) {
                runs.put(n.run(), f.run());
            }
        }
    }

    /** The run's artifact parameters by digest (a list's each element under the list's name). */
    private Map<String, String> paramNames(String runId) {
        return paramNames.computeIfAbsent(runId, id -> {
            Map<String, String> names = new HashMap<>();
            RunRecord r = store.getRun(id) instanceof RunLookup.Found f ? f.run() : null;
            if (r != null) {
                ShowCommand.parse(r.paramsJson()).fields().forEachRemaining(e -> Values.eachArtifactDigest(e.getValue(),
                        d -> names.putIfAbsent(d, e.getKey())));
            }
            return names;
        });
    }

    private Map<String, Path> paramFiles(String runId) {
        return paramFiles.computeIfAbsent(runId, id -> {
            Map<String, Path> files = new HashMap<>();
            RunCommand.paramFiles(store.events(id)).forEach(f -> files.putIfAbsent(f.digest(), f.path()));
            return files;
        });
    }

    /** The edges into {@code node} (upstream: what it was made from) or out of it (downstream: where its outputs went). */
    List<Edge> next(String node) {
        return onward.getOrDefault(node, List.of());
    }

    private void link(Edge e) {
        if (edges.add(e)) {
            onward.computeIfAbsent(direction == Direction.upstream ? e.to() : e.from(), k -> new ArrayList<>()).add(e);
        }
    }
}
