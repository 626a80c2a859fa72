package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone lsp} as editors run it: a separate process speaking the protocol on its stdin and
 * stdout (nothing else may appear there), exiting 0 after shutdown and exit, 1 when the client vanishes.
 */
class LspCommandTest {
    @TempDir
    Path dir;

    static final class Recorder implements LanguageClient {
        final java.util.concurrent.CompletableFuture<PublishDiagnosticsParams> first = new java.util.concurrent.CompletableFuture<>();

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams diagnostics) {
            first.complete(diagnostics);
        }

        @Override
        public void telemetryEvent(Object object) {
        }

        @Override
        public void showMessage(MessageParams messageParams) {
        }

        @Override
        public java.util.concurrent.CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams p) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public void logMessage(MessageParams message) {
        }
    }

    private Process start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.freestone.cli.Main",
                "lsp", "--debounce", "0");
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("FREESTONE_HOME", dir.resolve("home").toString());
        return pb.start();
    }

    @Test
    void servesOverStdioAndExitsZeroAfterShutdown() throws Exception {
        Process p = start();
        try {
            Recorder client = new Recorder();
            InputStream in = p.getInputStream();
            OutputStream out = p.getOutputStream();
            Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, in, out);
            launcher.startListening();
            LanguageServer server = launcher.getRemoteProxy();
            InitializeParams init = new InitializeParams();
            init.setCapabilities(new ClientCapabilities());
            assertEquals("freestone", server.initialize(init).get(60, TimeUnit.SECONDS).getServerInfo().getName());
            server.initialized(new InitializedParams());
            Path file = dir.resolve("a.pipe");
            String text = "pipeline p() {\n  x = nope(a = 1)\n}\n";
            Files.writeString(file, text);
            server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
                    new TextDocumentItem(file.toUri().toString(), "pipe", 1, text)));
            PublishDiagnosticsParams d = client.first.get(60, TimeUnit.SECONDS);
            assertEquals(List.of("E0104"), d.getDiagnostics().stream().map(x -> x.getCode().getLeft()).toList());
            server.shutdown().get(60, TimeUnit.SECONDS);
            server.exit();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server process ends after exit");
            assertEquals(0, p.exitValue());
            assertEquals("", Files.readString(dir.resolve("stderr.txt")).strip());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void exitsOneWhenTheClientGoesAwayWithoutShutdown() throws Exception {
        Process p = start();
        try {
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void helpAndUsageErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"lsp", "--help"}, o, e));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Language Server Protocol"));
        assertEquals(2, Main.run(new String[] {"lsp", "--debounce", "-5"}, o, e));
        assertEquals(2, Main.run(new String[] {"lsp", "--debounce", "soon"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--debounce"));
    }
}
