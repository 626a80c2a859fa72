package dev.freestone.runtime.local;

import dev.freestone.ir.Ir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .pipe} lines of a script step's own lines as its log cites them. A traceback names the file
 * the engine wrote the script to ({@code File ".../attempt-1/script", line 5}), which the user never
 * wrote; each log line citing it gets {@code (at train.pipe:17)} added where it is quoted in the step's
 * failure message. The log itself is the step's real output and stays as it was.
 *
 * <p>The forms read: Python's {@code "FILE", line N}, bash's {@code FILE: line N:}, dash's {@code FILE: N:},
 * Perl's {@code FILE line N} and {@code FILE:N} (Node, Ruby, most compilers). The file is the component's
 * module, relative to the folder of the pipeline's file ({@code lib/steps.pipe}), as the IR names it.
 */
final class ScriptLines {
    private final Ir.Script script;
    private final String file;
    private final Pattern cited;

    private ScriptLines(Ir.Script script, String file, Path scriptFile) {
        this.script = script;
        this.file = file;
        this.cited = Pattern.compile(Pattern.quote(scriptFile.toString()) + "\"?(?:, line |: line | line |: ?)([0-9]{1,9})");
    }

    /** For the script of {@code component} written to {@code scriptFile}; null when it has no place to name. */
    static ScriptLines of(Ir.Component component, Path scriptFile) {
        Ir.Script s = component.script();
        if (s == null || s.pos() == null) {
            return null;
        }
        return new ScriptLines(s, component.module() != null ? component.module() : s.pos().file(), scriptFile);
    }

    /** {@code logLine} with the {@code .pipe} place of each script line it cites added at its end. */
    String annotate(String logLine) {
        Matcher m = cited.matcher(logLine);
        List<String> places = new ArrayList<>();
        while (m.find()) {
            int line = script.sourceLine(Integer.parseInt(m.group(1)));
            String place = file + ":" + line;
            if (line > 0 && !places.contains(place)) {
                places.add(place);
            }
        }
        return places.isEmpty() ? logLine : logLine + "  (at " + String.join(", ", places) + ")";
    }
}
