package dev.freestone.lsp;

import dev.freestone.check.Module;
import dev.freestone.check.Symbol;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.fmt.Formatter;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentHighlight;
import org.eclipse.lsp4j.DocumentHighlightKind;
import org.eclipse.lsp4j.DocumentHighlightParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FoldingRange;
import org.eclipse.lsp4j.FoldingRangeRequestParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PrepareRenameDefaultBehavior;
import org.eclipse.lsp4j.PrepareRenameParams;
import org.eclipse.lsp4j.PrepareRenameResult;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.RenameParams;
import org.eclipse.lsp4j.SignatureHelp;
import org.eclipse.lsp4j.SignatureHelpParams;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.Either3;
import org.eclipse.lsp4j.services.TextDocumentService;

/**
 * The {@code textDocument/*} side of the protocol: notifications feed the {@link Session}, requests
 * are answered on its worker thread from the latest checks. A failure while answering (a bug) is logged
 * to the client and answered with nothing, never with a dead server.
 */
final class TextDocuments implements TextDocumentService {
    private final Session session;

    TextDocuments(Session session) {
        this.session = session;
    }

    // --- notifications ----------------------------------------------------------------------------------

    @Override
    public void didOpen(DidOpenTextDocumentParams params) {
        var d = params.getTextDocument();
        session.post(() -> session.open(d.getUri(), d.getText(), d.getVersion()));
    }

    @Override
    public void didChange(DidChangeTextDocumentParams params) {
        session.post(() -> session.change(params.getTextDocument().getUri(), params.getTextDocument().getVersion(),
                params.getContentChanges()));
    }

    @Override
    public void didClose(DidCloseTextDocumentParams params) {
        session.post(() -> session.close(params.getTextDocument().getUri()));
    }

    @Override
    public void didSave(DidSaveTextDocumentParams params) {
        // the buffer is what is checked; saving changes nothing the server sees
    }

    private <T> CompletableFuture<T> answer(String what, Supplier<T> body, T nothing) {
        return session.answer(what, body, nothing);
    }

