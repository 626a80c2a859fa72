package dev.freestone.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.diag.Span;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrJson;
import dev.freestone.runtime.local.EngineOptions;
import dev.freestone.runtime.local.LocalEngine;
import dev.freestone.runtime.local.PriorRun;
import dev.freestone.runtime.local.StoreRecorder;
import dev.freestone.runtime.store.Backend;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.NewRun;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Continues an interrupted or failed local run: the same IR and parameters, tasks that succeeded are
 * not executed again, orphaned step processes of a killed engine are stopped. The continuation is
 * a new run that names the old one in its message.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue an interrupted or failed local run without redoing the steps that succeeded.",
            "One engine owns a run at a time: a run still running, or being resumed by another `freestone resume`,"
                + " is refused (exit 1) with the engine process that holds it; a killed engine holds nothing."})
final class ResumeCommand implements Callable<Integer> {
    /** On the resumed run: the id of a continuation, which owns it while its engine lives and it is unfinished. */
    static final String RESUMED_BY_EVENT = "resumed-by";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = Cli.RUN_ID)
    String run;

    @Option(names = {"-j", "--parallelism"}, description = "At most this many steps at once.")
    Integer parallelism;

    @Option(names = "--progress", defaultValue = "auto", description = "auto, plain or none.")
    Progress.Mode progress;

    @Option(names = "--skip-cluster-steps", description = "As for `freestone run`: mark the steps only a cluster can run Skipped.")
    boolean skipClusterSteps;

    @Option(names = "--volume", paramLabel = "CLAIM=DIR", description = "As for `freestone run`; the run's own --volume"
            + " folders are mounted again unless given here.")
    List<String> volumes = new ArrayList<>();

    /**
     * The run's .pipe file compiled as it is now, with the run's pipeline chosen; empty when the file is gone
     * or does not compile (the resume does not need it).
     */
    private static Optional<FrontEnd.Compiled> compiledNow(RunRecord old) {
        Path source = Path.of(old.sourcePath());
        if (!java.nio.file.Files.isRegularFile(source)) {
            return Optional.empty();
        }
        try {
            FrontEnd.Compiled c = FrontEnd.compile(source, new dev.freestone.check.CheckOptions(java.util.Set.of(), false,
                    old.pipeline()), old.pipeline(), FrontEnd.RawParams.NONE, true);
            return c.ir() == null || c.failed(false) ? Optional.empty() : Optional.of(c);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Whether the file declares several pipelines: the line that runs it again names the run's ({@code --pipeline}),
     * which the run did not record whether it was given.
     */
    private static boolean severalPipelines(Optional<FrontEnd.Compiled> now) {
        return now.map(c -> c.check().program().root().pipelines().size() > 1).orElse(false);
    }

    /**
     * Warns when the run's .pipe file compiles to another pipeline {@code now}: the resumed run runs the IR the
     * run recorded, so a fix made since does not reach it. It names the files edited since the run started (a
     * component fixed in an imported file), else the run's file.
     */
    private static void warnChangedSource(RunRecord old, Optional<FrontEnd.Compiled> now, String rerun, PrintWriter err) {
        String version = now.map(c -> IrJson.sha256(c.ir())).orElse(old.version());
        if (!version.equals(old.version())) {
            // who fixed a component in a file the pipeline imports has not touched the file the run names
            List<String> edited = now.map(c -> c.check().program().modules().stream()
                    .filter(m -> !m.isStdlib()).map(m -> Path.of(m.key()).toAbsolutePath().normalize())
                    .filter(f -> modifiedSince(f, old.startedAt())).map(Path::toString).sorted().toList()).orElse(List.of());
            String changed = edited.isEmpty() ? old.sourcePath() : String.join(", ", edited);
            err.println("warning: " + changed + " changed since run " + old.id() + " ran it; the resumed run runs the"
                    + " pipeline as it was then (version " + old.version().substring(0, 12) + "), not as it is now (version "
                    + version.substring(0, 12) + ")");
            err.println("  = help: `" + rerun + "` runs it as it is now (the steps that did not change come"
                    + " from the cache)");
            err.flush();
        }
    }

    private static boolean modifiedSince(Path file, java.time.Instant when) {
        try {
            return java.nio.file.Files.getLastModifiedTime(file).toInstant().isAfter(when);
        } catch (java.io.IOException | RuntimeException gone) {
            return false;
        }
    }

    /** A continuation of a run, and the pid of its engine. */
    record Continuation(String id, long pid) {
    }

    /**
     * The unfinished continuation of {@code runId} (event {@code resumed-by}) whose engine is alive: it owns
     * the run. One that finished, was killed or was deleted holds nothing.
     */
    static Optional<Continuation> liveContinuation(RunStore store, String runId) {
        for (EventRecord e : store.events(runId)) {
            if (e.kind().equals(RESUMED_BY_EVENT)
                    && store.getRun(e.message()) instanceof dev.freestone.runtime.store.RunLookup.Found next
                    && !next.run().status().isTerminal()) {
                Optional<Long> pid = RunCommand.liveEngine(store, next.run().id());
                if (pid.isPresent()) {
                    return Optional.of(new Continuation(next.run().id(), pid.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Starts the continuation of {@code old} owned by this process, or refuses when another live engine
     * owns {@code old}: its own engine, still running, or the engine of an unfinished continuation (event
     * {@code resumed-by}). The checks, the new run, its {@code engine} event and the {@code resumed-by}
     * event are one write transaction, so of two resumes started at once exactly one goes on; an owner
     * that is gone (killed) or whose continuation finished holds nothing.
     */
    static RunRecord claim(RunStore store, RunRecord old, NewRun continuation) {
        AtomicReference<RunRecord> next = new AtomicReference<>();
        // may run again when the database was busy: it only reads and writes the store
        store.atomically("resume run " + old.id(), () -> {
            RunRecord now = Cli.findRun(store, old.id());
            if (!now.status().isTerminal()) {
                RunCommand.liveEngine(store, old.id()).ifPresent(pid -> {
                    throw new UserError("run " + old.id() + " is still running (engine process " + pid + ")",
                            "stop it first (Ctrl-C in its terminal, or `kill -INT " + pid + "`), then resume it");
                });
            }
            liveContinuation(store, old.id()).ifPresent(owner -> {
                throw new UserError("run " + old.id() + " is being resumed by run " + owner.id()
                        + " (engine process " + owner.pid() + ")",
                        "wait for it to finish, or stop it (Ctrl-C in its terminal, or `kill -INT " + owner.pid()
                                + "`), then resume " + old.id() + " again");
            });
            RunRecord created = RunCommand.createOwned(store, continuation, id -> { });
            store.appendEvent(old.id(), Optional.empty(), RESUMED_BY_EVENT, created.id());
            next.set(created);
        });
        return next.get();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Cli.checkLauncher();
        Map<String, Path> given = VolumeFolders.parse(volumes, Path.of("").toAbsolutePath());
        try (RunStore store = Cli.openStore()) {
            // no sweep removes an object from now on: the old run's outputs are about to be reused
            store.artifacts().hold();
            RunRecord old = Cli.findRun(store, run);
            if (old.backend() != Backend.Local) {
                throw new UserError("run " + old.id() + " ran on Argo", "use `freestone retry " + old.id() + "`");
            }
            if (old.status() == RunStatus.Succeeded) {
                throw new UserError("run " + old.id() + " already succeeded", "start a new one with `freestone run`");
            }
            // read once: the pipeline, --no-cache and the parameter files the old run recorded
            List<EventRecord> oldEvents = store.events(old.id());
            Ir.Program ir = RunCommand.loadIr(store, old.id(), oldEvents);
            Map<String, JsonNode> values = Cli.JSON.readValue(old.paramsJson(), new TypeReference<Map<String, JsonNode>>() { });
            StoreRecorder recorder = new StoreRecorder(store);
            boolean noCache = RunCommand.noCache(oldEvents);
            EngineOptions options = EngineOptions.defaults().withHome(store.home()).withNoCache(noCache)
                    .withWorkingDirectory(Path.of("").toAbsolutePath()).withSkipClusterSteps(skipClusterSteps)
                    .withOnly(RunCommand.only(oldEvents));
            Map<String, Path> folders = VolumeFolders.forResume(old.id(), oldEvents, given);
            options = options.withVolumes(folders);
            if (parallelism != null) {
                options = options.withParallelism(Math.max(1, parallelism));
            }
            Progress view = new Progress(progress, out).forProgram(ir);
            LocalEngine engine = new LocalEngine(options.withProgress(view), recorder, recorder.artifacts());
            Optional<FrontEnd.Compiled> now = compiledNow(old);
            // refused before a run is made: one made and then rejected would stay Pending, its engine gone
            Optional<RunPlaces> places = now.map(c -> new RunPlaces(c.check().program(), c.pipeline(),
                    FrontEnd.RawParams.NONE, null));
            if (RunCommand.refused(engine, ir, values, u -> places.flatMap(p -> p.secretCall(u))
                    .map(at -> RunCommand.unsetSecret(u, at, ""))
                    .orElseGet(() -> RunCommand.unsetSecret(u, Span.synthetic("resume " + old.id()), "; resume runs the pipeline as "
                            + old.id() + " recorded it, and there is no `secret(...)` for it in " + old.sourcePath()
                            + " now to point at")), out, err, FrontEnd.Color.auto)) {
                return Main.FAILED;
            }
            RunRecord next = claim(store, old, new NewRun(old.pipeline(), old.version(), old.sourcePath(), old.sourceDigest(),
                    old.gitCommit(), old.paramsJson(), Backend.Local, Optional.empty()));
            RunCommand.keepIr(store, next.id(), ir);
            if (noCache) {
                store.appendEvent(next.id(), Optional.empty(), RunCommand.NO_CACHE_EVENT, "");
            }
            // the part --only chose, for a resume of the continuation too, and the labels the run is filed under
            for (String step : new java.util.TreeSet<>(RunCommand.only(oldEvents))) {
                store.appendEvent(next.id(), Optional.empty(), RunCommand.ONLY_EVENT, step);
            }
            store.addLabels(next.id(), store.labels(old.id()));
            VolumeFolders.record(store, next.id(), folders);
            String rerun = RerunLine.of(old, ir, RunCommand.paramFiles(oldEvents), severalPipelines(now));
            warnChangedSource(old, now, rerun, err);
            for (RunCommand.ParamFile f : RunCommand.warnChangedFiles(store, old.id(), oldEvents, err)) {
                store.appendEvent(next.id(), Optional.empty(), RunCommand.PARAM_FILE_EVENT, f.text());
            }
            // the steps read the secrets again: what `run` says of them is said here too
            engine.notes(ir).forEach(n -> err.println("warning: " + n));
            store.appendEvent(next.id(), Optional.empty(), "resume", old.id());
            // read before the old run is closed: its unfinished attempts name the orphans to stop
            PriorRun prior = recorder.prior(old.id());
            if (!old.status().isTerminal()) {
                // its engine died (kill -9, power loss): without this it would show Running forever
                store.updateRunStatus(old.id(), RunStatus.Failed,
                        Optional.of("interrupted: its engine stopped before the run finished; resumed as " + next.id()));
            }
            err.println("run " + next.id() + ": resuming " + old.id() + " (" + ir.name() + ", version "
                    + old.version().substring(0, 12) + ")");
            err.flush();
            // the report is printed inside: after Ctrl-C the JVM exits as soon as this returns
            return Interrupts.whileRunning(engine,
                    () -> RunCommand.finish(engine.resume(ir, values, prior, next.id()), store, view, out, err, false, () -> rerun));
        }
    }
}
