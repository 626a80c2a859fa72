package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code freestone check} prints for a mistake, as a user reads it in a terminal: the code,
 * {@code file:line:col}, the source line, carets under the place and the help line, also on lines with
 * tabs, CJK characters (two terminal columns each) and emoji.
 */
class CheckOutputTest {
    static final String LIB = """
            component split(data: Dataset) -> (train: Dataset, test: Dataset) {
              image = "python:3.12-slim"
              command = ["split", data, train, test]
            }
            """;

    @TempDir
    Path dir;

    /** The lines of one rendered diagnostic, from its header to its help line. */
    static List<String> block(String err, String header) {
        List<String> lines = err.lines().toList();
        int at = lines.indexOf(header);
        assertTrue(at >= 0, "no `" + header + "` in:\n" + err);
        return lines.subList(at, at + 6);
    }

    /** The carets' place and width in the rendered source line, in terminal columns. */
    static String underlined(List<String> block) {
        String code = block.get(3);
        String carets = block.get(4);
        int bar = code.indexOf(" | ");
        return carets.substring(bar + 3);
    }

    /**
     * A misspelt name in {@code // freestone:allow} silences nothing: it is a warning at the name, with
     * the closest lint, and the warning it meant to silence is still shown; {@code --strict} fails on it.
     */
    @Test
    void anUnknownNameInAnAllowCommentIsAWarningAtIt() throws IOException {
        Path file = dir.resolve("allow.pipe");
        Files.writeString(file, LIB + "pipeline p(data: Dataset) {\n  // freestone:allow unused-steps\n  s = split(data = data)\n}\n");
        CliRun r = CliRun.of("check", file.toString());
        assertEquals(0, r.code(), r.err());
        List<String> shown = block(r.err(),
                "warning[W0007]: no warning is called `unused-steps`: this `freestone:allow` silences nothing [unknown-lint]");
        assertTrue(shown.get(1).endsWith("allow.pipe:6:22"), shown.get(1));
        assertEquals("^^^^^^^^^^^^", underlined(shown).strip());
        assertEquals("= help: did you mean `unused-step`?", shown.get(5).strip());
        assertTrue(r.err().contains("warning[W0001]: step `s` is never used"), r.err());
        assertEquals(1, CliRun.of("check", "--strict", file.toString()).code());
    }

    /**
     * A loop's value used where one item goes is told it can take one iteration's by its index, and the
     * index it suggests checks.
     */
    @Test
    void aLoopsValueUsedAsOneItemIsToldToIndexIt() throws IOException {
        Path file = dir.resolve("loop.pipe");
        String pipeline = LIB + "pipeline p(parts: List[Dataset]) -> (first: Dataset) {\n  for d in parts {\n"
                + "    s = split(data = d)\n  }\n  again = split(data = s.train)\n  output first = again.test\n}\n";
        Files.writeString(file, pipeline);
        CliRun r = CliRun.of("check", file.toString());
        assertEquals(1, r.code(), r.err());
        List<String> shown = block(r.err(), "error[E0401]: `s.train` comes from a loop and is a `List[Dataset]` here, not a `Dataset`");
        assertTrue(shown.get(1).endsWith("loop.pipe:9:24"), shown.get(1));
        assertEquals("= help: use it inside the loop, take one iteration's with `s.train[0]` (the list is in iteration"
                + " order), or pass the whole list to a step that takes a List", shown.get(5).strip());
        Files.writeString(file, pipeline.replace("data = s.train)", "data = s.train[0])"));
        CliRun fixed = CliRun.of("check", file.toString());
        assertEquals(0, fixed.code(), fixed.err());
    }

