package dev.freestone.lower.argo;

/**
 * expr-lang code that writes a Float computed on Argo as the engine writes it (Python's {@code repr}, see
 * {@link dev.freestone.ir.ValueText#floatRepr}), and a Duration as the engine writes its seconds.
 *
 * <p>Argo has no such formatter: {@code sprig.toString} gives Go's {@code %v}, which has the same shortest digits
 * but other layout rules: no {@code .0} on a whole number ({@code 2} for {@code 2.0}) and an exponent from
 * {@code 1e+06} on, where Python writes {@code 1000000.0} up to {@code 1e+16}. Both use an exponent below
 * {@code 1e-04} and write it the same way ({@code 1e-05}, {@code 1.5e+20}). So the code takes Go's text and mends
 * those two cases: a text of digits alone gets {@code .0}; an exponent from 6 to 15 is written out, the mantissa's
 * digits padded with zeros or split by the point. It has no ternary (Argo splits a tag at its first {@code ?}):
 * choices are {@code sprig.ternary}, whose operands are all computed, so each is written to be safe for any text
 * ({@code sprig.substr} bounds checked, {@code sprig.repeat} of no less than 0). Go's {@code +Inf}/{@code NaN}
 * are left as Go writes them.
 */
final class FloatText {
    private FloatText() {
    }

    /** Python's {@code repr} of the Float {@code code}: {@code 2.0}, {@code 1000000.0}, {@code 1e-05}. */
    static String repr(String code) {
        return layout(code, false);
    }

    /** The engine's text of a Duration's seconds {@code code}: whole seconds without a point ({@code 1000000}), else as {@link #repr}. */
    static String seconds(String code) {
        return layout(code, true);
    }

    /** Compact JSON of a list of Floats {@code code}, each element as {@link #repr}: {@code [1.0,2.5,1e-07]}, not Go's {@code [1,2.5,1e-7]}. */
    static String jsonList(String code) {
        return "('[' + sprig.join(',', map(" + code + ", { " + repr("#") + " })) + ']')";
    }

    /*
     * Inside: t = [go, sign, digits, k], with go Go's text, sign "-" or "", digits the mantissa's digits without the
     * point, k = exponent + 1 (the count of digits before the point; 1 when Go wrote no exponent).
     */
    private static String layout(String code, boolean wholeAsInt) {
        String go = "#";
        String sign = "sprig.ternary('-', '', sprig.hasPrefix('-', #))";
        String digits = "sprig.replace('.', '', sprig.trimPrefix('-', sprig.splitList('e', #)[0]))";
        String k = "sprig.atoi(sprig.splitList('e', # + 'e+0')[1]) + 1";
        String d = "#[2]";
        String n = "len(#[2])";
        String fraction = "'.' + sprig.substr(min(#[3], " + n + "), " + n + ", " + d + ")";
        String written = "#[1] + sprig.substr(0, #[3], " + d + ") + sprig.repeat(max(#[3] - " + n + ", 0), '0') + "
                + (wholeAsInt ? "sprig.ternary('', " + fraction + ", " + n + " <= #[3])"
                : fraction + " + sprig.repeat(max(1 - max(" + n + " - #[3], 0), 0), '0')");
        String plain = wholeAsInt ? "#[0]"
                : "#[0] + sprig.ternary('.0', '', sprig.regexMatch(" + Lit.str("^-?[0-9]+$") + ", #[0]))";
        String pick = "sprig.ternary(" + written + ", " + plain + ", #[3] >= 7 && #[3] <= 16)";
        return "map([sprig.toString(" + code + ")], { map([[" + go + ", " + sign + ", " + digits + ", " + k + "]], { "
                + pick + " })[0] })[0]";
    }
}
