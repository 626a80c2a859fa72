package dev.freestone.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.freestone.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the VS Code extension's own tests ({@code npm test} in {@code editors/vscode}: scope assertions on the
 * generated TextMate grammar, tokenizing every {@code .pipe} file of the repository, the extension's settings)
 * as part of the Maven build. Needs the test tools installed under {@code editors/vscode/node_modules}; without
 * them the test is skipped, unless {@code freestone.requireNode=true} (CI), where it fails.
 */
class VsCodeGrammarTest {
    private static final String INSTALL = "npm ci --prefix editors/vscode";

    @Test
    void npmTestPasses() throws InterruptedException {
        Path extension = SharedData.projectDir().resolve("editors/vscode");
        if (!Files.isDirectory(extension.resolve("node_modules"))) {
            if (Boolean.getBoolean("freestone.requireNode")) {
                fail("editors/vscode/node_modules is missing and freestone.requireNode=true; run `" + INSTALL + "`");
            }
            abort("skipped: editors/vscode/node_modules is missing; run `" + INSTALL + "` to test the editor grammar");
        }
        ProcessBuilder builder = new ProcessBuilder(npm(), "test").directory(extension.toFile())
                .redirectErrorStream(true);
        builder.environment().put("FORCE_COLOR", "0");
        builder.environment().put("NO_COLOR", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            fail("cannot run `npm test` in editors/vscode (is Node.js on PATH?): " + e.getMessage());
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "npm-test-output");
        reader.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.join(10_000);
            fail("`npm test` in editors/vscode did not finish within 5 minutes:\n" + text(output));
        }
        reader.join();
        String text = text(output);
        System.out.print(text);
        assertEquals(0, process.exitValue(), () -> "`npm test` in editors/vscode failed:\n" + text);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    private static String npm() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "npm.cmd" : "npm";
    }
}