    // --- requests -------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Hover> hover(HoverParams params) {
        return answer("hover", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            AllowComments.Word lint = allowWordAt(d, params.getPosition());
            if (lint != null) {
                String md = AllowComments.hover(lint);
                return md == null ? null : new Hover(new MarkupContent(MarkupKind.MARKDOWN, md),
                        Ranges.of(Span.of(d.analysis.root().source(), lint.start(), lint.end())));
            }
            Occurrence at = occurrenceAt(d, params.getPosition());
            if (at == null) {
                return null;
            }
            String md = Hovers.markdown(d.analysis.program(), at);
            return md == null ? null : new Hover(new MarkupContent(MarkupKind.MARKDOWN, md), Ranges.of(at.span()));
        }, null);
    }

    @Override
    public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(
            DefinitionParams params) {
        return answer("definition", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            Occurrence at = occurrenceAt(d, params.getPosition());
            List<Location> out = new ArrayList<>();
            if (at != null) {
                Location l = definition(d.analysis, at.symbol());
                if (l != null) {
                    out.add(l);
                }
            }
            return Either.forLeft(out);
        }, Either.forLeft(List.of()));
    }

    /** Where a symbol is declared; an import's alias leads to the imported file. */
    private Location definition(Analysis analysis, Symbol symbol) {
        if (symbol instanceof Symbol.ImportAlias alias && alias.target() != null) {
            String uri = session.uriOf(alias.target());
            return uri == null ? null : new Location(uri, new Range(new Position(0, 0), new Position(0, 0)));
        }
        Module m = analysis.moduleOf(symbol.span());
        if (m == null) {
            return null;
        }
        String uri = session.uriOf(m);
        return uri == null ? null : new Location(uri, Ranges.of(symbol.span()));
    }

    @Override
    public CompletableFuture<List<? extends Location>> references(ReferenceParams params) {
        return answer("references", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            Occurrence at = occurrenceAt(d, params.getPosition());
            if (at == null) {
                return List.of();
            }
            SymbolKey key = d.analysis.keyOf(at.symbol());
            if (key == null) {
                return List.of();
            }
            boolean withDeclaration = params.getContext() == null || params.getContext().isIncludeDeclaration();
            List<Location> out = new ArrayList<>();
            Session.Search search = session.occurrencesOf(key);
            if (search.partial()) {
                session.show(MessageType.Warning, "references: the workspace holds " + session.workspace().bound()
                        + "; the files past them were not searched");
            }
            for (Session.Found f : search.found()) {
                boolean declaration = f.module().key().equals(key.module()) && f.occurrence().span().start() == key.offset();
                if (withDeclaration || !declaration) {
                    out.add(new Location(f.uri(), Ranges.of(f.occurrence().span())));
                }
            }
            return out;
        }, List.of());
    }

    @Override
    public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
        return answer("completion", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            if (d == null) {
                return null;
            }
            Source source = d.analysis.root().source();
            int offset = Ranges.offset(source, params.getPosition());
            AllowComments.Word lint = AllowComments.wordAt(d.analysis.root().file(), offset);
            if (lint != null) {
                return Either.forRight(new CompletionList(false, AllowComments.completions(source, lint)));
            }
            return Either.forRight(new CompletionList(false, Completions.at(d.analysis, source.text(), offset)));
        }, Either.forRight(new CompletionList(false, List.of())));
    }

    @Override
    public CompletableFuture<List<Either<Command, CodeAction>>> codeAction(CodeActionParams params) {
        return answer("code actions", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            if (d == null) {
                return null;
            }
            Source source = d.analysis.root().source();
            List<Either<Command, CodeAction>> out = new ArrayList<>();
            for (CodeAction a : CodeActions.at(d.uri, d.analysis.rootDiagnostics(), source,
                    Ranges.offset(source, params.getRange().getStart()), Ranges.offset(source, params.getRange().getEnd()))) {
                out.add(Either.forRight(a));
            }
            return out;
        }, List.of());
    }

    @Override
    public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(DocumentSymbolParams params) {
        return answer("document symbols", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            if (d == null) {
                return null;
            }
            List<Either<SymbolInformation, DocumentSymbol>> out = new ArrayList<>();
            for (DocumentSymbol s : Outline.of(d.analysis.result, d.analysis.root())) {
                out.add(Either.forRight(s));
            }
            return out;
        }, List.of());
    }

    @Override
    public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams params) {
        return answer("formatting", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            if (d == null) {
                return null;
            }
            Source source = new Source(d.path.toString(), d.text);
            Formatter.Result r;
            try {
                r = Formatter.formatSource(source);
            } catch (IllegalStateException e) {
                session.log(MessageType.Error, e.getMessage());
                return null;
            }
            if (!r.ok()) {
                // syntax errors: they are in the diagnostics already, and the file is left alone
                return null;
            }
            return r.changed() ? List.of(new TextEdit(Ranges.whole(source), r.formatted())) : List.of();
        }, List.of());
    }

    @Override
    public CompletableFuture<Either3<Range, PrepareRenameResult, PrepareRenameDefaultBehavior>> prepareRename(
            PrepareRenameParams params) {
        return answer("prepare rename", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            PrepareRenameResult r = d == null ? null
                    : Renames.prepare(session, d, Ranges.offset(d.analysis.root().source(), params.getPosition()));
            return r == null ? null : Either3.<Range, PrepareRenameResult, PrepareRenameDefaultBehavior>forSecond(r);
        }, null);
    }

    @Override
    public CompletableFuture<WorkspaceEdit> rename(RenameParams params) {
        return answer("rename", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            int offset = d == null ? 0 : Ranges.offset(d.analysis.root().source(), params.getPosition());
            return Renames.rename(session, d, offset, params.getNewName());
        }, null);
    }

    @Override
    public CompletableFuture<SignatureHelp> signatureHelp(SignatureHelpParams params) {
        return answer("signature help", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            if (d == null) {
                return null;
            }
            Source source = d.analysis.root().source();
            return SignatureHelps.at(d.analysis.root(), source.text(), Ranges.offset(source, params.getPosition()));
        }, null);
    }

    /**
     * Every place in this file where the name under the cursor is used, its declaration marked as written; a name of
     * the standard library or a built-in is matched by what it resolves to.
     */
    @Override
    public CompletableFuture<List<? extends DocumentHighlight>> documentHighlight(DocumentHighlightParams params) {
        return answer("document highlight", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            Occurrence at = occurrenceAt(d, params.getPosition());
            if (at == null) {
                return List.of();
            }
            SymbolKey key = d.analysis.keyOf(at.symbol());
            Module root = d.analysis.root();
            List<DocumentHighlight> out = new ArrayList<>();
            for (Occurrence o : d.analysis.occurrences(root)) {
                if (key != null ? key.equals(d.analysis.keyOf(o.symbol())) : o.symbol().equals(at.symbol())) {
                    boolean declaration = o.symbol().span().source() == root.source()
                            && o.span().start() == o.symbol().span().start();
                    out.add(new DocumentHighlight(Ranges.of(o.span()),
                            declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read));
                }
            }
            return out;
        }, List.of());
    }

    @Override
    public CompletableFuture<List<FoldingRange>> foldingRange(FoldingRangeRequestParams params) {
        return answer("folding ranges", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            return d == null ? List.of() : Folds.of(d.analysis.root().file());
        }, List.of());
    }

    /** The command of the lens above each pipeline, which a client that said {@code runLens} runs. */
    static final String RUN_COMMAND = "freestone.run";

    /**
     * "Run" above each pipeline of the file, for a client that runs it ({@code runLens} at {@code initialize}): the
     * command {@value #RUN_COMMAND} with the file's URI and the pipeline's name; "Run to here" above each named step,
     * with the step's name too. A client that did not say so gets
     * none (it would not know the command). What the parser's recovery made of pasted Python gets none either.
     */
    @Override
    public CompletableFuture<List<? extends CodeLens>> codeLens(CodeLensParams params) {
        return answer("code lenses", () -> {
            Session.Document d = session.runLens ? session.document(params.getTextDocument().getUri()) : null;
            if (d == null) {
                return List.of();
            }
            Module root = d.analysis.root();
            List<CodeLens> out = new ArrayList<>();
            for (Ast.Decl decl : Outline.written(root.file(), d.analysis.result.guessedDeclarations(root))) {
                if (decl instanceof Ast.PipelineDecl p) {
                    String name = p.name().name();
                    out.add(new CodeLens(Ranges.of(p.name().span()),
                            new Command("▶ Run " + name, RUN_COMMAND, List.of(d.uri, name)), null));
                    stepLenses(d, name, p.body(), out);
                }
            }
            return out;
        }, List.of());
    }

    /**
     * "▶ Run to here" above each named step of a pipeline's body, in its loops and `if`s too (not in `finally`, which
     * every run runs): the run command with the step, which the client runs as {@code freestone run --only STEP}.
     */
    private static void stepLenses(Session.Document d, String pipeline, Ast.Block block, List<CodeLens> out) {
        if (block == null) {
            return;
        }
        for (Ast.Stmt s : block.stmts()) {
            if (s instanceof Ast.Bind b && b.name() != null && !b.name().name().isEmpty()
                    && d.analysis.result.program().symbolOf(b) instanceof Symbol.Step step) {
                out.add(new CodeLens(Ranges.of(b.name().span()),
                        new Command("▶ Run to here", RUN_COMMAND, List.of(d.uri, pipeline, step.id())), null));
            } else if (s instanceof Ast.For f) {
                stepLenses(d, pipeline, f.body(), out);
            } else if (s instanceof Ast.If i) {
                i.branches().forEach(br -> stepLenses(d, pipeline, br.body(), out));
                stepLenses(d, pipeline, i.elseBlock(), out);
            }
        }
    }

    /** The types of the loop variables and values in the range, which the file does not write. */
    @Override
    public CompletableFuture<List<InlayHint>> inlayHint(InlayHintParams params) {
        return answer("inlay hints", () -> {
            Session.Document d = session.document(params.getTextDocument().getUri());
            return d == null ? List.of() : InlayHints.of(d.analysis, params.getRange());
        }, List.of());
    }

    /** The warning's name under the position in a {@code freestone:allow} comment, or null. */
    private static AllowComments.Word allowWordAt(Session.Document d, Position position) {
        if (d == null) {
            return null;
        }
        Module root = d.analysis.root();
        return AllowComments.wordAt(root.file(), Ranges.offset(root.source(), position));
    }

    private static Occurrence occurrenceAt(Session.Document d, Position position) {
        if (d == null) {
            return null;
        }
        Module root = d.analysis.root();
        return Occurrences.at(d.analysis.occurrences(root), Ranges.offset(root.source(), position));
    }
}
