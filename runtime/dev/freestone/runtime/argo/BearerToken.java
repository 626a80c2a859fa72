package dev.freestone.runtime.argo;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An Argo Server token and where it came from. {@link #toString()} and {@link #source()} never
 * show the value: messages say "token from ARGO_TOKEN" or "token from --token".
 *
 * @param source how to name the credential in messages, e.g. {@code token from ARGO_TOKEN}
 */
public record BearerToken(String value, String source) {
    public BearerToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        if (value.isBlank()) {
            throw new IllegalArgumentException("empty token");
        }
    }

    /**
     * The token given with {@code --token}, else the one in {@code ARGO_TOKEN} of {@code env}, else
     * none (a server without authentication).
     */
    public static Optional<BearerToken> resolve(Optional<String> option, Map<String, String> env) {
        if (option.isPresent() && !option.get().isBlank()) {
            return Optional.of(new BearerToken(option.get().strip(), "token from --token"));
        }
        String fromEnv = env.get("ARGO_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(new BearerToken(fromEnv.strip(), "token from ARGO_TOKEN"));
        }
        return Optional.empty();
    }

    /** The {@code Authorization} header value; {@code argo auth token} prints it with "Bearer " already. */
    String header() {
        return value.startsWith("Bearer ") ? value : "Bearer " + value;
    }

    @Override
    public String toString() {
        return source;
    }
}
