package dev.freestone.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.ir.Ir;
import dev.freestone.runtime.store.RunStore;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.SortedMap;

/**
 * Runs a Freestone program (its IR) on this machine, with the semantics Argo gives it: every step a
 * process, started from an argument list (never a shell string); a bounded worker pool; loops,
 * conditions, nested pipelines, fan-in in iteration order; retries with backoff; timeouts that kill
 * the process tree; caching; an exit handler that always runs; cancellation; resume.
 *
 * <p>One engine runs one program at a time per {@link #run} call; {@link #cancel} (from any thread,
 * e.g. a Ctrl-C handler) cancels the run in progress: a first call stops the main body and the exit
 * handler then runs; a second call during the exit handler stops it too.
 */
public final class LocalEngine {
    private final EngineOptions options;
    private final RunRecorder recorder;
    private final Artifacts artifacts;
    private volatile Execution running;
    private volatile boolean cancelRequested;

    /**
     * The values {@code FREESTONE_LAUNCHER} accepts (any case): how steps are started. Empty or unset
     * picks the first helper that works; the engine itself treats another value as unset, so callers
     * that face a user (the CLI) refuse it first.
     */
    public static final List<String> LAUNCHERS = Launcher.CHOICES;

    /**
     * The launcher the engine uses: the system property {@code freestone.launcher}, else this process's
     * {@code FREESTONE_LAUNCHER} (one launcher serves every run of the JVM, so an in-process caller's own
     * environment does not pick it); empty when neither is set.
     */
    public static Optional<String> launcherChoice() {
        return Optional.ofNullable(Launcher.choice()).filter(c -> !c.isEmpty());
    }

    public LocalEngine(EngineOptions options, RunRecorder recorder, Artifacts artifacts) {
        this.options = options;
        this.recorder = recorder;
        this.artifacts = artifacts;
    }

    /**
     * An engine whose artifacts are kept in the run store's artifact store, {@code <home>/artifacts}.
     *
     * @throws java.io.UncheckedIOException when that directory cannot be created
     */
    public LocalEngine(EngineOptions options, RunRecorder recorder) {
        this(options, recorder, openArtifacts(options));
    }

    private static Artifacts openArtifacts(EngineOptions options) {
        try {
            return StoreArtifacts.open(options.home().resolve(RunStore.ARTIFACTS_DIR));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot open the artifact store under " + options.home(), e);
        }
    }

    /**
     * The checks made before a run (parameters, programs on the PATH, secrets, steps that cannot run
     * locally), one line per problem, sorted; empty when the program can run.
     */
    public List<String> check(Ir.Program program, Map<String, JsonNode> params) {
        List<String> problems = new ArrayList<>();
        Preflight.params(program, params, problems);
        Preflight.steps(program, options, problems, new ArrayList<>());
        return problems;
    }

    /**
     * A secret a step of the program reads that is set neither in the environment nor in the secrets folder: what
     * {@link #check} says of it ({@link #problem}), in parts, for a caller that can point at the {@code secret(...)}.
     *
     * @param who        the step and its component, as the engine names them in its messages
     * @param step       the step's path from the root pipeline, a called pipeline's step after its call's
     *                   ({@code sub/fit}), without loop indices
     * @param env        the environment variable of the step that the secret is given as
     * @param whereToPut where it is looked for: "set $FREESTONE_SECRET_... or write it to ..."
     */
    public record UnsetSecret(String who, String step, String component, String env, String secret, String key,
                              String whereToPut) {
        public String problem() {
            return who + ": secret `" + secret + "` key `" + key + "` (env `" + env + "`) is not set locally: " + whereToPut;
        }
    }

    /** The secrets that {@link #check} finds set nowhere, in the order of the steps. */
    public List<UnsetSecret> unsetSecrets(Ir.Program program) {
        List<UnsetSecret> unset = new ArrayList<>();
        Preflight.steps(program, options, new ArrayList<>(), unset);
        return unset;
    }

    /**
     * What the user should know before the run that does not stop it, one line each, sorted: secrets read
     * from files other users may read.
     */
    public List<String> notes(Ir.Program program) {
        Secrets secrets = new Secrets(options.environment(), options.secretsDir());
        java.util.SortedSet<String> notes = new java.util.TreeSet<>();
        for (Ir.Component comp : program.components().values()) {
            if (comp.env() != null) {
                comp.env().values().forEach(v -> {
                    if (v instanceof Ir.EnvSecret s) {
                        secrets.exposed(s.secret(), s.key()).ifPresent(notes::add);
                    }
                });
            }
        }
        return List.copyOf(notes);
    }

    /** Runs {@code program} with these parameter values (defaults fill the rest) under a new run id. */
    public RunOutcome run(Ir.Program program, Map<String, JsonNode> params) {
        return run(program, params, newRunId(program.name()));
    }

    public RunOutcome run(Ir.Program program, Map<String, JsonNode> params, String runId) {
        return execute(program, params, runId, null);
    }

    /**
     * Runs {@code program} again as run {@code runId}, reusing the outputs of the tasks of
     * {@code prior} that succeeded with the same cache key (whatever the cache settings), and first
     * killing the processes of {@code prior} that a killed engine left running.
     */
    public RunOutcome resume(Ir.Program program, Map<String, JsonNode> params, PriorRun prior, String runId) {
        return execute(program, params, runId, prior);
    }

    public RunOutcome resume(Ir.Program program, Map<String, JsonNode> params, PriorRun prior) {
        return resume(program, params, prior, newRunId(program.name()));
    }

    /** Cancels the run in progress (see the class comment); a no-op when none is. */
    public void cancel() {
        cancelRequested = true;
        Execution e = running;
        if (e != null) {
            e.cancel();
        }
    }

    private synchronized RunOutcome execute(Ir.Program program, Map<String, JsonNode> params, String runId, PriorRun prior) {
        List<String> problems = new ArrayList<>();
        SortedMap<String, JsonNode> values = Preflight.params(program, params, problems);
        Preflight.steps(program, options, problems, new ArrayList<>());
        if (!problems.isEmpty()) {
            return RunOutcome.rejected(runId, problems);
        }
        Execution e = new Execution(program, options, recorder, artifacts, runId, prior);
        running = e;
        try {
            // a cancel() that came before this run started (or while it was being set up) applies to it
            if (cancelRequested) {
                e.cancel();
            }
            return e.execute(values);
        } finally {
            running = null;
            cancelRequested = false;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@code <pipeline>-<UTC yyyyMMdd-HHmmss>-<6 hex>}: sorts by time, unique in practice. */
    static String newRunId(String pipeline) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        String time = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return pipeline + "-" + time + "-" + HexFormat.of().formatHex(b);
    }
}
