package dev.freestone.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.freestone.check.CheckOptions;
import dev.freestone.check.CheckResult;
import dev.freestone.check.Checker;
import dev.freestone.check.ModuleLoader;
import dev.freestone.diag.Source;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrBuilder;
import dev.freestone.ir.IrJson;
import dev.freestone.testing.DatabindIrJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The IR of random well-typed programs ({@link CompilePipeProperties.PipeGen}) is written by {@link IrJson}
 * exactly as databind writes it ({@link DatabindIrJson}, the oracle of {@code IrWriterOracleTest}): canonical,
 * pretty, and the component digests inside it.
 */
class IrWriterOracleProperties {

    @Property(tries = 40, seed = "20261126")
    void generatedProgramsWriteAsDatabind(@ForAll("statements") List<Integer> choices) {
        String text = new CompilePipeProperties.PipeGen(choices).program();
        CheckResult check = Checker.check(new Source("gen.pipe", text), new ModuleLoader(),
                new CheckOptions(Set.of(), false, null));
        assertFalse(check.hasErrors(), () -> check.diagnostics() + "\n" + text);
        Ir.Program ir = IrBuilder.build(check.program(), check.program().pipelines().stream()
                .filter(p -> p.name().equals("main")).findFirst().orElseThrow());
        assertEquals(DatabindIrJson.canonical(ir), IrJson.canonical(ir), text);
        assertEquals(DatabindIrJson.pretty(ir), IrJson.pretty(ir), text);
        for (Ir.Component c : ir.components().values()) {
            assertEquals(c.digest(), IrJson.sha256Hex(DatabindIrJson.canonical(c.counted())
                    .getBytes(StandardCharsets.UTF_8)), "the digest IrBuilder computed is databind's");
        }
    }

    /** The generator's own choices: lists of small numbers, one statement each. */
    @Provide
    Arbitrary<List<Integer>> statements() {
        return new CompilePipeProperties().statements();
    }
}
