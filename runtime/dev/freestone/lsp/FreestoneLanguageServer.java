package dev.freestone.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionOptions;
import org.eclipse.lsp4j.CodeLensOptions;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.DidChangeWatchedFilesRegistrationOptions;
import org.eclipse.lsp4j.FileSystemWatcher;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Registration;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.RenameOptions;
import org.eclipse.lsp4j.SignatureHelpOptions;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * The Freestone language server ({@code freestone lsp}): diagnostics from the checker as you type, hover, go to
 * definition, find references, highlights, rename, signature help, completion, document and workspace symbols,
 * folding, inlay hints, quick fixes, run lenses and formatting for {@code .pipe} files, over JSON-RPC (stdio when run
 * from the command line).
 *
 * <p>All work happens on one worker thread (see {@link Session}); the protocol thread only hands messages over.
 * {@code initializationOptions} may set {@code {"debounceMs": N}}, and {@code {"runLens": true}} from a client that
 * runs a pipeline by the lens's command {@code freestone.run} (see {@link TextDocuments#codeLens}). References, rename and the workspace's symbols
 * also search the {@code .pipe} files of the {@code workspaceFolders} (else the {@code rootUri}) named at
 * {@code initialize} (see {@link WorkspaceFiles}).
 */
public final class FreestoneLanguageServer implements LanguageServer, LanguageClientAware {
    private final ScheduledExecutorService worker;
    private final Session session;
    private final TextDocuments documents;
    private final WorkspaceEvents workspace;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile boolean shutdownRequested;
    private volatile LanguageClient client;
    /** Whether the client lets the server register a watcher for files changed on disk. */
    private volatile boolean clientWatches;
    private final int workspaceFiles;

    public FreestoneLanguageServer(ServerOptions options) {
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "freestone-lsp");
            t.setDaemon(true);
            return t;
        });
        this.session = new Session(worker, options.debounce());
        this.workspaceFiles = options.workspaceFiles();
        this.documents = new TextDocuments(session);
        this.workspace = new WorkspaceEvents(session);
    }

    /**
     * Serves one client over these streams until it sends {@code exit} or closes the input. Returns the
     * exit code the protocol asks for: 0 after {@code shutdown}, 1 otherwise.
     */
    public static int serve(InputStream in, OutputStream out, ServerOptions options) {
        FreestoneLanguageServer server = new FreestoneLanguageServer(options);
        Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out);
        server.connect(launcher.getRemoteProxy());
        var listening = launcher.startListening();
        Thread eof = new Thread(() -> {
            try {
                listening.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | CancellationException e) {
                // the stream failed, or serving ended: the same as a closed input
            }
            server.finish();
        }, "freestone-lsp-input");
        eof.setDaemon(true);
        eof.start();
        int code = server.exit.join();
        listening.cancel(true);
        return code;
    }

    /** Completes with the exit code when the client sends {@code exit} or goes away. */
    public CompletableFuture<Integer> exited() {
        return exit;
    }

    @Override
    public void connect(LanguageClient languageClient) {
        this.client = languageClient;
        session.connect(languageClient);
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        Object options = params.getInitializationOptions();
        // a client that runs a pipeline from a lens says so: the lens's command is the client's, not the server's
        boolean runLens = options instanceof JsonObject o && o.has("runLens") && o.get("runLens").isJsonPrimitive()
                && o.get("runLens").getAsJsonPrimitive().isBoolean() && o.get("runLens").getAsBoolean();
        session.post(() -> session.runLens = runLens);
        if (options instanceof JsonObject o && o.has("debounceMs")) {
            JsonElement ms = o.get("debounceMs");
            if (ms.isJsonPrimitive() && ms.getAsJsonPrimitive().isNumber() && ms.getAsLong() >= 0) {
                Duration d = Duration.ofMillis(ms.getAsLong());
                session.post(() -> session.debounce(d));
            }
        }
        @SuppressWarnings("deprecation") // rootUri: the folder of a client that names no workspaceFolders
        String rootUri = params.getRootUri();
        List<String> named = params.getWorkspaceFolders() == null ? null
                : params.getWorkspaceFolders().stream().map(WorkspaceFolder::getUri).toList();
        List<Path> folders = WorkspaceFiles.folders(named, rootUri);
        if (!folders.isEmpty()) {
            WorkspaceFiles files = new WorkspaceFiles(folders, workspaceFiles);
            session.post(() -> session.workspace(files));
        }
        var workspace = params.getCapabilities() == null ? null : params.getCapabilities().getWorkspace();
        var watched = workspace == null ? null : workspace.getDidChangeWatchedFiles();
        clientWatches = watched != null && Boolean.TRUE.equals(watched.getDynamicRegistration());
        var edits = workspace == null ? null : workspace.getWorkspaceEdit();
        boolean versioned = edits != null && Boolean.TRUE.equals(edits.getDocumentChanges());
        session.post(() -> session.versionedEdits = versioned);
        ServerCapabilities caps = new ServerCapabilities();
        TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
        sync.setOpenClose(true);
        sync.setChange(TextDocumentSyncKind.Incremental);
        caps.setTextDocumentSync(sync);
        caps.setHoverProvider(true);
        caps.setDefinitionProvider(true);
        caps.setReferencesProvider(true);
        caps.setDocumentHighlightProvider(true);
        caps.setFoldingRangeProvider(true);
        caps.setCompletionProvider(new CompletionOptions(false, List.of(".", "(", ",")));
        caps.setDocumentSymbolProvider(true);
        caps.setWorkspaceSymbolProvider(true);
        caps.setInlayHintProvider(true);
        caps.setRenameProvider(Either.forRight(new RenameOptions(true)));
        caps.setSignatureHelpProvider(new SignatureHelpOptions(List.of("(", ","), List.of("=")));
        caps.setDocumentFormattingProvider(true);
        caps.setCodeActionProvider(new CodeActionOptions(List.of(CodeActionKind.QuickFix)));
        if (runLens) {
            caps.setCodeLensProvider(new CodeLensOptions(false));
        }
        String version = FreestoneLanguageServer.class.getPackage().getImplementationVersion();
        return CompletableFuture.completedFuture(new InitializeResult(caps, new ServerInfo("freestone", version)));
    }

    /**
     * Asks the client for the events of {@code .pipe} files changed on disk (an import may change under
     * an open file): editors other than VS Code send them only for watchers a server registers.
     */
    @Override
    public void initialized(InitializedParams params) {
        LanguageClient c = client;
        if (clientWatches && c != null) {
            var watcher = new FileSystemWatcher(Either.forLeft("**/*.pipe"));
            var options = new DidChangeWatchedFilesRegistrationOptions(List.of(watcher));
            c.registerCapability(new RegistrationParams(List.of(
                    new Registration("freestone-pipe-files", "workspace/didChangeWatchedFiles", options))));
        }
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        shutdownRequested = true;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void exit() {
        finish();
    }

    private void finish() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exit.complete(shutdownRequested ? 0 : 1);
    }

    @Override
    public TextDocumentService getTextDocumentService() {
        return documents;
    }

    @Override
    public WorkspaceService getWorkspaceService() {
        return workspace;
    }
}
