package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone fmt} on files with Windows line endings (a checkout with {@code core.autocrlf}): the
 * layout is fixed, the line endings are the file's, so {@code --check} passes on a formatted file.
 */
class FmtLineEndingsTest {
    @TempDir
    Path dir;

    static String crlf(String text) {
        return text.replace("\n", "\r\n");
    }

    @Test
    void aCrlfFileStaysCrlfAndAFormattedOnePassesTheCheck() throws IOException {
        Path f = dir.resolve("hello.pipe");
        Files.writeString(f, crlf(FmtCommandTest.MESSY));
        assertEquals(1, CliRun.of("fmt", "--check", f.toString()).code());
        assertEquals(0, CliRun.of("fmt", f.toString()).code());
        assertEquals(crlf(FmtCommandTest.formatted(FmtCommandTest.MESSY)), Files.readString(f));

        CliRun check = CliRun.of("fmt", "--check", f.toString());
        assertEquals(0, check.code(), "a formatted CRLF file needs no change: " + check.out());
        assertEquals("", check.out());
    }

    @Test
    void aScriptKeepsItsTextAndTheFileItsLineEndings() throws IOException {
        String text = "component c() {\n  image = \"python:3.12-slim\"\n  script = python \"\"\"\n    print(1)\n    if True:\n        print(2)\n  \"\"\"\n}\n";
        Path f = dir.resolve("c.pipe");
        Files.writeString(f, crlf(text));
        CliRun r = CliRun.of("fmt", "--check", f.toString());
        assertEquals(0, r.code(), r.out());
        // LF files stay LF
        Files.writeString(f, text);
        assertEquals(0, CliRun.of("fmt", "--check", f.toString()).code());
    }
}
