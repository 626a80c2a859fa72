import dev.freestone.lsp.FreestoneLanguageServer;
import dev.freestone.lsp.ServerOptions;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * The language server's edit-to-diagnostics latency: the time from sending a {@code didChange} (one
 * character, as when typing) on a ~2,000-line file to receiving the {@code publishDiagnostics} for that
 * version, warm. With {@code --imports} the edited file is a short pipeline that imports
 * {@code stdlib/util} and a generated local module of about 430 lines, both read again (and parsed,
 * unless cached) by every check. The server runs in this JVM behind lsp4j over piped streams, so
 * JSON-RPC encoding and decoding on both sides is included. Edits alternate between breaking a step's argument name
 * ({@code factor} to {@code facto}, error E0103) and fixing it, and are spaced wider than the debounce,
 * as separate keystrokes after a pause are (a burst of typing is coalesced into one check instead).
 *
 * <p>Run from the repository root, after {@code mvn -B -q -DskipTests package}:
 *
 * <pre>
 * java -cp target/freestone.jar bench/LspLatency.java                # generates the file with bench/GenPipeline.java
 * java -cp target/freestone.jar bench/LspLatency.java big.pipe --debounce 0 --edits 200
 * java -cp target/freestone.jar bench/LspLatency.java --imports      # a short file with a stdlib and a local import
 * bench/run.sh lsp                                                   # both debounces, as Markdown
 * </pre>
 */
public final class LspLatency {
    /** About 2,000 lines from bench/GenPipeline.java. */
    static final int GENERATED_STEPS = 1680;
    /** About 430 lines: the local module of {@code --imports}. */
    static final int LIBRARY_STEPS = 400;
    /** Steps of the edited file of {@code --imports} (about 50 lines). */
    static final int IMPORTING_STEPS = 40;

