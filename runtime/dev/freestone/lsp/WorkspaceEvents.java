package dev.freestone.lsp;

import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.services.WorkspaceService;

/** The {@code workspace/*} notifications: a changed {@code .pipe} file on disk may change what imports see. */
final class WorkspaceEvents implements WorkspaceService {
    private final Session session;
    private final ScheduledExecutorService worker;

    WorkspaceEvents(Session session, ScheduledExecutorService worker) {
        this.session = session;
        this.worker = worker;
    }

    @Override
    public void didChangeConfiguration(DidChangeConfigurationParams params) {
        // no server settings yet: the extension's settings only say how to start the server
    }

    @Override
    public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
        try {
            worker.execute(session::filesChanged);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // after exit: nothing more to do
        }
    }
}
