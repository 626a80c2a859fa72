package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone run} on a terminal (a pseudo-terminal made by util-linux {@code script}): the live
 * status line counts what is done out of the steps known so far ({@code done 2/4+}; "done 2" alone
 * said nothing of how far the run had come), the loop's iterations joining the total when it starts.
 */
class LiveProgressE2ETest {
    private static final Pattern STATUS = Pattern.compile("done (\\d+)/(\\d+)(\\+?)  running");

    @TempDir
    Path tmp;

    @Test
    void theStatusLineShowsDoneOutOfTheKnownTotal() throws Exception {
        Path script = Path.of("/usr/bin/script");
        Assumptions.assumeTrue(Files.isExecutable(script), "util-linux script is not installed: no terminal to run on");
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path pipe = Freestone.pipe(tmp, "naps.pipe", """
                component nap(seconds: Float) {
                  image   = "alpine:3.20"
                  command = ["sleep", "${seconds}"]
                }

                pipeline naps(times: List[Float] = [0.4, 0.4, 0.4]) {
                  for t in times {
                    n = nap(seconds = t)
                  }
                  last = nap(seconds = 0.1) after n
                }
                """);
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", pipe.toString());
        StringBuilder command = new StringBuilder();
        for (String a : java) {
            command.append(command.length() == 0 ? "" : " ").append("'").append(a.replace("'", "'\\''")).append("'");
        }
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        // script gives the command a terminal for stdin and stdout (System.console() needs both) and copies what it shows
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "-q", "-e", "-c", command.toString(), "/dev/null")
                .redirectOutput(logs.resolve("out.txt").toFile()).redirectError(logs.resolve("err.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put(dev.freestone.runtime.store.FreestoneHome.ENV, fs.home().toString());
        pb.environment().put("TERM", "xterm");
        Freestone.Result r = Freestone.await(pb.start(), logs, 120);
        assertEquals(0, r.exit(), r.all());
        Matcher m = STATUS.matcher(r.out());
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            seen.add(m.group());
            assertTrue(Integer.parseInt(m.group(1)) <= Integer.parseInt(m.group(2)), m.group());
            assertEquals("+", m.group(3), "a loop's list may be known only at run time: " + m.group());
        }
        assertTrue(seen.stream().anyMatch(s -> s.matches("done \\d/4\\+  running")),
                "the total counts the loop's iterations once it started: " + seen + "\n" + r.out());
    }
}
