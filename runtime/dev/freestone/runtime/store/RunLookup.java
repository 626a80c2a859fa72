package dev.freestone.runtime.store;

import java.util.List;
import java.util.Objects;

/** The answer to "which run does this id or id prefix name?"; a user's typo is a value, not an exception. */
public sealed interface RunLookup {

    /** The query as given by the user. */
    String query();

    /** A one-line message for the user, in the style of the diagnostics. */
    String message();

    record Found(String query, RunRecord run) implements RunLookup {
        public Found {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(run, "run");
        }

        @Override
        public String message() {
            return "run " + run.id();
        }
    }

    record NotFound(String query) implements RunLookup {
        public NotFound {
            Objects.requireNonNull(query, "query");
        }

        @Override
        public String message() {
            return RunStore.LATEST.equals(query) ? "no run is `" + query + "`: the store has no runs yet"
                    : "no run matches `" + query + "`";
        }
    }

    /**
     * @param candidates the first matching ids in order (at most {@link RunStore#AMBIGUOUS_SHOWN})
     * @param count      how many runs match in all
     */
    record Ambiguous(String query, List<String> candidates, int count) implements RunLookup {
        public Ambiguous {
            Objects.requireNonNull(query, "query");
            candidates = List.copyOf(candidates);
        }

        @Override
        public String message() {
            String more = count > candidates.size() ? " and " + (count - candidates.size()) + " more" : "";
            return "run id `" + query + "` is ambiguous: it matches " + String.join(", ", candidates) + more;
        }
    }
}
