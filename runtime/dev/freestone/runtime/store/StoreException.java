package dev.freestone.runtime.store;

/**
 * The run store cannot do its job: the database file is unreadable, not a run store, written by a
 * newer Freestone, the disk is full, or the home directory cannot be created. The message is meant
 * for the user (the CLI prints it without a stack trace); the cause is kept for debugging.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