    public static void main(String[] args) throws Exception {
        Path file = null;
        long debounce = ServerOptions.DEFAULT_DEBOUNCE.toMillis();
        int edits = 100;
        int warmup = 60;
        boolean markdown = false;
        boolean imports = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--debounce" -> debounce = Long.parseLong(args[++i]);
                case "--edits" -> edits = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--markdown" -> markdown = true;
                case "--imports" -> imports = true;
                default -> file = Path.of(args[i]);
            }
        }
        if (file == null) {
            file = imports ? generateImporting() : generate(GENERATED_STEPS, Files.createTempFile("lsp-latency-", ".pipe"));
        }
        String text = Files.readString(file);
        int lines = text.split("\n", -1).length - 1;
        int target = text.indexOf("factor = ", text.length() / 2);
        if (target < 0) {
            throw new IllegalArgumentException(file + " has no `factor = ` argument in its second half to edit");
        }
        target += "facto".length();

        Client client = new Client();
        PipedInputStream serverIn = new PipedInputStream(1 << 20);
        PipedOutputStream clientOut = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 20);
        PipedOutputStream serverOut = new PipedOutputStream(clientIn);
        FreestoneLanguageServer server = new FreestoneLanguageServer(new ServerOptions(Duration.ofMillis(debounce)));
        Launcher<LanguageClient> sl = LSPLauncher.createServerLauncher(server, serverIn, serverOut);
        server.connect(sl.getRemoteProxy());
        sl.startListening();
        Launcher<LanguageServer> cl = LSPLauncher.createClientLauncher(client, clientIn, clientOut);
        cl.startListening();
        LanguageServer remote = cl.getRemoteProxy();
        InitializeParams init = new InitializeParams();
        init.setCapabilities(new ClientCapabilities());
        remote.initialize(init).get(60, TimeUnit.SECONDS);
        remote.initialized(new InitializedParams());

        String uri = file.toAbsolutePath().toUri().toString();
        remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "pipe", 1, text)));
        client.await(1).get(60, TimeUnit.SECONDS);

        // the position of the `r` of `factor` never moves: deleting it and putting it back
        Position at = position(text, target);
        Range deleteR = new Range(at, new Position(at.getLine(), at.getCharacter() + 1));
        Range insertR = new Range(at, at);
        long pause = debounce + 20;
        List<Double> millis = new ArrayList<>();
        int version = 1;
        for (int i = 0; i < warmup + edits; i++) {
            Thread.sleep(pause);
            version++;
            boolean delete = version % 2 == 0;
            TextDocumentContentChangeEvent change = delete ? new TextDocumentContentChangeEvent(deleteR, "")
                    : new TextDocumentContentChangeEvent(insertR, "r");
            CompletableFuture<PublishDiagnosticsParams> published = client.await(version);
            long t0 = System.nanoTime();
            remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                    new VersionedTextDocumentIdentifier(uri, version), List.of(change)));
            PublishDiagnosticsParams p = published.get(60, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            int expected = delete ? 1 : 0;
            if (p.getDiagnostics().size() != expected) {
                throw new IllegalStateException("version " + version + ": expected " + expected + " diagnostics, got "
                        + p.getDiagnostics());
            }
            if (i >= warmup) {
                millis.add((t1 - t0) / 1e6);
            }
        }
        remote.shutdown().get(10, TimeUnit.SECONDS);
        remote.exit();

        Collections.sort(millis);
        if (markdown) {
            // a row of: | lines | debounce (ms) | edits | min | median | p90 | max (ms) |
            System.out.printf("| %d%s | %d | %d | %.1f | %.1f | %.1f | %.1f |%n", lines, imports ? " + imports" : "",
                    debounce, edits, millis.get(0), pct(millis, 50), pct(millis, 90), millis.get(millis.size() - 1));
        } else {
            System.out.printf("file: %s (%d lines, %d chars); debounce %d ms; %d warm-up edits, %d measured%n",
                    file, lines, text.length(), debounce, warmup, edits);
            System.out.printf("didChange -> publishDiagnostics: min %.1f ms, median %.1f ms, p90 %.1f ms, max %.1f ms%n",
                    millis.get(0), pct(millis, 50), pct(millis, 90), millis.get(millis.size() - 1));
        }
        System.exit(0);
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /**
     * A folder with {@code lib.pipe} (generated) and {@code main.pipe}: a chain of steps of {@code lib}
     * after a download of {@code stdlib/util}, every step used. Returns {@code main.pipe}.
     */
    static Path generateImporting() throws Exception {
        Path dir = Files.createTempDirectory("lsp-latency-");
        dir.toFile().deleteOnExit();
        generate(LIBRARY_STEPS, dir.resolve("lib.pipe"));
        StringBuilder main = new StringBuilder("""
                import stdlib/util
                import "./lib.pipe" as lib

                pipeline main(url: String = "https://example.com/data.csv") -> (total: Float) {
                  d = util.download(url = url)
                """);
        String input = "d.data";
        for (int i = 1; i <= IMPORTING_STEPS; i++) {
            main.append("  s").append(i).append(" = lib.step(data = ").append(input).append(", factor = ")
                    .append(i % 5).append(".5)\n");
            input = "s" + i + ".out";
        }
        main.append("  last = lib.join(items = [").append(input.replace(".out", ".score")).append("])\n");
        main.append("  output total = last.total\n}\n");
        Path out = dir.resolve("main.pipe");
        out.toFile().deleteOnExit();
        Files.writeString(out, main);
        return out;
    }

    static Path generate(int steps, Path out) throws Exception {
        out.toFile().deleteOnExit();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "bench/GenPipeline.java", String.valueOf(steps))
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bench/GenPipeline.java failed (run from the repository root)");
        }
        return out;
    }

    static Position position(String text, int offset) {
        int line = 0;
        int start = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                start = i + 1;
            }
        }
        return new Position(line, offset - start);
    }

    /** Hands each diagnostics notification to whoever waits for its version. */
    static final class Client implements LanguageClient {
        private final ConcurrentHashMap<Integer, CompletableFuture<PublishDiagnosticsParams>> waiting = new ConcurrentHashMap<>();

        CompletableFuture<PublishDiagnosticsParams> await(int version) {
            return waiting.computeIfAbsent(version, v -> new CompletableFuture<>());
        }

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams diagnostics) {
            await(diagnostics.getVersion()).complete(diagnostics);
        }

        @Override
        public void telemetryEvent(Object object) {
        }

        @Override
        public void showMessage(MessageParams messageParams) {
        }

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void logMessage(MessageParams message) {
            System.err.println("server: " + message.getMessage());
        }
    }
}
