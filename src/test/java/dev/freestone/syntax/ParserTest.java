package dev.freestone.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the golden files cannot show well: degenerate inputs, tree equality and speed. */
class ParserTest {

    private static Parser.ParseResult parse(String text) {
        return Parser.parse(new Source("t.pipe", text));
    }

    private static List<Code> codes(Parser.ParseResult r) {
        return r.diagnostics().stream().map(Diagnostic::code).toList();
    }

    @Test
    void emptyAndBlankInputGiveAnEmptyFile() {
        for (String text : List.of("", "   \n\n\t", "// c\n/* d */")) {
            Parser.ParseResult r = parse(text);
            assertTrue(r.diagnostics().isEmpty(), text);
            assertTrue(r.file().decls().isEmpty());
        }
    }

    @Test
    void unbalancedBracesAreErrorsNotCrashes() {
        Parser.ParseResult r = parse("}}}} pipeline p() { x = f() }}} {{{ ");
        assertTrue(r.hasErrors());
        assertEquals(1, r.file().decls().size(), "the pipeline between the stray braces survives");
    }

    @Test
    void absurdNestingIsAnErrorNotAStackOverflow() {
        String deep = "pipeline p() { x = " + "(".repeat(200_000) + "1" + ")".repeat(200_000) + " }";
        Parser.ParseResult r = parse(deep);
        assertEquals(List.of(Code.E0001), codes(r));
    }

    @Test
    void oneDiagnosticPerStrayCharacterRun() {
        Parser.ParseResult r = parse("pipeline p() {\n  x = f() ### \n}\n");
        assertEquals(List.of(Code.E0004), codes(r));
        assertEquals(1, r.file().decls().size());
    }

    @Test
    void brokenDeclarationsDoNotHideTheOthers() {
        Parser.ParseResult r = parse("component a( {\n}\ncomponent b() { image = \"x\" }\npipeline c() { y = b() }\n");
        assertTrue(r.hasErrors());
        List<String> names = r.file().decls().stream().map(d -> d.name().name()).toList();
        assertTrue(names.containsAll(List.of("b", "c")), names.toString());
    }

    @Test
    void treeEqualityIgnoresLayoutCommentsAndParentheses() {
        Ast.File a = parse("pipeline p(x: Int) {\n  y = (x + 1) * 2 // c\n}\n").file();
        Ast.File b = parse("/* hi */ pipeline p( x : Int ) { y = ((x + 1)) * (2) }").file();
        Ast.File c = parse("pipeline p(x: Int) { y = x + 1 * 2 }").file();
        assertTrue(AstPrinter.sameTree(a, b));
        assertFalse(AstPrinter.sameTree(a, c));
    }

    @Test
    void keywordSpellingsMapToOneOperator() {
        Ast.File a = parse("pipeline p() { y = !a && b || c }").file();
        Ast.File b = parse("pipeline p() { y = (not a) and b or c }").file();
        assertTrue(AstPrinter.sameTree(a, b));
    }

    @Test
    void parsesTenThousandStepsWellUnderASecond() {
        StringBuilder sb = new StringBuilder("component train(data: Dataset, lr: Float) -> (out: Dataset) {\n"
                + "  image = \"python:3.12\"\n  command = [\"python3\", \"t.py\", \"--lr=${lr}\", data, out]\n}\n\n"
                + "pipeline big(data: Dataset) -> (out: Dataset) {\n  s0 = train(data = data, lr = 0.1)\n");
        for (int i = 1; i < 10_000; i++) {
            sb.append("  /// step ").append(i).append('\n');
            sb.append("  s").append(i).append(" = train(data = s").append(i - 1).append(".out, lr = 0.1 * ")
                    .append(i % 7).append(" + 1e-3) after s0 with { retry { limit = 2 } timeout = 30m }\n");
        }
        sb.append("  output out = s9999.out\n}\n");
        String text = sb.toString();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 8; round++) {
            long start = System.nanoTime();
            Parser.ParseResult r = parse(text);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(r.diagnostics().isEmpty(), () -> r.diagnostics().toString());
            best = Math.min(best, ms);
        }
        System.out.println("parse of 10,000 steps (" + text.length() / 1024 + " KiB): best " + best + " ms");
        assertTrue(best < 1000, "parsing 10,000 steps took " + best + " ms");
    }
}
