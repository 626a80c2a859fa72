package dev.freestone.lsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentHighlight;
import org.eclipse.lsp4j.DocumentHighlightParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FoldingRange;
import org.eclipse.lsp4j.FoldingRangeRequestParams;
import org.eclipse.lsp4j.FileChangeType;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PrepareRenameParams;
import org.eclipse.lsp4j.PrepareRenameResult;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.Registration;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.ReferenceContext;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.RenameParams;
import org.eclipse.lsp4j.SignatureHelp;
import org.eclipse.lsp4j.SignatureHelpParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceClientCapabilities;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.WorkspaceEditCapabilities;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.WorkspaceSymbol;
import org.eclipse.lsp4j.WorkspaceSymbolParams;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * A test client talking to a {@link FreestoneLanguageServer}, in this process over piped streams or to
 * a server process over its stdio, through lsp4j's own launchers: what an editor sends, the way it
 * sends it. It records published diagnostics and the server's log messages, and waits for them.
 */
final class LspClient implements LanguageClient, AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final List<PublishDiagnosticsParams> published = new ArrayList<>();
    private final List<MessageParams> logs = new ArrayList<>();
    private final List<MessageParams> shown = new ArrayList<>();
    private final List<Registration> registrations = new ArrayList<>();
    private LanguageServer server;
    private Future<Void> listening;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final java.util.Map<String, Integer> versions = new java.util.HashMap<>();
    private InitializeResult initialized;

    /** A server in this process with this debounce, connected over piped streams and initialized. */
    static LspClient inProcess(Duration debounce) {
        return inProcess(debounce, new ClientCapabilities());
    }

    /** A server in this process with this debounce, initialized by a client with these capabilities. */
    static LspClient inProcess(Duration debounce, ClientCapabilities capabilities) {
        return inProcess(new ServerOptions(debounce), capabilities, List.of());
    }

    /** A server in this process with these options, initialized by a client with these capabilities and workspace folders. */
    static LspClient inProcess(ServerOptions options, ClientCapabilities capabilities, List<Path> workspaceFolders) {
        return inProcess(options, capabilities, workspaceFolders, null);
    }

    /** The same, the client passing these {@code initializationOptions} (a JSON object, or null). */
    static LspClient inProcess(ServerOptions options, ClientCapabilities capabilities, List<Path> workspaceFolders,
                               Object initializationOptions) {
        try {
            PipedInputStream serverIn = new PipedInputStream(1 << 16);
            PipedOutputStream clientOut = new PipedOutputStream(serverIn);
            PipedInputStream clientIn = new PipedInputStream(1 << 16);
            PipedOutputStream serverOut = new PipedOutputStream(clientIn);
            FreestoneLanguageServer server = new FreestoneLanguageServer(options);
            Launcher<LanguageClient> serverLauncher = LSPLauncher.createServerLauncher(server, serverIn, serverOut);
            server.connect(serverLauncher.getRemoteProxy());
            Future<Void> serverListening = serverLauncher.startListening();
            LspClient client = connect(clientIn, clientOut);
            client.closeables.add(() -> serverListening.cancel(true));
            client.closeables.add(serverIn);
            client.closeables.add(clientIn);
            client.initialize(initializationOptions, capabilities, workspaceFolders);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The capabilities of a client that takes a rename's edits as {@code documentChanges}, with versions. */
    static ClientCapabilities takingDocumentChanges() {
        var edits = new WorkspaceEditCapabilities();
        edits.setDocumentChanges(true);
        var workspace = new WorkspaceClientCapabilities();
        workspace.setWorkspaceEdit(edits);
        var capabilities = new ClientCapabilities();
        capabilities.setWorkspace(workspace);
        return capabilities;
    }

    /** A client over the given streams (a server process's stdout and stdin), not yet initialized. */
    static LspClient connect(InputStream in, OutputStream out) {
        LspClient client = new LspClient();
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, in, out);
        client.server = launcher.getRemoteProxy();
        client.listening = launcher.startListening();
        return client;
    }

    InitializeResult initialize() {
        return initialize(null);
    }

    /** Initializes with these {@code initializationOptions} (a JSON object, or null). */
    InitializeResult initialize(Object options) {
        return initialize(options, new ClientCapabilities());
    }

    /** Initializes with these options and client capabilities. */
    InitializeResult initialize(Object options, ClientCapabilities capabilities) {
        return initialize(options, capabilities, List.of());
    }

    /** Initializes with these options, client capabilities and workspace folders (none: no workspace). */
    InitializeResult initialize(Object options, ClientCapabilities capabilities, List<Path> workspaceFolders) {
        InitializeParams params = new InitializeParams();
        if (!workspaceFolders.isEmpty()) {
            params.setWorkspaceFolders(workspaceFolders.stream()
                    .map(f -> new WorkspaceFolder(uri(f), f.getFileName().toString())).toList());
        }
        params.setCapabilities(capabilities);
        params.setInitializationOptions(options);
        InitializeResult r = get(server.initialize(params));
        server.initialized(new InitializedParams());
        initialized = r;
        return r;
    }

    /** What the server answered to the last {@code initialize}: its capabilities. */
    InitializeResult initialized() {
        return initialized;
    }

    LanguageServer server() {
        return server;
    }

    // --- documents --------------------------------------------------------------------------------------------

    static String uri(Path file) {
        return file.toAbsolutePath().normalize().toUri().toString();
    }

    /** Writes {@code text} to {@code file}, opens it and waits for its first diagnostics; returns its URI. */
    String openFile(Path file, String text) {
        try {
            java.nio.file.Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String uri = uri(file);
        open(uri, text);
        awaitDiagnostics(uri, 1);
        return uri;
    }

    /** Closes the connection, then fails when the server logged a failure while it was open. */
    void closeExpectingNoFailure() {
        List<MessageParams> errors = errorLogs();
        close();
        if (!errors.isEmpty()) {
            throw new AssertionError("the server logged a failure: " + errors);
        }
    }

    void open(String uri, String text) {
        versions.put(uri, 1);
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "pipe", 1, text)));
    }

    /** Replaces the whole text; returns the new version. */
    int change(String uri, String text) {
        int v = versions.merge(uri, 1, Integer::sum);
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, v),
                List.of(new TextDocumentContentChangeEvent(text))));
        return v;
    }

    /** An incremental edit: replaces {@code range} with {@code text}; returns the new version. */
    int edit(String uri, Range range, String text) {
        int v = versions.merge(uri, 1, Integer::sum);
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, v),
                List.of(new TextDocumentContentChangeEvent(range, text))));
        return v;
    }

    int version(String uri) {
        return versions.get(uri);
    }

    void close(String uri) {
        server.getTextDocumentService().didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(uri)));
    }

    /** Says a file changed on disk ({@code workspace/didChangeWatchedFiles}), as an editor's watcher does. */
    void filesChanged(String uri) {
        server.getWorkspaceService().didChangeWatchedFiles(
                new DidChangeWatchedFilesParams(List.of(new FileEvent(uri, FileChangeType.Changed))));
    }

    // --- requests -----------------------------------------------------------------------------------------------

    Hover hover(String uri, Position p) {
        return get(server.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri), p)));
    }

    List<? extends Location> definition(String uri, Position p) {
        return get(server.getTextDocumentService().definition(new DefinitionParams(new TextDocumentIdentifier(uri), p))).getLeft();
    }

    List<? extends Location> references(String uri, Position p, boolean withDeclaration) {
        return get(server.getTextDocumentService().references(
                new ReferenceParams(new TextDocumentIdentifier(uri), p, new ReferenceContext(withDeclaration))));
    }

    List<CompletionItem> completion(String uri, Position p) {
        var r = get(server.getTextDocumentService().completion(new CompletionParams(new TextDocumentIdentifier(uri), p)));
        return r.isLeft() ? r.getLeft() : r.getRight().getItems();
    }

    List<? extends DocumentHighlight> highlights(String uri, Position p) {
        return get(server.getTextDocumentService().documentHighlight(new DocumentHighlightParams(new TextDocumentIdentifier(uri), p)));
    }

    List<FoldingRange> folds(String uri) {
        return get(server.getTextDocumentService().foldingRange(new FoldingRangeRequestParams(new TextDocumentIdentifier(uri))));
    }

    List<? extends CodeLens> codeLenses(String uri) {
        return get(server.getTextDocumentService().codeLens(new CodeLensParams(new TextDocumentIdentifier(uri))));
    }

    List<InlayHint> inlayHints(String uri, Range range) {
        return get(server.getTextDocumentService().inlayHint(new InlayHintParams(new TextDocumentIdentifier(uri), range)));
    }

    /** "Go to Symbol in Workspace" for this query. */
    List<? extends WorkspaceSymbol> workspaceSymbols(String query) {
        return get(server.getWorkspaceService().symbol(new WorkspaceSymbolParams(query))).getRight();
    }

    List<DocumentSymbol> symbols(String uri) {
        return get(server.getTextDocumentService().documentSymbol(new DocumentSymbolParams(new TextDocumentIdentifier(uri))))
                .stream().map(e -> e.getRight()).toList();
    }

    List<? extends TextEdit> format(String uri) {
        return get(server.getTextDocumentService().formatting(
                new DocumentFormattingParams(new TextDocumentIdentifier(uri), new FormattingOptions(2, true))));
    }

    /** The code actions for a range (the server reads the diagnostics itself, so the context carries none). */
    List<CodeAction> codeActions(String uri, Range range) {
        return get(server.getTextDocumentService().codeAction(
                new CodeActionParams(new TextDocumentIdentifier(uri), range, new CodeActionContext(List.of()))))
                .stream().map(e -> e.getRight()).toList();
    }

    /** A request's answer, or the message of the error the server refused it with (null when it answered). */
    record Answer<T>(T value, String refusal) {
    }

    static <T> Answer<T> answerOrRefusal(CompletableFuture<T> f) {
        try {
            return new Answer<>(f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResponseErrorException r) {
                return new Answer<>(null, r.getResponseError().getMessage());
            }
            throw new AssertionError("no answer from the server: " + e, e);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer from the server: " + e, e);
        }
    }

    Answer<PrepareRenameResult> prepareRenameAnswer(String uri, Position p) {
        var a = answerOrRefusal(server.getTextDocumentService().prepareRename(
                new PrepareRenameParams(new TextDocumentIdentifier(uri), p)));
        return new Answer<>(a.value() == null ? null : a.value().getSecond(), a.refusal());
    }

    /** The range and placeholder prepareRename answers with (null: nothing to rename there); fails on a refusal. */
    PrepareRenameResult prepareRename(String uri, Position p) {
        var a = prepareRenameAnswer(uri, p);
        if (a.refusal() != null) {
            throw new AssertionError("prepareRename refused: " + a.refusal());
        }
        return a.value();
    }

    Answer<WorkspaceEdit> renameAnswer(String uri, Position p, String newName) {
        return answerOrRefusal(server.getTextDocumentService().rename(new RenameParams(new TextDocumentIdentifier(uri), p, newName)));
    }

    /** The edit a rename answers with; fails when the server refuses it. */
    WorkspaceEdit rename(String uri, Position p, String newName) {
        var a = renameAnswer(uri, p, newName);
        if (a.refusal() != null) {
            throw new AssertionError("the rename to " + newName + " was refused: " + a.refusal());
        }
        return a.value();
    }

    /** The message the server refuses a rename with; fails when it answers with an edit. */
    String renameRefusal(String uri, Position p, String newName) {
        var a = renameAnswer(uri, p, newName);
        if (a.refusal() == null) {
            throw new AssertionError("the rename to " + newName + " was not refused: " + a.value());
        }
        return a.refusal();
    }

    SignatureHelp signatureHelp(String uri, Position p) {
        return get(server.getTextDocumentService().signatureHelp(new SignatureHelpParams(new TextDocumentIdentifier(uri), p)));
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("no answer from the server: " + e, e);
        }
    }

    // --- what the server sent ---------------------------------------------------------------------------------

    /** Waits for the diagnostics of a document computed for this version (or a later one). */
    synchronized PublishDiagnosticsParams awaitDiagnostics(String uri, int version) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (int i = published.size() - 1; i >= 0; i--) {
                PublishDiagnosticsParams p = published.get(i);
                if (p.getUri().equals(uri) && p.getVersion() != null && p.getVersion() >= version) {
                    return p;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no diagnostics for " + uri + " version " + version + "; got " + published);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** How many diagnostics notifications have arrived for a document. */
    synchronized long publishedCount(String uri) {
        return published.stream().filter(p -> p.getUri().equals(uri)).count();
    }

    /** Every message the server wrote to the client's log so far. */
    synchronized List<MessageParams> logMessages() {
        return List.copyOf(logs);
    }

    synchronized List<MessageParams> errorLogs() {
        return logs.stream().filter(m -> m.getType() == MessageType.Error).toList();
    }

    @Override
    public synchronized void publishDiagnostics(PublishDiagnosticsParams diagnostics) {
        published.add(diagnostics);
        notifyAll();
    }

    /** The capabilities the server registered with this client ({@code client/registerCapability}). */
    synchronized List<Registration> registrations() {
        return List.copyOf(registrations);
    }

    @Override
    public synchronized CompletableFuture<Void> registerCapability(RegistrationParams params) {
        registrations.addAll(params.getRegistrations());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void logMessage(MessageParams message) {
        logs.add(message);
    }

    @Override
    public void telemetryEvent(Object object) {
    }

    /** The messages the server asked the editor to show ({@code window/showMessage}). */
    synchronized List<MessageParams> shownMessages() {
        return List.copyOf(shown);
    }

    @Override
    public synchronized void showMessage(MessageParams messageParams) {
        shown.add(messageParams);
    }

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        try {
            get(server.shutdown());
            server.exit();
        } catch (AssertionError | RuntimeException e) {
            // the server may already be gone; closing the streams below ends it either way
        }
        listening.cancel(true);
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }
}
