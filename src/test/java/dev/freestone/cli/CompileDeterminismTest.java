package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
import dev.freestone.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same file compiles to the same bytes: twice in one JVM and once in each of two fresh JVMs (no
 * dependence on hash seeds, iteration order of hash maps, the clock, or the process), for the IR and the YAML.
 */
class CompileDeterminismTest {
    private static final List<String> SOURCES = List.of("examples/train/train.pipe",
            "src/test/resources/golden/compile/fan_in.pipe", "bench/grid_search_unrolled.pipe");

    @TempDir
    Path dir;

    private List<String> args(String source, String emit, Path out) {
        return List.of("compile", "--emit", emit, Golden.projectDir().resolve(source).toString(), "-o", out.toString());
    }

    private byte[] inProcess(String source, String emit, String tag) throws IOException {
        Path out = dir.resolve(tag + ".out");
        CliRun r = CliRun.of(args(source, emit, out).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return Files.readAllBytes(out);
    }

    private Process child(String source, String emit, Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args(source, emit, out));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void sameFileSameBytesInOneJvmAndAcrossJvms() throws IOException, InterruptedException {
        for (String emit : List.of("argo", "ir")) {
            for (String source : SOURCES) {
                byte[] first = inProcess(source, emit, "a");
                byte[] second = inProcess(source, emit, "b");
                assertArrayEquals(first, second, source + " --emit " + emit + " in one JVM");
                assertTrue(first.length > 0);
            }
        }
        // two JVMs, each compiling every source with both emits
        for (int jvm = 0; jvm < 2; jvm++) {
            List<Process> running = new ArrayList<>();
            for (String emit : List.of("argo", "ir")) {
                for (int i = 0; i < SOURCES.size(); i++) {
                    running.add(child(SOURCES.get(i), emit, dir.resolve("jvm" + jvm + "-" + emit + "-" + i)));
                    if (running.size() == 2) { // two cores: two children at a time
                        for (Process p : running) {
                            assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "child compile");
                        }
                        running.clear();
                    }
                }
            }
            for (Process p : running) {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "child compile");
            }
        }
        for (String emit : List.of("argo", "ir")) {
            for (int i = 0; i < SOURCES.size(); i++) {
                byte[] here = inProcess(SOURCES.get(i), emit, "c");
                assertArrayEquals(here, Files.readAllBytes(dir.resolve("jvm0-" + emit + "-" + i)), SOURCES.get(i) + " in a child JVM");
                assertArrayEquals(here, Files.readAllBytes(dir.resolve("jvm1-" + emit + "-" + i)), SOURCES.get(i) + " in another child JVM");
            }
        }
    }
}
