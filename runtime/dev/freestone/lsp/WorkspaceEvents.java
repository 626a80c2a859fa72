package dev.freestone.lsp;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.WorkspaceSymbol;
import org.eclipse.lsp4j.WorkspaceSymbolParams;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * The {@code workspace/*} side of the protocol: a changed {@code .pipe} file on disk may change what imports see;
 * the workspace's symbols.
 */
final class WorkspaceEvents implements WorkspaceService {
    private final Session session;

    WorkspaceEvents(Session session) {
        this.session = session;
    }

    /**
     * "Go to Symbol in Workspace": the declarations matching the query (see {@link Session#symbols}). When the
     * workspace is larger than the server reads, the answer holds what it read, and the client's log says so.
     */
    @Override
    public CompletableFuture<Either<List<? extends SymbolInformation>, List<? extends WorkspaceSymbol>>> symbol(
            WorkspaceSymbolParams params) {
        String query = params.getQuery() == null ? "" : params.getQuery();
        return session.answer("workspace symbols", () -> {
            Session.Symbols found = session.symbols(query);
            if (found.partial()) {
                session.log(MessageType.Warning, "freestone: the workspace has " + session.workspace().bound()
                        + "; symbols were searched in the files read up to that bound");
            }
            return Either.forRight(found.found());
        }, Either.forRight(List.of()));
    }

    @Override
    public void didChangeConfiguration(DidChangeConfigurationParams params) {
        // no server settings yet: the extension's settings only say how to start the server
    }

    @Override
    public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
        List<String> uris = params.getChanges() == null ? List.of()
                : params.getChanges().stream().map(FileEvent::getUri).filter(Objects::nonNull).toList();
        session.post(() -> session.filesChanged(uris));
    }
}
