package dev.freestone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.check.CheckOptions;
import dev.freestone.check.Workspace;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import dev.freestone.ir.IrJson;
import dev.freestone.runtime.local.EngineOptions;
import dev.freestone.runtime.local.Selection;
import dev.freestone.runtime.local.LocalEngine;
import dev.freestone.runtime.local.RunOutcome;
import dev.freestone.runtime.local.StoreRecorder;
import dev.freestone.runtime.local.Values;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.GitInfo;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.NewRun;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a pipeline on this machine with the embedded engine and records it in the run store. The
 * run's IR is kept in the artifact store (event {@code ir}) so that {@code freestone resume} runs
 * exactly what was run, even after the source changed.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a pipeline locally: each step a process on this machine (the image is recorded, not pulled).",
            "Exit status: 0 the run succeeded, 1 it failed or the pipeline has errors, 2 usage error."})
final class RunCommand implements Callable<Integer> {
    static final String IR_EVENT = "ir";
    static final String ENGINE_EVENT = "engine";
    /** The run was asked to execute every step: its resumption does too (it reuses only what the run did). */
    static final String NO_CACHE_EVENT = "no-cache";
    /** The steps asked for with --only, one event each, so that resume runs the same part of the pipeline. */
    static final String ONLY_EVENT = "only";
    /** A file an artifact parameter was read from: {@code <param> <digest> <path>}, so that resume can tell it changed. */
    static final String PARAM_FILE_EVENT = "param.file";

    /** A file the run copied into the artifact store for parameter {@code param}. */
    record ParamFile(String param, String digest, Path path) {
        String text() {
            return param + " " + digest + " " + path;
        }

        static ParamFile parse(String text) {
            String[] parts = text.split(" ", 3);
            return new ParamFile(parts[0], parts[1], Path.of(parts[2]));
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .pipe file.")
    Path file;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A value for a pipeline parameter; give each once; it wins over --params.")
    List<String> params = new ArrayList<>();

    @Option(names = "--params", paramLabel = "FILE", description = "Parameters from a YAML or JSON map (each name once).")
    Path paramsFile;

    @Option(names = "--pipeline", description = "Which pipeline, when the file has several.")
    String pipeline;

    @Option(names = {"-j", "--parallelism"}, description = "At most this many steps at once (default: the number of cores).")
    Integer parallelism;

    @Option(names = "--no-cache", description = "Execute every step, even when an identical one ran before.")
    boolean noCache;

    @Option(names = "--explain-cache", description = "Print every step's cache key and why it hit or missed.")
    boolean explainCache;

    @Option(names = "--volume", paramLabel = "CLAIM=DIR", description = "The folder that steps mounting PersistentVolumeClaim"
            + " CLAIM work in (an existing one; default: $FREESTONE_HOME/volumes/CLAIM/). Its resume mounts the same.")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--progress", defaultValue = "auto", description = "auto (live on a terminal), plain (one line per change) or none.")
    Progress.Mode progress;

    @Option(names = "--skip-cluster-steps", description = "Mark the steps that only a cluster can run (a Kubernetes "
            + "resource with no local way, or whose local tool is missing) Skipped, with the steps that read their outputs.")
    boolean skipClusterSteps;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "File the run under this label (repeat for"
            + " several): `runs --label KEY=VALUE` lists the runs that have it, as `argo list -l` and KFP's experiments.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--only", split = ",", paramLabel = "STEP", description = "Run only these steps and the steps they"
            + " need (as make runs a target); the rest of the pipeline ends Skipped, its `finally` block runs. A step in a"
            + " loop or an `if` brings its loop or `if` whole; a called pipeline's step (`a/norm`) its call.")
    List<String> only = new ArrayList<>();

    @Option(names = "--allow", split = ",", paramLabel = "LINT", converter = LintName.class, description = "Silence these warnings.")
    List<String> allow = new ArrayList<>();

