package dev.freestone.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Go-to-definition into the standard library lands in a file the editor can open, also when the server runs from the jar. */
class StdlibFilesTest {
    static final String TEXT = "/// Tunes.\ncomponent tune(n: Int) -> (best: Float) {\n  image = \"alpine:3.20\"\n}\n";

    @TempDir
    Path dir;

    private URL inJar(String entry, String text) throws IOException {
        Path jar = dir.resolve("freestone.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(entry));
            j.write(text.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            URL url = loader.getResource(entry);
            assertEquals("jar", url.getProtocol());
            return url;
        }
    }

    @Test
    void aModuleInTheJarIsOpenedFromAReadOnlyCopyOfItsText() throws IOException {
        URL url = inJar("stdlib/tuning.pipe", TEXT);
        Path home = dir.resolve("home");
        String uri = StdlibFiles.uri("stdlib/tuning", TEXT, url, () -> home);
        assertNotNull(uri, "a module in the jar has somewhere to go");
        Path copy = Path.of(URI.create(uri));
        assertTrue(copy.startsWith(home.resolve(StdlibFiles.FOLDER)), copy.toString());
        assertEquals("tuning.pipe", copy.getFileName().toString());
        assertEquals(TEXT, Files.readString(copy));
        // root may write anything, so the permission bits are what is checked
        assertFalse(Files.getPosixFilePermissions(copy).contains(PosixFilePermission.OWNER_WRITE),
                "an edit to the copy would change nothing");
        // the same text: the same file, not written again; another text: another folder
        assertEquals(uri, StdlibFiles.uri("stdlib/tuning", TEXT, url, () -> home));
        String other = StdlibFiles.uri("stdlib/tuning", TEXT + "\n", url, () -> home);
        assertNotNull(other);
        assertFalse(other.equals(uri));
        assertEquals(TEXT, Files.readString(copy));
        try (var files = Files.list(copy.getParent())) {
            assertEquals(1, files.count(), "no partial file left behind");
        }
    }

    @Test
    void aModuleThatIsAFileIsThatFile_AndAnUnwritableHomeIsNowhere() throws IOException {
        Path file = dir.resolve("tuning.pipe");
        Files.writeString(file, TEXT);
        URL url = file.toUri().toURL();
        assertEquals(url.toString(), StdlibFiles.uri("stdlib/tuning", TEXT, url, () -> dir.resolve("unused")));
        assertFalse(Files.exists(dir.resolve("unused")));
        Path notADirectory = dir.resolve("home-file");
        Files.writeString(notADirectory, "");
        assertNull(StdlibFiles.uri("stdlib/tuning", TEXT, inJar("stdlib/tuning.pipe", TEXT), () -> notADirectory));
        assertNull(StdlibFiles.uri("stdlib/tuning", TEXT, null, () -> dir));
    }
}
