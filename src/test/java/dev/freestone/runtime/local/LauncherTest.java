package dev.freestone.runtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** Steps started through each launcher: exactly their argv, env, directory and log; their exit codes; their group. */
class LauncherTest {
    private static final Optional<Path> SETSID = ProcessTree.onPath("setsid", System.getenv("PATH"));
    private static final Optional<Path> SH = ProcessTree.onPath("sh", System.getenv("PATH"));

    @TempDir
    Path dir;

    private Launcher launcher;

    private Launcher launcher(Launcher.Kind kind) {
        Optional<Launcher> l = Launcher.open(kind, SETSID);
        assumeTrue(l.isPresent() && SH.isPresent(), "needs " + kind + " and sh on the PATH");
        launcher = l.get();
        return launcher;
    }

    @AfterEach
    void close() {
        if (launcher != null) {
            launcher.close();
        }
    }

    @Test
    void theSharedLauncherIsTheFirstThatWorksUnlessOneIsChosen() {
        Optional<Launcher> any = Launcher.shared(SETSID);
        assumeTrue(any.isPresent(), "needs python3 or perl");
        Launcher.stop();
        String before = System.getProperty(Launcher.CHOICE_PROPERTY);
        try {
            System.setProperty(Launcher.CHOICE_PROPERTY, "jvm");
            assertTrue(Launcher.shared(SETSID).isEmpty(), "jvm: no launcher");
            for (Launcher.Kind k : Launcher.Kind.values()) {
                System.setProperty(Launcher.CHOICE_PROPERTY, k.name().toLowerCase(java.util.Locale.ROOT));
                Launcher.shared(SETSID).ifPresent(l -> assertEquals(k, l.kind()));
                Launcher.stop();
            }
        } finally {
            if (before == null) {
                System.clearProperty(Launcher.CHOICE_PROPERTY);
            } else {
                System.setProperty(Launcher.CHOICE_PROPERTY, before);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Launcher.Kind.class)
    void eachStepGetsItsOwnEnvironmentAlsoWhenTheHelperForgotIt(Launcher.Kind kind) throws Exception {
        Launcher l = launcher(kind);
        int n = Launcher.ENVIRONMENTS + 8;
        // n distinct environments (the first ones are forgotten by the helper), then the first again,
        // then one shared environment many times
        List<Map<String, String>> envs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            envs.add(Map.of("N", Integer.toString(i), "WHO", "distinct"));
        }
        envs.add(Map.of("N", "0", "WHO", "distinct"));
        for (int i = 0; i < 10; i++) {
            envs.add(Map.of("N", "shared", "WHO", "same"));
        }
        for (int i = 0; i < envs.size(); i++) {
            Path log = dir.resolve("env-" + i + ".log");
            Process p = l.start(List.of(SH.get().toString(), "-c", "printf '%s %s' \"$N\" \"$WHO\""), envs.get(i), dir, log);
            assertEquals(0, p.waitFor());
            assertEquals(envs.get(i).get("N") + " " + envs.get(i).get("WHO"), Files.readString(log), "step " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Launcher.Kind.class)
    void argvEnvDirectoryAndLogAreExactlyWhatWasAsked(Launcher.Kind kind) throws Exception {
        Launcher l = launcher(kind);
        Path log = dir.resolve("log");
        Files.writeString(log, "left by an earlier engine\n");
        Path cwd = Files.createDirectories(dir.resolve("work dir"));
        String tricky = "it's \"q\" $(rm -rf /) `x` ; | & \n second line ü ∑";
        Process p = l.start(List.of(SH.get().toString(), "-c",
                        "printf '%s|' \"$0\" \"$1\" \"$PWD\"; echo; env | sort; echo oops >&2", tricky, ""),
                Map.of("ONLY", "one=two", "EMPTY", ""), cwd, log);
        assertEquals(0, p.waitFor());
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(out.startsWith(tricky + "||" + cwd + "|"), "the log starts empty, then argv verbatim: " + out);
        List<String> env = out.lines().filter(s -> s.matches("^[A-Z_]+=.*")).toList();
        assertTrue(env.contains("ONLY=one=two") && env.contains("EMPTY="), out);
        assertTrue(env.stream().allMatch(s -> s.startsWith("ONLY=") || s.startsWith("EMPTY=") || s.startsWith("PWD=")
                || s.startsWith("SHLVL=") || s.startsWith("_=")), "only the given environment (and sh's own): " + env);
        assertTrue(out.endsWith("oops\n"), "stderr goes to the same log: " + out);
    }

    @ParameterizedTest
    @EnumSource(Launcher.Kind.class)
    void exitCodesAndSignalsAreReportedLikeTheJvmDoes(Launcher.Kind kind) throws Exception {
        Launcher l = launcher(kind);
        Path log = dir.resolve("log");
        assertEquals(3, l.start(List.of(SH.get().toString(), "-c", "exit 3"), Map.of(), dir, log).waitFor());
        Process slow = l.start(List.of(SH.get().toString(), "-c", "sleep 30"), Map.of(), dir, log);
        assertFalse(slow.waitFor(100, TimeUnit.MILLISECONDS));
        assertTrue(slow.isAlive());
        slow.destroyForcibly();
        assertEquals(128 + 9, slow.waitFor());
        assertEquals(128 + 9, slow.exitValue());
    }

    @ParameterizedTest
    @EnumSource(Launcher.Kind.class)
    void aStepLeadsItsOwnGroupAndWhatItLeftIsKilledWhenItEnds(Launcher.Kind kind) throws Exception {
        Launcher l = launcher(kind);
        Path pidFile = dir.resolve("pid");
        Process p = l.start(List.of(SH.get().toString(), "-c", "sleep 30 & echo $! > \"$0\"", pidFile.toString()),
                Map.of(), dir, dir.resolve("log"));
        assertEquals(0, p.waitFor());
        long child = Long.parseLong(Files.readString(pidFile).trim());
        Optional<ProcessHandle> h = ProcessHandle.of(child);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (h.isPresent() && ProcessTree.alive(h.get()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(h.isEmpty() || !ProcessTree.alive(h.get()), "the background child was swept with its group");
    }

    @ParameterizedTest
    @EnumSource(Launcher.Kind.class)
    void whenItsInputEndsTheLauncherStopsWhatItStarted(Launcher.Kind kind) throws Exception {
        Launcher l = launcher(kind);
        Path pidFile = dir.resolve("pid");
        // a step that ignores nothing, and one that ignores SIGTERM: the second needs the KILL after the grace
        Process polite = l.start(List.of(SH.get().toString(), "-c", "sleep 60"), Map.of(), dir, dir.resolve("a.log"));
        Process stubborn = l.start(List.of(SH.get().toString(), "-c", "trap '' TERM; echo $$ > \"$0\"; while :; do sleep 1; done",
                pidFile.toString()), Map.of(), dir, dir.resolve("b.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(pidFile) && !Files.readString(pidFile).isBlank()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Optional<ProcessHandle> a = ProcessHandle.of(polite.pid());
        Optional<ProcessHandle> b = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
        assertTrue(a.isPresent() && b.isPresent());
        long closed = System.nanoTime();
        l.process().getOutputStream().close(); // what the engine's death does: the end of the launcher's input
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while ((ProcessTree.alive(a.get()) || ProcessTree.alive(b.get())) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(ProcessTree.alive(a.get()), "the step that obeys SIGTERM is stopped");
        assertFalse(ProcessTree.alive(b.get()), "the step that ignores SIGTERM is killed after the grace");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - closed);
        assertTrue(seconds >= 3 && seconds <= 12, "TERM, a grace of about 5 s, then KILL: took " + seconds + " s");
        assertTrue(l.process().waitFor(5, TimeUnit.SECONDS), "the launcher exits");
    }

    @ParameterizedTest
    @EnumSource(Launcher.Kind.class)
    void aProgramThatCannotStartSaysWhy(Launcher.Kind kind) throws Exception {
        Launcher l = launcher(kind);
        Path log = dir.resolve("log");
        Path notExecutable = Files.writeString(dir.resolve("data.txt"), "x");
        if (kind == Launcher.Kind.PYTHON) {
            // posix_spawn reports the failed exec to the launcher: the step could not be started
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> l.start(List.of(notExecutable.toString()), Map.of(), dir, log));
            assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
            assertEquals(0, l.start(List.of(SH.get().toString(), "-c", "true"), Map.of(), dir, log).waitFor(),
                    "the launcher goes on");
        } else {
            // a forked child cannot tell its parent: it says why in the log and ends with 127, as a shell does
            assertEquals(127, l.start(List.of(notExecutable.toString()), Map.of(), dir, log).waitFor());
            assertTrue(Files.readString(log).contains("cannot start " + notExecutable), Files.readString(log));
        }
    }

    @ParameterizedTest
    @EnumSource(Launcher.Kind.class)
    void aDeadLauncherIsReplacedAndItsRunningStepsStillEnd(Launcher.Kind kind) throws Exception {
        Launcher first = launcher(kind);
        Process running = first.start(List.of(SH.get().toString(), "-c", "sleep 0.5"), Map.of(), dir, dir.resolve("log"));
        first.process().destroyForcibly().waitFor();
        assertEquals(Launcher.LOST_EXIT, running.waitFor(), "the exit code is lost with the launcher, the end is not");
        assertThrows(java.io.IOException.class,
                () -> first.start(List.of(SH.get().toString(), "-c", "true"), Map.of(), dir, dir.resolve("log")));
        Launcher second = launcher(kind);
        assertEquals(0, second.start(List.of(SH.get().toString(), "-c", "true"), Map.of(), dir, dir.resolve("log")).waitFor());
    }

    @ParameterizedTest
    @EnumSource(Launcher.Kind.class)
    void aStepOfAFullPoolStartsTheMomentAPlaceFrees(Launcher.Kind kind) throws Exception {
        Launcher l = launcher(kind);
        Launcher.Pool pool = new Launcher.Pool(2);
        Process a = sh(l, pool, "a.log", "sleep 0.6");
        Process b = sh(l, pool, "b.log", "sleep 1.2");
        long handedOver = System.nanoTime();
        Process c = sh(l, pool, "c.log", "exit 7");
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - handedOver);
        // the helper reports a's end before it starts c in a's place: a is over, b still runs
        assertFalse(a.isAlive(), "c started only after a place was free");
        assertEquals(0, a.exitValue());
        assertTrue(b.isAlive(), "c took a's place, it did not wait for b");
        assertTrue(waited >= 300, "c waited for a's end: " + waited + " ms");
        assertEquals(7, c.waitFor());
        assertEquals(0, b.waitFor());
        // a step in no pool never waits
        assertEquals(0, sh(l, Launcher.NO_LIMIT, "d.log", "true").waitFor());
    }

    /** {@code sh -c script args...} in {@code pool}, logging to {@code log} in the test's folder. */
    private Process sh(Launcher l, Launcher.Pool pool, String log, String script, String... args) throws java.io.IOException {
        List<String> argv = new java.util.ArrayList<>(List.of(SH.get().toString(), "-c", script));
        argv.addAll(List.of(args));
        return l.start(argv, Map.of(), dir, dir.resolve(log), pool);
    }

    @ParameterizedTest
    @EnumSource(Launcher.Kind.class)
    void waitingStepsAreWithdrawnAndNeverStart(Launcher.Kind kind) throws Exception {
        Launcher l = launcher(kind);
        Launcher.Pool pool = new Launcher.Pool(1);
        Process running = sh(l, pool, "a.log", "sleep 30");
        Path marker = dir.resolve("started");
        java.util.concurrent.CompletableFuture<Process> waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return sh(l, pool, "b.log", "touch \"$0\"", marker.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertFalse(waiting.isDone(), "the second step waits for the pool's one place");
        l.cancelQueued(pool);
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getCause() instanceof Launcher.StartCancelled, e.toString());
        assertTrue(running.isAlive(), "a running step is not touched");
        running.destroyForcibly();
        assertEquals(128 + 9, running.waitFor());
        // its place is free again, and the withdrawn step never ran
        assertEquals(0, sh(l, pool, "c.log", "true").waitFor());
        assertFalse(Files.exists(marker), "a withdrawn step never starts");
    }

    @ParameterizedTest
    @EnumSource(Launcher.Kind.class)
    void aNulCannotBePassed(Launcher.Kind kind) {
        Launcher l = launcher(kind);
        assertThrows(IllegalArgumentException.class,
                () -> l.start(List.of(SH.get().toString(), "a\0b"), Map.of(), dir, dir.resolve("log")));
    }

}
