package dev.freestone.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Span;
import java.util.List;
import java.util.SortedMap;

/**
 * The run arguments ({@code --param name=value}) of one pipeline, parsed by the parameter types:
 * {@code values} has one JSON value per given parameter (durations in seconds, like IR constants;
 * parameters not given are absent: their defaults are in the IR). {@code pipeline} is the chosen
 * pipeline, null when none could be chosen.
 */
public record RunArguments(String pipeline, SortedMap<String, JsonNode> values, List<Diagnostic> diagnostics) {
    public RunArguments {
        values = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(values));
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return Diagnostic.hasErrors(diagnostics);
    }

    /**
     * Where a run argument was written when it came from a file ({@code --params}): its name and its
     * value, so that a mistake in it is shown there like any other diagnostic, and, when the value is a
     * list, each element's place ({@code items}), so that one file of a list is shown as itself; an
     * element has no name of its own, its {@code name} is its value. An argument without one is named
     * {@code --param NAME}.
     */
    public record Place(Span name, Span value, List<Place> items) {
        public Place {
            items = List.copyOf(items);
        }

        /** The place of the list's {@code i}th element; this one's where it has none (a value that is no list). */
        public Place item(int i) {
            return i < items.size() ? items.get(i) : this;
        }
    }
}
