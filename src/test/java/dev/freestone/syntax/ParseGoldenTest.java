package dev.freestone.syntax;

import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import dev.freestone.testing.Golden;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code golden/parse/<case>.pipe}: a clean file is compared with {@code <case>.ast} (the tree with
 * positions), a broken one with {@code <case>.diag} (the rendered diagnostics).
 */
class ParseGoldenTest {

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        return Golden.inputs("parse", ".pipe").stream()
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path input) {
        String name = input.getFileName().toString();
        String base = name.substring(0, name.length() - ".pipe".length());
        Parser.ParseResult result = Parser.parse(new Source(name, Golden.read(input)));
        Path ast = input.resolveSibling(base + ".ast");
        Path diag = input.resolveSibling(base + ".diag");
        if (result.diagnostics().isEmpty()) {
            Golden.check(ast, AstPrinter.printWithSpans(result.file()));
            Golden.absent(diag);
        } else {
            Golden.check(diag, new Renderer(false).render(result.diagnostics()));
            Golden.absent(ast);
        }
    }
}
