package dev.freestone.runtime.argo;

import java.util.Objects;

/**
 * Carries an {@link ArgoError} out of the backend. The CLI prints {@link #error()} as an
 * {@code error:} line plus a {@code help:} line, never the stack trace; no cause is kept, so that
 * nothing of the underlying client (which may know a token) travels with it.
 */
public final class ArgoException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ArgoError error;

    public ArgoException(ArgoError error) {
        super(Objects.requireNonNull(error, "error").message(), null, false, false);
        this.error = error;
    }

    public ArgoException(ArgoError.Kind kind, String message, String help) {
        this(new ArgoError(kind, message, help));
    }

    public ArgoError error() {
        return error;
    }
}
