package dev.freestone.runtime.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the engine runs.
 *
 * @param parallelism       at most this many step processes at once (at least 1)
 * @param home              Freestone's home ({@code $FREESTONE_HOME}, else {@code ~/.freestone}): work
 *                          directories go to {@code runs/<run id>/}, secrets are read from
 *                          {@code secrets/<name>/<key>}, and the default artifact store is {@code artifacts/}
 * @param workingDirectory  the directory steps run in (relative paths in parameters mean what the user meant)
 * @param noCache           execute every step, whatever was recorded before
 * @param explainCache      record for every task its cache key and why it hit or missed (a miss names
 *                          the inputs that changed since the last run of the same task)
 * @param killGrace         after SIGTERM, how long a process tree has before SIGKILL
 * @param environment       the engine's environment: steps inherit it (less {@code FREESTONE_SECRET_*}),
 *                          {@code PATH} resolves programs, and secrets are looked up in it
 * @param progress          live events for a progress view
 * @param skipClusterSteps  mark steps that only a cluster can run (a Kubernetes resource without a usable
 *                          {@code local} way) Skipped, with the steps that read their outputs, instead of
 *                          refusing the run
 * @param volumes           the host folder of each PersistentVolumeClaim named here ({@code --volume claim=DIR});
 *                          any other claim is {@code volumes/<claim>/} under {@code home}
 * @param only              the steps asked for ({@code --only}, as the pipeline names them): they and what they need
 *                          run, the rest of the pipeline ends Skipped ({@link Selection}); empty: every step
 */
public record EngineOptions(int parallelism, Path home, Path workingDirectory, boolean noCache, boolean explainCache,
                            Duration killGrace, Map<String, String> environment, ProgressListener progress,
                            boolean skipClusterSteps, Map<String, Path> volumes, java.util.Set<String> only) {

    public EngineOptions {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(killGrace, "killGrace");
        environment = Map.copyOf(environment);
        volumes = Map.copyOf(volumes);
        only = java.util.Set.copyOf(only);
        progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** Defaults from this process: as many workers as cores, home from {@code FREESTONE_HOME}. */
    public static EngineOptions defaults() {
        Map<String, String> env = System.getenv();
        String home = env.get("FREESTONE_HOME");
        Path homePath = home != null && !home.isBlank()
                ? Path.of(home) : Path.of(System.getProperty("user.home"), ".freestone");
        return new EngineOptions(Runtime.getRuntime().availableProcessors(), homePath.toAbsolutePath(),
                Path.of("").toAbsolutePath(), false, false, Duration.ofSeconds(5), env, ProgressListener.NONE, false, Map.of(), java.util.Set.of());
    }

    public EngineOptions withParallelism(int n) {
        return new EngineOptions(n, home, workingDirectory, noCache, explainCache, killGrace, environment, progress, skipClusterSteps, volumes, only);
    }

    public EngineOptions withHome(Path h) {
        return new EngineOptions(parallelism, h, workingDirectory, noCache, explainCache, killGrace, environment, progress, skipClusterSteps, volumes, only);
    }

    public EngineOptions withWorkingDirectory(Path d) {
        return new EngineOptions(parallelism, home, d, noCache, explainCache, killGrace, environment, progress, skipClusterSteps, volumes, only);
    }

    public EngineOptions withNoCache(boolean b) {
        return new EngineOptions(parallelism, home, workingDirectory, b, explainCache, killGrace, environment, progress, skipClusterSteps, volumes, only);
    }

    public EngineOptions withExplainCache(boolean b) {
        return new EngineOptions(parallelism, home, workingDirectory, noCache, b, killGrace, environment, progress, skipClusterSteps, volumes, only);
    }

    public EngineOptions withKillGrace(Duration d) {
        return new EngineOptions(parallelism, home, workingDirectory, noCache, explainCache, d, environment, progress, skipClusterSteps, volumes, only);
    }

    public EngineOptions withEnvironment(Map<String, String> env) {
        return new EngineOptions(parallelism, home, workingDirectory, noCache, explainCache, killGrace, env, progress, skipClusterSteps, volumes, only);
    }

    public EngineOptions withProgress(ProgressListener p) {
        return new EngineOptions(parallelism, home, workingDirectory, noCache, explainCache, killGrace, environment, p, skipClusterSteps, volumes, only);
    }

    public EngineOptions withSkipClusterSteps(boolean b) {
        return new EngineOptions(parallelism, home, workingDirectory, noCache, explainCache, killGrace, environment, progress, b, volumes, only);
    }

    Path runsDir() {
        return home.resolve("runs");
    }

    Path secretsDir() {
        return home.resolve("secrets");
    }

    public EngineOptions withVolumes(Map<String, Path> v) {
        return new EngineOptions(parallelism, home, workingDirectory, noCache, explainCache, killGrace, environment, progress, skipClusterSteps, v, only);
    }

    public EngineOptions withOnly(java.util.Set<String> steps) {
        return new EngineOptions(parallelism, home, workingDirectory, noCache, explainCache, killGrace, environment, progress, skipClusterSteps, volumes, steps);
    }

    /** The folder a step that mounts {@code claim} works in: the one given for it, else one under home. */
    public Path volume(String claim) {
        Path given = volumes.get(claim);
        return given != null ? given : home.resolve("volumes").resolve(claim);
    }
}
