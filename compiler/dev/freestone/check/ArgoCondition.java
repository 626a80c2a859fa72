package dev.freestone.check;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The syntax of Argo's resource {@code successCondition} / {@code failureCondition}: Kubernetes label-selector
 * requirements separated by commas, whose keys are gjson paths into the object ({@code status.conditions.0.type}).
 * Argo parses them with {@code labels.Parse}, so a key must be a qualified name (at most 63 characters of
 * letters, digits, {@code - _ .}, optionally after a DNS prefix and {@code /}) and a value a label value:
 * gjson queries such as {@code #(type=="Ready")} are rejected when the workflow runs. Checked here instead.
 */
public final class ArgoCondition {
    private ArgoCondition() {
    }

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern REQUIREMENT = Pattern.compile(
            "\\s*(!?)\\s*([^\\s!=<>(),]+)\\s*(?:(==|=|!=|>|<)\\s*([^\\s,()]*)|(in|notin)\\s*\\(([^)]*)\\))?\\s*");

    /** What is wrong with {@code condition}; empty when Argo accepts it. */
    public static List<String> problems(String condition) {
        List<String> out = new ArrayList<>();
        if (condition.isBlank()) {
            out.add("the condition is empty");
            return out;
        }
        for (String req : split(condition)) {
            if (req.contains("#") || req.contains("*") || req.contains("|")) {
                out.add("`" + req.strip() + "` uses a gjson query, which Argo's conditions do not accept: use numeric "
                        + "indices (`status.conditions.0.type == Failed`)");
                continue;
            }
            Matcher m = REQUIREMENT.matcher(req);
            if (!m.matches()) {
                out.add("`" + req.strip() + "` is not a requirement (`key`, `!key`, `key == v`, `key != v`, "
                        + "`key in (a,b)`, `key > 3`)");
                continue;
            }
            String key = m.group(2);
            String keyProblem = keyProblem(key);
            if (keyProblem != null) {
                out.add(keyProblem);
            }
            boolean negatedExists = !m.group(1).isEmpty();
            if (negatedExists && (m.group(3) != null || m.group(5) != null)) {
                out.add("`!" + key + "` takes no operator");
            }
            List<String> values = new ArrayList<>();
            if (m.group(3) != null) {
                values.add(m.group(4));
                if ((m.group(3).equals(">") || m.group(3).equals("<")) && !m.group(4).matches("-?[0-9]+")) {
                    out.add("`" + m.group(3) + "` compares with a whole number, found `" + m.group(4) + "`");
                    continue;
                }
            } else if (m.group(5) != null) {
                for (String v : m.group(6).split(",", -1)) {
                    values.add(v.strip());
                }
            }
            for (String v : values) {
                if (v.length() > 63 || !VALUE.matcher(v).matches()) {
                    out.add("`" + v + "` is not a label value (at most 63 letters, digits, `-`, `_` or `.`)");
                }
            }
        }
        return out;
    }

    private static String keyProblem(String key) {
        int slash = key.lastIndexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
                return "key `" + key + "`: `" + prefix + "` is not a DNS prefix";
            }
        }
        if (name.length() > 63) {
            return "key `" + key + "` is longer than 63 characters";
        }
        if (!NAME.matcher(name).matches()) {
            return "key `" + key + "` is not a plain path: use numeric indices (`status.conditions.0.type`), "
                    + "not gjson queries";
        }
        return null;
    }

    /** Splits at commas outside parentheses. */
    private static List<String> split(String condition) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < condition.length(); i++) {
            char ch = condition.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth = Math.max(0, depth - 1);
            } else if (ch == ',' && depth == 0) {
                out.add(condition.substring(start, i));
                start = i + 1;
            }
        }
        out.add(condition.substring(start));
        return out;
    }
}
