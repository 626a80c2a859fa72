package dev.freestone.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a request against Argo's Swagger 2.0 spec: the path template and method exist, every
 * query parameter is declared, and a JSON body validates against the definition its body
 * parameter references ({@code #/definitions/...} resolved inside the spec).
 */
public final class SwaggerContract {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private final JsonNode swagger;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public SwaggerContract(Path file) throws IOException {
        this.swagger = MAPPER.readTree(file.toFile());
        // Argo's spec types IntOrString as a string only; the API server takes both (e.g. retryStrategy.limit: 2)
        ObjectNode intOrString = MAPPER.createObjectNode();
        intOrString.putArray("type").add("string").add("integer");
        ((ObjectNode) swagger.path("definitions")).set(INT_OR_STRING, intOrString);
    }

    /** The problems with one request; empty when it matches the spec. */
    public List<String> check(String method, String pathAndQuery, Optional<String> body) {
        List<String> problems = new ArrayList<>();
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        String query = pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
        Optional<JsonNode> operation = operation(method.toLowerCase(), path);
        if (operation.isEmpty()) {
            problems.add(method + " " + path + " is not in Argo's API");
            return problems;
        }
        Set<String> declared = new HashSet<>();
        String bodyRef = null;
        for (JsonNode p : operation.get().path("parameters")) {
            if ("query".equals(p.path("in").asText())) {
                declared.add(p.path("name").asText());
            }
            if ("body".equals(p.path("in").asText())) {
                bodyRef = p.path("schema").path("$ref").asText(null);
            }
        }
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                if (!declared.contains(name)) {
                    problems.add(method + " " + path + ": undeclared query parameter " + name);
                }
            }
        }
        if (bodyRef == null) {
            if (body.isPresent() && !body.get().isBlank()) {
                problems.add(method + " " + path + " takes no body");
            }
            return problems;
        }
        if (body.isEmpty() || body.get().isBlank()) {
            problems.add(method + " " + path + " needs a " + bodyRef + " body");
            return problems;
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body.get());
        } catch (IOException e) {
            problems.add(method + " " + path + ": body is not JSON");
            return problems;
        }
        for (ValidationMessage m : schema(bodyRef).validate(json)) {
            problems.add(method + " " + path + ": " + m.getMessage());
        }
        return problems;
    }

    private JsonSchema schema(String ref) {
        return schemas.computeIfAbsent(ref, r -> {
            ObjectNode root = MAPPER.createObjectNode();
            root.put("$ref", r);
            root.set("definitions", swagger.path("definitions"));
            return factory.getSchema(root);
        });
    }

    /** The operation of the most literal template that matches (so {@code .../lint} beats {@code .../{name}}). */
    private Optional<JsonNode> operation(String method, String path) {
        JsonNode best = null;
        int bestLiterals = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = swagger.path("paths").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String template = e.getKey();
            String regex = Pattern.quote(template).replaceAll("\\{[^}]+\\}", "\\\\E[^/]+\\\\Q");
            if (!Pattern.matches(regex, path) || !e.getValue().has(method)) {
                continue;
            }
            int literals = template.replaceAll("\\{[^}]+\\}", "").length();
            if (literals > bestLiterals) {
                best = e.getValue().get(method);
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }
}
