package dev.freestone.lower.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lint over the corpus under {@code src/test/resources/argo}: every valid manifest passes, and every broken
 * one produces exactly the findings written in its {@code # lint:} lines. Needs no reference data.
 */
class ArgoLintTest {
    static Stream<Path> valid() {
        return Manifests.yamlFiles(Manifests.resources("argo/valid")).stream();
    }

    static Stream<Path> invalid() {
        return Manifests.yamlFiles(Manifests.resources("argo/invalid")).stream();
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validManifestsHaveNoFindings(Path file) {
        assertEquals(List.of(), strings(ArgoLint.lint(Manifests.read(file))), file.getFileName().toString());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void brokenManifestsHaveExactlyTheExpectedFindings(Path file) {
        List<String> expected = Manifests.expectations(file, "lint");
        assertFalse(expected.isEmpty() && Manifests.expectations(file, "schema").isEmpty(),
                file.getFileName() + " expects no finding at all; a broken manifest must say what is wrong with it");
        assertEquals(expected, strings(ArgoLint.lint(Manifests.read(file))), file.getFileName().toString());
    }

    @Test
    void corpusIsNotEmpty() {
        assertTrue(valid().count() >= 10 && invalid().count() >= 15);
    }

    private static List<String> strings(List<LintFinding> findings) {
        return findings.stream().map(LintFinding::toString).toList();
    }

    private static List<String> lint(String yaml) {
        try {
            List<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
            return strings(ArgoLint.lint(docs));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A Workflow whose templates are the given YAML list. */
    private static List<String> workflow(String templates) {
        return lint(HEAD + templates.indent(2));
    }

    private static final String HEAD = """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {generateName: t-}
            spec:
              entrypoint: main
              templates:
            """;

    @Test
    void aStepSeesOnlyEarlierGroupsOutputs() {
        List<String> found = workflow("""
                - name: main
                  steps:
                  - - {name: a, template: gen}
                    - name: b
                      template: use
                      arguments: {parameters: [{name: v, value: "{{steps.a.outputs.result}}"}]}
                  - - name: c
                      template: use
                      arguments: {parameters: [{name: v, value: "{{steps.a.outputs.result}} {{steps.b.status}}"}]}
                - {name: gen, script: {image: python, source: print(1)}}
                - {name: use, inputs: {parameters: [{name: v}]}, container: {image: alpine}}
                """);
        assertEquals(List.of("A021 $.spec.templates[0].steps[0][1].arguments.parameters[0].value: "
                + "`{{steps.a.outputs.result}}` refers to step `a`, which does not run in a step group before step `b`"),
                found);
    }

    @Test
    void foreignTemplatesAndStringLiteralsInExpressionsAreLeftAlone() {
        List<String> found = workflow("""
                - name: main
                  container:
                    image: alpine
                    args: ["{{.Values.image}}", "{{ helm.thing }}", "{{='tasks.x.outputs.result' + \\"item\\"}}", "{{retries}}"]
                """);
        assertEquals(List.of(), found);
    }

    @Test
    void globalOutputsMustBeDeclaredByAGlobalName() {
        List<String> found = workflow("""
                - name: main
                  outputs:
                    parameters:
                    - {name: o, globalName: fs-a-out, valueFrom: {parameter: "{{tasks.a.outputs.result}}", default: ""}}
                  dag:
                    tasks:
                    - {name: a, template: gen}
                - name: gen
                  inputs: {parameters: [{name: v, default: x}, {name: w, default: x}]}
                  script: {image: python, source: print(1)}
                - name: exit
                  dag:
                    tasks:
                    - name: r
                      template: gen
                      arguments:
                        parameters:
                        - {name: v, value: "{{workflow.outputs.parameters.fs-a-out}}"}
                        - {name: w, value: "{{workflow.outputs.parameters.fs-b-out}}"}
                """);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains("fs-b-out") && found.get(0).contains("globalName"), found.toString());
    }

    @Test
    void hooksMayReferToTheirOwnTask() {
        List<String> found = workflow("""
                - name: main
                  dag:
                    tasks:
                    - name: a
                      template: gen
                      hooks:
                        exit:
                          template: gen
                          arguments: {parameters: [{name: status, value: "{{tasks.a.status}}"}]}
                - {name: gen, inputs: {parameters: [{name: status, default: x}]}, container: {image: alpine}}
                """);
        assertEquals(List.of(), found);
    }

    @Test
    void outputsOfATemplateNeedItToProduceThem() {
        List<String> found = workflow("""
                - name: main
                  dag:
                    tasks:
                    - {name: a, template: inner}
                    - name: b
                      depends: a
                      template: use
                      arguments: {parameters: [{name: v, value: "{{tasks.a.outputs.result}}"}]}
                - {name: inner, dag: {tasks: [{name: x, template: use, arguments: {parameters: [{name: v, value: "1"}]}}]}}
                - {name: use, inputs: {parameters: [{name: v}]}, container: {image: alpine}}
                """);
        assertEquals(List.of("A020 $.spec.templates[0].dag.tasks[1].arguments.parameters[0].value: cannot resolve "
                + "`{{tasks.a.outputs.result}}`: template `inner` produces no result"), found);
    }

    @Test
    void itemResultsNeedALoopedDependency() {
        List<String> found = workflow("""
                - name: main
                  dag:
                    tasks:
                    - {name: a, template: gen}
                    - {name: b, depends: a.AnySucceeded, template: gen}
                - {name: gen, container: {image: alpine}}
                """);
        assertEquals(List.of("A015 $.spec.templates[0].dag.tasks[1].depends: task `b` uses `a.AnySucceeded`, "
                + "but task `a` has no withItems, withParam or withSequence"), found);
    }

    @Test
    void workflowVariablesAreKnown() {
        List<String> found = lint("""
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {generateName: t-, labels: {team: ml}}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    container:
                      image: alpine
                      args: ["{{workflow.uid}} {{workflow.namespace}} {{workflow.creationTimestamp.Y}}",
                             "{{workflow.labels.team}} {{workflow.labels.owner}} {{workflow.nme}}"]
                """);
        assertEquals(List.of(
                "A020 $.spec.templates[0].container.args[1]: cannot resolve `{{workflow.labels.owner}}`: no label "
                        + "`owner` is declared in metadata or workflowMetadata",
                "A020 $.spec.templates[0].container.args[1]: cannot resolve `{{workflow.nme}}`: there is no workflow "
                        + "variable `nme`"), found);
    }

    @Test
    void namesAreMeasuredAgainstArgosLimits() {
        String cron52 = "c".repeat(52);
        String cron53 = "c".repeat(53);
        String cron = """
                apiVersion: argoproj.io/v1alpha1
                kind: CronWorkflow
                metadata: {name: %s}
                spec:
                  schedules: ["@hourly"]
                  workflowSpec: {entrypoint: main, templates: [{name: main, container: {image: alpine}}]}
                """;
        assertEquals(List.of(), lint(cron.formatted(cron52)));
        assertEquals(List.of("A041 $.metadata.name: metadata.name `" + cron53
                + "` is invalid: it is 53 characters long, the limit is 52"), lint(cron.formatted(cron53)));

        String workflow = """
                apiVersion: argoproj.io/v1alpha1
                kind: Workflow
                metadata: {generateName: %s}
                spec: {entrypoint: %s, templates: [{name: %s, container: {image: alpine}}]}
                """;
        String prefix58 = "g".repeat(57) + "-";
        String template128 = "t".repeat(128);
        assertEquals(List.of(), lint(workflow.formatted(prefix58, template128, template128)));
        assertEquals(List.of(
                "A041 $.metadata.generateName: metadata.generateName `g" + prefix58 + "` is invalid: with the 5 random "
                        + "characters Kubernetes appends it is 64 characters long, the limit is 63",
                "A008 $.spec.templates[0].name: template name `t" + template128 + "` is invalid: it is 129 characters "
                        + "long, the limit is 128"),
                lint(workflow.formatted("g" + prefix58, "t" + template128, "t" + template128)));
    }

    @Test
    void memoizeKeys() {
        assertTrue(ArgoLint.memoKeyProblem("train-v1").isEmpty());
        assertTrue(ArgoLint.memoKeyProblem("{{inputs.parameters.x}}-v1").isEmpty());
        assertTrue(ArgoLint.memoKeyProblem("train-{{inputs.parameters.x}}").isEmpty());
        assertTrue(ArgoLint.memoKeyProblem("-train").isPresent());
        assertTrue(ArgoLint.memoKeyProblem("train_v1").isPresent());
        assertTrue(ArgoLint.memoKeyProblem("{{inputs.parameters.x}}.v1").isPresent());
        assertTrue(ArgoLint.memoKeyProblem("_{{inputs.parameters.x}}").isPresent());
    }

    @Test
    void malformedInputNeverThrows() {
        ObjectMapper json = new ObjectMapper();
        for (String text : List.of("null", "[]", "\"x\"", "{}", "{\"kind\": 3}",
                "{\"apiVersion\": \"argoproj.io/v1alpha1\", \"kind\": \"Workflow\"}",
                "{\"apiVersion\": \"argoproj.io/v1alpha1\", \"kind\": \"Workflow\", \"spec\": {\"templates\": \"x\"}}",
                "{\"apiVersion\": \"argoproj.io/v1alpha1\", \"kind\": \"Workflow\", \"spec\": {\"templates\": [3, {\"dag\": 4},"
                        + " {\"name\": \"a\", \"dag\": {\"tasks\": [1, {\"name\": 2, \"depends\": [\"x\"]}]}},"
                        + " {\"name\": \"b\", \"steps\": [3, [4]]}]}}",
                "{\"apiVersion\": \"argoproj.io/v1alpha1\", \"kind\": \"CronWorkflow\", \"spec\": {\"schedules\": 5}}")) {
            try {
                JsonNode node = json.readTree(text);
                List<LintFinding> findings = ArgoLint.lint(node);
                assertEquals(findings, ArgoLint.lint(node), "deterministic for " + text);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void everyCodeHasALowerCaseMessage() {
        for (LintCode code : LintCode.values()) {
            assertTrue(code.name().matches("A\\d{3}"), code.name());
            assertTrue(Character.isLowerCase(code.template().charAt(0)) || code.template().startsWith("%")
                    || code.template().startsWith("`") || code.template().startsWith("spec") , code.name());
            assertFalse(code.template().endsWith("."), code.name());
        }
    }
}
