package dev.freestone.runtime.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Signals process groups through one POSIX shell kept alive for the life of the JVM, whose builtin
 * {@code kill} reaches a group: the engine sweeps each step's group after the step exits, and a
 * process start per sweep used to cost as much as the step itself.
 *
 * <p>The shell runs in a session of its own (so a Ctrl-C at the terminal does not kill it before
 * the engine has used it to stop the steps), reads {@code SIGNAL PGID} lines and answers each with a
 * line once the signal is sent. It exits when the JVM goes (end of its input). Whenever it cannot be
 * started or stops answering, {@link #signal} says so and the caller falls back to a {@code kill}
 * process.
 */
final class GroupSignaller {
    private static final Set<String> SIGNALS = Set.of("TERM", "KILL", "INT");
    private static final String LOOP = "while read -r sig pg; do kill -s \"$sig\" -- \"-$pg\" 2>/dev/null; echo .; done";

    private static GroupSignaller shared;

    private final Process shell;
    private final OutputStream in;
    private final BufferedReader answers;
    private boolean broken;

    private GroupSignaller(Process shell) {
        this.shell = shell;
        this.in = shell.getOutputStream();
        this.answers = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** The JVM's signaller, started on first use; empty when no shell can be started. */
    static synchronized Optional<GroupSignaller> shared(Optional<Path> setsid, Optional<Path> sh) {
        if (shared != null && shared.usable()) {
            return Optional.of(shared);
        }
        if (sh.isEmpty()) {
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>();
        setsid.ifPresent(p -> cmd.add(p.toString()));
        cmd.addAll(List.of(sh.get().toString(), "-c", LOOP));
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            shared = new GroupSignaller(p);
            return Optional.of(shared);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stops the JVM's signaller, if it runs: the shell exits at the end of its input. */
    static synchronized void stop() {
        if (shared == null) {
            return;
        }
        GroupSignaller g = shared;
        shared = null;
        synchronized (g) {
            g.broken = true;
            try {
                g.in.close();
                if (!g.shell.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) {
                    g.shell.destroyForcibly();
                }
            } catch (IOException e) {
                g.shell.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean usable() {
        return !broken && shell.isAlive();
    }

    /**
     * Sends {@code signal} (TERM, KILL or INT) to process group {@code pgid} and returns once it is
     * sent; false when the shell is gone (the caller then signals another way).
     */
    synchronized boolean signal(long pgid, String signal) {
        if (!SIGNALS.contains(signal) || pgid <= 1) {
            throw new IllegalArgumentException("refusing to send " + signal + " to group " + pgid);
        }
        if (!usable()) {
            return false;
        }
        try {
            in.write((signal + " " + pgid + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
            if (answers.readLine() == null) {
                broken = true;
                return false;
            }
            return true;
        } catch (IOException e) {
            broken = true;
            return false;
        }
    }

    /** The shell's process (tests stop it to check the fallback). */
    Process process() {
        return shell;
    }
}
