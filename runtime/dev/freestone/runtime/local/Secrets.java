package dev.freestone.runtime.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Local values for {@code secret("name", "key")}: the environment variable
 * {@code FREESTONE_SECRET_<NAME>_<KEY>} (upper-cased, every character other than A-Z and 0-9 made
 * {@code _}), else the file {@code <home>/secrets/<name>/<key>} (one trailing newline dropped, since
 * {@code echo value > file} adds one). Values are handed to the step's environment and nowhere else.
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

    String whereToPut(String secret, String key) {
        return "set $" + envName(secret, key) + " or write it to " + dir.resolve(secret).resolve(key);
    }
}
