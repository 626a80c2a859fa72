package dev.freestone.lower.argo;

/**
 * expr-lang code that writes a Float computed on Argo as the engine writes it (Python's {@code repr}, see
 * {@link dev.freestone.ir.ValueText#floatRepr}), and a Duration as the engine writes its seconds.
 *
 * <p>Argo has no such formatter, but Go has both of Python's layouts, each with the same shortest digits:
 * Python writes a number below {@code 1e-04} or from {@code 1e+16} on with an exponent, as Go's {@code %v}
 * ({@code sprig.toString}) does below {@code 1e-04} and from {@code 1e+06} on ({@code 1e-05}, {@code 1.5e+20}, alike);
 * between the two Python writes the digits out, as Go's {@code json.Marshal} ({@code sprig.toJson}) does below
 * {@code 1e+21}, but with a {@code .0} on a whole number ({@code 1000000.0} for Go's {@code 1000000}). So the code
 * picks one of the two texts by the number's size and adds the {@code .0}. The bounds compare exactly: a double at
 * or above the double nearest {@code 1e-04} has shortest digits of at least {@code 0.0001}. It has no ternary
 * (Argo splits a tag at its first {@code ?}): a choice is {@code sprig.ternary}, whose operands are all computed, so
 * each is safe for any number: {@code sprig.toJson} of {@code +Inf} or {@code NaN} is the empty text (where Argo's
 * own {@code toJson} fails), and those two are left as Go writes them ({@code +Inf}, {@code -Inf}, {@code NaN}, which
 * the engine writes too; {@code null} inside JSON, on both). About 220 characters (300 for a Duration), where mending Go's text digit by digit took 700.
 */
final class FloatText {
    private FloatText() {
    }

    /**
     * Python's {@code repr} of the Float {@code code}: {@code 2.0}, {@code 1000000.0}, {@code 1e-05}; an Int widened to
     * a Float is made one first ({@code float}), as Go writes an int64 of 10^17 with all its digits.
     */
    static String repr(String code) {
        return "map([float(" + code + ")], { " + REPR + " })[0]";
    }

    /**
     * The engine's text of a Duration's seconds {@code code}: whole seconds below {@code 1e15} as an integer
     * ({@code 1000000}, and {@code 0} for {@code -0.0}: adding 0 makes it {@code +0}), else as {@link #repr}.
     */
    static String seconds(String code) {
        return "map([float(" + code + ")], { " + SECONDS + " })[0]";
    }

    /**
     * {@link #repr} (or {@link #seconds} when {@code duration}) of {@code code} as an element of JSON: an infinity or NaN
     * is {@code null} there, as the engine writes it ({@code +Inf} is no JSON).
     */
    static String json(String code, boolean duration) {
        return "map([float(" + code + ")], { " + inJson(duration ? SECONDS : REPR) + " })[0]";
    }

    /** Compact JSON of a list of Floats {@code code}, each element as {@link #json}: {@code [1.0,2.5,1e-07]}, not Go's {@code [1,2.5,1e-7]}. */
    static String jsonList(String code) {
        return "('[' + sprig.join(',', map(" + code + ", { map([float(#)], { " + inJson(REPR) + " })[0] })) + ']')";
    }

    /** {@code text} of {@code #}, or {@code null} when {@code #} is an infinity or NaN. */
    private static String inJson(String text) {
        return "sprig.ternary('null', " + text + ", # != # || max(#, -#) > 1.7976931348623157e308)";
    }

    /** Python's {@code repr} of {@code #}: Go's {@code %v} where both write an exponent (and for +Inf, NaN), else its JSON. */
    private static final String REPR = "sprig.ternary(sprig.toString(#), sprig.toJson(#) + sprig.ternary('', '.0', "
            + "sprig.contains('.', sprig.toJson(#))), max(#, -#) >= 10000000000000000.0 || max(#, -#) < 0.0001 && # != 0 || # != #)";

    /** The engine's text of a Duration's seconds {@code #}. */
    private static final String SECONDS = "sprig.ternary(sprig.toJson(# + 0), " + REPR + ", floor(#) == # && max(#, -#) < "
            + "1000000000000000.0)";
}
