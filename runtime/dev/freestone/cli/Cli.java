package dev.freestone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.freestone.diag.DidYouMean;
import dev.freestone.runtime.local.LocalEngine;
import dev.freestone.runtime.store.FreestoneHome;
import dev.freestone.runtime.store.RunLookup;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** What the commands share: the store location, JSON output, run lookup by id prefix. */
final class Cli {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** How a command that takes one run says what it takes (`@latest` as in `argo get @latest`). */
    static final String RUN_ID = "A run id, a unique prefix of one, or @latest (the newest run).";
    static final String RUN_IDS = "Run ids, unique prefixes, or @latest (the newest run).";

    private Cli() {
    }

    /** Text for people, JSON for scripts. */
    enum Format { text, json }

    /** The environment of the command being run: the process's, or the one a caller of {@link Main#run} gave. */
    private static final ThreadLocal<java.util.Map<String, String>> ENV = new ThreadLocal<>();

    static java.util.Map<String, String> env() {
        java.util.Map<String, String> given = ENV.get();
        return given != null ? given : System.getenv();
    }

    /** Runs {@code body} with {@code env} as the environment seen by {@link #env()} (in-process callers, tests). */
    static <T> T withEnv(java.util.Map<String, String> env, java.util.function.Supplier<T> body) {
        java.util.Map<String, String> before = ENV.get();
        ENV.set(java.util.Map.copyOf(env));
        try {
            return body.get();
        } finally {
            if (before == null) {
                ENV.remove();
            } else {
                ENV.set(before);
            }
        }
    }

    /**
     * Refuses a {@code FREESTONE_LAUNCHER} the engine does not know: it would start the steps from
     * the JVM as if unset, and a typo ({@code pyhton}) would go unnoticed. A usage error, before any work.
     * The engine reads the choice from the process (one launcher serves the whole JVM), so an in-process
     * caller's own {@code FREESTONE_LAUNCHER} that differs from it is refused too: it would be ignored.
     */
    static void checkLauncher() {
        String given = env().get("FREESTONE_LAUNCHER");
        refuseUnknownLauncher(given);
        Optional<String> used = LocalEngine.launcherChoice();
        refuseUnknownLauncher(used.orElse(null));
        if (given != null && !given.isEmpty() && !used.map(given::equalsIgnoreCase).orElse(false)) {
            throw new UserError("FREESTONE_LAUNCHER is `" + given + "` in the environment given to this run, but the engine"
                    + " starts steps " + used.map(u -> "with `" + u + "`").orElse("with the first helper that works"),
                    "one launcher serves every run of the JVM: an embedder picks it with the system property"
                            + " freestone.launcher or its own process's FREESTONE_LAUNCHER", Main.USAGE);
        }
    }

    private static void refuseUnknownLauncher(String choice) {
        if (choice == null || choice.isEmpty()
                || LocalEngine.LAUNCHERS.stream().anyMatch(choice::equalsIgnoreCase)) {
            return;
        }
        String accepted = "set it to python, perl or jvm, or unset it to use the first helper that works";
        String help = DidYouMean.closest(choice.toLowerCase(java.util.Locale.ROOT), LocalEngine.LAUNCHERS)
                .map(c -> "did you mean `" + c + "`? " + accepted).orElse(accepted);
        throw new UserError("FREESTONE_LAUNCHER is `" + choice + "`, which is not a way to start steps",
                help + " (docs/local-engine.md)", Main.USAGE);
    }

