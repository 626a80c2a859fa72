package dev.freestone.check;

import java.util.Set;

/**
 * How to check: {@code allowed} lint names or codes to silence for the whole run ({@code --allow
 * unused-step}); {@code strict} makes warnings count as failures in {@link CheckResult#failed}
 * (they stay warnings); {@code pipeline} the pipeline the user chose ({@code --pipeline}), or null.
 */
public record CheckOptions(Set<String> allowed, boolean strict, String pipeline) {
    public static final CheckOptions DEFAULT = new CheckOptions(Set.of(), false, null);

    public CheckOptions {
        allowed = Set.copyOf(allowed);
    }
}
