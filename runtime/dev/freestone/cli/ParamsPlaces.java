package dev.freestone.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.freestone.check.RunArguments;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each parameter of a {@code --params} file (YAML or JSON, a map at the top) was written: its key
 * and its value, from the parser's token locations, so that a wrong value is shown at its line and
 * column with the line and a caret. A value that spans lines is marked on its first line.
 */
final class ParamsPlaces {
    private ParamsPlaces() {
    }

    /**
     * The places of the top-level keys of {@code file}, which has been read as a map already; empty when
     * the file cannot be read again as text (the values are then named {@code --param NAME}).
     */
    static Map<String, RunArguments.Place> of(Path file) {
        Source source;
        try {
            source = new Source(file.toString(), Files.readString(file));
        } catch (IOException e) {
            return Map.of();
        }
        Map<String, RunArguments.Place> places = new HashMap<>();
        try (JsonParser p = new YAMLFactory().createParser(source.text())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Map.of();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                Span key = spanOf(source, p.currentTokenLocation(), p.currentLocation());
                p.nextToken();
                places.put(name, valueAt(p, source, key));
            }
        } catch (IOException | RuntimeException e) {
            return places; // what was read before the mistake the first reading reported
        }
        return places;
    }

    /**
     * The place of the value at the parser's token, named {@code key} (an element of a list, which has none, by its
     * value), with its elements' when it is a list; leaves the parser on the value's last token.
     */
    private static RunArguments.Place valueAt(JsonParser p, Source source, Span key) throws IOException {
        JsonLocation start = p.currentTokenLocation();
        List<RunArguments.Place> items = new ArrayList<>();
        if (p.currentToken() == JsonToken.START_ARRAY) {
            for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
                items.add(valueAt(p, source, null));
            }
        } else {
            p.skipChildren();
        }
        Span value = spanOf(source, start, p.currentLocation());
        return new RunArguments.Place(key == null ? value : key, value, items);
    }

    /** From {@code start} to {@code end}, cut at the end of the first line. */
    private static Span spanOf(Source source, JsonLocation start, JsonLocation end) {
        int from = offsetOf(source, start);
        int to = end.getLineNr() == start.getLineNr() ? offsetOf(source, end)
                : source.offsetOf(start.getLineNr(), 1) + source.line(start.getLineNr()).length();
        return source.span(from, Math.max(from + 1, to));
    }

    /** The parser counts a line's columns in code points, {@link Source} in chars: an emoji is two of those. */
    private static int offsetOf(Source source, JsonLocation at) {
        String line = source.line(at.getLineNr());
        int codePoints = Math.min(Math.max(0, at.getColumnNr() - 1), line.codePointCount(0, line.length()));
        return source.offsetOf(at.getLineNr(), 1) + line.offsetByCodePoints(0, codePoints);
    }
}
