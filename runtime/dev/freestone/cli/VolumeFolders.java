package dev.freestone.cli;

import dev.freestone.check.Type;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code --volume claim=DIR}: the host folder a local run gives the steps that mount PersistentVolumeClaim
 * {@code claim} (else {@code $FREESTONE_HOME/volumes/<claim>/}). A run records its folders (event {@code volume}),
 * so that its resume mounts the same ones; a {@code --volume} given to the resume wins.
 */
final class VolumeFolders {
    static final String VOLUME_EVENT = "volume";

    private VolumeFolders() {
    }

    /**
     * The folders given, absolute, relative ones against {@code cwd}. A malformed option is a usage error (exit 2); a
     * folder that is not there is the user's (exit 1): a run does not make a folder the user named, it could be a typo.
     */
    static Map<String, Path> parse(List<String> given, Path cwd) {
        Map<String, Path> folders = new TreeMap<>();
        for (String g : given) {
            int eq = g.indexOf('=');
            String claim = eq < 0 ? g : g.substring(0, eq);
            if (eq < 0 || eq == g.length() - 1 || !Type.Volume.isClaimName(claim)) {
                throw new UserError("--volume " + g + ": expected CLAIM=DIR, CLAIM a PersistentVolumeClaim's name",
                        "e.g. `--volume datasets=./data` (lower-case letters, digits, `-` and `.`)", Main.USAGE);
            }
            Path dir = cwd.resolve(g.substring(eq + 1)).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new UserError("--volume " + claim + ": no such folder " + dir,
                        "give an existing folder, or leave --volume out to use " + "$FREESTONE_HOME/volumes/" + claim + "/");
            }
            if (folders.putIfAbsent(claim, dir) != null) {
                throw new UserError("--volume " + claim + " is given twice", "give each claim one folder", Main.USAGE);
            }
        }
        return folders;
    }

    /** Records the folders of run {@code runId}, one event each. */
    static void record(RunStore store, String runId, Map<String, Path> folders) {
        folders.forEach((claim, dir) -> store.appendEvent(runId, Optional.empty(), VOLUME_EVENT, claim + " " + dir));
    }

    /**
     * The folders the resume of run {@code runId} mounts: those it recorded, each {@code given} again winning. A
     * recorded folder that is gone is the user's (exit 1), as for {@code --volume}: made anew it would be an empty claim.
     */
    static Map<String, Path> forResume(String runId, List<EventRecord> events, Map<String, Path> given) {
        Map<String, Path> folders = recorded(events);
        folders.putAll(given);
        folders.forEach((claim, dir) -> {
            if (!Files.isDirectory(dir)) {
                throw new UserError("run " + runId + " mounted volume `" + claim + "` from " + dir + ", which is no longer"
                        + " there", "give its new place with `freestone resume " + runId + " --volume " + claim + "=DIR`");
            }
        });
        return folders;
    }

    /** The folders a run recorded. */
    private static Map<String, Path> recorded(List<EventRecord> events) {
        Map<String, Path> folders = new TreeMap<>();
        for (EventRecord e : events) {
            if (e.kind().equals(VOLUME_EVENT)) {
                String[] parts = e.message().split(" ", 2);
                folders.put(parts[0], Path.of(parts[1]));
            }
        }
        return folders;
    }
}
