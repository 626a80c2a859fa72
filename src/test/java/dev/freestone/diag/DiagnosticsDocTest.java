package dev.freestone.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/diagnostics.md is generated from the {@link Code} catalog; this test fails when the committed
 * copy is stale ({@code -Dfreestone.regenerate=true} rewrites it).
 */
class DiagnosticsDocTest {

    /** A help that is all placeholder would read "…": each such diagnostic brings a help of its own. */
    private static final String HELP_OF_ITS_OWN = "(its own for each case: the form to write, or the values allowed)";

    static String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Diagnostics\n\n");
        out.append("Generated from `compiler/dev/freestone/diag/Code.java` by `DiagnosticsDocTest`; do not edit by hand.\n");
        out.append("Codes are stable: E00xx syntax, E01xx names, E02xx types, E03xx ordering, E04xx control flow,\n");
        out.append("E05xx components and settings, E06xx run arguments, E07xx Argo limits, W0xxx warnings (with the\n");
        out.append("lint name used to suppress them).\n\n");
        out.append("| code | lint | message | help |\n| --- | --- | --- | --- |\n");
        for (Code c : Code.values()) {
            out.append("| ").append(c.name()).append(" | ").append(c.lint() == null ? "" : "`" + c.lint() + "`")
                    .append(" | ").append(c.retired() ? "(retired: no longer reported) " : "").append(cell(c.template()))
                    .append(" | ").append(c.helpTemplate().equals("%s") ? HELP_OF_ITS_OWN : cell(c.helpTemplate())).append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("%s", "…");
    }

    @Test
    void docsListEveryCode() throws IOException {
        Path doc = SharedData.projectDir().resolve("docs/diagnostics.md");
        String expected = render();
        if (Boolean.getBoolean("freestone.regenerate") || !Files.exists(doc)) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(doc, StandardCharsets.UTF_8),
                "docs/diagnostics.md is stale: run mvn test -Dtest=DiagnosticsDocTest -Dfreestone.regenerate=true");
    }

    /** The doc calls a retired code "no longer reported": no source outside the catalog may name it. */
    @Test
    void retiredCodesAreReportedNowhere() throws IOException {
        Path root = SharedData.projectDir();
        java.util.List<String> uses = new java.util.ArrayList<>();
        for (String dir : java.util.List.of("compiler", "runtime")) {
            try (java.util.stream.Stream<Path> files = Files.walk(root.resolve(dir))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith(Path.of("diag", "Code.java"))).toList()) {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    for (Code c : Code.values()) {
                        if (c.retired() && text.contains("Code." + c.name())) {
                            uses.add(root.relativize(f) + " reports " + c.name());
                        }
                    }
                }
            }
        }
        assertEquals(java.util.List.of(), uses);
    }
}
