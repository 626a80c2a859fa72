package dev.freestone.runtime.argo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reading and writing Argo's JSON with Jackson 2 (the project's Jackson; fabric8 brings its own 3). */
final class ArgoJson {
    static final ObjectMapper MAPPER = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ArgoJson() {
    }

    static ObjectNode parseObject(String json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new ArgoException(ArgoError.Kind.Server, what + " is not a JSON object",
                    "the server did not answer like Argo's API; check the URL");
        } catch (JsonProcessingException e) {
            // where, never what: the parser's message quotes the text, which may echo a credential
            String at = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ArgoException(ArgoError.Kind.Server, what + " is not JSON" + at,
                    "the server did not answer like Argo's API; check the URL");
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** The text at a path of fields, empty when absent, null or blank. */
    static Optional<String> text(JsonNode node, String... path) {
        JsonNode at = node;
        for (String field : path) {
            if (at == null) {
                return Optional.empty();
            }
            at = at.get(field);
        }
        if (at == null || at.isNull() || at.isContainerNode()) {
            return Optional.empty();
        }
        String value = at.asText();
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    static Optional<Instant> time(JsonNode node, String field) {
        return text(node, field).flatMap(t -> {
            try {
                return Optional.of(Instant.parse(t));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    static String name(JsonNode object) {
        return text(object, "metadata", "name").orElse("");
    }

    /**
     * The object as messages name it: a {@code generateName} as {@code prefix*} (the name Freestone picks for
     * it is only a try until the server took it), else its name, else {@code *}.
     */
    static String shownName(JsonNode object) {
        return text(object, "metadata", "generateName").map(g -> g + "*")
                .orElseGet(() -> text(object, "metadata", "name").orElse("*"));
    }
}