    /** The summary of a clean check counts its warnings in words that agree ("1 warnings" it said). */
    @Test
    void theSummaryOfACleanCheckCountsWarnings() throws IOException {
        Path one = dir.resolve("one.pipe");
        Files.writeString(one, LIB + "pipeline p(data: Dataset) {\n  s = split(data = data)\n}\n");
        CliRun r = CliRun.of("check", one.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("ok: 1 file checked (1 warning)", r.out().strip());
        Path two = dir.resolve("two.pipe");
        Files.writeString(two, LIB + "pipeline p(data: Dataset, n: Int) {\n  s = split(data = data)\n}\n");
        assertEquals("ok: 2 files checked (3 warnings)", CliRun.of("check", one.toString(), two.toString()).out().strip());
        Files.writeString(one, LIB);
        assertEquals("ok: 1 file checked", CliRun.of("check", one.toString()).out().strip());
    }

    /** --allow takes a warning's name or code; any other word silenced nothing, silently (it exited 0 with the warning). */
    @Test
    void allowNamesAWarningOrIsAUsageError() throws IOException {
        Path one = dir.resolve("one.pipe");
        Files.writeString(one, LIB + "pipeline p(data: Dataset) {\n  s = split(data = data)\n}\n");
        assertEquals("ok: 1 file checked", CliRun.of("check", "--allow", "unused-step", one.toString()).out().strip());
        assertEquals("ok: 1 file checked", CliRun.of("check", "--allow", "W0001", one.toString()).out().strip());
        // in any case, as the checker and `// freestone:allow` compare them
        assertEquals("ok: 1 file checked", CliRun.of("check", "--allow", "w0001", one.toString()).out().strip());
        assertEquals("ok: 1 file checked", CliRun.of("check", "--allow", "Unused-Step", one.toString()).out().strip());
        CliRun error = CliRun.of("check", "--allow", "E0510", one.toString());
        assertEquals(2, error.code(), error.err());
        assertTrue(error.err().contains("`E0510` is an error, which cannot be allowed"), error.err());
        for (String command : List.of("check", "compile", "run")) {
            CliRun typo = CliRun.of(command, "--allow", "unused-param,unused-steps", one.toString());
            assertEquals(2, typo.code(), command + ": " + typo.err());
            assertTrue(typo.err().contains("no warning is called `unused-steps`: did you mean `unused-step`?"), typo.err());
        }
        CliRun far = CliRun.of("check", "--allow", "everything", one.toString());
        assertEquals(2, far.code(), far.err());
        assertTrue(far.err().contains("the warnings are unused-step, unused-param"), far.err());
    }

    /** `if x != None` by a KFP habit, of a required parameter: W0010 says the test is always true, `--allow` silences it. */
    @Test
    void nullTestOfARequiredParameterWarnsUnlessAllowed() throws IOException {
        Path one = dir.resolve("one.pipe");
        Files.writeString(one, LIB + "pipeline p(data: Dataset) {\n  if data != null {\n    split(data = data)\n  }\n}\n");
        CliRun warned = CliRun.of("check", one.toString());
        assertEquals(0, warned.code(), warned.err());
        List<String> shown = block(warned.err(), "warning[W0010]: `data` has type `Dataset`, never null: `data != null` is always"
                + " true [constant-null-test]");
        assertTrue(shown.get(1).endsWith("one.pipe:6:6"), shown.get(1));
        assertEquals("^^^^^^^^^^^^", underlined(shown).strip());
        assertEquals("ok: 1 file checked (1 warning)", warned.out().strip());
        CliRun allowed = CliRun.of("check", "--allow", "constant-null-test", one.toString());
        assertEquals("ok: 1 file checked", allowed.out().strip());
        assertTrue(allowed.err().isEmpty(), allowed.err());
    }

    /** Notepad and other Windows editors may start a UTF-8 file with a byte order mark, which editors do not show. */
    @Test
    void aByteOrderMarkIsNotPartOfTheText() throws IOException {
        String bom = "\uFEFF";
        Files.writeString(dir.resolve("lib.pipe"), bom + LIB);
        Path main = dir.resolve("main.pipe");
        String text = "import \"./lib.pipe\" as lib\n\npipeline p(data: Dataset) -> (t: Dataset) {\n  s = lib.split(data = data)\n  output t = s.train\n}\n";
        Files.writeString(main, bom + text);
        CliRun r = CliRun.of("check", main.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(0, CliRun.of("fmt", "--check", main.toString(), dir.resolve("lib.pipe").toString()).code());

        // positions are counted as an editor counts them, after the mark
        Files.writeString(main, bom + text.replace("s.train", "s.trian"));
        CliRun typo = CliRun.of("check", main.toString());
        assertEquals(1, typo.code());
        assertEquals(" --> " + main + ":5:16", block(typo.err(), "error[E0102]: unknown output `trian` of step `s`").get(1));
    }

    /** A struct field has no default value to give, so the help offers what the language has. */
    @Test
    void aMissingStructFieldIsHelpedWithWhatAStructCanDo() throws IOException {
        Path main = dir.resolve("main.pipe");
        Files.writeString(main, """
                struct Config {
                  lr: Float
                  epochs: Int
                }

                pipeline p(cfg: Config = Config(lr = 0.1)) {
                }
                """);
        CliRun r = CliRun.of("check", main.toString());
        assertEquals(1, r.code(), r.err());
        List<String> missing = block(r.err(), "error[E0202]: missing required argument `epochs` of `Config`");
        assertEquals("  = help: pass `epochs = ...`, or declare the field optional (`epochs: Int?`)", missing.get(5));
    }

    /** Half-typed uses of an import, as the editor checks them on the way to {@code s = lib.split(...)}. */
    @Test
    void anImportUsedWithoutACallIsNamedForWhatItIs() throws IOException {
        Files.writeString(dir.resolve("lib.pipe"), LIB);
        Path main = dir.resolve("main.pipe");
        Files.writeString(main, """
                import "./lib.pipe" as lib

                pipeline p(x: Dataset) {
                  a = lib.split
                  b = lib.splt
                  lob = lib.split(data = x)
                  c = lib
                }
                """);
        CliRun r = CliRun.of("check", main.toString());
        assertEquals(1, r.code(), r.err());

        List<String> callable = block(r.err(), "error[E0101]: unknown name `lib.split`");
        assertEquals(" --> " + main + ":4:7", callable.get(1));
        assertEquals(" ".repeat(6) + "^^^^^^^^^", underlined(callable));
        assertEquals("  = help: `lib.split` is a component: call it as a step, `s = lib.split(...)`, and use `s.<output>`",
                callable.get(5));

        List<String> typo = block(r.err(), "error[E0111]: `lib` has no member `splt`");
        assertEquals(" --> " + main + ":5:11", typo.get(1));
        assertEquals("  = help: did you mean `split`?", typo.get(5));

        // a step whose name is close is no better guess than the import of that very name
        List<String> alone = block(r.err(), "error[E0101]: unknown name `lib`");
        assertEquals("  = help: `lib` is an imported module: use its members as `lib.member(...)`", alone.get(5));
    }

    @Test
    void caretsSitUnderTheMistakeAfterTabsAndWideCharacters() throws IOException {
        Files.writeString(dir.resolve("lib.pipe"), LIB);
        Path main = dir.resolve("main.pipe");
        Files.writeString(main, """
                import "./lib.pipe" as lib

                pipeline p(data: Dataset) -> (a: Dataset, b: Dataset, c: Dataset) {
                \ts = lib.split(data = data)
                  /* 中文 */ output a = s.trian
                  /* 😀 */ output b = s.tset
                  output c = s.test
                }
                """);
        CliRun r = CliRun.of("check", main.toString());
        assertEquals(1, r.code(), r.err());

        List<String> cjk = block(r.err(), "error[E0102]: unknown output `trian` of step `s`");
        // the column counts UTF-16 code units, as LSP positions do
        assertEquals(" --> " + main + ":5:25", cjk.get(1));
        assertEquals("5 |   /* 中文 */ output a = s.trian", cjk.get(3));
        // 中文 takes four terminal columns: the carets move right by two
        assertEquals(" ".repeat(26) + "^^^^^", underlined(cjk));
        assertEquals("  = help: did you mean `train`?", cjk.get(5));

        List<String> emoji = block(r.err(), "error[E0102]: unknown output `tset` of step `s`");
        assertEquals(" --> " + main + ":6:25", emoji.get(1));
        assertEquals(" ".repeat(24) + "^^^^", underlined(emoji));

        // a tab is shown as one space, and the carets follow it
        Files.writeString(main, "import \"./lib.pipe\" as lib\n\npipeline p(data: Dataset) {\n\ts = lib.split(data = dta)\n}\n");
        CliRun tab = CliRun.of("check", main.toString());
        assertEquals(1, tab.code());
        List<String> t = block(tab.err(), "error[E0101]: unknown name `dta`");
        assertEquals(" --> " + main + ":4:23", t.get(1));
        assertEquals("4 |  s = lib.split(data = dta)", t.get(3));
        assertEquals(" ".repeat(22) + "^^^", underlined(t));
    }
}
