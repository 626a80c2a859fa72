package dev.freestone.cli;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * A command's standard output: picocli's writer (text, in the platform's charset), which also lets a
 * file's bytes through as they are. {@code artifacts --print} redirected into a file must write the
 * artifact itself, not its text re-encoded (under a C locale Java's charset is ASCII: every non-ASCII
 * character would become {@code ?}).
 */
final class StandardOut extends PrintWriter {
    private final PrintStream stream;

    StandardOut(PrintStream stream) {
        super(stream, true);
        this.stream = stream;
    }

    /** Writes {@code bytes} as they are, after what was printed before. */
    void writeBytes(byte[] bytes) {
        flush();
        stream.write(bytes, 0, bytes.length);
        stream.flush();
    }

    /** Whether this is the process's standard output and a terminal shows it (not a file or a pipe). */
    boolean terminal() {
        return stream == System.out && System.console() != null;
    }

    /**
     * {@code text} safe to print into a terminal: its control characters (ESC, BEL, CR, ...) shown in caret
     * notation ({@code ^[}), as {@code cat -v} does, so that a file cannot move the cursor, retitle the window
     * or set the clipboard; line feeds and tabs stay, and so does a CR ending a line (a Windows file).
     */
    static String visible(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\t' || !Character.isISOControl(c) || (c == '\r' && text.startsWith("\n", i + 1))) {
                b.append(c);
            } else if (c < 0x20) {
                b.append('^').append((char) (c + 0x40));
            } else if (c == 0x7f) {
                b.append("^?");
            } else {
                b.append(String.format("<U+%04X>", (int) c)); // C1: U+009B is a CSI to some terminals
            }
        }
        return b.toString();
    }
}