    @Option(names = "--color", defaultValue = "auto", description = "auto (when standard error is a terminal"
            + " and NO_COLOR is unset), always or never.")
    FrontEnd.Color color;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Cli.checkLauncher();
        Map<String, String> labelled = Labels.parse(labels);
        // `--only ,` (a script's `--only "$A,$B"` with both empty) splits into no name, which would run every step
        if (spec.commandLine().getParseResult().hasMatchedOption("--only") && (only.isEmpty() || only.contains(""))) {
            throw new UserError("--only: a step's name is empty", "name the steps, separated by commas: --only eval,report",
                    Main.USAGE);
        }
        Map<String, Path> folders = VolumeFolders.parse(volumes, Path.of("").toAbsolutePath());
        // the store opens on the other core while the file compiles
        Cli.EarlyStore early = Cli.openStoreEarly();
        FrontEnd.Compiled c;
        FrontEnd.RawParams raw;
        try {
            raw = FrontEnd.rawParams(params, paramsFile);
            c = FrontEnd.compile(file, new CheckOptions(new LinkedHashSet<>(allow), false, pipeline), pipeline, raw);
            FrontEnd.report(c.diagnostics(), Cli.Format.text, out, err, color);
        } catch (RuntimeException e) {
            early.discard();
            throw e;
        }
        if (c.ir() == null || c.failed(false)) {
            early.discard();
            return Main.FAILED;
        }
        Ir.Program ir = c.ir();
        List<Selection.Problem> unknown = Selection.problems(ir, Set.copyOf(only));
        if (!unknown.isEmpty()) {
            early.discard();
            throw new UserError(unknown.get(0).message(), unknown.get(0).help(), Main.USAGE);
        }
        Path source = file.toAbsolutePath().normalize();
        // git takes a process start: it runs while the store opens and the run is prepared
        CompletableFuture<Optional<String>> commit = CompletableFuture.supplyAsync(() -> GitInfo.commitOf(source));
        try (RunStore store = early.get()) {
            // no sweep removes an object from now on: those this run puts and reuses are named by no row yet
            store.artifacts().hold();
            StoreRecorder recorder = new StoreRecorder(store);
            List<ParamFile> read = new ArrayList<>();
            RunPlaces places = new RunPlaces(c.check().program(), c.pipeline(), raw, paramsFile);
            Map<String, JsonNode> values;
            try {
                values = resolveArtifacts(ir, FrontEnd.values(c.arguments()), store, source, read, places);
            } catch (RunPlaces.Diagnosed d) {
                FrontEnd.report(List.of(d.diagnostic()), Cli.Format.text, out, err, color);
                return Main.FAILED;
            }
            String hash = IrJson.sha256(ir);
            // what runs (and what resume runs again): the defaults of called pipelines made artifacts
            Ir.Program runIr = CallDefaults.resolve(ir, c.check().program(), source, store, read);
            EngineOptions options = options(store.home()).withVolumes(folders);
            Progress view = new Progress(progress, out).forProgram(runIr);
            LocalEngine engine = new LocalEngine(options.withProgress(view), recorder, recorder.artifacts());
            // a secret set nowhere is said at its `secret(...)` in the .pipe
            if (refused(engine, runIr, values, u -> places.secretCall(u).map(at -> unsetSecret(u, at, "")).orElse(null),
                    out, err, color)) {
                return Main.FAILED;
            }
            engine.notes(ir).forEach(n -> err.println("warning: " + n));
            String irDigest = putIr(store, runIr);
            // the run's row and all its start-up events in one transaction (one commit, not one each)
            RunRecord run = createOwned(store, NewRun.local(ir.name(), hash, source.toString(), ir.sourceDigest(),
                    commit.join(), Cli.JSON.writeValueAsString(withDefaults(ir, values))), id -> {
                        store.appendEvent(id, Optional.empty(), IR_EVENT, irDigest);
                        if (noCache) {
                            store.appendEvent(id, Optional.empty(), NO_CACHE_EVENT, "");
                        }
                        for (String step : new java.util.TreeSet<>(only)) {
                            store.appendEvent(id, Optional.empty(), ONLY_EVENT, step);
                        }
                        store.addLabels(id, labelled);
                        for (ParamFile f : read) {
                            store.appendEvent(id, Optional.empty(), PARAM_FILE_EVENT, f.text());
                        }
                        VolumeFolders.record(store, id, folders);
                    });
            err.println("run " + run.id() + ": " + ir.name() + " (version " + hash.substring(0, 12) + ")");
            err.flush();
            // only a failed run prints it: made then, not before every run starts
            java.util.function.Supplier<String> rerun = () -> RerunLine.of(run, ir, read, pipeline != null);
            // the report is printed inside: after Ctrl-C the JVM exits as soon as this returns
            return Interrupts.whileRunning(engine,
                    () -> finish(engine.run(runIr, values, run.id()), store, view, out, err, explainCache, rerun));
        }
    }

