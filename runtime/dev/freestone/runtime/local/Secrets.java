package dev.freestone.runtime.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Local values for {@code secret("name", "key")}: the environment variable
 * {@code FREESTONE_SECRET_<NAME>_<KEY>} (upper-cased, every character other than A-Z and 0-9 made
 * {@code _}), else the file {@code <home>/secrets/<name>/<key>} (one trailing newline dropped, since
 * {@code echo value > file} adds one). Values are handed to the step's environment and nowhere else;
 * the engine's own texts about a step are {@link #mask masked}.
 */
final class Secrets {
    static final String ENV_PREFIX = "FREESTONE_SECRET_";

    private final Map<String, String> environment;
    private final Path dir;

    Secrets(Map<String, String> environment, Path dir) {
        this.environment = environment;
        this.dir = dir;
    }

    static String envName(String secret, String key) {
        return ENV_PREFIX + sanitize(secret) + "_" + sanitize(key);
    }

    private static String sanitize(String s) {
        return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    Optional<String> resolve(String secret, String key) {
        String v = environment.get(envName(secret, key));
        if (v != null) {
            return Optional.of(v);
        }
        if (secret.contains("/") || key.contains("/") || secret.startsWith(".") || key.startsWith(".")) {
            return Optional.empty();
        }
        Path f = dir.resolve(secret).resolve(key);
        if (Files.isRegularFile(f)) {
            try {
                String s = Files.readString(f, StandardCharsets.UTF_8);
                return Optional.of(s.endsWith("\n") ? s.substring(0, s.length() - 1) : s);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * {@code text} with every secret value in {@code values} replaced by {@code ***}: what the engine
     * writes about a step (its message, a quoted log line or output) never shows that step's secrets.
     * A value of several lines is also masked line by line (a log line quotes one), except lines of
     * fewer than 4 characters ({@code }}, {@code ---}), which would mask half the text and hide nothing.
     */
    static String mask(String text, Collection<String> values) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        List<String> texts = new ArrayList<>();
        for (String v : values) {
            if (!v.isEmpty()) {
                texts.add(v);
            }
            v.lines().map(String::strip).filter(l -> l.length() >= 4).forEach(texts::add);
        }
        // longest first, so that a value holding another is masked whole
        texts.sort(Comparator.comparingInt(String::length).reversed());
        String masked = text;
        for (String t : texts) {
            masked = masked.replace(t, "***");
        }
        return masked;
    }

    /**
     * A note when the secret comes from a file other users may read ({@code echo value > file} under the
     * usual umask makes it {@code rw-r--r--}): ssh refuses such keys; the engine uses it and says so.
     */
    Optional<String> exposed(String secret, String key) {
        if (environment.containsKey(envName(secret, key)) || secret.contains("/") || key.contains("/")
                || secret.startsWith(".") || key.startsWith(".")) {
            return Optional.empty();
        }
        Path f = dir.resolve(secret).resolve(key);
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(f);
            boolean others = mode.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                    || mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
            return others ? Optional.of("secret `" + secret + "` key `" + key + "`: " + f + " can be read by other users ("
                    + java.nio.file.attribute.PosixFilePermissions.toString(mode) + "); make it yours alone: chmod 600 " + f)
                    : Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty(); // missing (the preflight says so) or no POSIX modes here
        }
    }

    String whereToPut(String secret, String key) {
        return "set $" + envName(secret, key) + " or write it to " + dir.resolve(secret).resolve(key);
    }
}
