package dev.freestone.runtime.argo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The secret strings of one connection (a bearer token, a kubeconfig password or key) so that any
 * text that came from a server or a client library can be cleaned before a user, a log or the
 * run store sees it. Freestone never puts them into text itself; this is the second line.
 */
final class Secrets {
    static final Secrets NONE = new Secrets(List.of());
    private static final String MASK = "[redacted]";
    /** Shorter strings could match ordinary words; real tokens and keys are far longer. */
    private static final int MIN_LENGTH = 6;

    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    static Secrets of(String... values) {
        List<String> kept = new ArrayList<>();
        for (String v : values) {
            if (v != null && v.length() >= MIN_LENGTH) {
                kept.add(v);
                // a token is often sent as "Bearer xyz": the bare part must go too
                if (v.startsWith("Bearer ") && v.length() - 7 >= MIN_LENGTH) {
                    kept.add(v.substring(7));
                }
            }
        }
        kept.sort(Comparator.comparingInt(String::length).reversed());
        return new Secrets(List.copyOf(kept));
    }

    String redact(String text) {
        Objects.requireNonNull(text, "text");
        String out = text;
        for (String v : values) {
            out = out.replace(v, MASK);
        }
        return out;
    }
}
