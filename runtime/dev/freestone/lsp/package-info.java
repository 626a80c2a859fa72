/**
 * The language server behind {@code freestone lsp} (lsp4j, JSON-RPC over stdio).
 *
 * <p>In: the client's open documents and their edits, and requests at positions. Each document is
 * checked by {@link dev.freestone.check.Checker} as the root, with the unsaved texts of all open
 * documents as the module loader's overrides; imported modules whose text has not changed are not
 * parsed again (one {@link dev.freestone.check.ParseCache} per server). Out: diagnostics (the checker's codes, messages, help
 * and spans, as 0-based LSP ranges) for every open document an edit affects, including importers, with
 * the errors of the files a document imports summed up on its import;
 * hover (type and doc comment), definition and references (from an index of every AST node the
 * checker resolved, and {@code ${name}} and the reads of an input's variable ({@code $name},
 * {@code os.environ["name"]}) in scripts, across open files and their imports, and the files of the
 * client's workspace folders that import the declaring file, see {@link dev.freestone.lsp.WorkspaceFiles}), rename
 * (the places references finds, refused when the renamed files would no longer check as before, when a closed
 * importer has syntax errors, or when the workspace is larger than the server reads), signature help, completion, hover and completion of the warnings'
 * names after {@code // freestone:allow}, quick fixes (a diagnostic's "did you mean", allowing a warning),
 * document symbols, the workspace's symbols (the declarations of its files, read from their parses), highlights,
 * folding ranges, inlay hints (the checker's types of loop variables and values), and whole-file formatting edits
 * from {@link dev.freestone.fmt.Formatter}.
 *
 * <p>What holds: all state lives on one worker thread, so edits, checks and answers happen in the
 * order the client sent them; a request first checks what is dirty, so answers match the client's
 * text; published diagnostics carry the document version they were computed for; a failure while
 * answering is logged and answered with nothing, and the server keeps serving. It reads the compiler's
 * results and never changes them.
 */
package dev.freestone.lsp;
