package dev.freestone.lower.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a custom resource (a SparkApplication, TFJob, InferenceService, ... that a {@code resource}
 * template creates) against the {@code openAPIV3Schema} of its CustomResourceDefinition, for the served
 * version its {@code apiVersion} names.
 *
 * <p>The structural schema is turned into a draft-04 JSON schema the way the API server reads it: an object
 * that lists {@code properties} rejects other fields (the API server prunes them; for generated manifests a
 * dropped field is a bug) unless it has {@code x-kubernetes-preserve-unknown-fields}; {@code
 * x-kubernetes-int-or-string} accepts an integer or a string; {@code nullable} accepts null; the root and
 * {@code x-kubernetes-embedded-resource} objects always allow {@code apiVersion}, {@code kind} and
 * {@code metadata}. Not checked: CEL rules ({@code x-kubernetes-validations}), formats, list-type uniqueness,
 * and {@code metadata} itself (the API server validates ObjectMeta separately).
 */
public final class CrdSchema {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> DROPPED = Set.of("description", "example", "externalDocs", "default",
            "nullable", "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
            "x-kubernetes-map-type", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-embedded-resource");

    private final String group;
    private final String kind;
    private final Map<String, JsonNode> served;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_PATH).formatAssertionsEnabled(false).build();

    private CrdSchema(String group, String kind, Map<String, JsonNode> served) {
        this.group = group;
        this.kind = kind;
        this.served = served;
    }

    /** Reads a CRD YAML file (apiextensions.k8s.io/v1); throws when it is not a CRD with a served schema. */
    public static CrdSchema load(Path crdYaml) throws IOException {
        JsonNode crd = null;
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(crdYaml.toFile())) {
            while (docs.hasNext()) {
                JsonNode d = docs.next();
                if (d != null && "CustomResourceDefinition".equals(d.path("kind").asText())) {
                    crd = d;
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read CRD " + crdYaml + ": " + e.getMessage(), e);
        }
        if (crd == null) {
            throw new IOException(crdYaml + " holds no CustomResourceDefinition");
        }
        Map<String, JsonNode> served = new LinkedHashMap<>();
        for (JsonNode v : crd.path("spec").path("versions")) {
            JsonNode schema = v.path("schema").path("openAPIV3Schema");
            if (v.path("served").asBoolean(false) && schema.isObject()) {
                served.put(v.path("name").asText(), schema);
            }
        }
        if (served.isEmpty()) {
            throw new IOException(crdYaml + ": no served version has an openAPIV3Schema");
        }
        return new CrdSchema(crd.path("spec").path("group").asText(), crd.path("spec").path("names").path("kind").asText(),
                served);
    }

    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    /** The versions the CRD serves with a schema, in the CRD's order. */
    public List<String> servedVersions() {
        return List.copyOf(served.keySet());
    }

    /** Every place where {@code resource} breaks the schema of the version its apiVersion names, in path order. */
    public List<SchemaProblem> validate(JsonNode resource) {
        ManifestPath root = ManifestPath.root();
        if (resource == null || !resource.isObject()) {
            return List.of(new SchemaProblem(root, "type", "a resource must be an object"));
        }
        String apiVersion = resource.path("apiVersion").asText("");
        int slash = apiVersion.indexOf('/');
        String resourceGroup = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        if (!group.equals(resourceGroup)) {
            return List.of(new SchemaProblem(root.field("apiVersion"), "apiVersion",
                    "apiVersion `" + apiVersion + "` is not in group `" + group + "` of this CRD"));
        }
        if (!served.containsKey(version)) {
            return List.of(new SchemaProblem(root.field("apiVersion"), "apiVersion", "version `" + version
                    + "` is not served by this CRD (served: " + String.join(", ", served.keySet()) + ")"));
        }
        String resourceKind = resource.path("kind").asText("");
        if (!kind.equals(resourceKind)) {
            return List.of(new SchemaProblem(root.field("kind"), "kind",
                    "kind `" + resourceKind + "` is not `" + kind + "`, the kind of this CRD"));
        }
        JsonSchema schema = compiled.computeIfAbsent(version,
                v -> factory.getSchema(toJsonSchema(served.get(v), true, true), config));
        return SchemaMessages.problems(schema.validate(resource));
    }

    /**
     * One structural-schema node as JSON schema. {@code structural} is false inside allOf/anyOf/oneOf/not, whose
     * branches only add value checks and must not close the object a second time.
     */
    static ObjectNode toJsonSchema(JsonNode s, boolean structural, boolean root) {
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<String, JsonNode> e : s.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (DROPPED.contains(key)) {
                continue;
            }
            switch (key) {
                case "properties" -> {
                    ObjectNode props = out.putObject("properties");
                    value.properties().forEach(p -> props.set(p.getKey(), toJsonSchema(p.getValue(), structural, false)));
                }
                case "items", "additionalProperties" -> out.set(key,
                        value.isObject() ? toJsonSchema(value, structural, false) : value);
                case "allOf", "anyOf", "oneOf" -> {
                    ArrayNode branches = out.putArray(key);
                    value.forEach(b -> branches.add(toJsonSchema(b, false, false)));
                }
                case "not" -> out.set(key, toJsonSchema(value, false, false));
                default -> out.set(key, value);
            }
        }
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            out.remove("type");
            out.putArray("type").add("integer").add("string");
        }
        if (s.path("nullable").asBoolean(false) && out.path("type").isTextual()) {
            String type = out.path("type").asText();
            out.putArray("type").add(type).add("null");
        }
        if (!structural) {
            return out;
        }
        boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        boolean embedded = s.path("x-kubernetes-embedded-resource").asBoolean(false);
        if ((root || embedded) && out.get("properties") instanceof ObjectNode props) {
            props.putIfAbsent("apiVersion", JSON.objectNode().put("type", "string"));
            props.putIfAbsent("kind", JSON.objectNode().put("type", "string"));
            props.putIfAbsent("metadata", JSON.objectNode().put("type", "object"));
        }
        if (!preserve && out.get("properties") instanceof ObjectNode && !out.has("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        return out;
    }
}
