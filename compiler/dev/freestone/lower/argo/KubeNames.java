package dev.freestone.lower.argo;

import java.util.Optional;
import java.util.regex.Pattern;

/** Kubernetes' naming rules (apimachinery's {@code validation} package) and Argo's extra limits. */
final class KubeNames {
    private static final Pattern SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    /** Argo's rule for template, task and step names ({@code workflowFieldNameFmt}, at most 128 characters). */
    static final Pattern FIELD_NAME = Pattern.compile("[a-zA-Z0-9][-a-zA-Z0-9]*");
    static final int FIELD_NAME_MAX = 128;
    static final Pattern PARAM_NAME = Pattern.compile("[-a-zA-Z0-9_]+");

    private KubeNames() {
    }

    /** Why {@code name} is not a DNS-1123 subdomain of at most {@code max} characters, or empty. */
    static Optional<String> subdomain(String name, int max) {
        if (name.length() > max) {
            return Optional.of("it is " + name.length() + " characters long, the limit is " + max);
        }
        if (!SUBDOMAIN.matcher(name).matches()) {
            return Optional.of("a DNS-1123 subdomain consists of lower case letters, digits, '-' and '.',"
                    + " and starts and ends with a letter or digit");
        }
        return Optional.empty();
    }

    /** Kubernetes checks a generateName as a name with its trailing '-' replaced (the suffix follows it). */
    static Optional<String> generateName(String prefix, int maxName, int suffix) {
        if (prefix.length() + suffix > maxName) {
            return Optional.of("with the " + suffix + " random characters Kubernetes appends it is "
                    + (prefix.length() + suffix) + " characters long, the limit is " + maxName);
        }
        String masked = prefix.endsWith("-") ? prefix.substring(0, prefix.length() - 1) + "a" : prefix;
        return subdomain(masked, Integer.MAX_VALUE);
    }

    /** Why {@code key} is not a valid label or annotation key ({@code [prefix/]name}), or empty. */
    static Optional<String> qualifiedKey(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()) {
                return Optional.of("the prefix before '/' is empty");
            }
            Optional<String> p = subdomain(prefix, 253);
            if (p.isPresent()) {
                return Optional.of("prefix `" + prefix + "`: " + p.get());
            }
        }
        if (name.isEmpty()) {
            return Optional.of("the name part is empty");
        }
        if (name.length() > 63) {
            return Optional.of("the name part is " + name.length() + " characters long, the limit is 63");
        }
        if (!QUALIFIED.matcher(name).matches()) {
            return Optional.of("the name part consists of letters, digits, '-', '_' and '.', and starts and ends"
                    + " with a letter or digit");
        }
        return Optional.empty();
    }

    /** Why {@code value} is not a valid label value, or empty. */
    static Optional<String> labelValue(String value) {
        if (value.length() > 63) {
            return Optional.of("it is " + value.length() + " characters long, the limit is 63");
        }
        if (!value.isEmpty() && !QUALIFIED.matcher(value).matches()) {
            return Optional.of("a label value consists of letters, digits, '-', '_' and '.', and starts and ends"
                    + " with a letter or digit");
        }
        return Optional.empty();
    }

    /** Why {@code name} is not a valid template, task or step name, or empty. */
    static Optional<String> fieldName(String name) {
        if (name.isEmpty()) {
            return Optional.of("it is empty");
        }
        if (name.length() > FIELD_NAME_MAX) {
            return Optional.of("it is " + name.length() + " characters long, the limit is " + FIELD_NAME_MAX);
        }
        if (!FIELD_NAME.matcher(name).matches()) {
            return Optional.of("must match ^[a-zA-Z0-9][-a-zA-Z0-9]*$");
        }
        return Optional.empty();
    }
}
