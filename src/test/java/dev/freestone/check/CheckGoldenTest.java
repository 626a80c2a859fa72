package dev.freestone.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Code;
import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import dev.freestone.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases of the checker: {@code golden/check/<case>.pipe} beside {@code <case>.diag}, the
 * diagnostics exactly as users see them. A case may be a directory with {@code main.pipe} and the
 * files it imports (then {@code <case>/main.diag}); its files are handed to the loader as in-memory
 * overrides, the way the language server passes unsaved buffers.
 */
class CheckGoldenTest {

    static List<Path> cases() {
        Path dir = Golden.dir("check");
        assertTrue(Files.isDirectory(dir), "missing " + dir);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".pipe") || Files.isRegularFile(p.resolve("main.pipe")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks a case; the displayed paths are relative to the golden directory. */
    static String run(Path c) {
        Path dir = Golden.dir("check");
        Map<Path, String> files = new HashMap<>();
        Path main = c;
        if (Files.isDirectory(c)) {
            main = c.resolve("main.pipe");
            try (Stream<Path> all = Files.walk(c)) {
                for (Path f : all.filter(p -> p.toString().endsWith(".pipe")).toList()) {
                    files.put(Path.of(dir.relativize(f).toString()).toAbsolutePath(), Golden.read(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String shown = dir.relativize(main).toString().replace('\\', '/');
        Source src = new Source(shown, Golden.read(main));
        CheckResult r = Checker.check(src, new ModuleLoader(files), CheckOptions.DEFAULT);
        return new Renderer(false).render(r.diagnostics());
    }

    static Path expected(Path c) {
        return Files.isDirectory(c) ? c.resolve("main.diag")
                : c.resolveSibling(c.getFileName().toString().replaceAll("\\.pipe$", ".diag"));
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(),
                () -> Golden.check(expected(c), run(c))));
    }

    /** Codes reported by other phases: syntax (E00xx), run arguments (E06xx, unit-tested), Argo (E07xx). */
    private static boolean ownedElsewhere(Code c) {
        return c.name().startsWith("E00") || c.name().startsWith("E06") || c.name().startsWith("E07");
    }

    /** E0506 (Int out of range) is the parser's; retired codes are reported by no phase (kept, never renumbered). */
    private static boolean notTheCheckers(Code c) {
        return c == Code.E0506 || c.retired();
    }

    @Test
    void everyCheckerCodeHasAGoldenCase() {
        Set<String> seen = new TreeSet<>();
        Pattern p = Pattern.compile("^(?:error|warning)\\[([EW][0-9]{4})\\]", Pattern.MULTILINE);
        for (Path c : cases()) {
            Matcher m = p.matcher(Golden.read(expected(c)));
            while (m.find()) {
                seen.add(m.group(1));
            }
        }
        Set<String> missing = new TreeSet<>();
        for (Code c : Code.values()) {
            if (!ownedElsewhere(c) && !notTheCheckers(c) && !seen.contains(c.name())) {
                missing.add(c.name());
            }
        }
        assertEquals(Set.of(), missing, "codes without a golden case in golden/check");
    }
}
