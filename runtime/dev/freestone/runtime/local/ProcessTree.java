package dev.freestone.runtime.local;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Starting a step's process in its own process group, and killing a whole process tree.
 *
 * <p>Each step starts as the leader of a new session and process group, through the {@link Launcher}
 * (Perl's {@code setsid}) or else under {@code setsid} (util-linux) when it is on the PATH: a kill of the group ({@code kill -- -pgid}) reaches
 * every process it started, even those whose parent already exited. Without {@code setsid} the
 * fallback is the descendants that {@link ProcessHandle} still sees. A kill is SIGTERM, then SIGKILL
 * after a grace period. Output goes to a log file by the OS: the engine never holds it in memory.
 */
final class ProcessTree {
    private ProcessTree() {
    }

    private static final Optional<Path> SETSID = onPath("setsid", System.getenv("PATH"));
    private static final Optional<Path> SH = onPath("sh", System.getenv("PATH"))
            .or(() -> Files.isExecutable(Path.of("/bin/sh")) ? Optional.of(Path.of("/bin/sh")) : Optional.empty());
    private static final Optional<Path> KILL = onPath("kill", System.getenv("PATH"))
            .or(() -> Files.isExecutable(Path.of("/bin/kill")) ? Optional.of(Path.of("/bin/kill")) : Optional.empty());

    private static int runningEngines;

    /** An engine starts running steps in this JVM. */
    static synchronized void engineStarted() {
        runningEngines++;
    }

    /**
     * An engine is done. When it was the last, the launcher and the signalling shell are stopped: the
     * JVM's threads that wait on them sit in native code, and a JVM exiting with threads in native
     * code waits 300 ms for them first (HotSpot's VM_Exit), on every `freestone run`.
     */
    static synchronized void engineFinished() {
        runningEngines = Math.max(0, runningEngines - 1);
        if (runningEngines == 0) {
            Launcher.stop();
            GroupSignaller.stop();
        }
    }

    /** Why {@code program} cannot be started, for a message: a path that is no executable file, or a name not on the PATH. */
    static String whyNotFound(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isRegularFile(p) ? "is not executable (chmod +x " + program + ")" : "does not exist";
        }
        return "is not on the PATH";
    }

    /** Resolves {@code program} like a shell: a name with a slash as a path, else the first match on {@code path}. */
    static Optional<Path> onPath(String program, String path) {
        if (program.isEmpty()) {
            return Optional.empty();
        }
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The places of an engine's steps: at most {@code limit} of them run at once, whichever way they
     * start. Through the launcher a step may be handed over before a place is free (it waits in the
     * helper, which starts it the moment a place frees: no round trip through the JVM between one
     * step's end and the next one's start); a step started from the JVM first takes a place here.
     */
    static final class Slots {
        private final Launcher.Pool pool;
        private final Semaphore jvm;

        Slots(int limit) {
            this.pool = new Launcher.Pool(limit);
            this.jvm = new Semaphore(limit);
        }

        /** Withdraws the steps waiting for a place: their starts throw {@link Launcher.StartCancelled}. */
        void withdrawWaiting() {
            Launcher.withdraw(pool);
        }
    }

    /**
     * Starts {@code argv} (argv[0] already resolved) with exactly {@code env}, writing stdout and
     * stderr to {@code log} (created, or emptied), once it has a place in {@code slots}; throws
     * {@link Launcher.StartCancelled} when {@code cancelled} before it had one.
     */
    static Process start(List<String> argv, Map<String, String> env, Path cwd, Path log, Slots slots,
                         BooleanSupplier cancelled) throws IOException {
        try {
            return startProcess(argv, env, cwd, log, slots, cancelled);
        } catch (IllegalArgumentException e) {
            // what no process can be given (a NUL in a value, from a parameters file): the step cannot start
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Process startProcess(List<String> argv, Map<String, String> env, Path cwd, Path log, Slots slots,
                                        BooleanSupplier cancelled) throws IOException {
        Optional<Launcher> launcher = Launcher.shared(SETSID);
        if (launcher.isPresent()) {
            return launcher.get().start(argv, env, cwd, log, slots.pool);
        }
        try {
            while (!slots.jvm.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    throw new Launcher.StartCancelled();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to start the step", e);
        }
        boolean started = false;
        try {
            // the place may have been freed by a cancel's kill
            if (cancelled.getAsBoolean()) {
                throw new Launcher.StartCancelled();
            }
            Process p = startFromJvm(argv, env, cwd, log);
            started = true;
            p.onExit().whenComplete((x, e) -> slots.jvm.release());
            return p;
        } finally {
            if (!started) {
                slots.jvm.release();
            }
        }
    }

    private static Process startFromJvm(List<String> argv, Map<String, String> env, Path cwd, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        if (SETSID.isPresent()) {
            // -w: should setsid have to fork (it does when already a group leader), it still waits for the step
            cmd.add(SETSID.get().toString());
            cmd.add("-w");
        }
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The start time the OS reports for a process, the identity check against pid reuse. */
    static Instant startOf(ProcessHandle p) {
        return p.info().startInstant().orElse(null);
    }

    /**
     * Whether the launcher started {@code step}: the launcher then kills what the step leaves in its
     * group when it reaps it, and stops the step should the engine die (at the end of its input). A
     * step started from the JVM outlives a killed engine until a resume finds it by its recorded pid.
     */
    static boolean startedByLauncher(Process step) {
        return step instanceof Launcher.Launched;
    }

    /**
     * Kills the tree of {@code root}: SIGTERM to its process group and every descendant, then, for
     * those still alive after {@code grace}, SIGKILL. Returns when they are gone (or after a further
     * few seconds if the OS does not let them go).
     */
    static void kill(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        signalGroup(root.pid(), "TERM");
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessTree::alive)) {
            sleep(20);
        }
        // SIGKILL the group even when the visible tree is gone: children that daemonized are still in it
        signalGroup(root.pid(), "KILL");
        for (ProcessHandle p : tree) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        long hard = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < hard && tree.stream().anyMatch(ProcessTree::alive)) {
            sleep(20);
        }
    }

    /** After a step's leader exited: what it left running in its group goes too (a container would stop them). */
    static void killLeftovers(Process leader) {
        if (startedByLauncher(leader)) {
            return; // the launcher swept the group when it reaped the leader
        }
        signalGroup(leader.pid(), "KILL");
    }

    /**
     * Kills the tree of a process recorded by an earlier engine, only if {@code pid} still names the
     * same process (same start time): a reused pid belongs to someone else.
     */
    static boolean killOrphan(long pid, Instant recordedStart, Duration grace) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || recordedStart == null || !alive(p.get())) {
            return false;
        }
        Instant now = startOf(p.get());
        // stores keep milliseconds; the OS reports clock ticks
        if (now == null || !new dev.freestone.runtime.store.OsProcess(pid, recordedStart).startedAt(now)) {
            return false;
        }
        kill(p.get(), grace);
        return true;
    }

    /** Alive and not a zombie (an exited process whose parent has not reaped it is gone for our purposes). */
    static boolean alive(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            return close < 0 || close + 2 >= s.length() || s.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return !Files.isDirectory(Path.of("/proc")) && p.isAlive();
        }
    }

    private static void signalGroup(long pgid, String signal) {
        // a group's id is its leader's pid: signalling the group of a step that leads none reaches nobody
        if (pgid <= 1) {
            return;
        }
        if (GroupSignaller.shared(SETSID, SH).map(g -> g.signal(pgid, signal)).orElse(false)) {
            return;
        }
        if (KILL.isEmpty()) {
            return;
        }
        try {
            Process k = new ProcessBuilder(KILL.get().toString(), "-s", signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!k.waitFor(5, TimeUnit.SECONDS)) {
                k.destroyForcibly();
            }
        } catch (IOException e) {
            // no group to signal is the common case after a clean exit; the descendants pass covers the rest
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines of a log, read from its end (the log may be huge). */
    static List<String> tail(Path log, int lines) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 16 * 1024);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            List<String> all = new ArrayList<>(List.of(text.split("\r?\n", -1)));
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all.remove(all.size() - 1);
            }
            if (n < len && !all.isEmpty()) {
                all.remove(0); // a partial first line
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of();
        }
    }
}
