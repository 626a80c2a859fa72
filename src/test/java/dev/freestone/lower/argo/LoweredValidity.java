package dev.freestone.lower.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Checks a lowering result the way the cluster would: Argo's schema and Argo's validator rules, on the YAML text. */
public final class LoweredValidity {
    private static ArgoSchema schema;

    private LoweredValidity() {
    }

    static synchronized ArgoSchema schema() {
        if (schema == null) {
            try {
                schema = ArgoSchema.load(SharedData.file("argo/schema.json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schema;
    }

    /** The YAML parses back to the manifests; every manifest passes the schema and the bundle passes the lint. */
    public static List<String> problems(Lowered lowered) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(lowered.yaml())) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(lowered.manifests().size(), docs.size(), "documents in the YAML");
        for (int i = 0; i < docs.size(); i++) {
            assertEquals(lowered.manifests().get(i).toString(), docs.get(i).toString(), "the YAML reads back to manifest " + i);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < docs.size() && SharedData.isAvailable(); i++) {
            for (SchemaProblem p : schema().validate(docs.get(i))) {
                out.add("schema #" + i + ": " + p);
            }
        }
        for (LintFinding f : ArgoLint.lint(docs)) {
            out.add("lint " + f);
        }
        return out;
    }

    /** The template named {@code name} of a lowered Workflow (or WorkflowTemplate). */
    public static JsonNode template(JsonNode manifest, String name) {
        for (JsonNode t : manifest.path("spec").path("templates")) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no template " + name);
    }
}
