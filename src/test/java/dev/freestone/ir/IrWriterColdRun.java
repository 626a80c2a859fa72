package dev.freestone.ir;

import dev.freestone.check.CheckOptions;
import dev.freestone.check.CheckResult;
import dev.freestone.check.Checker;
import dev.freestone.check.ModuleLoader;
import dev.freestone.diag.Source;
import dev.freestone.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * What {@code IrWriterOracleTest} runs in a fresh class loader, to see which classes writing loads. Each
 * returns the SHA-256 it computed, which the test compares with its own.
 */
public final class IrWriterColdRun {
    private IrWriterColdRun() {
    }

    /** Writes the hand-built program every way {@link IrJson} writes. */
    public static final class Samples implements Callable<String> {
        @Override
        public String call() {
            Ir.Program p = IrSamples.full();
            for (Ir.Component c : p.components().values()) {
                IrJson.componentDigest(c);
                IrJson.canonicalValue(c.settings());
            }
            IrJson.pretty(p);
            return IrJson.sha256(p);
        }
    }

    /** What {@code freestone run} does before it starts the engine: check, build the IR, hash it. */
    public static final class OneStep implements Callable<String> {
        @Override
        public String call() throws IOException {
            Path file = Golden.projectDir().resolve("bench/one_step.pipe");
            CheckResult check = Checker.check(new Source("bench/one_step.pipe", Files.readString(file)),
                    new ModuleLoader(), new CheckOptions(Set.of(), false, null));
            if (check.hasErrors()) {
                throw new IllegalStateException(check.diagnostics().toString());
            }
            Ir.Program ir = IrBuilder.build(check.program(), check.program().pipelines().get(0));
            return IrJson.sha256(ir);
        }
    }
}
