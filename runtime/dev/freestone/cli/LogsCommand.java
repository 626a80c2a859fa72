package dev.freestone.cli;

import dev.freestone.runtime.store.AttemptRecord;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.TaskRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints the logs of a run's steps. A local run's come from the log files the engine wrote (never
 * from memory), and with {@code --follow} keep printing as they grow until the run ends. An Argo
 * run's come from its pods' {@code main} containers through the backend (the cluster connection as
 * for {@code watch}).
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print the logs of a run, or of one of its tasks.",
            "Without TASK: the last attempt of every task, each line prefixed [task], a loop's iteration with the item"
                + " it ran with, [fit[2] (lr=0.03)] (as `show` writes it; a loop's step, TASK fit, too; a called pipeline's task,"
                + " TASK a, the tasks inside it, [a/norm]). Attempts are numbered per task:"
                + " --attempt N needs a TASK, and an attempt the task does not have is an error (exit 1), with --follow too."
                + " A TASK that did not execute in the run (Cached, Skipped, never started) has no log: stderr says why."
                + " A log file deleted by hand is named: a note each (exit 0), or an error (exit 1) when no log is left to print."
                + " When every log shown is empty, a note on stderr says so. --follow ends with the run, or with a note when"
                + " its engine died (`freestone resume` continues it). --tail N reads each log from its end, however long;"
                + " on Argo the cluster cuts it."})
