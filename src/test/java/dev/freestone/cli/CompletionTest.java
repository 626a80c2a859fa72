package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.testing.CliRun;
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
 * {@code freestone completion bash}, loaded into a real bash as a user's ~/.bashrc loads it, then asked what Tab
 * completes at several command lines, the way bash calls a completion function.
 */
class CompletionTest {
    @TempDir
    Path dir;

    /** What Tab offers after each command line (its last word is the one being completed), one line each. */
    private List<String> complete(Path script, List<String> lines) throws IOException, InterruptedException {
        return complete(script, lines, java.util.Map.of());
    }

    private List<String> complete(Path script, List<String> lines, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        StringBuilder program = new StringBuilder("source '" + script + "' 2>/dev/null\n");
        program.append("""
                t() {
                  COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
                  _complete_freestone freestone "${@: -1}" "${@: -2:1}" 2>/dev/null
                  echo "${COMPREPLY[*]}"
                }
                """);
        for (String line : lines) {
            program.append("t ").append(line).append('\n');
        }
        Path file = Files.writeString(dir.resolve("ask.sh"), program);
        ProcessBuilder pb = new ProcessBuilder("bash", "--norc", "--noprofile", file.toString()).directory(dir.toFile())
                .redirectErrorStream(true);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k); // unset, as in a cron job or a bare container
            } else {
                pb.environment().put(k, v);
            }
        });
        Process bash = pb.start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        return new ArrayList<>(out.lines().toList());
    }

    @Test
    void tabCompletesCommandsOptionsTheirValuesAndFiles() throws Exception {
        CliRun r = CliRun.command(java.util.Map.of(), "completion", "bash");
        assertEquals(0, r.code(), r.err());
        Path script = Files.writeString(dir.resolve("freestone.bash"), r.out());
        Files.writeString(dir.resolve("train.pipe"), "");
        assertEquals(List.of(
                        "graph",
                        "--format",
                        "dot mermaid svg",
                        "--tail --token",
                        "auto plain none",
                        "train.pipe",
                        "bash zsh",
                        "Pending Running Succeeded Failed Cancelled"),
                complete(script, List.of(
                        "freestone gr",
                        "freestone graph --fo",
                        "freestone graph --format ''",
                        "freestone logs --t",
                        "freestone run --progress ''",
                        "freestone run tr",
                        "freestone completion ''",
                        "freestone delete --status ''")));
        // the script is the same for zsh, which it sets up for bash completion itself
        CliRun zsh = CliRun.command(java.util.Map.of(), "completion", "zsh");
        assertEquals(r.out(), zsh.out());
        assertTrue(zsh.out().contains("bashcompinit"), "the script loads zsh's bash completion");
    }

    /**
     * A run's id is completed where a command takes a local run (the first argument of `show` or `logs`, every argument
     * of `metrics`, `graph --run`), from the store of FREESTONE_HOME, without starting a JVM; not for a second argument.
     */
    @Test
    void tabCompletesTheIdsOfLocalRuns() throws Exception {
        Path home = dir.resolve("home");
        java.util.Map<String, String> env = java.util.Map.of("FREESTONE_HOME", home.toString());
        Path pipe = Files.writeString(dir.resolve("greet.pipe"), CliRun.GREET);
        String first = CliRun.command(env, "run", pipe.toString(), "--progress", "none").runId();
        String second = CliRun.command(env, "run", pipe.toString(), "--progress", "none", "--no-cache").runId();
        Path script = Files.writeString(dir.resolve("freestone.bash"), CliRun.command(env, "completion", "bash").out());
        String both = String.join(" ", java.util.stream.Stream.of(first, second).sorted().toList());
        assertEquals(List.of(
                        "@latest " + both,
                        first,
                        both,
                        "",
                        "@latest " + both,
                        "@latest " + both,
                        "@latest " + both,
                        "@latest " + both,
                        ""),
                sortedWords(complete(script, List.of(
                        "freestone show ''",
                        "freestone show " + first,
                        "freestone artifacts run-",
                        "freestone logs --tail 5 " + first + " ''",
                        "freestone logs --tail 5 ''",
                        "freestone metrics " + first + " ''",
                        "freestone diff " + first + " ''",
                        "freestone graph --run ''",
                        "freestone show --output json " + first + " ''"), env)));
        // no store yet: only @latest
        assertEquals(List.of("@latest"), complete(script, List.of("freestone show ''"),
                java.util.Map.of("FREESTONE_HOME", dir.resolve("none").toString())));
        // neither FREESTONE_HOME nor HOME, in a shell that refuses unset variables: the store of the user's home
        // directory, as Freestone's own (Java's user.home), read without an error
        java.util.Map<String, String> bare = new java.util.HashMap<>();
        bare.put("FREESTONE_HOME", null);
        bare.put("HOME", null);
        Path strict = Files.writeString(dir.resolve("strict.bash"), "set -u\n" + Files.readString(script));
        List<String> offered = complete(strict, List.of("freestone show ''"), bare);
        assertEquals(1, offered.size(), offered::toString);
        assertTrue(offered.get(0).startsWith("@latest"), offered::toString);
    }

    /** Each line's words in order (bash sorts what it shows; the script offers them in the file system's order). */
    private static List<String> sortedWords(List<String> lines) {
        return lines.stream().map(l -> String.join(" ", java.util.Arrays.stream(l.split(" ")).sorted().toList())).toList();
    }

    @Test
    void anotherShellIsAUsageError() {
        CliRun r = CliRun.command(java.util.Map.of(), "completion", "fish");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bash, zsh"), r.err());
    }
}
