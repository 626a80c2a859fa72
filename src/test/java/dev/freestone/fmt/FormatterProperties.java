package dev.freestone.fmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import dev.freestone.syntax.AstPrinter;
import dev.freestone.syntax.Parser;
import dev.freestone.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The formatter's two promises, on generated programs (random layout and comments between tokens) and
 * on every clean {@code .pipe} of the project: formatting twice changes nothing more, and the
 * formatted text parses to the same tree.
 */
class FormatterProperties {

    @Property(tries = 300)
    void generatedProgramsFormatIdempotentlyAndKeepTheirTree(@ForAll long seed) {
        String program = new ProgramGenerator(new Random(seed)).program();
        checkFormats("generated.pipe", program);
    }

    @Example
    void everyCleanProgramOfTheProjectFormatsWell() {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("examples", "stdlib", "src/test/resources/golden/parse", "src/test/resources/golden/fmt")) {
            Path root = Golden.projectDir().resolve(dir);
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(p -> p.toString().endsWith(".pipe")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        int clean = 0;
        for (Path p : files) {
            String text = Golden.read(p);
            if (!Parser.parse(new Source(p.toString(), text)).hasErrors()) {
                checkFormats(p.toString(), text);
                clean++;
            }
        }
        assertTrue(clean > 5, "expected some clean programs, found " + clean);
    }

    private static void checkFormats(String name, String program) {
        Parser.ParseResult parsed = Parser.parse(new Source(name, program));
        assertFalse(parsed.hasErrors(), () -> "generator bug:\n" + new Renderer(false).render(parsed.diagnostics())
                + program);
        String once = Formatter.format(parsed.file());
        Parser.ParseResult reparsed = Parser.parse(new Source(name, once));
        assertFalse(reparsed.hasErrors(), () -> "formatted text does not parse:\n"
                + new Renderer(false).render(reparsed.diagnostics()) + once + "\n--- from ---\n" + program);
        assertEquals(AstPrinter.print(parsed.file()), AstPrinter.print(reparsed.file()),
                () -> "the tree changed:\n" + once + "\n--- from ---\n" + program);
        assertEquals(parsed.file().comments().size(), reparsed.file().comments().size(),
                () -> "comments lost:\n" + once + "\n--- from ---\n" + program);
        String twice = Formatter.format(reparsed.file());
        assertEquals(once, twice, () -> "not idempotent:\n" + once + "\n--- formatted again ---\n" + twice
                + "\n--- from ---\n" + program);
    }

    /** Random valid programs as token lists, joined by random blanks, line breaks and comments. */
    static final class ProgramGenerator {
        private final Random r;
        private final List<String> tokens = new ArrayList<>();
        /** Positions in {@code tokens} where a statement or declaration starts: doc comments may go there. */
        private final List<Integer> lineStarts = new ArrayList<>();

        ProgramGenerator(Random r) {
            this.r = r;
        }

        String program() {
            int decls = 1 + r.nextInt(4);
            for (int i = 0; i < decls; i++) {
                decl();
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < tokens.size(); i++) {
                if (i > 0) {
                    sb.append(separator(lineStarts.contains(i)));
                }
                sb.append(tokens.get(i));
            }
            return sb.append('\n').toString();
        }

        private String separator(boolean lineStart) {
            int k = r.nextInt(lineStart ? 14 : 12);
            switch (k) {
                case 0:
                case 1:
                    return "\n";
                case 2:
                    return "\n\n";
                case 3:
                    return " // note\n";
                case 4:
                    return " /* b */ ";
                case 5:
                    return "\n  // own line\n";
                case 6:
                    return "\n\n\n";
                case 12:
                    return "\n/// doc line\n";
                case 13:
                    return "\n/// doc one\n///doc two\n";
                default:
                    return " ";
            }
        }

        private void t(String... ts) {
            tokens.addAll(List.of(ts));
        }

        private void lineStart() {
            lineStarts.add(tokens.size());
        }

        private String name() {
            String[] names = {"a", "b", "data", "model", "x1", "train_set", "fit", "lr", "_tmp", "Score"};
            return names[r.nextInt(names.length)];
        }

        private void decl() {
            lineStart();
            switch (r.nextInt(5)) {
                case 0:
                    if (r.nextBoolean()) {
                        t("import", "stdlib/" + name());
                    } else {
                        t("import", quoted("./" + name() + ".pipe"));
                    }
                    if (r.nextBoolean()) {
                        t("as", name());
                    }
                    break;
                case 1:
                    t("struct", name(), "{");
                    for (int i = r.nextInt(4); i > 0; i--) {
                        lineStart();
                        t(name(), ":");
                        type(2);
                        if (r.nextBoolean()) {
                            t(",");
                        }
                    }
                    t("}");
                    break;
                case 2:
                    t("artifact", name());
                    if (r.nextBoolean()) {
                        t(":");
                        type(1);
                    }
                    break;
                case 3:
                    t("component", name());
                    params();
                    outputs();
                    t("{");
                    for (int i = r.nextInt(6); i > 0; i--) {
                        option(2);
                    }
                    t("}");
                    break;
                default:
                    t("pipeline", name());
                    params();
                    outputs();
                    block(3);
                    break;
            }
        }

        private void params() {
            t("(");
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                lineStart();
                t(name(), ":");
                type(2);
                if (r.nextInt(3) == 0) {
                    t("=");
                    expr(2);
                }
                if (i < n - 1 || r.nextBoolean()) {
                    t(",");
                }
            }
            t(")");
        }

        private void outputs() {
            if (r.nextBoolean()) {
                return;
            }
            t("->", "(");
            int n = r.nextInt(3);
            for (int i = 0; i < n; i++) {
                t(name(), ":");
                type(1);
                if (i < n - 1) {
                    t(",");
                }
            }
            t(")");
        }

        private void type(int depth) {
            String[] names = {"Int", "Float", "String", "Bool", "Dataset", "Model"};
            int k = r.nextInt(depth > 0 ? 6 : 4);
            if (k == 4) {
                t("List", "[");
                type(depth - 1);
                t("]");
            } else if (k == 5) {
                t("Map", "[", "String", ",");
                type(depth - 1);
                t("]");
            } else if (k == 3) {
                t("common", ".", "Config");
            } else {
                t(names[r.nextInt(names.length)]);
            }
            if (r.nextInt(5) == 0) {
                t("?");
            }
        }

        private void option(int depth) {
            lineStart();
            int k = r.nextInt(depth > 0 ? 5 : 3);
            String key = r.nextInt(6) == 0 ? quoted("kubernetes.io/" + name()) : name();
            if (k == 0) {
                t("script", "=");
                if (r.nextBoolean()) {
                    t("python");
                }
                t(r.nextBoolean() ? "\"\"\"\n    import os\n      print(1)\n\n    done\n  \"\"\"" : quoted("echo hi"));
            } else if (k >= 3) {
                t(key, "{");
                for (int i = r.nextInt(3); i > 0; i--) {
                    option(depth - 1);
                }
                t("}");
            } else {
                t(key, "=");
                expr(3);
            }
        }

        private void block(int depth) {
            t("{");
            for (int i = r.nextInt(5); i > 0; i--) {
                stmt(depth);
            }
            t("}");
        }

        private void stmt(int depth) {
            lineStart();
            int k = r.nextInt(depth > 0 ? 9 : 5);
            switch (k) {
                case 0:
                case 1:
                    t(name(), "=");
                    call(2);
                    if (r.nextInt(3) == 0) {
                        t("after", name());
                        if (r.nextBoolean()) {
                            t(",", name());
                        }
                    }
                    if (r.nextInt(3) == 0) {
                        t("with", "{");
                        for (int i = r.nextInt(3); i > 0; i--) {
                            option(1);
                        }
                        t("}");
                    }
                    break;
                case 2:
                    t(name(), "=");
                    expr(3);
                    break;
                case 3:
                    call(2);
                    break;
                case 4:
                    t("output", name(), "=");
                    expr(2);
                    break;
                case 5:
                    t("if");
                    expr(2);
                    block(depth - 1);
                    for (int i = r.nextInt(3); i > 0; i--) {
                        t("else", "if");
                        expr(2);
                        block(depth - 1);
                    }
                    if (r.nextBoolean()) {
                        t("else");
                        block(depth - 1);
                    }
                    break;
                case 6:
                    t("for", name(), "in");
                    expr(1);
                    if (r.nextBoolean()) {
                        t("parallel");
                        expr(1);
                    }
                    block(depth - 1);
                    break;
                case 7:
                    t("finally");
                    block(depth - 1);
                    break;
                default:
                    t(name(), "=", "(");
                    expr(3);
                    t(")");
                    break;
            }
        }

        private void call(int depth) {
            if (r.nextInt(4) == 0) {
                t(name(), ".");
            }
            t(name(), "(");
            int n = r.nextInt(5);
            for (int i = 0; i < n; i++) {
                if (r.nextInt(4) != 0) {
                    t(name(), "=");
                }
                expr(depth);
                if (i < n - 1 || r.nextInt(4) == 0) {
                    t(",");
                }
            }
            t(")");
        }

        private void expr(int depth) {
            int k = r.nextInt(depth > 0 ? 16 : 8);
            String[] binary = {"+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!=", "and", "or", "&&", "||"};
            switch (k) {
                case 0:
                    t(name());
                    break;
                case 1:
                    t(String.valueOf(r.nextInt(1000)));
                    break;
                case 2:
                    t(new String[] {"0.5", "1e3", "2.5E-3", "1_000", "-9223372036854775808", "9223372036854775807"}
                            [r.nextInt(6)]);
                    break;
                case 3:
                    t(new String[] {"30s", "250ms", "5m", "2h", "1d", "512Mi", "1.5G", "500k"}[r.nextInt(8)]);
                    break;
                case 4:
                    t(new String[] {"true", "false", "null"}[r.nextInt(3)]);
                    break;
                case 5:
                    t(string(depth));
                    break;
                case 6:
                    t("\"\"\"" + new String[] {"one line", "\n  two\n    lines\n  ", "", "\n\n"}[r.nextInt(4)] + "\"\"\"");
                    break;
                case 7:
                    t(name(), ".", name());
                    break;
                case 8:
                case 9:
                    expr(depth - 1);
                    t(binary[r.nextInt(binary.length)]);
                    expr(depth - 1);
                    break;
                case 10:
                    t(new String[] {"-", "!", "not"}[r.nextInt(3)]);
                    expr(depth - 1);
                    break;
                case 11:
                    t("(");
                    expr(depth - 1);
                    t(")");
                    break;
                case 12:
                    call(depth - 1);
                    break;
                case 13: {
                    t("[");
                    int n = r.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        expr(depth - 1);
                        if (i < n - 1 || r.nextInt(4) == 0) {
                            t(",");
                        }
                    }
                    t("]");
                    break;
                }
                case 14: {
                    t("{");
                    int n = r.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        t(r.nextBoolean() ? name() : quoted("key " + i), ":");
                        expr(depth - 1);
                        if (i < n - 1) {
                            t(",");
                        }
                    }
                    t("}");
                    break;
                }
                default:
                    t("(");
                    expr(depth - 1);
                    t(")", r.nextBoolean() ? "." : "[");
                    if (tokens.get(tokens.size() - 1).equals(".")) {
                        t(name());
                    } else {
                        expr(depth - 1);
                        t("]");
                    }
                    break;
            }
        }

        private String string(int depth) {
            String[] texts = {"plain", "tab\\t", "q\\\"", "$5", "\\${x}", "😀", "a$", "\\u{41}\\n"};
            StringBuilder sb = new StringBuilder("\"");
            for (int i = r.nextInt(4); i > 0; i--) {
                if (depth > 0 && r.nextInt(3) == 0) {
                    sb.append("${").append(name()).append(r.nextBoolean() ? "" : " + 1").append('}');
                } else {
                    sb.append(texts[r.nextInt(texts.length)]);
                }
            }
            return sb.append('"').toString();
        }

        private static String quoted(String s) {
            return "\"" + s + "\"";
        }
    }
}