    /**
     * The parameters the run uses: those given, and the defaults of the others, so that runs compare
     * by what they ran with (and a changed default shows).
     */
    static Map<String, JsonNode> withDefaults(Ir.Program ir, Map<String, JsonNode> given) {
        Map<String, JsonNode> all = new TreeMap<>(given);
        for (Ir.Param p : ir.root().params()) {
            if (p.defaultValue() != null) {
                all.putIfAbsent(p.name(), p.defaultValue());
            }
        }
        return all;
    }

    EngineOptions options(Path home) {
        EngineOptions o = EngineOptions.defaults().withHome(home).withNoCache(noCache).withExplainCache(explainCache)
                .withWorkingDirectory(Path.of("").toAbsolutePath()).withSkipClusterSteps(skipClusterSteps)
                .withOnly(Set.copyOf(only));
        if (parallelism != null) {
            if (parallelism < 1) {
                throw new UserError("--parallelism must be at least 1", "e.g. --parallelism 4", Main.USAGE);
            }
            o = o.withParallelism(parallelism);
        }
        return o;
    }

    static void keepIr(RunStore store, String runId, Ir.Program ir) throws IOException {
        store.appendEvent(runId, Optional.empty(), IR_EVENT, putIr(store, ir));
    }

    /** Puts the pipeline's canonical IR into the artifact store and returns its digest. */
    private static String putIr(RunStore store, Ir.Program ir) throws IOException {
        return store.artifacts().put(new java.io.ByteArrayInputStream(IrJson.canonicalBytes(ir))).digest();
    }

    /**
     * Records which process runs the run (event {@code engine}: pid and start time), so that
     * {@code resume} can tell a run whose engine died from one that is still running elsewhere.
     */
    static void markEngine(RunStore store, String runId) {
        ProcessHandle self = ProcessHandle.current();
        store.appendEvent(runId, Optional.empty(), ENGINE_EVENT,
                self.pid() + " " + self.info().startInstant().map(Object::toString).orElse("?"));
    }

    /**
     * Records a new run owned by this process: its row and its {@code engine} event in one transaction,
     * so that no {@code resume} ever sees the run without its engine (and takes it over); then, in the
     * same transaction, {@code alsoRecord} with the new run's id (its other start-up events).
     */
    static RunRecord createOwned(RunStore store, NewRun run, Consumer<String> alsoRecord) {
        AtomicReference<RunRecord> created = new AtomicReference<>();
        store.atomically("create a run of " + run.pipeline(), () -> {
            created.set(store.createRun(run));
            markEngine(store, created.get().id());
            alsoRecord.accept(created.get().id());
        });
        return created.get();
    }

    /** Whether the run of {@code events} was started with {@code --no-cache} (or resumes one that was). */
    static boolean noCache(List<EventRecord> events) {
        return events.stream().anyMatch(e -> e.kind().equals(NO_CACHE_EVENT));
    }

