package dev.freestone.fmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import dev.freestone.testing.Golden;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every {@code golden/fmt/<case>.pipe} formats to {@code <case>.formatted.pipe}, which formats to itself. */
class FormatGoldenTest {
    private static final String OUT = ".formatted.pipe";

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        return Golden.inputs("fmt", ".pipe").stream()
                .filter(p -> !p.getFileName().toString().endsWith(OUT))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path input) {
        String name = input.getFileName().toString();
        Formatter.Result result = Formatter.formatSource(new Source(name, Golden.read(input)));
        assertTrue(result.ok(), () -> new Renderer(false).render(result.diagnostics()));
        Golden.check(input.resolveSibling(name.replace(".pipe", OUT)), result.formatted());
        Formatter.Result again = Formatter.formatSource(new Source(name, result.formatted()));
        assertEquals(result.formatted(), again.formatted(), "formatting is not idempotent");
    }
}
