package dev.freestone.lsp;

import dev.freestone.check.CheckOptions;
import dev.freestone.check.CheckResult;
import dev.freestone.check.Checker;
import dev.freestone.check.Module;
import dev.freestone.check.ModuleLoader;
import dev.freestone.check.ParseCache;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Severity;
import dev.freestone.diag.Source;
import dev.freestone.runtime.store.FreestoneHome;
import dev.freestone.syntax.Ast;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DiagnosticTag;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.WorkspaceSymbol;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * The open documents and their latest checks. Every method runs on the one worker thread, so the state
 * needs no locks and the order of edits, checks and answers is the order the client sent them in.
 *
 * <p>An edit marks its document dirty, and with it every open document whose last check read that
 * file with another text (an importer). Dirty documents are checked together, each as the root with
 * the texts of all open documents, and their diagnostics published with the version that was checked. A request first
 * checks what is dirty, so that answers always match the text the client has.
 */
final class Session {
    /** One open document. */
    static final class Document {
        final String uri;
        final Path path;
        String text;
        int version;
        boolean dirty = true;
        Analysis analysis;

        Document(String uri, Path path, String text, int version) {
            this.uri = uri;
            this.path = path;
            this.text = text;
            this.version = version;
        }
    }

    private final ScheduledExecutorService worker;
    private final Map<String, Document> documents = new LinkedHashMap<>();
    /** The imports' parses, kept from check to check: a keystroke re-parses only the edited buffer. */
    private final ParseCache parses = new ParseCache();
    private volatile LanguageClient client;
    private long debounceNanos;
    private long lastEditNanos;
    private ScheduledFuture<?> pending;
    /** The workspace's files, when the client named its folders. */
    private WorkspaceFiles workspace;
    /** Whether the client takes a rename's edits as {@code documentChanges}, each file's with its version. */
    boolean versionedEdits;
    /** Whether the client runs a pipeline by the command {@code freestone.run} of a lens above it. */
    boolean runLens;

    Session(ScheduledExecutorService worker, Duration debounce) {
        this.worker = worker;
        this.debounceNanos = debounce.toNanos();
        this.lastEditNanos = System.nanoTime() - debounceNanos - 1;
    }

    void connect(LanguageClient languageClient) {
        this.client = languageClient;
    }

    void debounce(Duration d) {
        this.debounceNanos = d.toNanos();
    }

