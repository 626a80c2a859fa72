package dev.freestone.runtime.store;

/**
 * The run store cannot do its job: the database file is unreadable, not a run store, written by a
 * newer Freestone, the disk is full, or the home directory cannot be created. The message is meant
 * for the user (the CLI prints it without a stack trace); the cause is kept for debugging.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What the user can do about it, when the cause is known; null for the generic advice. */
    private final String help;

    public StoreException(String message) {
        this(message, null, null);
    }

    public StoreException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public StoreException(String message, String help, Throwable cause) {
        super(message, cause);
        this.help = help;
    }

    /** What the user can do, or empty when only the generic advice (another home) applies. */
    public java.util.Optional<String> help() {
        return java.util.Optional.ofNullable(help);
    }
}