    /** The steps a run was asked to run with --only (empty: all of them). */
    static Set<String> only(List<EventRecord> events) {
        return events.stream().filter(e -> e.kind().equals(ONLY_EVENT)).map(EventRecord::message)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * The pid of the engine that ran a local run still recorded Pending or Running, when that engine is
     * gone (killed, or its machine restarted): the run will not change until it is resumed.
     */
    static Optional<Long> goneEngine(RunStore store, RunRecord run) {
        if (run.status().isTerminal() || run.backend() != dev.freestone.runtime.store.Backend.Local) {
            return Optional.empty();
        }
        return lastEngine(store, run.id()).filter(e -> !e.alive()).map(EngineMark::pid);
    }

    /**
     * The time of the last thing recorded of a run whose engine is gone, where its clocks stop: its last event, or a task's
     * start or end if later.
     */
    static Instant lastRecorded(RunStore store, RunRecord r, List<dev.freestone.runtime.store.TaskRecord> tasks) {
        Instant last = r.startedAt();
        for (EventRecord e : store.events(r.id())) {
            last = e.at().isAfter(last) ? e.at() : last;
        }
        for (dev.freestone.runtime.store.TaskRecord t : tasks) {
            for (Optional<Instant> at : List.of(t.startedAt(), t.finishedAt())) {
                if (at.isPresent() && at.get().isAfter(last)) {
                    last = at.get();
                }
            }
        }
        return last;
    }

    /** The engine process of a run if it is still alive (same pid and start time as recorded). */
    static Optional<Long> liveEngine(RunStore store, String runId) {
        return lastEngine(store, runId).filter(EngineMark::alive).map(EngineMark::pid);
    }

    /** An {@code engine} event: the pid and start time of the process that ran the run. */
    private record EngineMark(long pid, String start) {
        boolean alive() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(h -> h.info().startInstant()).map(t -> t.toString().equals(start)).orElse(false);
        }
    }

    /** The run's last {@code engine} event: the process that owns the run. */
    private static Optional<EngineMark> lastEngine(RunStore store, String runId) {
        Optional<EngineMark> last = Optional.empty();
        for (EventRecord e : store.events(runId)) {
            if (e.kind().equals(ENGINE_EVENT)) {
                String[] parts = e.message().split(" ", 2);
                last = Optional.of(new EngineMark(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : ""));
            }
        }
        return last;
    }

    /** The pipeline run {@code runId} ran, from its {@code events}. */
    static Ir.Program loadIr(RunStore store, String runId, List<EventRecord> events) throws IOException {
        return loadIr(store, runId, events, "resumed", "start it again with `freestone run FILE`");
    }

    /**
     * The pipeline run {@code runId} ran, from its {@code events}; when there is none, a user error saying the run
     * cannot be {@code done} ({@code "resumed"}), with {@code help}.
     */
    static Ir.Program loadIr(RunStore store, String runId, List<EventRecord> events, String done, String help)
            throws IOException {
        Optional<Ir.Program> recorded = recordedIr(store, events);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        String missing = events.stream().filter(e -> e.kind().equals(IR_EVENT)).map(EventRecord::message)
                .reduce((first, last) -> last).orElse(null);
        if (missing != null) {
            // recorded, then deleted from the artifact store (by hand, say): say so, not that there was none
            throw new UserError("run " + runId + " cannot be " + done + ": the pipeline it ran (artifact " + missing
                    + ") is no longer in the artifact store " + store.artifacts().root(), help);
        }
        throw new UserError("run " + runId + " cannot be " + done + ": it has no recorded pipeline", help);
    }

