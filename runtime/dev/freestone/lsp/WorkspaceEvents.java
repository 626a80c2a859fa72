package dev.freestone.lsp;

import java.util.List;
import java.util.Objects;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.services.WorkspaceService;

/** The {@code workspace/*} notifications: a changed {@code .pipe} file on disk may change what imports see. */
final class WorkspaceEvents implements WorkspaceService {
    private final Session session;

    WorkspaceEvents(Session session) {
        this.session = session;
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