    /** Where the home is, without creating it. */
    private static Path homeLocation() {
        // the freestone.home property wins (in-process tests and embedders), then FREESTONE_HOME
        String property = System.getProperty(FreestoneHome.PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        return FreestoneHome.resolve(env(), Path.of(System.getProperty("user.home")));
    }

    static RunStore openStore() {
        return openStore(homeLocation());
    }

    private static RunStore openStore(Path home) {
        try {
            return RunStore.open(FreestoneHome.create(home));
        } catch (StoreException e) {
            throw new UserError("cannot open the run store: " + e.getMessage(),
                    e.help().orElse("set FREESTONE_HOME to a writable directory (default ~/.freestone)"));
        }
    }

    /**
     * Opens the run store on another thread, to overlap with work the caller does meanwhile (the
     * store's first opening takes 30-50 ms: its native library, its schema check); {@link
     * EarlyStore#get} then waits for it. Only a store that exists already is opened early, so that a
     * command that fails before it needs the store never creates one.
     */
    static EarlyStore openStoreEarly() {
        Path home = homeLocation();
        if (!Files.isRegularFile(home.resolve(RunStore.DATABASE_FILE))) {
            return new EarlyStore(null);
        }
        return new EarlyStore(CompletableFuture.supplyAsync(() -> openStore(home)));
    }

    /** A store being opened by {@link #openStoreEarly}, or none. */
    static final class EarlyStore {
        private final CompletableFuture<RunStore> opening;

        private EarlyStore(CompletableFuture<RunStore> opening) {
            this.opening = opening;
        }

        /** The open store (opened now, when it was not opened early); its errors are the caller's. */
        RunStore get() {
            if (opening == null) {
                return openStore();
            }
            try {
                return opening.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }

        /** The caller will not use the store: it is closed once open, and its errors are dropped. */
        void discard() {
            if (opening != null) {
                opening.handle((store, error) -> {
                    if (store != null) {
                        store.close();
                    }
                    return null;
                }).join();
            }
        }
    }

    /** The run statuses a user named in {@code --status} (any case, trimmed); a name that is none is a usage error. */
    static Set<RunStatus> statuses(List<String> given) {
        Set<RunStatus> out = EnumSet.noneOf(RunStatus.class);
        List<String> names = Arrays.stream(RunStatus.values()).map(Enum::name).toList();
        for (String s : given) {
            Optional<String> match = names.stream().filter(n -> n.equalsIgnoreCase(s.trim())).findFirst();
            if (match.isEmpty()) {
                throw new UserError("`" + s + "` is not a run status", DidYouMean.help(s, names,
                        "the statuses are " + String.join(", ", names)), Main.USAGE);
            }
            out.add(RunStatus.valueOf(match.get()));
        }
        return out;
    }

    /** The run statuses, as Tab completes {@code --status} (its values are read by {@link #statuses}, any case). */
    static final class StatusNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(RunStatus.values()).map(Enum::name).iterator();
        }
    }

    static RunRecord findRun(RunStore store, String idOrPrefix) {
        RunLookup lookup = store.getRun(idOrPrefix);
        if (lookup instanceof RunLookup.Found found) {
            return found.run();
        }
        throw new UserError(lookup.message(), lookup instanceof RunLookup.Ambiguous
                ? "give more characters of the run id"
                : RunStore.LATEST.equals(idOrPrefix) ? "`freestone run FILE` starts one"
                : "list runs with `freestone runs`; `@latest` names the newest");
    }

    /**
     * Why a file could not be read or written, in a few words: the JDK's message of a denied read is the file's name
     * alone (`cannot read u.pipe: u.pipe`), and of a failed one the name before the reason.
     */
    static String ioProblem(java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String time(Optional<Instant> at) {
        return at.map(Instant::toString).orElse("");
    }

    static String seconds(Duration d) {
        return d.getSeconds() + "s";
    }

    static String elapsed(Instant start, Optional<Instant> end) {
        Duration d = Duration.between(start, end.orElse(Instant.now()));
        long s = d.getSeconds();
        if (s < 60) {
            return String.format("%.1fs", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /**
     * Left-aligned columns, two spaces apart, to be printed through {@code out}: each as wide as its cells show there
     * ({@link StandardOut#columns(String, java.io.PrintWriter)}: on a terminal an ESC a step wrote takes the two
     * columns of {@code ^[}, a CJK character two, a combining mark none), so that a row lines up whatever its text.
     */
    static String table(List<String[]> rows, java.io.PrintWriter out) {
        if (rows.isEmpty()) {
            return "";
        }
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        int[][] shown = new int[rows.size()][cols];
        for (int k = 0; k < rows.size(); k++) {
            for (int i = 0; i < cols; i++) {
                shown[k][i] = StandardOut.columns(rows.get(k)[i], out);
                width[i] = Math.max(width[i], shown[k][i]);
            }
        }
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(r[i]);
                if (i < cols - 1) {
                    line.append(" ".repeat(width[i] - shown[k][i] + 2));
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