    /**
     * The pipeline a run ran, from its {@code events}: empty when it recorded none, or when its object is no longer in
     * the artifact store (deleted by hand, say).
     */
    static Optional<Ir.Program> recordedIr(RunStore store, List<EventRecord> events) throws IOException {
        for (EventRecord e : events) {
            if (e.kind().equals(IR_EVENT)) {
                Optional<Path> p = store.artifacts().get(e.message());
                if (p.isPresent()) {
                    return Optional.of(IrJson.read(Files.readAllBytes(p.get())));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Artifact parameters are file locations: a given value is relative to the working directory, a
     * default relative to the .pipe file and inside its workspace (the file's author, who may not be
     * the user, wrote it). The file goes into the artifact store, and the run sees it as an artifact.
     */
    static Map<String, JsonNode> resolveArtifacts(Ir.Program ir, Map<String, JsonNode> given, RunStore store,
                                                  Path source, List<ParamFile> read, RunPlaces places) {
        Map<String, JsonNode> out = new TreeMap<>(given);
        for (Ir.Param p : ir.root().params()) {
            JsonNode v = given.get(p.name());
            if (!holdsArtifacts(ir, p.type())) {
                FileInside inside = fileInside(ir, p.type(), "", p.name());
                if (inside != null && (v != null || p.defaultValue() != null)) {
                    RunPlaces.Origin origin = v != null ? places.given(p.name()) : places.byDefault(p.name(), source);
                    throw origin.fail(Code.E0603, "declare the file as a parameter of its own, `" + inside.name()
                            + ": " + inside.type().spelling() + "`, and pass it " + givenWith(inside.name()), p.name(),
                            p.type().spelling(), "`" + inside.path() + "` in it is a file, which a run takes only as a"
                                    + " parameter of its own (or a list of them)");
                }
                continue;
            }
            if (v != null) {
                out.put(p.name(), importValue(ir, p.type(), v, places.given(p.name()), null, p.name(),
                        givenWith(p.name()), store, read));
            } else if (p.defaultValue() != null) {
                out.put(p.name(), importValue(ir, p.type(), p.defaultValue(), places.byDefault(p.name(), source),
                        Workspace.around(source), p.name(), givenWith(p.name()), store, read));
            }
        }
        return out;
    }

    /** An artifact, or a list (of lists) of them: what a parameter given as file locations can be. */
    static boolean holdsArtifacts(Ir.Program ir, IrType type) {
        IrType t = type.stripOptional();
        return ir.isArtifact(t) || (t.isList() && holdsArtifacts(ir, t.element()));
    }

    /** A file a struct or map parameter would hold: where in its value ({@code train}, {@code splits.train}), by which name. */
    private record FileInside(String path, String name, IrType type) {
    }

    /**
     * The first file a value of {@code type} holds inside a struct or map (a file's location there is not read, and the
     * engine would refuse the text as no artifact), or null; {@code path}: where in the value {@code type} is, {@code name}: what
     * to call the file's own parameter.
     */
    private static FileInside fileInside(Ir.Program ir, IrType type, String path, String name) {
        IrType t = type.stripOptional();
        if (ir.isArtifact(t)) {
            return path.isEmpty() ? null : new FileInside(path, name, t);
        }
        if (t.isList()) {
            return fileInside(ir, t.element(), path, name);
        }
        if (t.isMap()) {
            return fileInside(ir, t.mapValue(), path + "[key]", name);
        }
        for (Ir.Field f : ir.structs() == null ? List.<Ir.Field>of() : ir.structs().getOrDefault(t.spelling(), List.of())) {
            FileInside inside = fileInside(ir, f.type(), path.isEmpty() ? f.name() : path + "." + f.name(), f.name());
            if (inside != null) {
                return inside;
            }
        }
        return null;
    }

    /** How a run's own artifact parameter is given another file: the end of a help line. */
    private static String givenWith(String param) {
        return "with --param " + param + "=PATH";
    }

    /**
     * Puts the files a parameter names into the artifact store: one location, or a list of them (in order);
     * with a {@code workspace} (a default), only locations inside it. {@code otherFile}: how the user gives
     * the parameter another file, for the help of an error ("with --param data=PATH").
     */
    static JsonNode importValue(Ir.Program ir, IrType type, JsonNode v, RunPlaces.Origin origin, Workspace workspace,
                                String param, String otherFile, RunStore store, List<ParamFile> read) {
        Path base = origin.base();
        IrType t = type.stripOptional();
        if (t.isList()) {
            if (!v.isArray()) {
                return v; // the engine reports the wrong shape with the parameter's name
            }
            com.fasterxml.jackson.databind.node.ArrayNode list = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < v.size(); i++) {
                list.add(importValue(ir, t.element(), v.get(i), origin.item(i), workspace, param, otherFile, store, read));
            }
            return list;
        }
        if (!v.isTextual()) {
            return v;
        }
        String location = v.asText();
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !location.startsWith("file://")) {
            throw origin.fail(Code.E0607, "download it first (stdlib/util has `download`) or pass a local file " + otherFile,
                    param, location);
        }
        Path path = base.resolve(location.startsWith("file://") ? location.substring(7) : location).normalize();
        if (workspace != null && !workspace.holds(path)) {
            throw origin.fail(Code.E0609, "a default names a file of the pipeline's workspace, the git checkout holding it (else"
                    + " its folder): move the file into it, or pass another file " + otherFile, param, location, workspace.root());
        }
        if (!Files.exists(path)) {
            throw origin.fail(Code.E0606, "looked for it at " + path + " (relative to " + origin.said() + "); pass an existing file "
                    + otherFile, param, location);
        }
        String digest;
        try {
            // a copy: the user's file stays where it is
            digest = store.artifacts().put(path).digest();
        } catch (IOException e) {
            String help = e instanceof java.nio.file.AccessDeniedException
                    ? "make it readable to you (`chmod -R u+rX " + path + "`) or pass another file " + otherFile
                    : "a file parameter names a regular file or a folder: pass one " + otherFile;
            throw origin.fail(Code.E0610, help, param, location, Cli.ioProblem(e));
        }
        read.add(new ParamFile(param, digest, path));
        return Values.artifact(digest, t.spelling());
    }

    /**
     * Warns about each file an artifact parameter of {@code runId} was read from (its {@code events} say) that has changed since:
     * a resumed run uses the copy taken then, as Argo's retry does, which a user who fixed the file does
     * not expect. Returns the files, for the resumed run to record in turn.
     */
    static List<ParamFile> warnChangedFiles(RunStore store, String runId, List<EventRecord> events, PrintWriter err) {
        List<ParamFile> files = paramFiles(events);
        for (ParamFile f : files) {
            String now;
            try {
                now = Files.exists(f.path()) ? store.artifacts().digestOf(f.path()) : null;
            } catch (IOException unreadable) {
                now = null;
            }
            if (now != null && !now.equals(f.digest())) {
                err.println("warning: parameter `" + f.param() + "`: " + f.path() + " changed since run " + runId
                        + " read it; the resumed run uses the copy taken then");
                err.println("  = help: `freestone run` reads it again (the steps whose inputs did not change come from the cache)");
            }
        }
        err.flush();
        return files;
    }

    /** The files a run's artifact parameters were read from, in the order it read them (its {@code param.file} events). */
    static List<ParamFile> paramFiles(List<EventRecord> events) {
        List<ParamFile> files = new ArrayList<>();
        for (EventRecord e : events) {
            if (e.kind().equals(PARAM_FILE_EVENT)) {
                files.add(ParamFile.parse(e.message()));
            }
        }
        return files;
    }

    /**
     * Each task's cache decision and why, then what its key is made of: the component (by name and digest)
     * and each input's digest, abbreviated. The key's JSON, digests in full, stays in the store's event
     * {@code cache.key} (the event before the decision's).
     */
    private static void explainCache(RunStore store, String runId, PrintWriter out) {
        Map<String, String> components = new HashMap<>();
        // a loop's iteration named with its item, as show writes it: fit[0] (lr=0.5)
        Map<String, String> names = new HashMap<>();
        store.tasks(runId).forEach(t -> {
            components.put(t.taskId(), t.component());
            names.put(t.taskId(), LoopItem.labelled(t.taskId(), t.items()));
        });
        Map<String, String> keys = new HashMap<>();
        for (EventRecord e : store.events(runId)) {
            String task = e.taskId().orElse("");
            if (e.kind().equals("cache.key")) {
                keys.put(task, keyParts(e.message(), components.get(task)));
            } else if (e.kind().startsWith("cache.")) {
                out.println("cache " + names.getOrDefault(task, task) + ": " + e.kind().substring(6) + " - " + e.message());
                Optional.ofNullable(keys.remove(task)).ifPresent(k -> out.println("  " + k));
            }
        }
    }

    /** "key sha256:44f6f95656c0 = component `train` 789535c0837f + input `lr` sha256:14be4b45f18e" from a cache.key event. */
    static String keyParts(String json, String component) {
        try {
            JsonNode key = Cli.JSON.readTree(json);
            StringBuilder b = new StringBuilder("key ").append(abbreviated(key.path("key").asText()))
                    .append(" = component ");
            if (component != null) {
                b.append('`').append(component).append("` ");
            }
            b.append(abbreviated(key.path("component").asText()));
            key.path("inputs").fields().forEachRemaining(i ->
                    b.append(" + input `").append(i.getKey()).append("` ").append(abbreviated(i.getValue().asText())));
            return b.toString();
        } catch (JsonProcessingException e) {
            return "key " + json;
        }
    }

    /** A digest as its first 12 hex digits (as `git log` shortens a commit), with its `sha256:` if it has one. */
    private static String abbreviated(String digest) {
        int hex = digest.startsWith("sha256:") ? 7 : 0;
        return digest.length() > hex + 12 ? digest.substring(0, hex + 12) : digest;
    }

    /**
     * Whether the engine would refuse to start {@code ir} (an image missing, a volume's folder gone, a secret set
     * nowhere), each reason said first: a secret as the diagnostic {@code unsetSecret} makes of it (null for none, a
     * plain error then), the rest as plain errors. Nothing has been started or recorded then.
     */
    static boolean refused(LocalEngine engine, Ir.Program ir, Map<String, JsonNode> values,
                           java.util.function.Function<LocalEngine.UnsetSecret, Diagnostic> unsetSecret,
                           PrintWriter out, PrintWriter err, FrontEnd.Color color) {
        List<String> problems = new ArrayList<>(engine.check(ir, values));
        List<Diagnostic> unset = new ArrayList<>();
        for (LocalEngine.UnsetSecret u : engine.unsetSecrets(ir)) {
            Diagnostic d = unsetSecret.apply(u);
            if (d != null) {
                problems.remove(u.problem());
                unset.add(d);
            }
        }
        FrontEnd.report(Diagnostic.sorted(unset), Cli.Format.text, out, err, color);
        if (!problems.isEmpty()) {
            for (String p : problems) {
                err.println("error: " + p);
            }
            err.println("  = help: nothing was started; fix the above, or run it on a cluster with `freestone submit`");
            err.flush();
        }
        return !problems.isEmpty() || !unset.isEmpty();
    }

    /** E0608 for a secret set nowhere, at {@code at}; {@code why} follows "nothing was started" in its help. */
    static Diagnostic unsetSecret(LocalEngine.UnsetSecret u, dev.freestone.diag.Span at, String why) {
        return Diagnostic.of(Code.E0608, at, u.secret(), u.key(), u.env())
                .withHelp(u.whereToPut() + " (nothing was started" + why + ")");
    }

    /**
     * Prints how the run ended, its outputs, and for a failed run each failed task and what to do next;
     * {@code rerun}: the {@code freestone run} line that runs the pipeline again as it is now ({@link RerunLine}),
     * asked for only when the run failed.
     */
    static int finish(RunOutcome outcome, RunStore store, Progress view, PrintWriter out, PrintWriter err,
                      boolean explainCache, java.util.function.Supplier<String> rerun) {
        view.close();
        // the outputs and the failed tasks' messages are what steps wrote: they do not drive the terminal
        out = StandardOut.forText(out);
        err = StandardOut.forText(err);
        if (explainCache) {
            explainCache(store, outcome.runId(), out);
        }
        Optional<RunRecord> recorded = store.getRun(outcome.runId()) instanceof dev.freestone.runtime.store.RunLookup.Found f
                ? Optional.of(f.run()) : Optional.empty();
        if (recorded.isEmpty()) {
            // deleted (`freestone delete`) the moment it ended, before this report: said from the engine's outcome
            RunStatus status = StoreRecorder.recorded(outcome.status());
            out.println(status + "  run " + outcome.runId() + "  in "
                    + Cli.elapsed(outcome.startedAt(), Optional.of(outcome.finishedAt())) + "  (deleted since it ended)");
            printOutputs(outcome, store, out);
            out.flush();
            return status == RunStatus.Succeeded ? Main.OK : Main.FAILED;
        }
        RunRecord run = recorded.get();
        out.println(run.status() + "  run " + run.id() + "  in " + Cli.elapsed(run.startedAt(), run.finishedAt()));
        printOutputs(outcome, store, out);
        if (run.status() != RunStatus.Succeeded) {
            // each failed task with the tail of its log, so that the cause shows without another command
            List<String> failed = new ArrayList<>();
            for (dev.freestone.runtime.store.TaskRecord t : store.tasks(run.id())) {
                if (t.state() == dev.freestone.runtime.store.TaskState.Failed && t.message().isPresent()) {
                    // the store marks an engine-side error ("error: ..."); this line says error already
                    String m = t.message().get();
                    err.println("error: task " + LoopItem.labelled("`" + t.taskId() + "`", t.items())
                            + " failed: " + (m.startsWith("error: ") ? m.substring(7) : m));
                    failed.add(t.taskId());
                }
            }
            boolean told = !failed.isEmpty();
            // one failed task: the logs command of its whole log, ready to paste (`fit[0]` quoted for the shell)
            String task = failed.size() == 1 ? RerunLine.quoted(failed.get(0)) : "TASK";
            if (!told && run.status() == RunStatus.Cancelled) {
                err.println("error: run " + run.id() + " was cancelled: its running steps were stopped, the rest did not start");
            } else if (!told && outcome.message() != null && !outcome.message().isBlank()) {
                err.println("error: " + outcome.message());
            }
            // resume runs the pipeline as it was: right for a flaky step, no help for a bug the user fixes in the file
            err.println("  = help: see `freestone show " + run.id() + "` and `freestone logs " + run.id()
                    + " " + task + "`; `freestone resume " + run.id() + "` runs what did not succeed again, as it was; after a fix"
                    + " to the .pipe file, `" + rerun.get() + "` runs it as it is now (the steps that did not change come from"
                    + " the cache)");
        }
        out.flush();
        err.flush();
        return run.status() == RunStatus.Succeeded ? Main.OK : Main.FAILED;
    }

    private static void printOutputs(RunOutcome outcome, RunStore store, PrintWriter out) {
        ObjectNode outputs = Cli.JSON.createObjectNode();
        outcome.outputs().forEach(outputs::set);
        for (var it = outputs.fields(); it.hasNext(); ) {
            var e = it.next();
            out.println("  output " + e.getKey() + " = " + display(e.getValue(), store));
        }
    }

    static String display(JsonNode v, RunStore store) {
        return display(v, x -> Values.isArtifactValue(x)
                ? Optional.of(store.artifacts().get(Values.digestOf(x)).map(Path::toString).orElse(Values.digestOf(x)))
                : Optional.empty());
    }

    /**
     * A value as {@code run} and {@code show} print it: a text as it is, anything else as JSON, and an artifact by the
     * path of its stored object, also inside a list, a map or a struct (a loop's {@code List[Model]}), where the
     * engine's own form of it would show; a Float as the engine hands it to a step ({@code 1e-05}, as {@code show}'s
     * OUTPUTS column has it), not as Java writes a double ({@code 1.0E-5}).
     */
    static String display(JsonNode v, java.util.function.Function<JsonNode, Optional<String>> artifactPath) {
        JsonNode shown = withPaths(v, artifactPath);
        return shown.isTextual() ? shown.asText() : Values.json(shown);
    }

    private static JsonNode withPaths(JsonNode v, java.util.function.Function<JsonNode, Optional<String>> artifactPath) {
        Optional<String> path = artifactPath.apply(v);
        if (path.isPresent()) {
            return Cli.JSON.getNodeFactory().textNode(path.get());
        }
        if (v.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode a = Cli.JSON.createArrayNode();
            v.forEach(e -> a.add(withPaths(e, artifactPath)));
            return a;
        }
        if (v.isObject()) {
            ObjectNode o = Cli.JSON.createObjectNode();
            v.fields().forEachRemaining(e -> o.set(e.getKey(), withPaths(e.getValue(), artifactPath)));
            return o;
        }
        return v;
    }

}