    /**
     * Runs a notification's work on the worker thread, in the order the client sent it. A failure (a
     * bug) is logged to the client and the server keeps serving; after {@code exit} nothing runs.
     */
    void post(Runnable work) {
        try {
            worker.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException | StackOverflowError e) {
                    log(MessageType.Error, "freestone language server: " + e);
                }
            });
        } catch (RejectedExecutionException e) {
            // after exit: nothing more to do
        }
    }

    /**
     * Answers a request on the worker thread, after the edits sent before it. A failure (a bug) is logged to the
     * client and answered with {@code nothing}, never with a dead server; a refusal the client shows (a rename that
     * cannot be made) is passed on.
     */
    <T> CompletableFuture<T> answer(String what, Supplier<T> body, T nothing) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    T t = body.get();
                    return t == null ? nothing : t;
                } catch (ResponseErrorException e) {
                    throw e;
                } catch (RuntimeException | StackOverflowError e) {
                    log(MessageType.Error, "freestone language server: " + what + " failed: " + e);
                    return nothing;
                }
            }, worker);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(nothing);
        }
    }

    // --- edits ------------------------------------------------------------------------------------------

    void open(String uri, String text, int version) {
        // the text as Source sees it (no byte order mark), so that edits' positions land where the checker's do
        Document d = new Document(uri, pathOf(uri), new Source(uri, text).text(), version);
        documents.put(uri, d);
        dirtyImporters(d.path, text);
        // opening is not typing: check at once
        worker.execute(this::checkDirty);
    }

    void change(String uri, int version, List<TextDocumentContentChangeEvent> changes) {
        Document d = documents.get(uri);
        if (d == null) {
            return;
        }
        for (TextDocumentContentChangeEvent c : changes) {
            if (c.getRange() == null) {
                d.text = new Source(uri, c.getText()).text();
            } else {
                Source s = new Source(uri, d.text);
                int start = Ranges.offset(s, c.getRange().getStart());
                int end = Math.max(start, Ranges.offset(s, c.getRange().getEnd()));
                d.text = d.text.substring(0, start) + c.getText() + d.text.substring(end);
            }
        }
        d.version = version;
        d.dirty = true;
        dirtyImporters(d.path, d.text);
        schedule();
    }

    void close(String uri) {
        Document d = documents.remove(uri);
        if (d == null) {
            return;
        }
        publish(uri, List.of(), null);
        // importers now read the file from disk
        dirtyImporters(d.path, null);
        schedule();
    }

    /**
     * Files changed on disk (saved, created, deleted): an import may now resolve or fail, so check
     * everything again. A file that is open is read from its buffer, never from the disk, so its own
     * events (an editor reports every save) change no check and are passed over. What the workspace's search
     * read of them is forgotten either way.
     */
    void filesChanged(List<String> uris) {
        List<Path> changed = uris.stream().map(Session::pathOf).toList();
        if (workspace != null) {
            workspace.forget(changed);
        }
        Set<Path> open = documents.values().stream().map(d -> d.path).collect(Collectors.toSet());
        if (open.containsAll(changed)) {
            return;
        }
        documents.values().forEach(d -> d.dirty = true);
        schedule();
    }

    /**
     * Marks dirty every document whose last check read this file with another text than {@code text}
     * (null: the text is not known, so every document that read the file). Opening a file as it is on
     * disk changes nothing its importers see.
     */
    private void dirtyImporters(Path path, String text) {
        for (Document other : documents.values()) {
            String read = other.analysis == null ? null : other.analysis.textOf(path);
            if (read != null && !read.equals(text)) {
                other.dirty = true;
            }
        }
    }

    /**
     * An edit after a quiet moment is checked at once; edits in quick succession are coalesced into one
     * check a debounce after the last of them.
     */
    private void schedule() {
        long now = System.nanoTime();
        boolean quiet = now - lastEditNanos >= debounceNanos;
        lastEditNanos = now;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        if (debounceNanos == 0 || quiet) {
            worker.execute(this::checkDirty);
        } else {
            pending = worker.schedule(this::checkDirty, debounceNanos, TimeUnit.NANOSECONDS);
        }
    }

    // --- checks -----------------------------------------------------------------------------------------

    /** Checks every dirty document and publishes its diagnostics. */
    void checkDirty() {
        List<Document> dirty = documents.values().stream().filter(d -> d.dirty).toList();
        if (dirty.isEmpty()) {
            return;
        }
        ModuleLoader loader = new ModuleLoader(openTexts(), parses);
        for (Document d : dirty) {
            d.dirty = false;
            List<org.eclipse.lsp4j.Diagnostic> out;
            try {
                d.analysis = new Analysis(d.version,
                        Checker.check(new Source(d.path.toString(), d.text), loader, CheckOptions.DEFAULT));
                out = new ArrayList<>(d.analysis.rootDiagnostics().stream().map(Session::toLsp).toList());
                for (Analysis.ImportErrors e : d.analysis.importErrors()) {
                    out.add(onImport(d.analysis, e));
                }
            } catch (RuntimeException | StackOverflowError e) {
                // a bug in the checker: say so in the file rather than going quiet
                log(MessageType.Error, "checking " + d.uri + " failed: " + e);
                out = List.of(new org.eclipse.lsp4j.Diagnostic(Ranges.whole(new Source(d.uri, "")),
                        "internal error in freestone while checking this file: " + e
                                + "\nhelp: this is a bug; please report it with the file",
                        DiagnosticSeverity.Error, "freestone"));
            }
            publish(d.uri, out, d.version);
        }
    }

    /** The document, checked against its current text; null when it is not open. */
    Document document(String uri) {
        checkDirty();
        Document d = documents.get(uri);
        return d == null || d.analysis == null ? null : d;
    }

    /** Every open document, checked. */
    Collection<Document> documents() {
        checkDirty();
        return documents.values().stream().filter(d -> d.analysis != null).toList();
    }

    /** One place of a symbol: the module it is in, where the editor opens that module, the occurrence. */
    record Found(String uri, Module module, Occurrence occurrence) {
    }

    /**
     * The places of a symbol, and how far the search reached: the closed files of the workspace it checked (as
     * the root, each), those of them whose syntax errors may hide places, and whether the workspace was larger
     * than the server reads.
     */
    record Search(List<Found> found, List<Path> closedImporters, Map<Path, Diagnostic> unparsed, boolean partial) {
    }

    /**
     * Every place that names the symbol with this key, in the open documents and the files they import, and in
     * the files of the workspace that import the file declaring it (not the standard library, not import paths),
     * once each, by URI then position: what references lists and a rename changes.
     */
    Search occurrencesOf(SymbolKey key) {
        Map<String, Found> found = new LinkedHashMap<>();
        Set<String> seenModules = new HashSet<>();
        for (Document doc : documents()) {
            collect(doc.analysis, key, seenModules, found);
        }
        List<Path> closed = new ArrayList<>();
        WorkspaceFiles.Importers importers = workspace == null ? null
                : workspace.importersOf(Path.of(key.module()), openTexts());
        if (importers != null) {
            for (Path file : importers.files()) {
                if (documentOf(file) == null) {
                    closed.add(file);
                    if (!seenModules.contains(file.toString())) {
                        collect(new Analysis(0, checkWith(file, Map.of())), key, seenModules, found);
                    }
                }
            }
        }
        List<Found> out = new ArrayList<>(found.values());
        out.sort(Comparator.comparing(Found::uri).thenComparingInt(f -> f.occurrence().span().start()));
        return new Search(out, closed, importers == null ? Map.of() : importers.unparsed(),
                importers != null && importers.partial());
    }

    private void collect(Analysis analysis, SymbolKey key, Set<String> seenModules, Map<String, Found> found) {
        for (Module m : analysis.program().modules()) {
            if (m.isStdlib() || !seenModules.add(m.key())) {
                continue;
            }
            String uri = uriOf(m);
            for (Occurrence o : analysis.occurrences(m)) {
                if (!(o.node() instanceof Ast.Import) && key.equals(analysis.keyOf(o.symbol()))) {
                    found.putIfAbsent(uri + "#" + o.span().start() + ":" + o.span().end(), new Found(uri, m, o));
                }
            }
        }
    }

    /** The workspace's symbols found for a query, and whether the workspace was larger than the server reads. */
    record Symbols(List<WorkspaceSymbol> found, boolean partial) {
    }

    /**
     * The components, pipelines, structs and artifact types whose names match {@code query} (see
     * {@link WorkspaceSymbols#matches}), in the open documents (their current text) and the files of the workspace,
     * by name, then file, then place; each with the file that holds it as the user names it (an unsaved buffer, which
     * has no file, by its URI).
     */
    Symbols symbols(String query) {
        Map<Path, List<WorkspaceSymbols.Declared>> byFile = new HashMap<>();
        Map<Path, String> uris = new HashMap<>();
        Map<Path, String> containers = new HashMap<>();
        boolean partial = false;
        Collection<Document> open = documents();
        if (workspace != null) {
            WorkspaceFiles.Declarations declared = workspace.declarations(
                    open.stream().map(d -> d.path).collect(Collectors.toSet()));
            byFile.putAll(declared.files());
            partial = declared.partial();
        }
        for (Document d : open) {
            Module root = d.analysis.root();
            byFile.put(d.path, WorkspaceSymbols.of(root.file(), d.analysis.result.diagnostics()));
            uris.put(d.path, d.uri);
            if (fileOf(d.uri) == null) {
                // its path is a made-up name in the working folder: no file the user has
                containers.put(d.path, d.uri);
            }
        }
        List<WorkspaceSymbol> out = new ArrayList<>();
        byFile.forEach((file, declared) -> {
            String uri = uris.computeIfAbsent(file, f -> f.toUri().toString());
            String container = containers.computeIfAbsent(file,
                    f -> workspace == null ? f.toString() : workspace.shown(f));
            for (WorkspaceSymbols.Declared x : declared) {
                if (WorkspaceSymbols.matches(x.name(), query)) {
                    WorkspaceSymbol symbol = new WorkspaceSymbol(x.name(), x.kind(),
                            Either.forLeft(new Location(uri, x.range())), container);
                    out.add(symbol);
                }
            }
        });
        out.sort(Comparator.comparing(WorkspaceSymbol::getName).thenComparing(WorkspaceSymbol::getContainerName)
                .thenComparingInt(x -> x.getLocation().getLeft().getRange().getStart().getLine()));
        return new Symbols(out, partial);
    }

    /** The folders of the workspace the client named, whose importers references and rename also search. */
    void workspace(WorkspaceFiles files) {
        this.workspace = files;
    }

    WorkspaceFiles workspace() {
        return workspace;
    }

    private Map<Path, String> openTexts() {
        Map<Path, String> out = new HashMap<>();
        documents.values().forEach(d -> out.put(d.path, d.text));
        return out;
    }

    /** The open document of a file, or null. */
    Document documentOf(Path path) {
        return documents.values().stream().filter(d -> d.path.equals(path)).findFirst().orElse(null);
    }

    /**
     * A check of a file as the root with these texts in place of those of the open documents and the disk (for a
     * rename, before it is made; a closed file of the workspace, to find its places); the session's own state is left
     * as it is.
     */
    CheckResult checkWith(Path root, Map<Path, String> texts) {
        Map<Path, String> overrides = openTexts();
        overrides.putAll(texts);
        String text = overrides.get(root);
        if (text == null) {
            try {
                text = Files.readString(root, StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = ""; // gone since it was listed: nothing in it to find
            }
        }
        return Checker.check(new Source(root.toString(), text), new ModuleLoader(overrides, parses),
                CheckOptions.DEFAULT);
    }

    /** Where the editor opens a module: the open document of that file, the file, or a standard module's file (see {@link StdlibFiles}). */
    String uriOf(Module module) {
        if (module.isStdlib()) {
            URL url = ModuleLoader.class.getClassLoader().getResource(module.key() + ".pipe");
            return StdlibFiles.uri(module.key(), module.source().text(), url, FreestoneHome::fromEnvironment);
        }
        Path path = Path.of(module.key());
        Document open = documentOf(path);
        return open != null ? open.uri : path.toUri().toString();
    }

    static Path pathOf(String uri) {
        Path file = fileOf(uri);
        if (file != null) {
            return file;
        }
        // an unsaved buffer ("untitled:Untitled-1"): a name in the working directory that no file has
        String name = uri.replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of("").toAbsolutePath().resolve(name).normalize();
    }

    /** The absolute path of a {@code file:} URI of this machine, or null for any other URI. */
    static Path fileOf(String uri) {
        try {
            URI u = URI.create(uri);
            if ("file".equals(u.getScheme())) {
                return Path.of(u).toAbsolutePath().normalize();
            }
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            // not a file URI
        }
        return null;
    }

    // --- to the client ----------------------------------------------------------------------------------

    static org.eclipse.lsp4j.Diagnostic toLsp(Diagnostic d) {
        String message = d.help().isEmpty() ? d.message() : d.message() + "\nhelp: " + d.help();
        org.eclipse.lsp4j.Diagnostic out = new org.eclipse.lsp4j.Diagnostic(Ranges.of(d.span()), message,
                d.severity() == Severity.ERROR ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, "freestone",
                d.code().name());
        // the `unused-*` lints (steps, parameters, imports, values): editors fade the text
        if (d.code().lint() != null && d.code().lint().startsWith("unused-")) {
            out.setTags(List.of(DiagnosticTag.Unnecessary));
        }
        return out;
    }

    /**
     * The errors of an imported file, shown on the import's path in the importer: the first with its
     * place, how many more, and each of them as related information (a link to its place).
     */
    private org.eclipse.lsp4j.Diagnostic onImport(Analysis analysis, Analysis.ImportErrors e) {
        Diagnostic first = e.errors().get(0);
        int more = e.errors().size() - 1;
        String file = Path.of(first.span().path()).getFileName() + ":" + first.span().line() + ":" + first.span().column();
        String message = "`" + e.decl().path() + "` has " + (more == 0 ? "an error" : e.errors().size() + " errors")
                + ": " + first.message() + " at " + file + (more == 0 ? "" : " (and " + more + " more)")
                + "\nhelp: `freestone check` fails on this file until " + (more == 0 ? "it is" : "they are") + " fixed";
        org.eclipse.lsp4j.Diagnostic out = new org.eclipse.lsp4j.Diagnostic(Ranges.of(e.decl().pathSpan()), message,
                DiagnosticSeverity.Error, "freestone", first.code().name());
        List<DiagnosticRelatedInformation> related = new ArrayList<>();
        for (Diagnostic error : e.errors()) {
            Module m = analysis.moduleOf(error.span());
            String uri = m == null ? null : uriOf(m);
            if (uri != null) {
                related.add(new DiagnosticRelatedInformation(new Location(uri, Ranges.of(error.span())), error.message()));
            }
        }
        out.setRelatedInformation(related);
        return out;
    }

    private void publish(String uri, List<org.eclipse.lsp4j.Diagnostic> diagnostics, Integer version) {
        LanguageClient c = client;
        if (c != null) {
            c.publishDiagnostics(new PublishDiagnosticsParams(uri, new ArrayList<>(diagnostics), version));
        }
    }

    /** A message the editor shows (a partial answer). */
    void show(MessageType type, String message) {
        LanguageClient c = client;
        if (c != null) {
            c.showMessage(new MessageParams(type, message));
        }
    }

    void log(MessageType type, String message) {
        LanguageClient c = client;
        if (c != null) {
            c.logMessage(new MessageParams(type, message));
        }
    }
}
