package dev.freestone.lower.argo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML text: the manifests (multi-document, deterministic: object keys in the order they were built,
 * block style, quotes only where YAML needs them), and the manifest strings of resource templates.
 */
final class ManifestText {
    private ManifestText() {
    }

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .stringQuotingChecker(new QuoteWhatYamlWouldRetype())
            .build());

    /**
     * Quotes every string a YAML reader would read as something else ({@code 3.0E-4}, {@code on}, {@code ~}):
     * Jackson's own check misses some number spellings, and a parameter value must stay a string.
     */
    private static final class QuoteWhatYamlWouldRetype extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;
        private static final Resolver RESOLVER = new Resolver();

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || !RESOLVER.resolve(NodeId.scalar, value, true).equals(Tag.STR);
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** The documents separated by {@code ---}. */
    static String yaml(List<ObjectNode> documents) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode d : documents) {
            if (out.length() > 0) {
                out.append("---\n");
            }
            out.append(write(d));
        }
        return out.toString();
    }

    static String write(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An upper bound of the UTF-8 bytes of {@code node}'s YAML when written as an item of a block list whose
     * dashes sit at column {@code indent} (as {@code spec.templates} items do), without writing it: every
     * string counted as double-quoted with each character escaped that could be, literal blocks with their
     * header and indentation. Splitting objects by size uses it, so that the YAML is written once.
     */
    static long itemBytesBound(JsonNode node, int indent) {
        return 2 + nodeBound(node, indent + 2, true);
    }

    /** {@code node} as a value whose nested lines are indented to {@code indent}; {@code inline}: it follows "- " or "key: ". */
    private static long nodeBound(JsonNode node, int indent, boolean inline) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                return 3; // {}\n
            }
            long total = inline ? 0 : 1; // the line break after "key:"
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                total += indent + scalarBound(e.getKey(), indent) + 2; // "key: " or "key:\n"
                JsonNode v = e.getValue();
                if (v.isObject() && !v.isEmpty()) {
                    total += nodeBound(v, indent + 2, false);
                } else if (v.isArray() && !v.isEmpty()) {
                    total += nodeBound(v, indent, false);
                } else {
                    total += nodeBound(v, indent + 2, true);
                }
            }
            return total;
        }
        if (node.isArray()) {
            if (node.isEmpty()) {
                return 3; // []\n
            }
            long total = inline ? 0 : 1;
            for (JsonNode item : node) {
                total += indent + 2 + nodeBound(item, indent + 2, true);
            }
            return total;
        }
        if (node.isTextual()) {
            return scalarBound(node.asText(), indent) + 1;
        }
        return node.toString().length() + 3;
    }

    private static long scalarBound(String s, int indent) {
        long bytes = 2;
        long lines = 1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                lines++;
            }
            bytes += c < 0x20 || c == '"' || c == '\\' || c == 0x7f ? 6 : c < 0x80 ? 1 : 3;
        }
        // a literal block: "|-" with an indentation indicator, then each line indented
        return lines > 1 ? bytes + 6 + lines * (indent + 2L) : bytes;
    }

    /**
     * A resource manifest as YAML text with each string holding {@code ${input}} replaced by an Argo expression
     * that writes it as JSON, which is a YAML scalar whatever the value holds: Argo parses the manifest after
     * putting the values in, and a value spliced in as text could close its quotes or start lines of its own and
     * add fields to the created object. A string that is exactly one placeholder of a non-text input is the value
     * parsed as JSON and written again ({@code jsonpath(v, '$')}), so the object gets the number, boolean or
     * structure, and text that is no JSON value fails the step; any other string is {@code toJson} of its text.
     */
    static String render(JsonNode manifest, Map<String, Ir.Param> inputs) {
        List<String> raw = new ArrayList<>();
        JsonNode substituted = substitute(manifest.deepCopy(), inputs, raw);
        String text = write(substituted);
        for (int i = 0; i < raw.size(); i++) {
            text = text.replace("FSRAW" + i + "X", raw.get(i));
        }
        return text;
    }

    private static JsonNode substitute(JsonNode node, Map<String, Ir.Param> inputs, List<String> raw) {
        if (node.isTextual()) {
            String s = node.asText();
            List<String> parts = new ArrayList<>();
            int last = 0;
            Matcher m = PLACEHOLDER.matcher(s);
            while (m.find()) {
                if (inputs.containsKey(m.group(1))) {
                    if (m.start() > last) {
                        parts.add(Lit.str(s.substring(last, m.start())));
                    }
                    parts.add("inputs.parameters" + Lit.key(m.group(1)));
                    last = m.end();
                }
            }
            if (parts.isEmpty()) {
                return node;
            }
            if (last < s.length()) {
                parts.add(Lit.str(s.substring(last)));
            }
            String code = "toJson(" + String.join(" + ", parts) + ")";
            Matcher whole = PLACEHOLDER.matcher(s);
            if (whole.matches()) {
                IrType type = inputs.get(whole.group(1)).type();
                String spelling = type.stripOptional().spelling();
                if (!spelling.equals("String") && !spelling.equals("Quantity")) {
                    code = "toJson(jsonpath(" + parts.get(0) + ", '$'))";
                    if (type.isOptional()) {
                        // a null value is the empty text
                        code = parts.get(0) + " == '' ? 'null' : " + code;
                    }
                }
            }
            raw.add("{{=" + code + "}}");
            return JsonNodeFactory.instance.textNode("FSRAW" + (raw.size() - 1) + "X");
        }
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            it.forEachRemaining(entries::add);
            for (Map.Entry<String, JsonNode> e : entries) {
                o.set(e.getKey(), substitute(e.getValue(), inputs, raw));
            }
            return o;
        }
        if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, substitute(a.get(i), inputs, raw));
            }
            return a;
        }
        return node;
    }
}
