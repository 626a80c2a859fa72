package dev.freestone.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code resource} component's mistakes as a user meets them: {@code freestone check} and {@code freestone compile}
 * on a real file print rustc-style errors with a help line and exit 1, never a stack trace.
 */
class ResourceSettingsCliTest {
    private static final String BROKEN = """
            component deploy(name: String) -> (url: String) {
              resource {
                manifest = \"""
                  apiVersion: v1
                  kind: [unclosed
                \"""
                success  = "status.phase == =="
                outputs { url = "" }
              }
            }
            pipeline p() -> (url: String) {
              d = deploy(name = "iris")
              output url = d.url
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aBrokenResourceIsReportedAsErrorsWithHelpByCheckAndCompile() throws IOException {
        Path file = dir.resolve("deploy.pipe");
        Files.writeString(file, BROKEN, StandardCharsets.UTF_8);
        for (String command : new String[] {"check", "compile"}) {
            CliRun r = command.equals("check") ? CliRun.of(command, file.toString())
                    : CliRun.of(command, file.toString(), "-o", dir.resolve("out.yaml").toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("error[E0503]: setting `resource.manifest` expects a Kubernetes object in YAML"), r.err());
            assertTrue(r.err().contains("error[E0503]: setting `resource.success` expects an Argo resource condition"), r.err());
            assertTrue(r.err().contains("error[E0503]: setting `resource.outputs.url` expects a JSONPath or a jq filter"), r.err());
            assertTrue(r.err().contains(" --> " + file + ":3:16\n"), r.err()); // at the manifest's opening quotes
            assertTrue(r.err().contains("= help: write `\"{.status.url}\"` (JSONPath) or `\".status.url\"` (jq)"), r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        }
        assertFalse(Files.exists(dir.resolve("out.yaml")));
    }
}
