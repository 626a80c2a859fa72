package dev.freestone.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Where sqlite-jdbc loads its native library from. By itself it copies the library (1 MB) out of
 * its jar into the temporary folder at every start, after listing that folder for stale copies:
 * about 70 ms of every command that opens the store. Here the library is copied once per
 * sqlite-jdbc version into {@code <home>/cache/} (a new name, then a rename, so that concurrent
 * starts never load half a file) and sqlite-jdbc is pointed at it with its own system properties.
 * Whatever goes wrong (no such resource, a read-only home) leaves sqlite-jdbc to its default.
 */
final class SqliteLibrary {
    private static final String PATH = "org.sqlite.lib.path";
    private static final String NAME = "org.sqlite.lib.name";
    private static final String TMPDIR = "org.sqlite.tmpdir";

    private SqliteLibrary() {
    }

    /** Points sqlite-jdbc at its library under {@code home}, copying it there first when missing. */
    static synchronized void useCacheIn(Path home) {
        if (System.getProperty(PATH) != null || System.getProperty(NAME) != null) {
            return; // the user's choice
        }
        try {
            String name = LibraryLoaderUtil.getNativeLibName();
            String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
            Path dir = home.resolve("cache").resolve("sqlite-jdbc")
                    .resolve(SQLiteJDBCLoader.getVersion() + "-" + resource.replaceAll("[^A-Za-z0-9._-]", "_"));
            Path lib = dir.resolve(name);
            if (!Files.isRegularFile(lib)) {
                try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        return;
                    }
                    Files.createDirectories(dir);
                    Path part = Files.createTempFile(dir, name, ".part");
                    try {
                        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } finally {
                        Files.deleteIfExists(part);
                    }
                }
            }
            System.setProperty(PATH, dir.toString());
            System.setProperty(NAME, name);
            // sqlite-jdbc lists this folder for stale copies of its own (named sqlite-<version>*) at start
            System.setProperty(TMPDIR, dir.toString());
        } catch (IOException | RuntimeException | LinkageError e) {
            // sqlite-jdbc's own way below
        }
    }
}
