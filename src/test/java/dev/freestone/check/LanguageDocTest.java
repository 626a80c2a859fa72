package dev.freestone.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import dev.freestone.testing.CliRun;
import dev.freestone.testing.Golden;
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
 * Every ```pipe block of the language reference is a complete file that checks without a diagnostic,
 * and every rendered diagnostic it shows puts its carets at the column its {@code -->} line names.
 */
class LanguageDocTest {

    /** The ```pipe blocks of docs/language.md, each with the line it starts on. */
    static List<Source> blocks() {
        String doc = Golden.read(Golden.projectDir().resolve("docs/language.md"));
        List<Source> out = new ArrayList<>();
        String[] lines = doc.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals("```pipe")) {
                int start = i + 2;
                StringBuilder sb = new StringBuilder();
                for (i++; i < lines.length && !lines[i].strip().equals("```"); i++) {
                    sb.append(lines[i]).append('\n');
                }
                out.add(new Source("language.md@" + start + ".pipe", sb.toString()));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyPipeBlockChecksClean() {
        List<Source> blocks = blocks();
        assertFalse(blocks.isEmpty(), "no ```pipe blocks found in docs/language.md");
        return blocks.stream().map(src -> DynamicTest.dynamicTest(src.path(), () -> {
            CheckResult r = Checker.check(src, new ModuleLoader(), CheckOptions.DEFAULT);
            assertEquals("", new Renderer(false).render(r.diagnostics()), "diagnostics in " + src.path());
        }));
    }

    /** "Every block marked `pipe` ... compiles cleanly": to an Argo Workflow too, as `freestone compile` writes it. */
    @TestFactory
    Stream<DynamicTest> everyPipeBlockCompilesToAWorkflow(@TempDir Path dir) {
        return blocks().stream().map(src -> DynamicTest.dynamicTest(src.path(), () -> {
            Path file = Files.writeString(dir.resolve(src.path()), src.text());
            CliRun r = CliRun.of("compile", file.toString());
            assertEquals(0, r.code(), src.path() + ": " + r.err());
        }));
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
