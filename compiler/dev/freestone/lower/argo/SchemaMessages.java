package dev.freestone.lower.argo;

import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Turns networknt's validation messages into {@link SchemaProblem}s with our paths and wording. */
final class SchemaMessages {
    private SchemaMessages() {
    }

    static List<SchemaProblem> problems(Collection<ValidationMessage> messages) {
        TreeSet<SchemaProblem> out = new TreeSet<>();
        for (ValidationMessage m : messages) {
            out.add(problem(m));
        }
        return List.copyOf(new ArrayList<>(out));
    }

    private static SchemaProblem problem(ValidationMessage m) {
        ManifestPath at = path(m.getInstanceLocation());
        String keyword = m.getType();
        String property = m.getProperty();
        return switch (keyword) {
            case "additionalProperties" -> new SchemaProblem(at.field(property), keyword, "unknown field `" + property + "`");
            case "required" -> new SchemaProblem(at.field(property), keyword, "missing required field `" + property + "`");
            default -> new SchemaProblem(at, keyword, strip(m.getMessage(), m.getInstanceLocation()));
        };
    }

    static ManifestPath path(JsonNodePath p) {
        ManifestPath out = ManifestPath.root();
        for (int i = 0; i < p.getNameCount(); i++) {
            Object e = p.getElement(i);
            out = e instanceof Integer idx ? out.index(idx) : out.field(String.valueOf(e));
        }
        return out;
    }

    /** networknt prefixes each message with the instance location; the path is carried separately. */
    private static String strip(String message, JsonNodePath at) {
        String prefix = at + ": ";
        String s = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
