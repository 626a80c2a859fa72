package dev.freestone.diag;

import java.util.Map;
import java.util.Optional;

/**
 * What the keys of an Argo Workflows DAG task or template are written as here, for the help of the mistake an Argo user
 * makes by writing them (`dependencies: [a]` under a step, `retryStrategy` in a component): the parser and the checker
 * both name the construct that does it, not only that the text is wrong.
 */
public final class ArgoWords {
    private ArgoWords() {
    }

    private static final String AFTER = "is `after` at the end of the call: `b = step(...) after a, c`; a step that"
            + " reads `a.out` waits for `a` by itself";
    private static final String FOR = "is a `for` around the steps: `for x in [\"a\", \"b\"] { s = step(x = x) }`, or,"
            + " over a step's JSON output, `for x in gen.items { ... }` where `items` is an output declared `List[...]`";

    private static final String MUTEX = "is the setting `mutex = \"gpu\"` (a name, or a list of names), in the component,"
            + " at the call, or in a pipeline's own `with { ... }` for the whole run";
    private static final String SEMAPHORE = "(several holders at once, counted in a ConfigMap) is not supported; `mutex ="
            + " \"gpu\"` lets one step or run hold it at a time";

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("dependencies", AFTER),
            Map.entry("depends", AFTER),
            Map.entry("when", "is an `if` around the steps, over outputs by their names: `if flip.result == \"heads\" { ... }`"),
            Map.entry("withItems", FOR),
            Map.entry("withParam", FOR),
            Map.entry("withSequence", FOR),
            Map.entry("retryStrategy", "is the setting `retry { limit = 3  backoff = 10s  factor = 2  max_backoff = 5m"
                    + "  policy = \"OnFailure\" }`, in the component or at the call (`with { retry { limit = 3 } }`)"),
            Map.entry("onExit", "is a `finally { ... }` block at the end of the pipeline, which can read `run.status`"),
            Map.entry("activeDeadlineSeconds", "is the setting `timeout = 30m` (a Duration)"),
            Map.entry("nodeSelector", "is the setting `node_selector { \"disktype\" = \"ssd\" }`"),
            Map.entry("synchronization", MUTEX),
            Map.entry("mutexes", MUTEX),
            Map.entry("semaphore", SEMAPHORE),
            Map.entry("semaphores", SEMAPHORE));

    /** Keys of Argo's {@code retryStrategy} and its {@code backoff}, by the setting of {@code retry { ... }}. */
    private static final Map<String, String> RETRY = Map.of(
            "retryPolicy", "is `policy = \"OnFailure\"` (or Always, OnError, OnTransientError)",
            "maxDuration", "bounds all the retries; here `max_backoff = 1m` caps each delay",
            "cap", "is `max_backoff = 1m`",
            "duration", "is `backoff = 10s`");

    /** The help for Argo's key {@code key} written where a `.pipe` construct does the same, or empty. */
    public static Optional<String> help(String key) {
        return Optional.ofNullable(HELP.get(key)).map(h -> "Argo's `" + key + "` " + h);
    }

    /** The help for Argo's key {@code key} of a {@code retryStrategy} written in {@code retry { ... }}, or empty. */
    public static Optional<String> retryHelp(String key) {
        return Optional.ofNullable(RETRY.get(key)).map(h -> "Argo's `" + key + "` " + h + " in `retry { ... }`");
    }
}
