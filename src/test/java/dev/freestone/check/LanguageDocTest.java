package dev.freestone.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import dev.freestone.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every ```pipe block of the language reference is a complete file that checks without a diagnostic. */
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
}
