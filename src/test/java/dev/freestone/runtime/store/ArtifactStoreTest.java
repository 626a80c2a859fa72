package dev.freestone.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
    private static final String HELLO_SHA = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    private static final String EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path dir;

    private ArtifactStore store;

    @BeforeEach
    void open() throws IOException {
        store = ArtifactStore.open(dir.resolve("artifacts"));
    }

    @Test
    void storesAFileUnderItsSha256ReadOnly() throws Exception {
        StoredArtifact hello = store.put(stream("hello\n"));
        assertEquals(HELLO_SHA, hello.digest());
        assertEquals(6, hello.size());
        assertFalse(hello.directory());
        Path expected = dir.resolve("artifacts/sha256/58/" + HELLO_SHA);
        assertEquals(expected, hello.path());
        assertEquals("hello\n", Files.readString(expected));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(expected)));
        assertEquals(Optional.of(expected), store.get(HELLO_SHA));
        assertTrue(store.exists(HELLO_SHA));

        assertEquals(EMPTY_SHA, store.put(stream("")).digest());
    }

    @Test
    void anObjectHoldsOnlyAsTheKindItWasStoredAs() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("model"));
        Files.writeString(folder.resolve("w.bin"), "w");
        StoredArtifact tree = store.put(folder);
        StoredArtifact file = store.put(stream("hello\n"));
        ArtifactRecord treeRecord = ArtifactRecord.local("r", "t", "m", "Model", tree);
        ArtifactRecord fileRecord = ArtifactRecord.local("r", "t", "d", "Dataset", file);
        assertTrue(treeRecord.directory() && treeRecord.storedIn(store), treeRecord::uri);
        assertTrue(!fileRecord.directory() && fileRecord.storedIn(store), fileRecord::uri);

        // by hand: the file's object becomes a folder, and the folder's a link to a file
        Files.delete(file.path());
        Files.createDirectory(file.path());
        Path treeAt = tree.path();
        treeAt.toFile().setWritable(true);
        deleteTree(treeAt);
        Files.createSymbolicLink(treeAt, dir.resolve("model/w.bin"));
        assertFalse(fileRecord.storedIn(store));
        assertFalse(treeRecord.storedIn(store));
        assertFalse(store.exists(tree.digest()), "a link is no object");

        // storing the content again puts the object back in their place
        assertEquals(file.digest(), store.put(stream("hello\n")).digest());
        assertEquals(tree.digest(), store.put(folder).digest());
        assertTrue(fileRecord.storedIn(store) && treeRecord.storedIn(store));
        assertTrue(store.intact(file.digest()) && store.intact(tree.digest()));
    }

    private static void deleteTree(Path p) throws IOException {
        p.toFile().setWritable(true);
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(p)) {
                for (Path c : children.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }

    @Test
    void sameContentIsStoredOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("hello.txt"), "hello\n");
        StoredArtifact a = store.put(file);
        StoredArtifact b = store.put(stream("hello\n"));
        StoredArtifact c = store.put(file);
        assertEquals(a, b);
        assertEquals(a, c);
        assertEquals(List.of(a.path()), objectFiles());
        assertEquals(List.of(), temporaries());
    }

    @Test
    void unknownAndMalformedDigestsAreAbsent() {
        assertFalse(store.exists("b".repeat(64)));
        assertEquals(Optional.empty(), store.get("b".repeat(64)));
        for (String bad : new String[] {"", "abc", "../../etc/passwd", "A".repeat(64), HELLO_SHA + "0"}) {
            assertFalse(store.exists(bad), bad);
            assertEquals(Optional.empty(), store.get(bad), bad);
        }
        assertFalse(store.exists(null));
    }

    @Test
    void directoriesAreStoredAsTreesWithAStableDigest() throws Exception {
        Path model = sampleTree(dir.resolve("model"));
        StoredArtifact tree = store.put(model);
        assertTrue(tree.directory());
        assertEquals(5 + 7 + 14, tree.size());
        assertEquals("weights", Files.readString(tree.path().resolve("layers/w.bin")));
        assertTrue(Files.isDirectory(tree.path().resolve("empty")));
        assertEquals("r-xr-xr-x", perms(tree.path()));
        assertEquals("r--r--r--", perms(tree.path().resolve("config.json")));
        assertEquals("r-xr-xr-x", perms(tree.path().resolve("serve.sh")));

        // a copy made elsewhere, later, in another order: same tree, same object
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy.resolve("layers"));
        Files.createDirectories(copy.resolve("empty"));
        Files.writeString(copy.resolve("layers/w.bin"), "weights");
        Files.writeString(copy.resolve("serve.sh"), "#!/bin/sh\nexit\n".substring(0, 14));
        Files.setPosixFilePermissions(copy.resolve("serve.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(copy.resolve("config.json"), "{\"a\"}");
        Files.setLastModifiedTime(copy.resolve("config.json"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        assertEquals(tree, store.put(copy));

        // what changes the content changes the digest
        Files.writeString(copy.resolve("config.json"), "{\"b\"}");
        String changedContent = store.put(copy).digest();
        Files.writeString(copy.resolve("config.json"), "{\"a\"}");
        Files.setPosixFilePermissions(copy.resolve("serve.sh"), PosixFilePermissions.fromString("rw-r--r--"));
        String changedMode = store.put(copy).digest();
        Files.setPosixFilePermissions(copy.resolve("serve.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(copy.resolve("empty"), copy.resolve("vacant"));
        String changedName = store.put(copy).digest();
        List<String> digests = List.of(tree.digest(), changedContent, changedMode, changedName);
        assertEquals(4, digests.stream().distinct().count(), digests.toString());
        assertEquals(List.of(), temporaries());
    }

    @Test
    void aTreeIsNotConfusedWithItsFiles() throws Exception {
        Path single = Files.createDirectories(dir.resolve("single"));
        Files.writeString(single.resolve("hello.txt"), "hello\n");
        StoredArtifact tree = store.put(single);
        assertNotEquals(HELLO_SHA, tree.digest());
        assertEquals(6, tree.size());
    }

    @Test
    void symbolicLinksInADirectoryAreRefused() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "x\n");
        Files.createSymbolicLink(data.resolve("link"), Path.of("/etc/hostname"));
        IOException e = assertThrows(IOException.class, () -> store.put(data));
        assertTrue(e.getMessage().contains("symbolic links are not supported"), e.getMessage());
        assertEquals(List.of(), objectFiles());
        assertEquals(List.of(), temporaries());
    }

    @Test
    void aMissingSourceIsAnError() {
        IOException e = assertThrows(IOException.class, () -> store.put(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("not a regular file or a directory"), e.getMessage());
    }

    @Test
    void aFailedStreamLeavesNothingBehind() throws Exception {
        InputStream failing = new InputStream() {
            private int left = 100_000;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    throw new IOException("connection reset");
                }
                left--;
                return 'x';
            }
        };
        assertThrows(IOException.class, () -> store.put(failing));
        assertEquals(List.of(), objectFiles());
        assertEquals(List.of(), temporaries());
    }

    @Test
    void nothingIsWrittenOrMovedThroughATemporariesFolderThatIsALink() throws Exception {
        StoredArtifact hello = store.put(stream("hello\n"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path tmp = dir.resolve("artifacts/tmp");
        Files.delete(tmp);
        Files.createSymbolicLink(tmp, outside);
        Path folder = Files.createDirectories(dir.resolve("model"));
        Files.writeString(folder.resolve("w.bin"), "w");

        for (IOException refused : List.of(assertThrows(IOException.class, () -> store.put(stream("other"))),
                assertThrows(IOException.class, () -> store.put(folder)),
                assertThrows(IOException.class, () -> store.evict(hello.digest())))) {
            assertTrue(refused.getMessage().startsWith(tmp + " is not a folder (a link to elsewhere?)"), refused::getMessage);
            assertTrue(refused.getMessage().contains("`rm " + tmp + " && mkdir " + tmp + "`"), refused::getMessage);
        }
        assertEquals("hello\n", Files.readString(hello.path()), "an evict refused moved the object");
        // a store opened on it (a dangling link too) opens, and refuses to hold it for a run
        Files.delete(tmp);
        Files.createSymbolicLink(tmp, dir.resolve("nowhere"));
        ArtifactStore reopened = ArtifactStore.open(dir.resolve("artifacts"));
        StoreException held = assertThrows(StoreException.class, reopened::hold);
        assertTrue(held.help().orElseThrow().startsWith("make it a folder again"), held::getMessage);
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of(), s.toList(), "something was written outside the store");
        }
        assertFalse(Files.exists(dir.resolve("nowhere")));
        store.release();
    }

    @Test
    void staleTemporariesAreRemovedOnOpenFreshOnesKept() throws Exception {
        Path tmp = dir.resolve("artifacts/tmp");
        Path stale = Files.writeString(tmp.resolve("old.part"), "half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));
        Path staleTree = Files.createDirectories(tmp.resolve("old.tree/sub"));
        Files.writeString(staleTree.resolve("f"), "x");
        Files.setPosixFilePermissions(staleTree, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setLastModifiedTime(tmp.resolve("old.tree"), FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));
        Path fresh = Files.writeString(tmp.resolve("new.part"), "in progress");
        ArtifactStore.open(dir.resolve("artifacts"));
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(tmp.resolve("old.tree")));
        assertTrue(Files.exists(fresh));
    }

    private static Path sampleTree(Path root) throws IOException {
        Files.createDirectories(root.resolve("layers"));
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("config.json"), "{\"a\"}");
        Files.writeString(root.resolve("layers/w.bin"), "weights");
        Files.writeString(root.resolve("serve.sh"), "#!/bin/sh\nexit\n".substring(0, 14));
        Files.setPosixFilePermissions(root.resolve("serve.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Objects are the entries two levels down: {@code sha256/ab/abcd...}. */
    private List<Path> objectFiles() throws IOException {
        Path objects = dir.resolve("artifacts/sha256");
        try (Stream<Path> files = Files.walk(objects, 2)) {
            return files.filter(p -> objects.relativize(p).getNameCount() == 2).sorted().toList();
        }
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("artifacts/tmp"))) {
            return files.toList();
        }
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
