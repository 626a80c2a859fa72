package dev.freestone.lsp;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A language server in this JVM with one file open, {@code a.pipe} holding {@link #text()}, for tests that ask it
 * about that file; the session must end without a failure.
 */
abstract class OneFileSession {
    @TempDir
    Path dir;
    LspClient client;
    String uri;

    /** The text of the open file. */
    abstract String text();

    @BeforeEach
    void start() {
        client = LspClient.inProcess(Duration.ZERO);
        uri = client.openFile(dir.resolve("a.pipe"), text());
    }

    @AfterEach
    void stop() {
        client.closeExpectingNoFailure();
    }
}
