package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What steps do with their artifact inputs never changes the stored objects: an input is a hard link
 * to its object (same inode, same mode), so nothing the engine does to a step's {@code in/} or
 * {@code out/} may change a mode, and a later reader, a cache hit or {@code resume} gets the object
 * its digest names.
 */
class StoredObjectsE2ETest {
    /** A folder with an executable in it, run by two steps one after the other. */
    private static final String TOOLS = """
                component make_tool() -> (tool: Model) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "mkdir -p \\"$0\\" && printf '#!/bin/sh\\\\necho hi\\\\n' > \\"$0/run.sh\\" && chmod +x \\"$0/run.sh\\"", tool]
                }
                component use_tool(tool: Model, _tag: String) -> (said: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "\\"$0/run.sh\\" > \\"$1\\"", tool, said]
                }
                pipeline tools() -> (first: String, second: String) {
                  m = make_tool()
                  a = use_tool(tool = m.tool, _tag = "a")
                  b = use_tool(tool = m.tool, _tag = "b") after a
                  output first  = a.said
                  output second = b.said
                }
            """;

    @TempDir
    Path tmp;

    /** The stored objects (files and trees) of the store, by their path. */
    private static List<Path> objects(Freestone fs) throws Exception {
        try (Stream<Path> shards = Files.list(fs.home().resolve("artifacts/sha256"))) {
            return shards.flatMap(s -> {
                try (Stream<Path> in = Files.list(s)) {
                    return in.toList().stream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void anExecutableInAStoredFolderStaysExecutableForEveryReader() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tool.pipe", TOOLS);
        Freestone.Result r = fs.process(tmp.resolve("run"), 60, "run", "--progress", "none", pipe.toString()).expect(0);
        assertTrue(r.out().contains("output first = hi") && r.out().contains("output second = hi"), r::all);
        Path tree = objects(fs).stream().filter(Files::isDirectory).findFirst().orElseThrow();
        // the tree's digest counts the executable bit: its object must keep it after being read
        assertEquals("r-xr-xr-x", mode(tree.resolve("run.sh")), "the stored tool lost its executable bit");
    }

    @Test
    void aStepThatLinksItsInputAsItsOutputLeavesTheObjectReadOnly() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path data = Files.writeString(tmp.resolve("data.csv"), "a,b\n1,2\n");
        Path pipe = Freestone.pipe(tmp, "pass.pipe", """
                component pass(data: Dataset) -> (same: Dataset) {
                  image   = "alpine:3.20"
                  command = ["ln", data, same]
                }
                pipeline passing(data: Dataset) -> (same: Dataset) {
                  p = pass(data = data)
                  output same = p.same
                }
                """);
        fs.process(tmp.resolve("run"), 60, "run", "--progress", "none", pipe.toString(), "-p", "data=" + data).expect(0);
        List<Path> objects = objects(fs).stream().filter(p -> !Files.isDirectory(p)).toList();
        for (Path o : objects) {
            assertEquals("r--r--r--", mode(o), "stored object " + o.getFileName() + " was made writable");
        }
        assertEquals("a,b\n1,2\n", Files.readString(data), "the user's file");
    }

    @Test
    void aStepThatWritesItsInputFailsAndTheAlteredObjectLeavesTheStore() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path data = Files.writeString(tmp.resolve("data.csv"), "a,b\n1,2\n");
        // `chmod u+w` first: read-only modes stop neither root nor the owner of the link, who may change them
        String pipeline = """
                component count(data: Dataset, _how: String) -> (lines: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "STEP; wc -l < \\"$0\\" | tr -d ' ' > \\"$1\\"", data, lines]
                }
                pipeline counting(data: Dataset, how: String) -> (lines: String) {
                  c = count(data = data, _how = how)
                  output lines = c.lines
                }
                """;
        Path bad = Freestone.pipe(tmp, "bad.pipe", pipeline.replace("STEP", "chmod u+w \\\"$0\\\"; echo extra >> \\\"$0\\\""));
        Freestone.Result r = fs.process(tmp.resolve("bad"), 60, "run", "--progress", "none", bad.toString(),
                "-p", "data=" + data, "-p", "how=append");
        r.expect(1);
        assertTrue(r.err().contains("its input `data` was written while it ran"), r::all);
        Freestone.assertNoTrace(r.all());
        for (Path o : objects(fs)) {
            assertEquals(o.getFileName().toString(), sha256(o), "a stored object does not hold what its name says");
        }
        assertEquals("a,b\n1,2\n", Files.readString(data), "the user's file");

        // the next run stores the user's file again and reads it as it is; touching an input is no error
        Path good = Freestone.pipe(tmp, "good.pipe", pipeline.replace("STEP", "touch \\\"$0\\\""));
        Freestone.Result again = fs.process(tmp.resolve("good"), 60, "run", "--progress", "none", good.toString(),
                "-p", "data=" + data, "-p", "how=touch").expect(0);
        assertTrue(again.out().contains("output lines = 2"), again::all);
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void aFolderIsStoredReadAndEvictedByAUserOtherThanRoot() throws Exception {
        List<String> plain = Freestone.asPlainUser().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(plain != null,
                "running as root without setpriv: cannot run the engine without root's privileges");
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "tool.pipe", TOOLS);
        Freestone.Result r = Freestone.await(fs.startUnder(plain, tmp.resolve("run"), List.of(),
                "run", "--progress", "none", pipe.toString()), tmp.resolve("run"), 60).expect(0);
        assertTrue(r.out().contains("output first = hi") && r.out().contains("output second = hi"), r::all);

        // a step that makes its folder input writable and writes it: the folder leaves the store
        Path bad = Freestone.pipe(tmp, "bad.pipe", TOOLS.replace("\\\"$0/run.sh\\\" > \\\"$1\\\"",
                "chmod u+w \\\"$0/run.sh\\\"; echo 'echo bye' >> \\\"$0/run.sh\\\"; \\\"$0/run.sh\\\" > \\\"$1\\\""));
        Freestone.Result broken = Freestone.await(fs.startUnder(plain, tmp.resolve("bad"), List.of(),
                "run", "--progress", "none", bad.toString()), tmp.resolve("bad"), 60);
        broken.expect(1);
        assertTrue(broken.err().contains("its input `tool` was written while it ran"), broken::all);
        assertTrue(objects(fs).stream().noneMatch(Files::isDirectory), () -> "the altered folder is still stored: " + broken.all());
    }

    @Test
    void aStoreWhoseArtifactsFolderWasDeletedByHandKeepsItsRunsAndSaysWhyResumeCannot() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "fails.pipe", """
                component fail_once(flag: String) -> (out: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "[ -e \\"$0\\" ] && printf ok > \\"$1\\"", flag, out]
                }
                pipeline fails(flag: String) -> (out: String) {
                  f = fail_once(flag = flag)
                  output out = f.out
                }
                """);
        Path flag = tmp.resolve("flag");
        Freestone.Result failed = fs.cli("run", "--progress", "none", pipe.toString(), "-p", "flag=" + flag).expect(1);
        String runId = failed.runId();
        deleteByHand(fs.home().resolve("artifacts"));
        for (String[] args : new String[][] {{"runs"}, {"show", runId}, {"artifacts", runId}, {"logs", runId}}) {
            Freestone.assertNoTrace(fs.cli(args).expect(0).all());
        }
        Freestone.Result resume = fs.cli("resume", runId).expect(1);
        assertTrue(resume.err().contains("the pipeline it ran (artifact ") && resume.err().contains("is no longer in the artifact store"),
                resume::all);
        Files.writeString(flag, "");
        assertTrue(fs.cli("run", "--progress", "none", pipe.toString(), "-p", "flag=" + flag).expect(0).out()
                .contains("output out = ok"));
        fs.assertStoreIntact();
    }

    /** {@code chmod -R u+w DIR && rm -rf DIR}: stored objects are read-only. */
    private static void deleteByHand(Path dir) throws Exception {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(java.util.Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                p.toFile().setWritable(true, true);
            }
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }
}