final class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = Cli.RUN_ID)
    String run;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TASK", description = "A task id, e.g. fit[2], a loop's step, e.g. fit"
            + " (every iteration), or a called pipeline's task, e.g. a (the tasks inside it); all tasks when omitted.")
    String task;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the run ends.")
    boolean follow;

    @Option(names = "--attempt", description = "Which attempt of TASK, from 1 (default: the last).")
    Integer attempt;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines of each task's log (then, with"
            + " --follow, the new ones: a task that starts later, whole), as `kubectl logs --tail`.")
    Integer tail;

    @picocli.CommandLine.Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws IOException, InterruptedException {
        return print(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The logs of a local run's task as {@code logs RUN TASK [--tail N] [--attempt N]} prints them: the UI's log page. */
    static LogsCommand of(String run, String task, Integer tail, Integer attempt) {
        LogsCommand logs = new LogsCommand();
        logs.run = run;
        logs.task = task;
        logs.tail = tail;
        logs.attempt = attempt;
        return logs;
    }

    /** Prints the logs asked for to {@code out}, what is said of them (a log that is gone, a task that never ran) to {@code err}. */
    int print(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        // "attempt 2 of every task" would mostly name attempts that never were: one task's attempt is asked for
        if (attempt != null && task == null) {
            throw new UserError("--attempt needs a TASK: attempts are numbered per task",
                    "e.g. `freestone logs " + run + " TASK --attempt " + attempt + "`; `freestone show " + run
                            + "` lists the tasks and their attempts", Main.USAGE);
        }
        if (tail != null && tail < 0) {
            throw new UserError("--tail " + tail + ": a number of lines, 0 or more",
                    "e.g. --tail 20 for the last 20 lines of each log; without --tail the whole log is shown", Main.USAGE);
        }
        if (attempt != null && attempt < 1) {
            throw new UserError("--attempt " + attempt + ": attempts are numbered from 1",
                    "without --attempt the last one is shown", Main.USAGE);
        }
        try (RunStore store = Cli.openStore()) {
            RunRecord r = Cli.findRun(store, run);
            if (r.backend() == dev.freestone.runtime.store.Backend.Argo) {
                return remote(store, r, out, err);
            }
            // a loop's step by its name (`fit`): every iteration, each line prefixed like the whole run's
            boolean loop = task != null && store.task(r.id(), task).isEmpty();
            // a called pipeline's task (`a`) has no process: what ran inside it (`a/norm`, `a/c`) has the logs
            boolean call = task != null && !loop && calledPipeline(store, r.id(), task);
            if (call && attempt != null) {
                throw attemptOfCall(store, r.id());
            }
            java.util.function.Predicate<String> asked = task == null ? id -> true
                    : loop ? TaskOrder.iterationOf(task).or(TaskOrder.inside(TaskOrder.iterationOf(task)))
                    : call ? TaskOrder.inside(task::equals) : task::equals;
            // followed while the run goes on, a loop's step has no iterations until its items are known
            boolean expandsLater = loop && follow && !r.status().isTerminal() && loopStep(store, r.id(), task);
            if (loop && askedTasks(store, r.id(), asked).isEmpty() && !expandsLater) {
                throw TaskOrder.noTask(store, r.id(), task);
            }
            if (loop && attempt != null) {
                throw new UserError("`" + task + "` ran in a loop: --attempt needs one of its iterations",
                        "e.g. `freestone logs " + r.id() + " '" + task + "[0]' --attempt " + attempt + "`", Main.USAGE);
            }
            // with --follow too: printing another attempt's log instead would be silently wrong
            if (task != null && !loop && attempt != null) {
                List<Integer> numbers = store.attempts(r.id(), task).stream().map(AttemptRecord::number).toList();
                if (!numbers.contains(attempt)) {
                    throw new UserError("task `" + task + "` of run " + r.id() + " has no attempt " + attempt,
                            numbers.isEmpty() ? "it never started" : "its attempts are " + numbers.stream()
                                    .map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                                    + "; without --attempt the last one is shown");
                }
            }
            // several tasks: each line says whose it is
            boolean several = task == null || loop || call;
            Map<String, Cursor> printed = new HashMap<>();
            Optional<Long> deadEngine = Optional.empty();
            // --tail cuts the logs there are when the command starts; a step that starts later is followed whole,
            // every line of it being new
            boolean firstRound = true;
            while (true) {
                dev.freestone.runtime.store.RunLookup now = store.getRun(r.id());
                boolean finished = now instanceof dev.freestone.runtime.store.RunLookup.Found f && f.run().status().isTerminal();
                if (follow && !finished && now instanceof dev.freestone.runtime.store.RunLookup.Found f) {
                    // a killed engine leaves its run Running until a resume: nothing will write these logs again
                    deadEngine = RunCommand.goneEngine(store, f.run());
                    finished = deadEngine.isPresent();
                }
                // read again each round: with --follow, a nested loop's iterations appear as it expands
                for (TaskRecord t : TaskOrder.tasks(store, r.id())) {
                    Optional<Path> log = asked.test(t.taskId()) ? logOf(store, r.id(), t.taskId()) : Optional.empty();
                    // a log replaced by a folder or a FIFO (by hand) is gone too: reading it would fail or hang
                    if (log.isEmpty() || !Files.isRegularFile(log.get())) {
                        continue;
                    }
                    Cursor cursor = printed.get(t.taskId());
                    if (cursor == null) {
                        cursor = new Cursor();
                        cursor.offset = tail == null || !firstRound ? 0 : tailStart(log.get(), tail);
                        printed.put(t.taskId(), cursor);
                    }
                    copy(log.get(), cursor, out, several ? prefix(t) : "", !follow || finished);
                }
                out.flush();
                if (!follow || finished) {
                    break;
                }
                firstRound = false;
                Thread.sleep(250);
            }
            deadEngine.ifPresent(pid -> err.println("note: run " + r.id() + " stopped when its engine (process " + pid
                    + ") died; `freestone resume " + r.id() + "` continues it"));
            boolean finished = store.getRun(r.id()) instanceof dev.freestone.runtime.store.RunLookup.Found f
                    && f.run().status().isTerminal();
            List<String> noProcess = new ArrayList<>();
            if (several) {
                // a step whose process never started (a value no process can take, a missing input) has no
                // log file; said here, or `logs RUN` of a run that failed at its first step prints nothing
                for (TaskRecord t : TaskOrder.tasks(store, r.id())) {
                    if (asked.test(t.taskId()) && !printed.containsKey(t.taskId()) && neverStarted(store, r.id(), t.taskId())) {
                        err.println("note: task " + LoopItem.labelled("`" + t.taskId() + "`", t.items()) + " has no log: "
                                + whyNoLog(store, r.id(), t));
                        noProcess.add(t.taskId());
                    }
                }
            }
            Map<String, Path> gone = goneLogs(store, r.id(), printed.keySet(), finished, asked);
            if (!gone.isEmpty()) {
                // deleted by hand: as for an Argo run whose pods are gone, an error when nothing is left, else a note each
                String help = "the file was deleted; `freestone show " + r.id() + "` still has the tasks' states and outputs";
                if (printed.isEmpty()) {
                    throw new UserError(task != null && !loop
                            ? "the log of task `" + task + "` of run " + r.id() + " is gone: " + gone.get(task)
                                    + (Files.exists(gone.get(task)) ? " is not a file" : " does not exist")
                            : "no log of run " + r.id() + " is left: the log files of its tasks are gone ("
                                    + gone.entrySet().stream().map(e -> "`" + e.getKey() + "` " + e.getValue())
                                            .collect(java.util.stream.Collectors.joining(", ")) + ")", help);
                }
                gone.forEach((taskId, path) -> err.println("note: no log of task `" + taskId + "`: its log file " + path + " is gone"));
                err.println("  = help: " + help);
            } else if (task != null && printed.isEmpty()) {
                // printing nothing would read as a step that printed nothing
                for (String id : loop ? askedTasks(store, r.id(), asked) : List.of(task)) {
                    if (!noProcess.contains(id)) {
                        TaskRecord t = store.task(r.id(), id).orElseThrow();
                        err.println("task " + LoopItem.labelled("`" + id + "`", t.items()) + " of run " + r.id() + " has no log: "
                                + whyNoLog(store, r.id(), t));
                    }
                }
            } else if (!printed.isEmpty() && printed.values().stream().allMatch(c -> c.offset == 0)) {
                // every log read is empty: said, or nothing on the terminal reads as a command that did not work
                err.println("note: " + (printed.size() == 1 ? "task `" + printed.keySet().iterator().next() + "` wrote"
                        : "its " + printed.size() + " tasks wrote") + " nothing to stdout or stderr");
            }
            err.flush();
        }
        return Main.OK;
    }

    /**
     * The log files, by task, that the shown attempts wrote and that no longer exist. Only attempts that
     * ended (or of a run that ended) count: a step just started may not have created its log yet.
     */
    private Map<String, Path> goneLogs(RunStore store, String runId, java.util.Set<String> printed, boolean finished,
                                       java.util.function.Predicate<String> asked) {
        Map<String, Path> gone = new java.util.LinkedHashMap<>();
        for (TaskRecord t : TaskOrder.tasks(store, runId)) {
            if (!asked.test(t.taskId()) || printed.contains(t.taskId())) {
                continue;
            }
            shownAttempt(store, runId, t.taskId())
                    .filter(a -> a.finishedAt().isPresent() || finished)
                    .flatMap(AttemptRecord::logPath).map(Path::of)
                    .filter(p -> !Files.isRegularFile(p))
                    .ifPresent(p -> gone.put(t.taskId(), p));
        }
        return gone;
    }

    /**
     * Whether the pipeline the run runs (its recorded IR) has a step {@code step} inside a loop, whose iterations
     * are recorded only as the loop expands. False when the IR cannot be read: the step is then unknown.
     */
    private static boolean loopStep(RunStore store, String runId, String step) {
        try {
            return inLoop(RunCommand.loadIr(store, runId, store.events(runId)).root().body(), step, false);
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    private static boolean inLoop(List<dev.freestone.ir.Ir.Node> nodes, String step, boolean looped) {
        for (dev.freestone.ir.Ir.Node n : nodes) {
            boolean found;
            if (n instanceof dev.freestone.ir.Ir.Loop l) {
                found = inLoop(l.body(), step, true);
            } else if (n instanceof dev.freestone.ir.Ir.Cond c) {
                found = c.branches().stream().anyMatch(b -> inLoop(b.body(), step, looped)) || inLoop(c.elseBody(), step, looped);
            } else {
                found = looped && n.id().equals(step);
            }
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** The run's tasks that {@code asked} takes, in task order. */
    /** Whether the task is a call of a pipeline: no attempt of its own, and tasks inside it. */
    private static boolean calledPipeline(RunStore store, String runId, String taskId) {
        return store.attempts(runId, taskId).isEmpty()
                && !askedTasks(store, runId, TaskOrder.inside(taskId::equals)).isEmpty();
    }

    /** {@code --attempt} of a called pipeline's task, which has no attempts: one of the tasks inside it has. */
    private UserError attemptOfCall(RunStore store, String runId) {
        return new UserError("`" + task + "` is a call of a pipeline: --attempt needs one of the tasks inside it",
                "e.g. `freestone logs " + runId + " '" + firstInside(store, runId, task) + "' --attempt " + attempt + "`",
                Main.USAGE);
    }

    /** The first task inside a called pipeline's task, for an example. */
    private static String firstInside(RunStore store, String runId, String taskId) {
        return askedTasks(store, runId, TaskOrder.inside(taskId::equals)).get(0);
    }

    private static List<String> askedTasks(RunStore store, String runId, java.util.function.Predicate<String> asked) {
        return TaskOrder.tasks(store, runId).stream().map(TaskRecord::taskId).filter(asked).toList();
    }

    /** Whether the shown attempt of a task ended without a process: the engine recorded no log for it. */
    private boolean neverStarted(RunStore store, String runId, String taskId) {
        return shownAttempt(store, runId, taskId).filter(a -> a.logPath().isEmpty() && a.finishedAt().isPresent()).isPresent();
    }

    /**
     * Why a task has no log: it did not execute in this run (cached, skipped, not started), its process
     * could not be started, or its log is gone.
     */
    private String whyNoLog(RunStore store, String runId, TaskRecord t) {
        if (neverStarted(store, runId, t.taskId())) {
            return "its process was never started" + t.message().map(m -> " (" + m + ")").orElse("");
        }
        if (!store.attempts(runId, t.taskId()).isEmpty()) {
            return "its log file is gone";
        }
        String reason = t.message().orElseGet(() -> ShowCommand.reuseReasons(store, runId).get(t.taskId()));
        String state = t.state().isTerminal() ? "it was " + t.state() : "it has not started (" + t.state() + ")";
        // "it was Skipped (its condition was false)": the message's own "skipped: " would say it twice
        return reason == null || reason.isBlank() ? state
                : state + " (" + t.state().withoutOwnWord(reason) + ")" + whereItRan(store, t, reason);
    }

    /** For a Cached task: the command that prints the log of the run it reused, or that this run is deleted. */
    private static String whereItRan(RunStore store, TaskRecord t, String reason) {
        java.util.regex.Matcher m = ShowCommand.RUN_ID.matcher(reason);
        if (t.state() != dev.freestone.runtime.store.TaskState.Cached || !m.find()) {
            return "";
        }
        return store.getRun(m.group()) instanceof dev.freestone.runtime.store.RunLookup.NotFound
                ? "; that run was deleted since, with its logs"
                : "; `freestone logs " + m.group() + " " + RerunLine.quoted(t.taskId()) + "` prints the log it wrote there";
    }

    /**
     * An Argo run: one task's log (followed with {@code --follow}; an attempt it does not have is the
     * backend's NotFound, exit 1), or the last attempt of every task that ran.
     */
    private int remote(RunStore store, RunRecord r, PrintWriter out, PrintWriter err) {
        // a called pipeline's task (`a`) ran no pod: the tasks inside it (`a/norm`, `a/c`) did
        boolean call = task != null && calledPipeline(store, r.id(), task);
        if ((task == null || call) && follow) {
            throw new UserError("--follow on an Argo run needs a TASK" + (call ? " that ran a pod: `" + task
                    + "` is a call of a pipeline" : ""), "e.g. `freestone logs " + r.id() + " "
                    + (call ? "'" + firstInside(store, r.id(), task) + "'" : "TASK") + " -f`;"
                    + " the run's tasks are listed by `freestone show " + r.id() + "`", Main.USAGE);
        }
        if (call && attempt != null) {
            throw attemptOfCall(store, r.id());
        }
        try (dev.freestone.runtime.argo.ArgoBackend backend = ClusterOptions.connect(cluster.target(store, r), store,
                err)) {
            if (task != null && !call) {
                java.util.OptionalInt which = attempt == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(attempt);
                backend.logs(r.id(), task, which, follow, tailLines(), line -> {
                    out.println(line);
                    out.flush();
                });
                return Main.OK;
            }
            List<String> printed = new ArrayList<>();
            Map<String, dev.freestone.runtime.argo.ArgoError> gone = new java.util.LinkedHashMap<>();
            java.util.function.Predicate<String> asked = call ? TaskOrder.inside(task::equals) : id -> true;
            for (TaskRecord t : TaskOrder.tasks(store, r.id())) {
                if (!asked.test(t.taskId())
                        || store.attempts(r.id(), t.taskId()).stream().noneMatch(a -> a.logPath().isPresent())) {
                    continue; // a sub-pipeline call or a skipped step: no pod
                }
                try {
                    backend.logs(r.id(), t.taskId(), java.util.OptionalInt.empty(), false, tailLines(),
                            line -> out.println(prefix(t) + line));
                    printed.add(t.taskId());
                } catch (dev.freestone.runtime.argo.ArgoException e) {
                    // a pod that pod GC removed (--pod-gc OnPodSuccess keeps only the failed ones, the logs
                    // a user is after): say so and go on with the others; any other failure ends the command
                    if (e.error().kind() != dev.freestone.runtime.argo.ArgoError.Kind.NotFound) {
                        throw e;
                    }
                    gone.put(t.taskId(), e.error());
                }
            }
            out.flush();
            if (gone.isEmpty()) {
                return Main.OK;
            }
            String help = gone.values().iterator().next().help();
            if (printed.isEmpty()) {
                throw new UserError("no log of run " + r.id() + " is left on the cluster: the pods of its tasks ("
                        + String.join(", ", gone.keySet()) + ") do not exist", help);
            }
            gone.forEach((taskId, e) -> err.println("note: no log of task `" + taskId + "`: " + e.message()));
            err.println("  = help: " + help);
            err.flush();
            return Main.OK;
        }
    }

    /**
     * What starts each line of a task's log among several: its id and, for a loop's iteration, the item it ran with
     * ({@code [fit[2] (lr=0.03)] }), which its index alone does not say.
     */
    private static String prefix(TaskRecord t) {
        return "[" + LoopItem.labelled(t.taskId(), t.items()) + "] ";
    }

    /** The log of the task's attempt {@code --attempt} (checked to exist), else of its last one. */
    private Optional<Path> logOf(RunStore store, String runId, String taskId) {
        return shownAttempt(store, runId, taskId).flatMap(AttemptRecord::logPath).map(Path::of);
    }

    /** The task's attempt {@code --attempt}, else its last one. */
    private Optional<AttemptRecord> shownAttempt(RunStore store, String runId, String taskId) {
        List<AttemptRecord> attempts = store.attempts(runId, taskId);
        return attempt == null
                ? attempts.stream().reduce((first, second) -> second)
                : attempts.stream().filter(x -> x.number() == attempt).findFirst();
    }

    private java.util.OptionalInt tailLines() {
        return tail == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(tail);
    }

    /**
     * Where the last {@code lines} lines of {@code file} begin (a last line without its newline counts as one), read
     * backwards from the end a block at a time: a gigabyte of log costs what its last lines do.
     */
    static long tailStart(Path file, int lines) throws IOException {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long size = channel.size();
            if (lines == 0) {
                return size;
            }
            java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(64 * 1024);
            int seen = 0;
            for (long pos = size; pos > 0; ) {
                int n = (int) Math.min(block.capacity(), pos);
                pos -= n;
                block.clear().limit(n);
                int read = 0;
                while (read < n) {
                    int got = channel.read(block, pos + read);
                    if (got < 0) {
                        break; // cut short since its size was read: only what was read is looked at
                    }
                    read += got;
                }
                for (int i = read - 1; i >= 0; i--) {
                    // the newline that ends the last line starts no line
                    if (block.get(i) == '\n' && pos + i != size - 1 && ++seen == lines) {
                        return pos + i + 1;
                    }
                }
            }
            return 0;
        }
    }

    /** Lines longer than this are printed in pieces, so that a huge line never sits in memory whole. */
    private static final int LONG_LINE = 64 * 1024;

    /** How far a task's log has been printed, and whether that point is in the middle of a line. */
    private static final class Cursor {
        long offset;
        boolean midLine;
    }

    /**
     * Streams the bytes of {@code file} after the cursor, prefixing each line. A partial last line
     * waits for its end while the step may still write it; once the log is {@code complete} it is
     * printed with a newline added.
     */
    private static void copy(Path file, Cursor cursor, PrintWriter out, String prefix, boolean complete)
            throws IOException {
        long size = Files.size(file);
        if (size <= cursor.offset) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(cursor.offset);
            byte[] buf = new byte[64 * 1024];
            long pos = cursor.offset;
            java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
            int n;
            while (pos < size && (n = in.read(buf, 0, (int) Math.min(buf.length, size - pos))) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        pending.write(buf, start, i + 1 - start);
                        start = i + 1;
                        emit(pending, pending.size(), cursor, out, prefix);
                    }
                }
                pending.write(buf, start, n - start);
                pos += n;
                if (pending.size() >= LONG_LINE) {
                    emit(pending, charStart(pending.toByteArray()), cursor, out, prefix);
                }
                cursor.offset = pos - pending.size();
            }
            if (complete && pending.size() > 0) {
                emit(pending, pending.size(), cursor, out, prefix);
                out.println();
                cursor.midLine = false;
                cursor.offset = pos;
            }
        }
    }

    /** Prints the first {@code length} bytes of {@code pending} and keeps the rest. */
    private static void emit(java.io.ByteArrayOutputStream pending, int length, Cursor cursor, PrintWriter out,
                             String prefix) {
        byte[] bytes = pending.toByteArray();
        if (length == 0) {
            return;
        }
        if (!cursor.midLine) {
            out.print(prefix);
        }
        out.print(new String(bytes, 0, length, StandardCharsets.UTF_8));
        cursor.midLine = bytes[length - 1] != '\n';
        pending.reset();
        pending.write(bytes, length, bytes.length - length);
    }

    /** Where the last UTF-8 character of {@code bytes} starts: cutting there splits no character. */
    private static int charStart(byte[] bytes) {
        int i = bytes.length - 1;
        while (i > 0 && (bytes[i] & 0xC0) == 0x80) {
            i--;
        }
        return i;
    }
}
