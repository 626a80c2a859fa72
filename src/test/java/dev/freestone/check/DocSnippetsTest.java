package dev.freestone.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import dev.freestone.fmt.Formatter;
import dev.freestone.testing.CliRun;
import dev.freestone.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .pipe} code in README.md, docs/*.md and editors/ is what a user copies, so it is what
 * {@code freestone check} accepts and {@code freestone fmt} writes. A fence says what its block is:
 * <ul>
 *   <li>{@code ```pipe}: a whole file; it checks without a diagnostic, compiles to a Workflow and is
 *       already in fmt's layout;</li>
 *   <li>{@code ```pipe fragment}: statements, an expression or a piece of a file; not checked;</li>
 *   <li>{@code ```pipe error E0102}: a whole file showing a mistake on purpose; it has that error (and
 *       is in fmt's layout when it parses).</li>
 * </ul>
 * A fence without a language that holds a declaration is a mistake too: say {@code pipe} or {@code text}.
 * Every rendered diagnostic the language reference shows puts its carets at the column its {@code -->} names;
 * one that follows a {@code ```pipe error} block is what {@code check} prints for it.
 */
class DocSnippetsTest {

    enum Kind { PROGRAM, FRAGMENT, ERROR }

    /**
     * One ```pipe block: the doc and the line its code starts on, what its fence says it is, its code;
     * for a shown mistake, the rendered diagnostics of the ```text block right after it, if there is one.
     */
    record Block(String doc, int line, Kind kind, String expected, String text, String shown) {
        Source source() {
            return new Source(doc.replace('/', '_') + "@" + line + ".pipe", text);
        }

        String place() {
            return doc + ":" + line;
        }

        Block showing(String rendered) {
            return new Block(doc, line, kind, expected, text, rendered);
        }
    }

    private static final Pattern FENCE = Pattern.compile("^\\s*```(\\S*)\\s*(.*?)\\s*$");
    private static final Pattern ERROR = Pattern.compile("error (E\\d{4})");
    private static final Pattern DECLARATION = Pattern.compile("^\\s*(///.*|component|pipeline|struct|artifact|import)\\b.*");

