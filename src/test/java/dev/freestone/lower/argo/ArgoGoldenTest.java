package dev.freestone.lower.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.ir.Ir;
import dev.freestone.ir.IrJson;
import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One golden YAML per construct under {@code src/test/resources/golden/argo/<case>.yaml};
 * {@code -Dfreestone.regenerate=true} rewrites them (review the diff).
 */
class ArgoGoldenTest {

    static Stream<Arguments> cases() {
        return ArgoCases.ALL.keySet().stream().map(Arguments::of);
    }

    static final LowerOptions OPTIONS = LowerOptions.defaults().withIrHash("0123456789abcdef".repeat(4))
            .withSourceFile("examples/test.pipe");

    @ParameterizedTest
    @MethodSource("cases")
    void matchesGolden(String name) throws IOException {
        Ir.Program program = ArgoCases.ALL.get(name).get();
        Lowered lowered = ArgoLowering.lower(program, OPTIONS);
        assertTrue(lowered.diagnostics().isEmpty(), () -> name + ": " + lowered.diagnostics());
        Path golden = SharedData.projectDir().resolve("src/test/resources/golden/argo/" + name + ".yaml");
        if (Boolean.getBoolean("freestone.regenerate") || !Files.exists(golden)) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, lowered.yaml(), StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), lowered.yaml(),
                name + ".yaml is stale: rerun with -Dfreestone.regenerate=true and review the diff");
    }

    /** The IR of each case is also kept as JSON (golden/ir/argo-<case>.json); lowering it read back gives the same YAML. */
    @ParameterizedTest
    @MethodSource("cases")
    void lowersFromIrJsonFiles(String name) throws IOException {
        Ir.Program program = ArgoCases.ALL.get(name).get();
        Path json = SharedData.projectDir().resolve("src/test/resources/golden/ir/argo-" + name + ".json");
        if (Boolean.getBoolean("freestone.regenerate") || !Files.exists(json)) {
            Files.createDirectories(json.getParent());
            Files.writeString(json, IrJson.pretty(program), StandardCharsets.UTF_8);
        }
        Ir.Program read = IrJson.read(Files.readString(json, StandardCharsets.UTF_8));
        assertEquals(IrJson.pretty(program), IrJson.pretty(read), name + ": the IR JSON file is stale");
        assertEquals(ArgoLowering.lower(program, OPTIONS).yaml(), ArgoLowering.lower(read, OPTIONS).yaml());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void passesArgoSchemaAndLint(String name) {
        Lowered lowered = ArgoLowering.lower(ArgoCases.ALL.get(name).get(), OPTIONS);
        assertEquals(List.of(), LoweredValidity.problems(lowered));
    }
}
