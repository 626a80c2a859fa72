package dev.freestone.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A run's labels, {@code --label team=nlp --label experiment=lr-sweep}: what the user files runs under, as Argo's
 * {@code argo submit -l} and KFP's experiments do, and lists them by ({@code runs --label}). They follow Kubernetes'
 * rules for labels, since a submitted run's labels are its Workflow's: a key is a name of at most 63 characters (letters,
 * digits, {@code -_.}, starting and ending with a letter or digit), optionally after a DNS prefix and a {@code /}; a
 * value is such a name or empty. The prefixes Kubernetes, Argo and Freestone keep for themselves are refused.
 */
final class Labels {
    private Labels() {
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern RESERVED = Pattern.compile("(.+\\.)?(kubernetes\\.io|k8s\\.io|argoproj\\.io|freestone\\.dev)");
    private static final String RULE = "a label is KEY=VALUE, the key a name of letters, digits and -_. (at most 63, a letter"
            + " or digit at each end, optionally after a DNS prefix and /), the value such a name or empty, as in Kubernetes:"
            + " e.g. --label experiment=lr-sweep";

    /** The labels of {@code --label KEY=VALUE} options, by key; a usage error for a malformed or repeated one. */
    static SortedMap<String, String> parse(List<String> given) {
        SortedMap<String, String> out = new TreeMap<>();
        for (String label : given) {
            int eq = label.indexOf('=');
            if (eq < 0) {
                throw new UserError("--label " + label + " has no value", RULE, Main.USAGE);
            }
            String key = key(label.substring(0, eq), label);
            String value = label.substring(eq + 1);
            if (!value.isEmpty() && !NAME.matcher(value).matches()) {
                throw new UserError("--label " + label + ": `" + value + "` is not a label value", RULE, Main.USAGE);
            }
            if (out.containsKey(key) && !out.get(key).equals(value)) {
                throw new UserError("--label " + key + " is given twice (" + out.get(key) + ", " + value + ")",
                        "give each label once", Main.USAGE);
            }
            out.put(key, value);
        }
        return out;
    }

    /** The filters of {@code runs --label KEY=VALUE} (that value) or {@code --label KEY} (any value), by key. */
    static Map<String, Optional<String>> filters(List<String> given) {
        Map<String, Optional<String>> out = new TreeMap<>();
        for (String label : given) {
            int eq = label.indexOf('=');
            out.put(key(eq < 0 ? label : label.substring(0, eq), label),
                    eq < 0 ? Optional.empty() : Optional.of(label.substring(eq + 1)));
        }
        return out;
    }

    /** The labels as a table cell or a line: {@code experiment=lr-sweep team=nlp}. */
    static String text(Map<String, String> labels) {
        StringBuilder s = new StringBuilder();
        labels.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return s.toString();
    }

    private static String key(String key, String label) {
        int slash = key.lastIndexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (!NAME.matcher(name).matches() || prefix != null && (prefix.length() > 253 || !PREFIX.matcher(prefix).matches())) {
            throw new UserError("--label " + label + ": `" + key + "` is not a label key", RULE, Main.USAGE);
        }
        if (prefix != null && RESERVED.matcher(prefix).matches()) {
            throw new UserError("--label " + label + ": the prefix " + prefix + "/ is kept for "
                    + (prefix.endsWith("freestone.dev") ? "Freestone's" : prefix.endsWith("argoproj.io") ? "Argo's"
                    : "Kubernetes'") + " own labels", "use a key of your own, without a prefix or with your domain's",
                    Main.USAGE);
        }
        return key;
    }
}
