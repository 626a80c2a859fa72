package dev.freestone.syntax;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import dev.freestone.testing.Golden;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the text, the parser returns a file and diagnostics that point inside the text: it is fed
 * the golden programs mutated at random (spans deleted, duplicated, swapped; garbage characters and
 * tokens inserted) and plain random text.
 */
class ParserRobustnessProperties {
    private static final List<String> CORPUS = Golden.inputs("parse", ".pipe").stream()
            .map(Path::toFile).map(f -> Golden.read(f.toPath())).filter(t -> !t.isEmpty()).toList();

    private static final List<String> TOKENS = List.of(
            "{", "}", "(", ")", "[", "]", "\"", "\"\"\"", "${", "$", "\\", "/*", "*/", "//", "///", "->", "=", ",",
            ":", ".", "?", "if", "else", "for", "in", "parallel", "after", "with", "finally", "output", "script",
            "component", "pipeline", "struct", "artifact", "import", "not", "and", "&&", "!", "-", "1e", "1.5h", "30s",
            "512Mi", "99999999999999999999", "-9223372036854775808", "\u0000", "\u001b", "😀", "\ud800", "\r", "\n",
            "#", "@", "~", "`");

    /** One edit; positions are fractions of the current length so that edits compose. */
    record Mutation(int kind, double a, double b, double c, String garbage) {
        String apply(String text) {
            int n = text.length();
            int i = (int) (a * n);
            int j = Math.min(n, i + (int) (b * Math.min(n, 80)));
            switch (kind) {
                case 0: // delete a span
                    return text.substring(0, i) + text.substring(j);
                case 1: // duplicate a span
                    return text.substring(0, j) + text.substring(i, j) + text.substring(j);
                case 2: { // swap two spans
                    int k = Math.max(j, (int) (c * n));
                    int l = Math.min(n, k + (j - i));
                    return text.substring(0, i) + text.substring(k, l) + text.substring(j, k) + text.substring(i, j)
                            + text.substring(l);
                }
                default: // insert garbage
                    return text.substring(0, i) + garbage + text.substring(i);
            }
        }
    }

    @Provide
    Arbitrary<String> mutatedPrograms() {
        Arbitrary<String> garbage = Arbitraries.oneOf(
                Arbitraries.of(TOKENS),
                Arbitraries.strings().withChars("{}()[]\"$\\/*#@~`'\n\t =.,:").ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4));
        Arbitrary<Mutation> mutation = Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1),
                garbage).as(Mutation::new);
        return Arbitraries.of(CORPUS).flatMap(text -> mutation.list().ofMinSize(1).ofMaxSize(5)
                .map(ms -> {
                    String t = text;
                    for (Mutation m : ms) {
                        t = m.apply(t);
                    }
                    return t;
                }));
    }

    @Property(tries = 600)
    void mutatedProgramsNeverBreakTheParser(@ForAll("mutatedPrograms") String text) {
        checkParses(text);
    }

    @Property(tries = 200)
    void randomTextNeverBreaksTheParser(@ForAll String text) {
        checkParses(text);
    }

    @Property(tries = 100)
    void binaryGarbageNeverBreaksTheParser(@ForAll byte[] bytes) {
        checkParses(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private static void checkParses(String text) {
        Source source = new Source("fuzz.pipe", text);
        Parser.ParseResult result = Parser.parse(source);
        for (Diagnostic d : result.diagnostics()) {
            assertTrue(d.span().start() >= 0 && d.span().start() <= d.span().end() && d.span().end() <= text.length(),
                    () -> "diagnostic outside the text: " + d + " in\n" + text);
            assertTrue(d.span().source() == source, "diagnostic of another source");
        }
        // Rendering and printing must cope with whatever the parser built.
        new Renderer(false).render(result.diagnostics());
        AstPrinter.printWithSpans(result.file());
    }
}
