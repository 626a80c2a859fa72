package dev.freestone.lower.argo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a value sits inside a manifest: a list of object field names and array indexes, written
 * JSONPath-style ({@code $.spec.templates[0].dag.tasks[2].depends}, {@code $.metadata.labels['app.io/x']}).
 * Paths order segment by segment with indexes numerically, so findings sort in document order
 * ({@code tasks[2]} before {@code tasks[10]}).
 */
public record ManifestPath(List<Object> segments) implements Comparable<ManifestPath> {
    private static final ManifestPath ROOT = new ManifestPath(List.of());
    private static final Pattern PLAIN_FIELD = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

    public ManifestPath {
        for (Object s : segments) {
            if (!(s instanceof String) && !(s instanceof Integer)) {
                throw new IllegalArgumentException("a path segment is a field name or an index, not " + s);
            }
        }
        segments = List.copyOf(segments);
    }

    public static ManifestPath root() {
        return ROOT;
    }

    /** Parses the dotted form used in tests and messages: {@code spec.templates[0].name} (leading {@code $.} optional). */
    public static ManifestPath parse(String text) {
        String s = text.startsWith("$") ? text.substring(1) : text;
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int end = s.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed [ in path " + text);
                }
                String inner = s.substring(i + 1, end);
                if (inner.startsWith("'")) {
                    end = s.indexOf("']", i);
                    out.add(s.substring(i + 2, end).replace("\\'", "'"));
                    i = end + 2;
                    continue;
                }
                out.add(Integer.parseInt(inner));
                i = end + 1;
            } else {
                int j = i;
                while (j < s.length() && s.charAt(j) != '.' && s.charAt(j) != '[') {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        return new ManifestPath(out);
    }

    public ManifestPath field(String name) {
        List<Object> next = new ArrayList<>(segments);
        next.add(Objects.requireNonNull(name));
        return new ManifestPath(next);
    }

    public ManifestPath index(int i) {
        List<Object> next = new ArrayList<>(segments);
        next.add(i);
        return new ManifestPath(next);
    }

    /** This path followed by all of {@code rest}'s segments. */
    public ManifestPath then(ManifestPath rest) {
        List<Object> next = new ArrayList<>(segments);
        next.addAll(rest.segments);
        return new ManifestPath(next);
    }

    public List<Object> segments() {
        return Collections.unmodifiableList(segments);
    }

    @Override
    public int compareTo(ManifestPath o) {
        int n = Math.min(segments.size(), o.segments.size());
        for (int i = 0; i < n; i++) {
            Object a = segments.get(i);
            Object b = o.segments.get(i);
            int c;
            if (a instanceof Integer x && b instanceof Integer y) {
                c = Integer.compare(x, y);
            } else if (a instanceof String x && b instanceof String y) {
                c = x.compareTo(y);
            } else {
                c = a instanceof Integer ? -1 : 1; // indexes before names; they never meet in one JSON value
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(segments.size(), o.segments.size());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("$");
        for (Object s : segments) {
            if (s instanceof Integer i) {
                b.append('[').append(i).append(']');
            } else if (PLAIN_FIELD.matcher((String) s).matches()) {
                b.append('.').append(s);
            } else {
                b.append("['").append(((String) s).replace("'", "\\'")).append("']");
            }
        }
        return b.toString();
    }
}
