package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.cli.Main;
import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command line the README and docs/ show ({@code freestone CMD --option ...} in a code block or
 * a code span) names a command that exists and options that command has: a newcomer copies them as
 * they are (docs/argo-backend.md once said {@code submit --watch}, an option submit did not have).
 * docs/cli.md's usage blocks are picocli's own text and are left to {@link CliDocTest}.
 */
class DocCommandLinesTest {

    /** {@code freestone WORD}: WORD must be a command. */
    private static final Pattern LINE = Pattern.compile("(?:^|[\\s(]|bin/)freestone ([a-z][a-z-]*)");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w/.=\\-])(--?[a-zA-Z][a-zA-Z-]*)");
    private static final Pattern SPAN = Pattern.compile("`([^`]+)`");

    /** Text in code: the lines of ``` blocks and the inline code spans of the other lines, each with its place. */
    static List<String[]> code(Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
        boolean block = false;
        for (int i = 0; i < lines.length; i++) {
            String place = file.getFileName() + ":" + (i + 1);
            if (lines[i].strip().startsWith("```")) {
                block = !block;
            } else if (block) {
                if (!lines[i].strip().startsWith("Usage: freestone")) {
                    out.add(new String[] {place, lines[i]});
                }
            } else {
                Matcher m = SPAN.matcher(lines[i]);
                while (m.find()) {
                    out.add(new String[] {place, m.group(1)});
                }
            }
        }
        return out;
    }

    static List<Path> docs() throws IOException {
        Path dir = SharedData.projectDir();
        List<Path> files = new ArrayList<>(List.of(dir.resolve("README.md")));
        try (Stream<Path> s = Files.list(dir.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void everyCommandLineInTheDocsNamesRealCommandsAndOptions() throws IOException {
        Map<String, CommandLine> commands = Main.commandLine().getSubcommands();
        // a command's name followed by its words, in code: `freestone submit FILE --wait`, also
        // `submit --wait` or `run --skip-cluster-steps` without the `freestone` at the start of a code
        // span or line (a comma ends it: prose); another program's `conda run -n env` is not ours
        Pattern use = Pattern.compile("(?m)(?:^[ \\t]*|(?<![\\w.\\-])freestone +)(" + String.join("|", commands.keySet())
                + ")((?: +[^\\s|#;&()`,]+)*)");
        List<String> wrong = new ArrayList<>();
        int withOptions = 0;
        for (Path doc : docs()) {
            for (String[] fragment : code(doc)) {
                Matcher named = LINE.matcher(fragment[1]);
                while (named.find()) {
                    if (!commands.containsKey(named.group(1))) {
                        wrong.add(fragment[0] + ": `freestone " + named.group(1) + "` is no command");
                    }
                }
                Matcher m = use.matcher(fragment[1]);
                while (m.find()) {
                    CommandLine command = commands.get(m.group(1));
                    Matcher o = OPTION.matcher(m.group(2));
                    boolean any = false;
                    while (o.find()) {
                        any = true;
                        String option = o.group(1);
                        // -hV is -h and -V, as picocli reads clustered short options
                        List<String> names = option.startsWith("--") || option.length() == 2 ? List.of(option)
                                : option.substring(1).chars().mapToObj(c -> "-" + (char) c).toList();
                        for (String name : names) {
                            if (command.getCommandSpec().findOption(name) == null) {
                                wrong.add(fragment[0] + ": `freestone " + m.group(1) + "` has no option " + name
                                        + " (" + fragment[1].strip() + ")");
                            }
                        }
                    }
                    withOptions += any ? 1 : 0;
                }
            }
        }
        assertTrue(withOptions > 30, "only " + withOptions + " command lines with options found in the docs: is the pattern still right?");
        assertEquals(List.of(), wrong);
    }
}
