package dev.freestone.lsp;

import dev.freestone.check.ModuleLoader;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.syntax.Ast;
import dev.freestone.syntax.Parser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code .pipe} files of the folders the client names at {@code initialize}, which of them import a file
 * (where references and rename look beyond the open files and their imports) and what each declares (the
 * workspace's symbols).
 *
 * <p>The folders are walked in name order, without following links (a linked file or folder is passed over,
 * so nothing out of the workspace is read), leaving out hidden folders ({@code .git} among them),
 * {@code node_modules} and {@code target}. The walk stops past {@code limit} {@code .pipe} files or
 * {@value #ENTRIES_PER_FILE} times as many entries; the listing then says it is partial, and its users say so
 * rather than answer for part of the workspace. A file's imports are read from its open buffer when it is
 * open, else from the disk, whose parses are kept while the file's modification time and size stay the same and
 * the client reports no change of it.
 */
final class WorkspaceFiles {
    /** The {@code .pipe} files read at most, by default. */
    static final int DEFAULT_LIMIT = 2_000;
    /** Entries (files and folders of any kind) walked at most, per {@code .pipe} file of the limit. */
    static final int ENTRIES_PER_FILE = 50;
    /** A larger file is no module anyone writes by hand: it is not read (and counts as one that cannot be parsed). */
    static final long MAX_BYTES = 4L << 20;
    private static final Set<String> SKIPPED = Set.of("node_modules", "target");

    /** The files found, sorted; {@code partial} when the walk stopped at the bound. */
    record Listing(List<Path> files, boolean partial) {
    }

    /**
     * What a file's text says: the files it imports (normalized), its first syntax error (or null) and what it
     * declares.
     */
    private record Scanned(FileTime modified, long size, Set<Path> imports, Diagnostic syntaxError,
                           List<WorkspaceSymbols.Declared> declarations) {
    }

    /**
     * The files that import a file, directly or through others, sorted; and those of them (or of the files that
     * name it in a text with syntax errors, whose imports cannot all be seen) whose syntax errors may hide uses.
     */
    record Importers(List<Path> files, Map<Path, Diagnostic> unparsed, boolean partial) {
    }

    private final List<Path> folders;
    private final int limit;
    private final Map<Path, Scanned> scanned = new HashMap<>();

    WorkspaceFiles(List<Path> folders, int limit) {
        this.folders = List.copyOf(folders);
        this.limit = limit;
    }

    /**
     * The workspace folders of an {@code initialize}: its {@code workspaceFolders}, else its {@code rootUri}, as
     * absolute paths; folders that are not {@code file:} URIs are left out.
     */
    static List<Path> folders(List<String> workspaceFolders, String rootUri) {
        List<String> uris = workspaceFolders != null && !workspaceFolders.isEmpty() ? workspaceFolders
                : rootUri == null ? List.of() : List.of(rootUri);
        Set<Path> out = new LinkedHashSet<>();
        for (String uri : uris) {
            Path folder = Session.fileOf(uri);
            if (folder != null) {
                out.add(folder);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Forgets what was read of these files (changed on disk, as {@code workspace/didChangeWatchedFiles} says): a
     * change that keeps a file's size and modification time (within the clock's grain) is read again too.
     */
    void forget(List<Path> files) {
        files.forEach(scanned::remove);
    }

    /** A file as the user names it: relative to the workspace folder holding it. */
    String shown(Path file) {
        for (Path folder : folders) {
            if (file.startsWith(folder) && !file.equals(folder)) {
                return folder.relativize(file).toString().replace('\\', '/');
            }
        }
        return file.toString();
    }

    /** What the bound is, as a refusal or a warning says it. */
    String bound() {
        return "more than " + limit + " `.pipe` files (or " + (long) limit * ENTRIES_PER_FILE + " files and folders)";
    }

    /** The {@code .pipe} files of the folders, up to the bound. */
    private Listing list() {
        Set<Path> files = new TreeSet<>();
        long entries = 0;
        long maxEntries = (long) limit * ENTRIES_PER_FILE;
        for (Path folder : folders) {
            // the folder itself may be a link: the client named it
            if (!Files.isDirectory(folder)) {
                continue;
            }
            Deque<Path> todo = new ArrayDeque<>();
            todo.push(folder);
            while (!todo.isEmpty()) {
                List<Path> children = new ArrayList<>();
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(todo.pop())) {
                    dir.forEach(children::add);
                } catch (IOException | RuntimeException e) {
                    continue; // an unreadable folder holds nothing we can use
                }
                children.sort(null);
                List<Path> subfolders = new ArrayList<>();
                for (Path child : children) {
                    if (++entries > maxEntries) {
                        return new Listing(List.copyOf(files), true);
                    }
                    BasicFileAttributes attrs;
                    try {
                        attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (IOException | RuntimeException e) {
                        continue;
                    }
                    String name = child.getFileName().toString();
                    if (attrs.isDirectory()) {
                        if (!name.startsWith(".") && !SKIPPED.contains(name)) {
                            subfolders.add(child);
                        }
                    } else if (attrs.isRegularFile() && name.endsWith(".pipe") && files.add(child)) {
                        if (files.size() > limit) {
                            files.remove(child);
                            return new Listing(List.copyOf(files), true);
                        }
                    }
                }
                // depth first, in name order
                for (int i = subfolders.size() - 1; i >= 0; i--) {
                    todo.push(subfolders.get(i));
                }
            }
        }
        return new Listing(List.copyOf(files), false);
    }

    /** The files of the workspace that import {@code target}, directly or through others; open texts win over the disk. */
    Importers importersOf(Path target, Map<Path, String> open) {
        Listing listing = list();
        Map<Path, Scanned> texts = new HashMap<>();
        Map<Path, Set<Path>> importedBy = new HashMap<>();
        for (Path file : listing.files()) {
            Scanned s = scan(file, open.get(file));
            if (s == null) {
                continue;
            }
            texts.put(file, s);
            s.imports().forEach(i -> importedBy.computeIfAbsent(i, k -> new TreeSet<>()).add(file));
        }
        Set<Path> importers = new TreeSet<>();
        Deque<Path> todo = new ArrayDeque<>(List.of(target));
        while (!todo.isEmpty()) {
            for (Path importer : importedBy.getOrDefault(todo.pop(), Set.of())) {
                if (!importer.equals(target) && importers.add(importer)) {
                    todo.push(importer);
                }
            }
        }
        Map<Path, Diagnostic> unparsed = new HashMap<>();
        String targetName = target.getFileName() == null ? "" : target.getFileName().toString();
        texts.forEach((file, s) -> {
            if (s.syntaxError() != null && !open.containsKey(file)
                    && (importers.contains(file) || s.syntaxError().span().source().text().contains(targetName))) {
                unparsed.put(file, s.syntaxError());
            }
        });
        return new Importers(List.copyOf(importers), unparsed, listing.partial());
    }

    /** What the files of the workspace declare, by file in name order; {@code partial} as the listing is. */
    record Declarations(Map<Path, List<WorkspaceSymbols.Declared>> files, boolean partial) {
    }

    /**
     * The declarations of the workspace's files but {@code leftOut} (the open documents, whose checks the session
     * has), read from the disk as {@link #importersOf} reads them and kept as long as its parses are.
     */
    Declarations declarations(Set<Path> leftOut) {
        Listing listing = list();
        Map<Path, List<WorkspaceSymbols.Declared>> out = new LinkedHashMap<>();
        for (Path file : listing.files()) {
            Scanned s = leftOut.contains(file) ? null : scan(file, null);
            if (s != null) {
                out.put(file, s.declarations());
            }
        }
        return new Declarations(out, listing.partial());
    }

    /** The imports of a file (its open text, or else the disk's); null when it cannot be read as UTF-8 text. */
    private Scanned scan(Path file, String openText) {
        if (openText != null) {
            return parse(file, openText, null, -1);
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
        Scanned kept = scanned.get(file);
        if (kept != null && kept.modified().equals(attrs.lastModifiedTime()) && kept.size() == attrs.size()) {
            return kept;
        }
        if (!attrs.isRegularFile() || attrs.size() > MAX_BYTES) {
            scanned.remove(file);
            return null;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // not UTF-8 (the checker reads no such file either), or gone since the walk
            scanned.remove(file);
            return null;
        }
        Scanned s = parse(file, text, attrs.lastModifiedTime(), attrs.size());
        scanned.put(file, s);
        return s;
    }

    private static Scanned parse(Path file, String text, FileTime modified, long size) {
        Parser.ParseResult parsed = Parser.parse(new Source(file.toString(), text));
        Set<Path> imports = new LinkedHashSet<>();
        for (Ast.Decl d : parsed.file().decls()) {
            if (d instanceof Ast.Import imp && imp.quoted() && !imp.path().isEmpty()) {
                try {
                    imports.add(ModuleLoader.importTarget(file.getParent(), imp.path()));
                } catch (InvalidPathException e) {
                    // the checker says so when the file is checked
                }
            }
        }
        Diagnostic error = parsed.diagnostics().stream().filter(Diagnostic::isError).findFirst().orElse(null);
        return new Scanned(modified, size, Set.copyOf(imports), error,
                List.copyOf(WorkspaceSymbols.of(parsed.file(), parsed.diagnostics())));
    }
}
