package dev.freestone.runtime.local;

import dev.freestone.ir.Ir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the programs of steps are, found as a shell finds them ({@link ProcessTree#onPath}) and
 * remembered per PATH: a run of thousands of steps probes each PATH entry once per program, not
 * once per step, and checks a remembered program with one look that it is still there. The
 * preflight and the run each use one.
 */
final class Programs {
    private final Map<String, Path> found = new ConcurrentHashMap<>();

    /** {@code name} resolved on {@code path} (a name with a slash is a path), if it is an executable file. */
    Optional<Path> find(String name, String path) {
        if (name.contains("/") || path == null) {
            return ProcessTree.onPath(name, path);
        }
        String key = name + '\0' + path;
        Path known = found.get(key);
        if (known != null && Files.isRegularFile(known) && Files.isExecutable(known)) {
            return Optional.of(known);
        }
        Optional<Path> p = ProcessTree.onPath(name, path);
        p.ifPresent(q -> found.put(key, q));
        return p;
    }

    /** Why {@code who} cannot start {@code program} here, for a message (the preflight's and the run's). */
    static String missing(String who, String program) {
        return who + ": program `" + program + "` " + ProcessTree.whyNotFound(program)
                + "; the local engine runs steps on this machine (the image is not pulled)";
    }

    /**
     * The program a script or command starts, when it is known before the run: the script's
     * interpreter ({@code sh} by default), or argv[0] of a command when it is literal text. Null
     * otherwise (an argv[0] made of inputs is only known once they are).
     */
    static String knownBeforeRun(Ir.Script script, List<Ir.CommandArg> command) {
        if (script != null) {
            List<String> interpreter = script.interpreter();
            return interpreter == null || interpreter.isEmpty() ? "sh" : interpreter.get(0);
        }
        if (command == null || command.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Ir.ArgPart p : command.get(0).parts()) {
            if (!(p instanceof Ir.Text t)) {
                return null;
            }
            b.append(t.text());
        }
        return b.toString();
    }
}
