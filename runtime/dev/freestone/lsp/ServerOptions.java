package dev.freestone.lsp;

import java.time.Duration;

/**
 * How the server behaves. {@code debounce}: after an edit that follows a quiet moment the file is
 * checked at once; edits that come faster than this are coalesced into one check this long after the
 * last of them. Zero checks after every edit (tests use it). {@code workspaceFiles}: the {@code .pipe} files
 * of the workspace references, rename and the workspace's symbols read at most (see {@link WorkspaceFiles}).
 */
public record ServerOptions(Duration debounce, int workspaceFiles) {
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(150);
    public static final ServerOptions DEFAULT = new ServerOptions(DEFAULT_DEBOUNCE);

    public ServerOptions {
        if (debounce == null || debounce.isNegative()) {
            throw new IllegalArgumentException("debounce must be zero or positive");
        }
        if (workspaceFiles < 0) {
            throw new IllegalArgumentException("workspaceFiles must be zero or positive");
        }
    }

    /** This debounce, and the default bound on the workspace's files. */
    public ServerOptions(Duration debounce) {
        this(debounce, WorkspaceFiles.DEFAULT_LIMIT);
    }
}