    /**
     * The Markdown files a user reads, relative to the project: README.md, docs/*.md, editors/NAME/*.md
     * (two levels down at most, so an installed editors/vscode/node_modules is not walked).
     */
    static List<String> docs() {
        Path root = Golden.projectDir();
        List<String> out = new ArrayList<>();
        out.add("README.md");
        for (String dir : List.of("docs", "editors")) {
            try (Stream<Path> files = Files.walk(root.resolve(dir), 2)) {
                files.filter(f -> f.toString().endsWith(".md"))
                        .map(f -> root.relativize(f).toString().replace('\\', '/'))
                        .sorted()
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Every ```pipe block of the docs; fails on a fence whose marker it does not know. */
    static List<Block> allBlocks() {
        List<Block> out = new ArrayList<>();
        for (String doc : docs()) {
            String[] lines = Golden.read(Golden.projectDir().resolve(doc)).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher open = FENCE.matcher(lines[i]);
                if (!open.matches()) {
                    continue;
                }
                int start = i + 2;
                StringBuilder sb = new StringBuilder();
                for (i++; i < lines.length && !lines[i].strip().equals("```"); i++) {
                    sb.append(lines[i]).append('\n');
                }
                String lang = open.group(1);
                String marker = open.group(2);
                String text = sb.toString();
                if (lang.equals("pipe")) {
                    Block b = block(doc, start, marker, text);
                    out.add(b.kind() == Kind.ERROR ? b.showing(renderedAfter(lines, i + 1)) : b);
                } else if (lang.isEmpty()) {
                    String first = text.strip().lines().findFirst().orElse("");
                    assertFalse(DECLARATION.matcher(first).matches(), doc + ":" + (start - 1)
                            + ": a fence without a language holds .pipe code; write ```pipe (or ```pipe fragment)");
                }
            }
        }
        return out;
    }

    /** The ```text block that follows line {@code from} with only prose between, when it shows diagnostics. */
    private static String renderedAfter(String[] lines, int from) {
        for (int i = from; i < lines.length; i++) {
            Matcher fence = FENCE.matcher(lines[i]);
            if (!fence.matches()) {
                continue;
            }
            if (!fence.group(1).equals("text") || i + 1 >= lines.length || !lines[i + 1].matches("^(error|warning)\\[.*")) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            for (i++; i < lines.length && !lines[i].strip().equals("```"); i++) {
                sb.append(lines[i]).append('\n');
            }
            return sb.toString();
        }
        return null;
    }

    private static Block block(String doc, int line, String marker, String text) {
        if (marker.isEmpty()) {
            return new Block(doc, line, Kind.PROGRAM, null, text, null);
        }
        if (marker.equals("fragment")) {
            return new Block(doc, line, Kind.FRAGMENT, null, text, null);
        }
        Matcher m = ERROR.matcher(marker);
        if (m.matches()) {
            return new Block(doc, line, Kind.ERROR, m.group(1), text, null);
        }
        return fail(doc + ":" + (line - 1) + ": unknown marker `" + marker + "` after ```pipe"
                + " (a whole file has none; `fragment`, or `error E0102` for a mistake shown on purpose)");
    }

    static List<Block> blocks(Kind kind) {
        return allBlocks().stream().filter(b -> b.kind() == kind).toList();
    }

    /** The whole files the docs show, for tests that want real pipelines (they all check clean). */
    static List<Source> programs() {
        return blocks(Kind.PROGRAM).stream().map(Block::source).toList();
    }

    @TestFactory
    Stream<DynamicTest> everyProgramChecksClean() {
        List<Block> blocks = blocks(Kind.PROGRAM);
        assertFalse(blocks.isEmpty(), "no ```pipe blocks found in the docs");
        return blocks.stream().map(b -> DynamicTest.dynamicTest(b.place(), () -> {
            CheckResult r = Checker.check(b.source(), new ModuleLoader(), CheckOptions.DEFAULT);
            assertEquals("", new Renderer(false).render(r.diagnostics()), "diagnostics in " + b.place());
        }));
    }

    /** Copied code passes `freestone fmt --check`: the doc shows the one layout. */
    @TestFactory
    Stream<DynamicTest> everyProgramIsInFmtLayout() {
        return Stream.concat(blocks(Kind.PROGRAM).stream(), blocks(Kind.ERROR).stream())
                .map(b -> DynamicTest.dynamicTest(b.place(), () -> {
                    Formatter.Result r = Formatter.formatSource(b.source());
                    if (b.kind() == Kind.PROGRAM || r.ok()) {
                        assertTrue(r.ok(), b.place() + " does not parse: " + new Renderer(false).render(r.diagnostics()));
                        assertLayout(b, r.formatted());
                    }
                }));
    }

    private static void assertLayout(Block b, String formatted) {
        if (formatted.equals(b.text())) {
            return;
        }
        String[] want = formatted.split("\n", -1);
        String[] have = b.text().split("\n", -1);
        int i = 0;
        while (i < want.length && i < have.length && want[i].equals(have[i])) {
            i++;
        }
        fail(b.doc() + ":" + (b.line() + i) + " is not in fmt's layout:\n  doc: "
                + (i < have.length ? have[i] : "<end>") + "\n  fmt: " + (i < want.length ? want[i] : "<end>")
                + "\nfmt writes the block as:\n" + formatted);
    }

    @TestFactory
    Stream<DynamicTest> everyShownMistakeHasItsError() {
        return blocks(Kind.ERROR).stream().map(b -> DynamicTest.dynamicTest(b.place(), () -> {
            CheckResult r = Checker.check(b.source(), new ModuleLoader(), CheckOptions.DEFAULT);
            assertTrue(r.diagnostics().stream().anyMatch(d -> d.isError() && d.code().name().equals(b.expected())),
                    b.place() + " is marked `error " + b.expected() + "` but checks with:\n"
                            + new Renderer(false).render(r.diagnostics()));
        }));
    }

    /** What the doc shows `check` printing for a mistake is what it prints, under the file name the doc gives. */
    @TestFactory
    Stream<DynamicTest> everyShownMistakeIsRenderedAsTheDocShowsIt() {
        List<Block> shown = blocks(Kind.ERROR).stream().filter(b -> b.shown() != null).toList();
        assertFalse(shown.isEmpty(), "no ```pipe error block is followed by its rendered diagnostics");
        return shown.stream().map(b -> DynamicTest.dynamicTest(b.place(), () -> {
            Matcher place = PLACE.matcher(b.shown().lines().filter(l -> l.strip().startsWith("-->")).findFirst().orElse(""));
            assertTrue(place.matches(), b.place() + ": the diagnostics shown after it name no place");
            String file = place.group(0).strip().substring(4, place.group(0).strip().indexOf(':'));
            CheckResult r = Checker.check(new Source(file, b.text()), new ModuleLoader(), CheckOptions.DEFAULT);
            assertEquals(b.shown().strip(), new Renderer(false).render(r.diagnostics()).strip(),
                    "the diagnostics shown after " + b.place());
        }));
    }

    /** A whole file compiles to an Argo Workflow too, as `freestone compile` writes it. */
    @TestFactory
    Stream<DynamicTest> everyProgramCompilesToAWorkflow(@TempDir Path dir) {
        return blocks(Kind.PROGRAM).stream().map(b -> DynamicTest.dynamicTest(b.place(), () -> {
            Source src = b.source();
            Path file = Files.writeString(dir.resolve(src.path()), src.text());
            CliRun r = CliRun.of("compile", file.toString());
            assertEquals(0, r.code(), b.place() + ": " + r.err());
        }));
    }

    /** The markers are read as the docs mean them: a doc's mistake is in its marker, not silently skipped. */
    @Test
    void markersAreRead() {
        assertEquals(Kind.PROGRAM, block("d.md", 2, "", "").kind());
        String[] doc = {"```pipe error E0102", "x", "```", "", "it says:", "", "```text", "error[E0102]: m", "```"};
        assertEquals("error[E0102]: m\n", renderedAfter(doc, 3));
        doc[6] = "```sh";
        assertEquals(null, renderedAfter(doc, 3));
        assertEquals(Kind.FRAGMENT, block("d.md", 2, "fragment", "").kind());
        Block error = block("d.md", 2, "error E0102", "");
        assertEquals(Kind.ERROR, error.kind());
        assertEquals("E0102", error.expected());
        AssertionError typo = assertThrows(AssertionError.class, () -> block("d.md", 2, "fragmnet", ""));
        assertTrue(typo.getMessage().startsWith("d.md:1: unknown marker `fragmnet`"), typo.getMessage());
    }

    private static final Pattern PLACE = Pattern.compile("^\\s*--> [^:]+:(\\d+):(\\d+)$");

    /**
     * A diagnostic shown in a ```text block is a fragment (its file is not in the doc), so it cannot be
     * checked again; but its place and its carets must agree, as the renderer makes them (the doc once
     * said column 28 for carets under column 27).
     */
    @Test
    void renderedDiagnosticsPointWhereTheirPlaceSays() {
        String doc = Golden.read(Golden.projectDir().resolve("docs/language.md"));
        String[] lines = doc.split("\n", -1);
        int shown = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PLACE.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            String line = m.group(1);
            int column = Integer.parseInt(m.group(2));
            // the renderer: a gutter line, then `L | source`, then `  | carets`
            String source = lines[i + 2];
            String carets = lines[i + 3];
            String prefix = line + " | ";
            assertTrue(source.startsWith(prefix), "docs/language.md:" + (i + 3) + " is not line " + line + " of the source: " + source);
            int gutter = source.indexOf(" | ") + 3;
            int caret = carets.indexOf('^');
            assertTrue(caret >= gutter, "docs/language.md:" + (i + 4) + " has no carets: " + carets);
            assertEquals(column, caret - gutter + 1, "docs/language.md:" + (i + 1)
                    + ": the carets below are at column " + (caret - gutter + 1) + " of `" + source.substring(gutter) + "`");
            shown++;
        }
        assertTrue(shown > 0, "no rendered diagnostic found in docs/language.md");
    }
}
