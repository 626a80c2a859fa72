package dev.freestone.lower.argo;

import dev.freestone.ir.IrJson;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Kubernetes and Argo names. Templates and tasks match {@code ^[a-zA-Z0-9][-a-zA-Z0-9]*$} (Argo refuses
 * underscores there, and a task name may not start with a digit when {@code depends} is used); object
 * names are DNS-1123 labels. Long names keep a readable prefix and end with a stable hash of the full
 * name, so the same input always gives the same name.
 */
final class Names {
    /** Argo's limit for template and task names is larger; 63 keeps node and pod names inside Kubernetes' limits. */
    static final int MAX_TEMPLATE = 63;
    static final int MAX_OBJECT = 63;
    static final int MAX_CRON = 52;

    private final Set<String> used = new HashSet<>();
    private final int max;

    Names(int max) {
        this.max = max;
    }

    /** A valid, unique name close to {@code wanted}. */
    String unique(String wanted) {
        String base = dns(wanted, max);
        String name = base;
        for (int i = 2; !used.add(name); i++) {
            String suffix = "-" + i;
            name = shorten(base, max - suffix.length()) + suffix;
        }
        return name;
    }

    /**
     * A unique name close to {@code wanted} such that {@code name + suffix} is unused too; both are taken. For a value
     * published as two names ({@code fs-m-model} and {@code fs-m-model-key}).
     */
    String uniquePair(String wanted, String suffix) {
        while (true) {
            String name = unique(wanted); // a new name each time, so this ends
            if (used.add(name + suffix)) {
                return name;
            }
        }
    }

    void reserve(String name) {
        used.add(name);
    }

    /** Lower case letters, digits and '-', starting with a letter, at most {@code max} characters. */
    static String dns(String wanted, int max) {
        StringBuilder b = new StringBuilder();
        String s = wanted.toLowerCase(Locale.ROOT);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (ok) {
                b.append(c);
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '-') {
                b.append('-');
            }
        }
        while (b.length() > 0 && b.charAt(b.length() - 1) == '-') {
            b.setLength(b.length() - 1);
        }
        if (b.length() == 0 || !Character.isLetter(b.charAt(0))) {
            b.insert(0, b.length() == 0 ? "x" : "x-");
        }
        String out = b.toString();
        return out.length() <= max ? out : shorten(out, max, wanted);
    }

    static String shorten(String name, int max) {
        return name.length() <= max ? name : shorten(name, max, name);
    }

    private static String shorten(String name, int max, String hashed) {
        String hash = IrJson.sha256Hex(hashed.getBytes(StandardCharsets.UTF_8)).substring(0, 8);
        String head = name.substring(0, Math.max(1, max - 9));
        while (head.endsWith("-")) {
            head = head.substring(0, head.length() - 1);
        }
        return head + "-" + hash;
    }
}
