package dev.freestone.lower.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ArgoSchema} against Argo's own JSON schema (reference data in {@code ../shared/argo}, skipped without
 * it): the valid corpus and Argo's real Workflow payloads pass both checks, each broken manifest produces
 * exactly its {@code # schema:} lines, and the schema is loaded once and reused.
 */
class ArgoSchemaTest {
    private static ArgoSchema schema;

    private static synchronized ArgoSchema schema() throws IOException {
        if (schema == null) {
            Path file = SharedData.file("argo/schema.json");
            long start = System.nanoTime();
            schema = ArgoSchema.load(file);
            System.out.printf("ArgoSchema.load: %.0f ms%n", (System.nanoTime() - start) / 1e6);
        }
        return schema;
    }

    static Stream<Path> valid() {
        return Manifests.yamlFiles(Manifests.resources("argo/valid")).stream();
    }

    static Stream<Path> invalid() {
        return Manifests.yamlFiles(Manifests.resources("argo/invalid")).stream();
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validManifestsMatchTheSchema(Path file) throws IOException {
        ArgoSchema s = schema();
        for (JsonNode m : Manifests.read(file)) {
            assertEquals(List.of(), strings(s.validate(m)), file.getFileName().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void brokenManifestsHaveExactlyTheExpectedSchemaProblems(Path file) throws IOException {
        ArgoSchema s = schema();
        List<String> found = new ArrayList<>();
        for (JsonNode m : Manifests.read(file)) {
            found.addAll(strings(s.validate(m)));
        }
        assertEquals(Manifests.expectations(file, "schema"), found, file.getFileName().toString());
    }

    /** Argo's real Workflow payloads (with status) from its test fixtures pass both checks. */
    @Test
    void argoStatusPayloadsPassBothChecks() throws IOException {
        ArgoSchema s = schema();
        List<Path> files = Manifests.yamlFiles(SharedData.file("argo/status"));
        assertTrue(files.size() >= 4, "expected Argo's status payloads in argo/status");
        for (Path f : files) {
            List<JsonNode> docs = Manifests.read(f);
            for (JsonNode m : docs) {
                assertEquals(List.of(), strings(s.validate(m)), f.getFileName().toString());
            }
            assertEquals(List.of(), ArgoLint.lint(docs).stream().map(LintFinding::toString).toList(),
                    f.getFileName().toString());
        }
    }

    @Test
    void intOrStringAndQuantityAcceptNumbersButNothingElse() throws IOException {
        ArgoSchema s = schema();
        String template = """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {generateName: t-}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    retryStrategy: {limit: %s}
                    container: {image: alpine, resources: {limits: {cpu: %s}}}
                """;
        assertEquals(List.of(), strings(s.validate(yaml(template.formatted("3", "1.5")))));
        assertEquals(List.of(), strings(s.validate(yaml(template.formatted("\"3\"", "500m")))));
        List<SchemaProblem> wrong = s.validate(yaml(template.formatted("true", "[1]")));
        assertEquals(List.of("$.spec.templates[0].container.resources.limits.cpu",
                "$.spec.templates[0].retryStrategy.limit"), wrong.stream().map(p -> p.path().toString()).toList());
        assertTrue(wrong.stream().allMatch(p -> p.keyword().equals("type")), wrong.toString());
    }

    @Test
    void freeFormMapsStayOpen() throws IOException {
        String manifest = """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {generateName: t-, labels: {any.key/x: y}, annotations: {anything: goes}}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    dag:
                      tasks:
                      - name: a
                        template: p
                        withItems: [{any: map}, 1, "s", [1, 2]]
                  - name: p
                    plugin: {my-plugin: {any: [thing]}}
                """;
        assertEquals(List.of(), strings(schema().validate(yaml(manifest))));
    }

    @Test
    void unknownKindsAreNamed() throws IOException {
        assertEquals(List.of("$.kind: unknown kind `Pod`: expected one of ClusterWorkflowTemplate, CronWorkflow, "
                + "Workflow, WorkflowEventBinding, WorkflowTemplate [kind]"),
                strings(schema().validate(yaml("apiVersion: v1\nkind: Pod\n"))));
    }

    @Test
    void aMissingOrForeignFileIsAnIoError() throws IOException {
        Path empty = Files.createTempFile("schema", ".json");
        try {
            Files.writeString(empty, "{\"definitions\": {}}");
            assertThrows(IOException.class, () -> ArgoSchema.load(empty));
            assertThrows(IOException.class, () -> ArgoSchema.load(empty.resolveSibling("does-not-exist.json")));
        } finally {
            Files.delete(empty);
        }
    }

    /** A reference to no definition is found when the file is read, not as a validator failure per manifest. */
    @Test
    void aDanglingReferenceIsAnIoErrorThatNamesIt() throws IOException {
        Path dangling = Files.createTempFile("schema", ".json");
        try {
            Files.writeString(dangling, "{\"definitions\": {\"io.argoproj.workflow.v1alpha1.Workflow\":"
                    + " {\"properties\": {\"spec\": {\"$ref\": \"#/definitions/nope\"}}}},"
                    + " \"oneOf\": [{\"$ref\": \"#/definitions/io.argoproj.workflow.v1alpha1.Workflow\"}]}");
            IOException e = assertThrows(IOException.class, () -> ArgoSchema.load(dangling));
            assertEquals(dangling + " is not Argo's JSON schema: its reference #/definitions/nope names none of its"
                    + " definitions", e.getMessage());
        } finally {
            Files.delete(dangling);
        }
    }

    /** Measures validation over the valid corpus (after the first, compiling, call for each kind). */
    @Test
    void validationTime() throws IOException {
        long loadStart = System.nanoTime();
        ArgoSchema s = ArgoSchema.load(SharedData.file("argo/schema.json"));
        System.out.printf("ArgoSchema.load (fresh instance): %.0f ms%n", (System.nanoTime() - loadStart) / 1e6);
        List<JsonNode> all = new ArrayList<>();
        valid().forEach(f -> all.addAll(Manifests.read(f)));
        long compile = System.nanoTime();
        all.forEach(s::validate);
        long first = System.nanoTime() - compile;
        int rounds = 20;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            all.forEach(s::validate);
        }
        double perManifest = (System.nanoTime() - start) / 1e6 / (rounds * all.size());
        System.out.printf("ArgoSchema first pass over %d manifests (compiles each kind): %.0f ms; then %.2f ms per manifest%n",
                all.size(), first / 1e6, perManifest);
        long lintStart = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            valid().forEach(f -> ArgoLint.lint(Manifests.read(f)));
        }
        System.out.printf("ArgoLint (with YAML parsing): %.2f ms per file%n",
                (System.nanoTime() - lintStart) / 1e6 / (rounds * valid().count()));
        assertTrue(perManifest < 1000, "validation should take milliseconds, took " + perManifest + " ms");
    }

    private static JsonNode yaml(String text) throws IOException {
        return new YAMLMapper().readTree(text);
    }

    private static List<String> strings(List<SchemaProblem> problems) {
        return problems.stream().map(SchemaProblem::toString).toList();
    }
}
