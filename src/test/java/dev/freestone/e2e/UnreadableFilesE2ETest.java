package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file the user may not read says so, as {@code cat} does: the JDK's message of a denied read is the file's name
 * alone, and the error read `cannot read u.pipe: u.pipe`. Run by a user other than root (root reads any file).
 */
class UnreadableFilesE2ETest {
    @TempDir
    Path tmp;

    @Test
    void aFileThatMayNotBeReadSaysPermissionDenied() throws Exception {
        List<String> plain = Freestone.asPlainUser().orElse(null);
        Assumptions.assumeTrue(plain != null, "running as root without setpriv: root reads every file");
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "count.pipe", """
                component count(data: Dataset) -> (n: Int) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import os
                    open(os.environ["n"], "w").write(str(len(open(os.environ["data"]).readlines())))
                  \"""
                }
                pipeline c(data: Dataset) -> (n: Int) {
                  k = count(data = data)
                  output n = k.n
                }
                """);
        Path hidden = Freestone.pipe(tmp, "hidden.pipe", Files.readString(pipe));
        Path rows = Files.writeString(tmp.resolve("rows.csv"), "a\n");
        for (Path f : List.of(hidden, rows)) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        }
        Freestone.Result check = Freestone.await(fs.startUnder(plain, tmp.resolve("check"), List.of(),
                "check", hidden.toString()), tmp.resolve("check"), 60).expect(1);
        assertTrue(check.err().contains("error: cannot read " + hidden + ": permission denied\n"
                + "  = help: check the file's permissions"), check::all);
        // an import: the file the user names, not the file's name again, and what to check
        Path main = Freestone.pipe(tmp, "main.pipe", "import \"./hidden.pipe\" as lib\n\npipeline main() {\n  _k = lib.count(data = \"rows.csv\")\n}\n");
        Freestone.Result imported = Freestone.await(fs.startUnder(plain, tmp.resolve("import"), List.of(),
                "check", main.toString()), tmp.resolve("import"), 60).expect(1);
        assertTrue(imported.err().contains("error[E0106]: cannot import `./hidden.pipe`: cannot read it: permission denied"),
                imported::all);
        assertTrue(imported.err().contains("= help: check the permissions of `" + hidden + "`"), imported::all);
        Freestone.Result run = Freestone.await(fs.startUnder(plain, tmp.resolve("run"), List.of(),
                "run", "--progress", "none", pipe.toString(), "--param", "data=" + rows), tmp.resolve("run"), 60).expect(1);
        assertTrue(run.err().startsWith("error[E0610]: parameter `data`: cannot read `" + rows + "`: permission denied\n --> "
                + pipe + ":"), run::all);
        assertTrue(run.err().contains("= help: make it readable to you (`chmod -R u+rX " + rows + "`) or pass another file with"
                + " --param data=PATH\n"), run::all);
        assertFalse(run.all().contains(rows + ": " + rows), run::all);
    }
}
