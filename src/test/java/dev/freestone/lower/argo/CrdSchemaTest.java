package dev.freestone.lower.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CrdSchema} against the Kubeflow CRDs in {@code ../shared/kubeflow/crds} (skipped without them): one
 * valid and one broken resource per CRD under {@code src/test/resources/crd}; each names its CRD in a
 * {@code # crd:} line and a broken one lists its exact problems in {@code # schema:} lines.
 */
class CrdSchemaTest {
    static Stream<Path> valid() {
        return Manifests.yamlFiles(Manifests.resources("crd/valid")).stream();
    }

    static Stream<Path> invalid() {
        return Manifests.yamlFiles(Manifests.resources("crd/invalid")).stream();
    }

    private static CrdSchema crdOf(Path file) throws IOException {
        List<String> crd = Manifests.expectations(file, "crd");
        assertEquals(1, crd.size(), file + " must name its CRD in one `# crd:` line");
        return CrdSchema.load(SharedData.file("kubeflow/crds/" + crd.get(0)));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validResourcesPass(Path file) throws IOException {
        assertEquals(List.of(), strings(crdOf(file).validate(Manifests.read(file).get(0))), file.getFileName().toString());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void brokenResourcesHaveExactlyTheExpectedProblems(Path file) throws IOException {
        List<String> expected = Manifests.expectations(file, "schema");
        assertFalse(expected.isEmpty(), file + " must list its expected problems");
        assertEquals(expected, strings(crdOf(file).validate(Manifests.read(file).get(0))), file.getFileName().toString());
    }

    @Test
    void everyCrdHasAValidAndABrokenResource() {
        assertEquals(valid().map(p -> p.getFileName().toString()).toList(),
                invalid().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aFileThatIsNotACrdIsAnIoError() {
        Path notCrd = SharedData.file("argo/status/succeeded-dag-diamond.yaml");
        assertThrows(IOException.class, () -> CrdSchema.load(notCrd));
    }

    private static List<String> strings(List<SchemaProblem> problems) {
        return problems.stream().map(SchemaProblem::toString).toList();
    }
}
