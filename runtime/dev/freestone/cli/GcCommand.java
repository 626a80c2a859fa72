package dev.freestone.cli;

import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.Sweep;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "gc", mixinStandardHelpOptions = true, description = {
    "Reclaim space: remove the artifacts no run refers to, the folders of runs that are no longer recorded, and what"
            + " interrupted commands left behind (`delete` does this too), and give back the space deleted runs left"
            + " free in the database (SQLite's VACUUM).",
    "Artifacts are not removed, nor the database compacted, while a local run is in progress on this store (it may be"
            + " about to reuse them): run it again once it ends. A run started meanwhile waits for it."})
final class GcCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "List what would be removed and the space it would free; change nothing.")
    boolean dryRun;

    @Option(names = "--output", defaultValue = "text", description = "text or json.")
    Cli.Format output;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RunStore store = Cli.openStore()) {
            Sweep.Outcome swept = Sweep.gc(store, dryRun);
            if (output == Cli.Format.json) {
                out.println(Cli.json(json(swept, dryRun)));
            } else {
                out.println((dryRun ? "would free " : "freed ") + summary(swept));
                notes(swept, err);
            }
            out.flush();
            return failures(swept, err);
        }
    }

    /**
     * What could not be removed, one error each on {@code err}; {@link Main#FAILED} when anything, else
     * {@link Main#OK}. Said after the rest (in --output json too): the other paths were removed.
     */
    static int failures(Sweep.Outcome s, PrintWriter err) {
        for (String f : s.failures()) {
            err.println("error: could not remove " + f);
        }
        if (!s.failures().isEmpty()) {
            err.println("  = help: make " + (s.failures().size() == 1 ? "it" : "them") + " removable (a file a step gave"
                    + " another owner, or made immutable with `chattr +i`), then run `freestone gc` again");
        }
        err.flush();
        return s.failures().isEmpty() ? Main.OK : Main.FAILED;
    }

    /**
     * {@code 1.2 KiB (1 run folder, 3 artifacts, 0 temporary files)}, and the database's part when {@code gc}
     * vacuumed it: {@code 41.2 KiB (..., 0 temporary files, 40.0 KiB of the database)}.
     */
    static String summary(Sweep.Outcome s) {
        return CompileCommand.size(s.bytes() + s.databaseBytes()) + " (" + count(s.runFolders().size(), "run folder") + ", "
                + count(s.objects().size(), "artifact") + ", " + count(s.leftovers().size(), "temporary file")
                + (s.databaseBytes() > 0 ? ", " + CompileCommand.size(s.databaseBytes()) + " of the database" : "") + ")";
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    static void notes(Sweep.Outcome s, PrintWriter err) {
        if (s.objectsHeld()) {
            err.println("note: a local run is in progress on this store: artifacts no run refers to are kept until it ends");
            err.println("  = help: `freestone gc` removes them once no run is in progress");
        }
        s.notes().forEach(n -> err.println("note: " + n));
    }

    static Map<String, Object> json(Sweep.Outcome s, boolean dryRun) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dryRun", dryRun);
        doc.put("freedBytes", s.bytes());
        doc.put("databaseBytes", s.databaseBytes());
        doc.put("runFolders", s.runFolders().stream().map(p -> p.getFileName().toString()).toList());
        doc.put("artifacts", s.objects());
        doc.put("leftovers", s.leftovers().size());
        doc.put("artifactsKept", s.objectsHeld());
        doc.put("notes", s.notes());
        doc.put("failures", s.failures());
        return doc;
    }
}
