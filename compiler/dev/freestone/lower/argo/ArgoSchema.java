package dev.freestone.lower.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Argo's JSON schema ({@code api/jsonschema/schema.json} of argo-workflows), made strict enough to catch
 * what the API server would reject, and compiled once per kind.
 *
 * <p>The file is reference data that is not shipped in the jar: {@link #load(Path)} reads it. Two changes
 * make it match what Kubernetes accepts and rejects:
 * <ul>
 *   <li>{@code IntOrString} and {@code Quantity} are typed {@code string} only in the schema, while the API
 *       server takes {@code limit: 3} and {@code cpu: 1}: they are widened to accept numbers too;</li>
 *   <li>the schema never sets {@code additionalProperties: false}, so {@code containr:} would pass: every
 *       definition that lists its properties is closed. Definitions without a property list stay open
 *       (free-form maps such as {@code Plugin}, {@code Item}, {@code FieldsV1}); inline maps (labels,
 *       annotations, resource limits) are {@code additionalProperties} schemas and are left alone.</li>
 * </ul>
 * Each kind (Workflow, WorkflowTemplate, CronWorkflow, ...) is validated against
 * {@code {"$ref": "#/definitions/io.argoproj.workflow.v1alpha1.<Kind>"}} with all definitions beside it,
 * compiled on first use and cached; an instance is safe to share between threads.
 */
public final class ArgoSchema {
    static final String DEFINITION_PREFIX = "io.argoproj.workflow.v1alpha1.";
    private static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    private static final String DEFINITIONS_REF = "#/definitions/";
    private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private final ObjectNode definitions;
    private final Set<String> kinds;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_PATH).formatAssertionsEnabled(false).build();
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    private ArgoSchema(ObjectNode definitions, Set<String> kinds) {
        this.definitions = definitions;
        this.kinds = kinds;
    }

    /** Reads Argo's {@code schema.json}; throws when the file is missing or is not that schema. */
    public static ArgoSchema load(Path schemaJson) throws IOException {
        JsonNode root;
        if (Files.exists(schemaJson) && !Files.isRegularFile(schemaJson)) {
            // a FIFO would be read until someone writes to it; a directory cannot be read
            throw new IOException("cannot read Argo's JSON schema " + schemaJson + ": it is not a regular file");
        }
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(schemaJson));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the parser's own message ends with a line about its settings (`Source: REDACTED ...`)
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new IOException(schemaJson + " is not JSON: " + e.getOriginalMessage() + at, e);
        } catch (IOException e) {
            throw new IOException("cannot read Argo's JSON schema " + schemaJson + ": " + e.getMessage(), e);
        }
        if (root == null || !(root.get("definitions") instanceof ObjectNode defs)) {
            throw new IOException(schemaJson + " is not Argo's JSON schema: it has no definitions");
        }
        Set<String> kinds = new TreeSet<>();
        for (JsonNode alt : root.path("oneOf")) {
            String ref = alt.path("$ref").asText("");
            int at = ref.lastIndexOf(DEFINITION_PREFIX);
            if (at >= 0) {
                kinds.add(ref.substring(at + DEFINITION_PREFIX.length()));
            }
        }
        if (kinds.isEmpty()) {
            throw new IOException(schemaJson + " is not Argo's JSON schema: its oneOf names no Argo kind");
        }
        Optional<String> dangling = danglingReference(root, defs);
        if (dangling.isPresent()) {
            // the validator would fail on it only when a manifest is checked, as if Freestone were broken
            throw new IOException(schemaJson + " is not Argo's JSON schema: its reference " + dangling.get()
                    + " names none of its definitions");
        }
        ObjectNode patched = defs.deepCopy();
        widen(patched, INT_OR_STRING, "string", "integer");
        widen(patched, QUANTITY, "string", "number");
        closeObjects(patched);
        return new ArgoSchema(patched, kinds);
    }

    /** The kinds this schema describes, e.g. {@code [ClusterWorkflowTemplate, CronWorkflow, Workflow, ...]}. */
    public Set<String> kinds() {
        return kinds;
    }

    /** Every place where {@code manifest} breaks the schema of its {@code kind}, in path order; empty when valid. */
    public List<SchemaProblem> validate(JsonNode manifest) {
        if (manifest == null || !manifest.isObject()) {
            return List.of(new SchemaProblem(ManifestPath.root(), "type", "a manifest must be an object"));
        }
        String kind = manifest.path("kind").asText("");
        if (!kinds.contains(kind)) {
            String message = kind.isEmpty()
                    ? "missing `kind`: expected one of " + String.join(", ", kinds)
                    : "unknown kind `" + kind + "`: expected one of " + String.join(", ", kinds);
            return List.of(new SchemaProblem(ManifestPath.root().field("kind"), "kind", message));
        }
        JsonSchema schema = compiled.computeIfAbsent(kind, this::compile);
        return SchemaMessages.problems(schema.validate(manifest));
    }

    private JsonSchema compile(String kind) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("$schema", DIALECT);
        root.put("$ref", DEFINITIONS_REF + DEFINITION_PREFIX + kind);
        root.set("definitions", definitions);
        return factory.getSchema(root, config);
    }

    /** The first {@code $ref} that is not {@code #/definitions/NAME} of one of {@code defs}, in document order. */
    private static Optional<String> danglingReference(JsonNode node, ObjectNode defs) {
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual()) {
            String target = ref.asText();
            if (!target.startsWith(DEFINITIONS_REF) || !defs.has(target.substring(DEFINITIONS_REF.length()))) {
                return Optional.of(target);
            }
        }
        for (JsonNode child : node) {
            Optional<String> found = danglingReference(child, defs);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static void widen(ObjectNode defs, String name, String... types) {
        if (defs.get(name) instanceof ObjectNode def) {
            ArrayNode type = def.putArray("type");
            for (String t : types) {
                type.add(t);
            }
        }
    }

    private static void closeObjects(ObjectNode defs) {
        for (Map.Entry<String, JsonNode> entry : defs.properties()) {
            if (entry.getValue() instanceof ObjectNode def && listsProperties(def)
                    && !def.has("additionalProperties") && !def.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                def.put("additionalProperties", false);
            }
        }
    }

    private static boolean listsProperties(ObjectNode def) {
        JsonNode type = def.get("type");
        boolean object = type == null || "object".equals(type.asText());
        return object && def.get("properties") instanceof ObjectNode props && props.size() > 0;
    }

    /** Problems from several manifests, in manifest order; for callers that validate a whole bundle. */
    public List<List<SchemaProblem>> validateAll(List<JsonNode> manifests) {
        List<List<SchemaProblem>> out = new ArrayList<>();
        for (JsonNode m : manifests) {
            out.add(validate(m));
        }
        return out;
    }
}
