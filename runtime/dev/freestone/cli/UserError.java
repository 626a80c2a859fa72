package dev.freestone.cli;

/**
 * A mistake of the user that has no place in a source file (a missing file, an unknown run id):
 * printed as one {@code error:} line with a help line, never with a stack trace.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String help;
    private final int exitCode;

    public UserError(String message, String help) {
        this(message, help, Main.FAILED);
    }

    public UserError(String message, String help, int exitCode) {
        super(message, null, false, false);
        this.help = help;
        this.exitCode = exitCode;
    }

    public String help() {
        return help;
    }

    public int exitCode() {
        return exitCode;
    }
}
