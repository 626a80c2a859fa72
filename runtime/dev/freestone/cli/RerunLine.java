package dev.freestone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import dev.freestone.runtime.store.RunRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code freestone run} line that runs a recorded run's .pipe file again, as it is now, with the
 * parameters the run was given: the help a user needs after fixing a step, since {@code resume} runs
 * the pipeline as it was. Without the parameters the line would run other inputs, and the steps that
 * did not change would not come from the cache as the help promises.
 *
 * <p>A parameter appears when its value differs from the pipeline's default (a required one always):
 * a value as {@code --param} reads it, an artifact parameter as the file(s) the run read. A list of
 * lists of artifacts is left out: the run recorded its files without their nesting.
 */
final class RerunLine {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");
    /** A default is parsed from the source and a given value from the command line: `1` and `1.0` are one number. */
    private static final Comparator<JsonNode> SAME_NUMBER = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue())
            : a.equals(b) ? 0 : 1;

    private RerunLine() {
    }

    /**
     * The line for {@code run}, which ran {@code ir}; {@code files}: the files its artifact parameters were read
     * from; {@code choose}: whether to name the pipeline ({@code --pipeline}, given when the file declares several).
     */
    static String of(RunRecord run, Ir.Program ir, List<RunCommand.ParamFile> files, boolean choose) {
        Map<String, JsonNode> values;
        try {
            values = Cli.JSON.readValue(run.paramsJson(), new TypeReference<Map<String, JsonNode>>() { });
        } catch (JsonProcessingException e) {
            // the store holds what run wrote with the same mapper: not a user's mistake
            throw new IllegalStateException("run " + run.id() + " recorded parameters that are not JSON", e);
        }
        Path source = Path.of(run.sourcePath());
        StringBuilder line = new StringBuilder("freestone run ").append(quoted(source.toString()));
        if (choose) {
            line.append(" --pipeline ").append(ir.name());
        }
        for (Ir.Param p : ir.root().params()) {
            JsonNode v = values.get(p.name());
            String given = RunCommand.holdsArtifacts(ir, p.type())
                    ? artifactArgument(p, source.getParent(), files)
                    : valueArgument(p, v, ir);
            if (given != null) {
                line.append(" --param ").append(quoted(p.name() + "=" + given));
            }
        }
        return line.toString();
    }

    /**
     * The value as {@code --param} reads it (a Duration, stored in seconds, as a literal with its unit), or null when
     * it is the default (or null, which it cannot say).
     */
    private static String valueArgument(Ir.Param p, JsonNode v, Ir.Program ir) {
        if (v == null || v.isNull() || (p.defaultValue() != null && v.equals(SAME_NUMBER, p.defaultValue()))) {
            return null;
        }
        JsonNode written = WrittenValue.of(v, p.type(), ir);
        return written.isTextual() ? written.textValue() : written.toString();
    }

    /** The files the run read for an artifact parameter, or null when they are where its default points. */
    private static String artifactArgument(Ir.Param p, Path sourceDir, List<RunCommand.ParamFile> files) {
        IrType t = p.type().stripOptional();
        if (t.isList() && t.element().stripOptional().isList()) {
            return null;
        }
        List<Path> read = new ArrayList<>();
        for (RunCommand.ParamFile f : files) {
            if (f.param().equals(p.name())) {
                read.add(f.path());
            }
        }
        if (read.equals(defaultLocations(p.defaultValue(), sourceDir))) {
            return null;
        }
        if (!t.isList()) {
            return read.size() == 1 ? read.get(0).toString() : null;
        }
        var list = Cli.JSON.createArrayNode();
        read.forEach(path -> list.add(path.toString()));
        return list.toString();
    }

    /** Where a default of file locations points, resolved as {@code freestone run} resolves it. */
    private static List<Path> defaultLocations(JsonNode d, Path sourceDir) {
        List<Path> out = new ArrayList<>();
        if (d == null || sourceDir == null) {
            return out;
        }
        if (d.isArray()) {
            d.forEach(e -> out.addAll(defaultLocations(e, sourceDir)));
        } else if (d.isTextual()) {
            String location = d.textValue();
            out.add(sourceDir.resolve(location.startsWith("file://") ? location.substring(7) : location).normalize());
        }
        return out;
    }

    /** One shell word: as it is when plain, else in single quotes. */
    static String quoted(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
