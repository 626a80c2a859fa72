package dev.freestone.cli;

import dev.freestone.diag.Renderer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

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
        return stream == System.out && outputIsTerminal();
    }

    /**
     * Whether the process's standard output is a terminal. {@code System.console()} is not asked first: in Java 17
     * it is null unless standard input is a terminal too, so {@code freestone show R < /dev/null} on a terminal
     * would count as redirected. Where there is no {@code /proc} (macOS), it is what is left.
     */
    static boolean outputIsTerminal() {
        return isTerminal(1);
    }

    /** Whether the process's standard error is a terminal, as {@link #outputIsTerminal} asks for its output. */
    static boolean errorIsTerminal() {
        return isTerminal(2);
    }

    private static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    /**
     * Where a command prints text a step controls (an output's value, a task's message, a metric's name): {@code out}
     * itself when it is standard output redirected into a file or a pipe (the text exactly as the step wrote it),
     * else a writer that prints everything {@link #visible}, so that the text cannot drive the terminal.
     * Standard error, which people read, is always shown so.
     */
    static PrintWriter forText(PrintWriter out) {
        if (out instanceof StandardOut stdout && !stdout.terminal()) {
            return out;
        }
        return new Shown(out);
    }

    /** What {@link #forText} gives for a terminal: a writer that prints everything {@link #visible}. */
    private static final class Shown extends PrintWriter {
        Shown(PrintWriter out) {
            super(new Writer() {
                @Override
                public void write(char[] chars, int offset, int length) {
                    out.write(visible(new String(chars, offset, length)));
                }

                @Override
                public void flush() {
                    out.flush();
                }

                @Override
                public void close() {
                    out.flush();
                }
            }, true);
        }
    }

    /**
     * How many terminal columns {@code text} takes printed through {@code out} ({@link Renderer#displayWidth}): its
     * {@link #visible} form where {@code out} shows it so (an ESC is {@code ^[}, two), else the text as it is (a control
     * character none).
     */
    static int columns(String text, PrintWriter out) {
        return Renderer.displayWidth(out instanceof Shown ? visible(text) : text);
    }

    /** {@code out} as it is for {@code --output json} (exactly what was stored), else {@link #forText(PrintWriter)}. */
    static PrintWriter forText(PrintWriter out, Cli.Format output) {
        return output == Cli.Format.json ? out : forText(out);
    }

    /**
     * Whether {@code c} changes what a terminal shows beyond itself: a control character (C0, DEL, C1) or a bidi
     * override or isolate (U+202A-U+202E, U+2066-U+2069), which reorders the text after it on the line.
     */
    static boolean drivesTerminal(int c) {
        return Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    /**
     * {@code text} safe to print into a terminal: its control characters (ESC, BEL, CR, ...) shown in caret
     * notation ({@code ^[}), as {@code cat -v} does, so that a file cannot move the cursor, retitle the window
     * or set the clipboard; line feeds and tabs stay, and so does a CR ending a line (a Windows file). A C1 control
     * or a bidi override is shown as {@code <U+202E>}.
     */
    static String visible(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\t' || !drivesTerminal(c) || (c == '\r' && text.startsWith("\n", i + 1))) {
                b.append(c);
            } else if (c < 0x20) {
                b.append('^').append((char) (c + 0x40));
            } else if (c == 0x7f) {
                b.append("^?");
            } else {
                // C1 (U+009B is a CSI to some terminals) or a bidi override
                b.append(String.format("<U+%04X>", (int) c));
            }
        }
        return b.toString();
    }
}
