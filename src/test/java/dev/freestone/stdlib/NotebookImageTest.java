package dev.freestone.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freestone.ir.Ir;
import dev.freestone.testing.HostPath;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code notebook.run} in its cluster image: quay.io/jupyter/scipy-notebook has python3, pip and nbconvert but
 * no papermill (docker-stacks' scipy-notebook, minimal-notebook and base-notebook install none), so the step's
 * script must get papermill itself. The script runs here as the pod would run it, with stand-ins for what the
 * image has on its PATH ({@code python3 -m pip} installs a papermill stand-in, {@code jupyter}) and no papermill.
 */
class NotebookImageTest {
    @TempDir
    Path dir;

    @Test
    void theStepInstallsPapermillWhereTheImageHasNone() throws IOException, InterruptedException {
        assumeTrue(!HostPath.has("papermill"), "papermill is installed here: the image's PATH cannot be imitated");
        Ir.Program ir = KubeflowStdlibTest.ir("nb.pipe", """
                import stdlib/notebook as notebook
                pipeline nb(n: notebook.Notebook) -> (html: HTML) {
                  r = notebook.run(notebook = n)
                  output html = r.html
                }
                """);
        Ir.Component run = ir.components().values().stream().filter(c -> c.name().equals("run")).findFirst().orElseThrow();
        assertEquals("quay.io/jupyter/scipy-notebook:2024-05-27", run.image());

        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("calls");
        tool(bin, "python3", """
                printf 'python3 %s\\n' "$*" >> CALLS
                if [ "$1 $2 $3" = "-m pip install" ]; then
                  printf '#!/bin/sh\\nprintf "papermill %%s\\\\n" "$*" >> CALLS\\ncp "$1" "$2"\\n' > BIN/papermill
                  chmod +x BIN/papermill
                fi
                """.replace("CALLS", calls.toString()).replace("BIN", bin.toString()));
        tool(bin, "jupyter", "printf '<html>executed</html>\\n'\n");
        Path in = dir.resolve("in.ipynb");
        Files.writeString(in, "{\"cells\": [], \"nbformat\": 4}\n");

        List<String> sh = new ArrayList<>(List.of("/bin/sh", "-c", run.script().source()));
        ProcessBuilder pb = new ProcessBuilder(sh).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile());
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
        pb.environment().put("notebook", in.toString());
        pb.environment().put("parameters", "{}");
        pb.environment().put("kernel", "python3");
        pb.environment().put("executed", dir.resolve("executed.ipynb").toString());
        pb.environment().put("html", dir.resolve("out.html").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script did not finish");
        String log = Files.readString(dir.resolve("log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        String called = Files.readString(calls, StandardCharsets.UTF_8);
        assertTrue(called.contains("python3 -m pip install") && called.contains("papermill==2.6.0"), called);
        assertTrue(called.contains("--parameters_yaml {} --kernel python3"), "papermill did not run: " + called);
        assertEquals("<html>executed</html>\n", Files.readString(dir.resolve("out.html"), StandardCharsets.UTF_8));
    }

    private static void tool(Path bin, String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        assertTrue(p.toFile().setExecutable(true));
    }

}
