package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Source;
import dev.freestone.fmt.Formatter;
import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code freestone fmt} on real files: in place and atomic, {@code --check}, syntax errors, usage errors. */
class FmtCommandTest {
    static final String MESSY = """
            /// Prints a greeting.
            component  say(message:String)->(echoed:String){
            image="alpine:3.20"
               command=["echo",message,   echoed]
            }
            pipeline hello(name:String="world")->(greeting:String){
            greet=say(message="hello, ${name}")
            output greeting=greet.echoed
            }
            """;
    static final String BROKEN = "component say(message: String {\n  image = \"alpine\"\n";

    @TempDir
    Path dir;

    static CliRun fmt(String... args) {
        String[] all = Stream.concat(Stream.of("fmt"), Stream.of(args)).toArray(String[]::new);
        return CliRun.of(all);
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static String formatted(String text) {
        return Formatter.formatSource(new Source("x.pipe", text)).formatted();
    }

    @Test
    void rewritesTheFileInPlaceWithTheFormattersText() throws IOException {
        Path f = write("hello.pipe", MESSY);
        CliRun r = fmt(f.toString());
        assertEquals(0, r.code(), r.err());
        String now = Files.readString(f);
        assertNotEquals(MESSY, now);
        assertEquals(formatted(MESSY), now);
        assertTrue(r.out().contains("formatted 1 of 1 file"), r.out());
        // idempotent: a second run changes nothing
        CliRun again = fmt(f.toString());
        assertEquals(0, again.code());
        assertTrue(again.out().contains("formatted 0 of 1 file"), again.out());
        assertEquals(now, Files.readString(f));
    }

    @Test
    void leavesNoTemporaryFileAndKeepsPermissions() throws IOException {
        Path f = write("hello.pipe", MESSY);
        boolean posix = Files.getFileStore(f).supportsFileAttributeView("posix");
        if (posix) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        }
        assertEquals(0, fmt(f.toString()).code());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
        if (posix) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
    }

    @Test
    void formatsThroughASymbolicLinkAndKeepsTheLink() throws IOException {
        Path real = write("real.pipe", MESSY);
        Path link = dir.resolve("link.pipe");
        try {
            Files.createSymbolicLink(link, real.getFileName());
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links here: " + e);
        }
        assertEquals(0, fmt(link.toString()).code());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(formatted(MESSY), Files.readString(real));
    }

    @Test
    void checkListsFilesThatWouldChangeAndWritesNothing() throws IOException {
        Path messy = write("messy.pipe", MESSY);
        Path clean = write("clean.pipe", formatted(MESSY));
        CliRun r = fmt("--check", messy.toString(), clean.toString());
        assertEquals(1, r.code());
        assertEquals(List.of(messy.toString()), r.out().lines().toList());
        assertTrue(r.err().contains("1 file is not formatted"), r.err());
        assertEquals(MESSY, Files.readString(messy));

        CliRun ok = fmt("--check", clean.toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals("", ok.out());
    }

    @Test
    void aFileWithSyntaxErrorsIsReportedAndLeftUntouchedWhileOthersAreFormatted() throws IOException {
        Path broken = write("broken.pipe", BROKEN);
        Path messy = write("messy.pipe", MESSY);
        CliRun r = fmt(broken.toString(), messy.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error[E0"), r.err());
        assertTrue(r.err().contains("broken.pipe:"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals(BROKEN, Files.readString(broken));
        assertEquals(formatted(MESSY), Files.readString(messy));

        CliRun check = fmt("--check", broken.toString());
        assertEquals(1, check.code());
        assertTrue(check.err().contains("error[E0"), check.err());
        assertEquals(BROKEN, Files.readString(broken));
    }

    @Test
    void usageErrorsExitTwoAndWriteNothing() throws IOException {
        Path messy = write("messy.pipe", MESSY);
        CliRun missing = fmt(messy.toString(), dir.resolve("nope.pipe").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
        assertEquals(MESSY, Files.readString(messy), "nothing is written when an argument is wrong");

        assertEquals(2, fmt().code());
        assertEquals(2, fmt("--frobnicate", messy.toString()).code());
        assertEquals(2, fmt(dir.toString()).code());
    }
}
