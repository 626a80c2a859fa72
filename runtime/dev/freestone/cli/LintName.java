package dev.freestone.cli;

import dev.freestone.diag.Code;
import dev.freestone.diag.DidYouMean;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The value of {@code --allow}: a warning's lint name ({@code unused-step}) or code ({@code W0001}), in any case, as
 * the checker compares them. A name no warning has would silence nothing, silently (a typo such as
 * {@code unused-steps}): a usage error; so is an error's code, which nothing silences.
 */
final class LintName implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
        List<String> names = new ArrayList<>();
        for (Code c : Code.values()) {
            if (c.lint() != null) {
                // in any case, as the checker reads them
                if (c.lint().equalsIgnoreCase(value) || c.name().equalsIgnoreCase(value)) {
                    return value;
                }
                names.add(c.lint());
            } else if (c.name().equalsIgnoreCase(value)) {
                throw new CommandLine.TypeConversionException("`" + value + "` is an error, which cannot be allowed: "
                        + "fix what it reports (`freestone check` shows where)");
            }
        }
        throw new CommandLine.TypeConversionException("no warning is called `" + value + "`: "
                + DidYouMean.help(value, names, "the warnings are " + String.join(", ", names) + " (or their codes W0001...)"));
    }
}
