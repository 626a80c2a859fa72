package dev.freestone.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Successive checks of a file that imports a local module and a standard one, with one
 * {@link ParseCache} shared by their loaders, as the language server checks a buffer on every edit.
 */
class ParseCacheTest {

    static final String LIB = """
            /// Cleans a dataset.
            component prep(data: Dataset) -> (out: Dataset) {
              image   = "alpine:3.20"
              command = ["cp", data, out]
            }
            """;

    static final String MAIN = """
            import stdlib/util
            import "./lib.pipe" as lib

            pipeline main(url: String) -> (data: Dataset) {
              d = util.download(url = url)
              p = lib.prep(data = d.data)
              output data = p.out
            }
            """;

    @TempDir
    Path dir;

    Path main;
    Path lib;

    void write(String libText) throws Exception {
        main = dir.resolve("main.pipe");
        lib = dir.resolve("lib.pipe");
        Files.writeString(main, MAIN);
        Files.writeString(lib, libText);
    }

    CheckResult check(ParseCache cache, Map<Path, String> overrides) throws Exception {
        return Checker.check(new Source(main.toString(), Files.readString(main)), new ModuleLoader(overrides, cache),
                CheckOptions.DEFAULT);
    }

    static Module module(CheckResult r, String key) {
        return r.program().modules().stream().filter(m -> m.key().equals(key)).findFirst().orElseThrow();
    }

    static String rendered(CheckResult r) {
        return new Renderer(false).render(r.diagnostics());
    }

    @Test
    void aSecondCheckParsesNoImportAgain() throws Exception {
        write(LIB);
        ParseCache cache = new ParseCache();
        CheckResult first = check(cache, Map.of());
        assertEquals(List.of(), first.diagnostics());
        assertEquals(2, cache.parses(), "lib.pipe and stdlib/util");
        assertEquals(2, cache.size(), "the root is not kept");

        CheckResult second = check(cache, Map.of());
        assertEquals(2, cache.parses());
        assertEquals(List.of(), second.diagnostics());
        Module lib1 = module(first, lib.toString());
        Module lib2 = module(second, lib.toString());
        assertSame(lib1.file(), lib2.file(), "the same tree");
        assertNotSame(lib1, lib2, "each check has its own module and symbols");
        assertNotSame(lib1.members().get("prep"), lib2.members().get("prep"));
        // the module's Source is the one its tree's spans point to (the LSP and suppressions match by identity)
        assertSame(lib2.source(), lib2.members().get("prep").span().source());
        assertSame(module(second, "stdlib/util").source(), module(second, "stdlib/util").file().source());
    }

    @Test
    void anEditedImportOnDiskIsParsedAgain() throws Exception {
        write(LIB);
        ParseCache cache = new ParseCache();
        check(cache, Map.of());
        Files.writeString(lib, LIB.replace("prep", "prepare"));
        CheckResult r = check(cache, Map.of());
        assertEquals(3, cache.parses());
        assertEquals(List.of("prepare"), List.copyOf(module(r, lib.toString()).members().keySet()));
        assertEquals(List.of(Code.E0111), r.diagnostics().stream().map(Diagnostic::code).toList(), rendered(r));

        Files.writeString(lib, LIB);
        assertEquals(List.of(), check(cache, Map.of()).diagnostics(), "back to the first text: kept, and right");
        assertEquals(3, cache.parses());
    }

    @Test
    void anEditedImportInAnOverrideIsParsedAgain() throws Exception {
        write(LIB);
        ParseCache cache = new ParseCache();
        check(cache, Map.of(lib, LIB));
        assertEquals(2, cache.parses(), "an override with the text on disk is the same module");
        String more = LIB + """

                component extra(data: Dataset) -> (out: Dataset) {
                  image   = "alpine:3.20"
                  command = ["cp", data, out]
                }
                """;
        CheckResult r = check(cache, Map.of(lib, more));
        assertEquals(3, cache.parses());
        assertEquals(List.of("prep", "extra"), List.copyOf(module(r, lib.toString()).members().keySet()));
        // the disk still has the first text, which is still kept
        assertEquals(List.of("prep"), List.copyOf(module(check(cache, Map.of()), lib.toString()).members().keySet()));
        assertEquals(3, cache.parses());
    }

    @Test
    void aSyntaxErrorInAnImportIsReportedByEveryCheck() throws Exception {
        write(LIB.replace("-> (out: Dataset) {", "-> (out: Dataset {"));
        ParseCache cache = new ParseCache();
        CheckResult first = check(cache, Map.of());
        CheckResult second = check(cache, Map.of());
        assertEquals(2, cache.parses());
        List<Diagnostic> syntax = second.diagnostics().stream().filter(d -> d.code().name().startsWith("E00")).toList();
        assertFalse(syntax.isEmpty(), rendered(second));
        assertTrue(syntax.stream().allMatch(d -> d.file().equals(dir.resolve("lib.pipe").toString())), rendered(second));
        assertEquals(rendered(first), rendered(second));
        assertEquals(first.diagnostics().size(), second.diagnostics().size());
    }

    @Test
    void theSameTextUnderAnotherPathIsParsedAgain() throws Exception {
        write(LIB);
        ParseCache cache = new ParseCache();
        check(cache, Map.of());
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("lib.pipe"), LIB);
        Files.writeString(other.resolve("main.pipe"), MAIN);
        main = other.resolve("main.pipe");
        CheckResult r = check(cache, Map.of());
        assertEquals(List.of(), r.diagnostics());
        assertEquals(3, cache.parses(), "stdlib/util kept, other/lib.pipe parsed");
        assertEquals(other.resolve("lib.pipe").toString(), module(r, other.resolve("lib.pipe").toString()).source().path());

        // the same file shown under another path (the root given relative to another folder)
        Path cwd = Path.of("").toAbsolutePath();
        main = cwd.relativize(other.resolve("main.pipe"));
        CheckResult relative = check(cache, Map.of());
        assertEquals(4, cache.parses());
        assertEquals(main.resolveSibling("lib.pipe").normalize().toString(),
                module(relative, other.resolve("lib.pipe").toString()).source().path());
    }

    @Test
    void theLeastRecentlyUsedModulesGoFirst() throws Exception {
        write(LIB);
        ParseCache one = new ParseCache(1, ParseCache.DEFAULT_CHARS);
        check(one, Map.of());
        check(one, Map.of());
        assertEquals(4, one.parses(), "two imports through room for one: each pushes the other out");
        assertEquals(1, one.size());

        ParseCache small = new ParseCache(64, LIB.length());
        check(small, Map.of());
        check(small, Map.of());
        assertEquals(3, small.parses(), "lib.pipe fits and is kept; stdlib/util is longer and is not");
        assertEquals(1, small.size());
    }

    @Test
    void checksOnSeveralThreadsShareTheCache() throws Exception {
        write(LIB.replace("-> (out: Dataset) {", "-> (out: Dataset {"));
        ParseCache cache = new ParseCache();
        String expected = rendered(check(new ParseCache(), Map.of()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> rendered(check(cache, Map.of()))));
            }
            for (Future<String> f : results) {
                assertEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(cache.parses() <= 8, "at most each thread parses each import once: " + cache.parses());
        assertEquals(2, cache.size());
    }
}
