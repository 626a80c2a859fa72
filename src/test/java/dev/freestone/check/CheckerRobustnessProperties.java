package dev.freestone.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the parser makes of broken text, the checker returns diagnostics and never throws, and
 * every diagnostic about the file points inside it. Fed the language reference's programs mutated at
 * random: spans deleted, duplicated and swapped, tokens and garbage inserted.
 */
class CheckerRobustnessProperties {
    private static final List<String> CORPUS = corpus();

    private static List<String> corpus() {
        List<String> out = new ArrayList<>();
        for (Source s : DocSnippetsTest.programs()) {
            out.add(s.text());
        }
        out.add(CheckerApiTest.SWEEP);
        out.add(CheckerApiTest.PARAMS);
        // every example, as the issue asks: a user edits real pipelines, not toy ones
        java.nio.file.Path examples = dev.freestone.testing.SharedData.projectDir().resolve("examples");
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(examples)) {
            for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".pipe")).sorted().toList()) {
                out.add(java.nio.file.Files.readString(f));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static final List<String> TOKENS = List.of(
            "{", "}", "(", ")", "[", "]", "\"", "${", "=", ",", ":", ".", "?", "if ", "else ", "for ", " in ",
            " parallel ", " after ", " with { ", "finally ", "output ", "oneof(", "run.status", "secret(\"a\", \"b\")",
            "null", "x", "fit", "fit.model", "best", "lr", "List[", "Map[String, ", "Int", "-1", "1.5", "30s", "5min",
            "512Mi", "import stdlib/util\n", "import \"./x.pipe\"\n", "component c() {}\n", "pipeline q() { q() }\n",
            "struct S { s: S }\n", "\n", "not ", " and ", " + ", " == ");

    record Mutation(int kind, double a, double b, double c, String insert) {
        String apply(String text) {
            int n = text.length();
            int i = (int) (a * n);
            int j = Math.min(n, i + (int) (b * Math.min(n, 60)));
            switch (kind) {
                case 0:
                    return text.substring(0, i) + text.substring(j);
                case 1:
                    return text.substring(0, j) + text.substring(i, j) + text.substring(j);
                case 2: {
                    int k = Math.max(j, (int) (c * n));
                    int l = Math.min(n, k + (j - i));
                    return text.substring(0, i) + text.substring(k, l) + text.substring(j, k) + text.substring(i, j)
                            + text.substring(l);
                }
                default:
                    return text.substring(0, i) + insert + text.substring(i);
            }
        }
    }

    @Provide
    Arbitrary<String> mutatedPrograms() {
        Arbitrary<String> insert = Arbitraries.oneOf(Arbitraries.of(TOKENS),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(6));
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1), insert).as(Mutation::new);
        return Combinators.combine(Arbitraries.of(CORPUS), mutation.list().ofMinSize(1).ofMaxSize(6))
                .as((text, ms) -> {
                    String t = text;
                    for (Mutation m : ms) {
                        t = m.apply(t);
                    }
                    return t;
                });
    }

    @Property(tries = 600)
    void checkingNeverThrowsAndSpansStayInside(@ForAll("mutatedPrograms") String text) {
        Source src = new Source("mutant.pipe", text);
        CheckResult r = Checker.check(src, new ModuleLoader(), CheckOptions.DEFAULT);
        for (Diagnostic d : r.diagnostics()) {
            if (d.span().source() == src) {
                assertTrue(d.span().start() >= 0 && d.span().end() <= text.length() && d.span().start() <= d.span().end(),
                        "span outside the text: " + d);
            }
        }
        new Renderer(false).render(r.diagnostics());
        Checked c = r.program();
        for (Symbol.Pipeline p : c.pipelines()) {
            Checker.checkRunArguments(c, p.name(), java.util.Map.of("x", "1"));
            if (!r.hasErrors()) {
                // a program the checker accepts must always build into IR
                dev.freestone.ir.IrBuilder.build(c, p);
            }
        }
    }
}
