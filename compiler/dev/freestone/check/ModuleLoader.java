package dev.freestone.check;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.DidYouMean;
import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Finds, reads and parses the modules a file imports.
 *
 * <ul>
 *   <li>{@code import stdlib/<name>} reads the classpath resource {@code stdlib/<name>.pipe} (the
 *       repository's {@code stdlib/} folder, packaged into the jar).</li>
 *   <li>{@code import "path.pipe"} reads a file relative to the importing file's directory (inside
 *       the standard library: relative to {@code stdlib/}). A path may leave the root file's
 *       directory with {@code ..}, or be absolute: the user owns the files they name, as with C
 *       includes or WDL imports; what matters is that it exists.</li>
 *   <li>The in-memory overrides (absolute path to text) win over the disk, so that the language
 *       server can check unsaved buffers.</li>
 * </ul>
 *
 * Each module is read once per check; import cycles are reported (E0107) and cut. Imported files are
 * shown to the user by their path relative to the root file as it was given.
 *
 * <p>Imported modules are parsed through a {@link ParseCache}: a module whose path and text are those
 * of an earlier parse is not parsed again (its syntax diagnostics are still reported by every check).
 * Share one cache between the loaders of successive checks (as the language server does) to gain
 * from it. The root file is always parsed: it is the buffer being edited, new on every check, and
 * keeping it would only push the imports out.
 */
public final class ModuleLoader {
    private static final String STDLIB = "stdlib/";

    /**
     * The file a quoted import {@code path} names, written in a file of folder {@code dir} (null: the path as it is),
     * absolute and normalized: the module's identity.
     *
     * @throws InvalidPathException when {@code path} is no path
     */
    public static Path importTarget(Path dir, String path) {
        Path rel = Path.of(path);
        return (rel.isAbsolute() || dir == null ? rel : dir.resolve(rel)).toAbsolutePath().normalize();
    }

    private final Map<Path, String> overrides;
    private final ParseCache parses;

    /** Reads files from disk and the standard library from the classpath. */
    public ModuleLoader() {
        this(Map.of());
    }

    /** Like {@link #ModuleLoader()}, but the texts of these files (absolute paths) come from the map. */
    public ModuleLoader(Map<Path, String> overrides) {
        this(overrides, new ParseCache());
    }

    /** Like {@link #ModuleLoader(Map)}, with the imports' parses kept in (and taken from) {@code parses}. */
    public ModuleLoader(Map<Path, String> overrides, ParseCache parses) {
        Map<Path, String> m = new HashMap<>();
        overrides.forEach((p, t) -> m.put(p.toAbsolutePath().normalize(), t));
        this.overrides = Map.copyOf(m);
        this.parses = Objects.requireNonNull(parses);
    }

    /** Names of the standard library's modules ({@code util}, ...), sorted. */
    public static List<String> stdlibModules() {
        TreeSet<String> names = new TreeSet<>();
        try {
            ClassLoader cl = ModuleLoader.class.getClassLoader();
            Enumeration<URL> roots = cl.getResources("stdlib");
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                if ("file".equals(url.getProtocol())) {
                    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(url.toURI()), "*.pipe")) {
                        for (Path p : dir) {
                            String f = p.getFileName().toString();
                            names.add(f.substring(0, f.length() - ".pipe".length()));
                        }
                    }
                } else if ("jar".equals(url.getProtocol())) {
                    String spec = url.getPath();
                    int bang = spec.indexOf("!/");
                    Path jar = Path.of(new URL(spec.substring(0, bang)).toURI());
                    try (JarFile jf = new JarFile(jar.toFile())) {
                        for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                            String n = e.nextElement().getName();
                            if (n.startsWith(STDLIB) && n.endsWith(".pipe") && n.indexOf('/', STDLIB.length()) < 0) {
                                names.add(n.substring(STDLIB.length(), n.length() - ".pipe".length()));
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // an unreadable classpath entry only means fewer suggestions
        }
        return List.copyOf(names);
    }

    /** The loaded modules in dependency order (imports before importers, the root last). */
    record Loaded(Module root, List<Module> modules, Map<Ast.Import, Module> targets) {
    }

    Loaded load(Source rootSource, List<Diagnostic> diagnostics) {
        Path rootPath = absolute(rootSource.path());
        Session s = new Session(diagnostics, rootPath == null ? null : Workspace.around(rootPath));
        Path rootDir = rootPath == null ? null : rootPath.getParent();
        Path displayDir = displayParent(rootSource.path());
        String key = rootPath == null ? rootSource.path() : rootPath.toString();
        Module root = s.add(key, Parsing.parse(rootSource), false);
        s.visit(root, rootDir, displayDir, new ArrayList<>());
        return new Loaded(root, List.copyOf(s.order), Map.copyOf(s.targets));
    }

    private final class Session {
        final List<Diagnostic> diagnostics;
        final Map<String, Module> byKey = new LinkedHashMap<>();
        final Map<Module, Boolean> done = new HashMap<>();
        final List<Module> order = new ArrayList<>();
        final Map<Ast.Import, Module> targets = new HashMap<>();

        /** Where imports are read from (null: a root without a file, whose imports are not confined). */
        final Workspace workspace;

        Session(List<Diagnostic> diagnostics, Workspace workspace) {
            this.diagnostics = diagnostics;
            this.workspace = workspace;
        }

        Module add(String key, Parsing.Parsed p, boolean stdlib) {
            diagnostics.addAll(p.diagnostics());
            Module m = new Module(key, p.file(), stdlib);
            byKey.put(key, m);
            return m;
        }

        /** Depth-first over imports; {@code stack} is the chain being loaded, for cycle messages. */
        void visit(Module m, Path dir, Path displayDir, List<Module> stack) {
            stack.add(m);
            done.put(m, false);
            for (Ast.Decl d : m.file().decls()) {
                if (d instanceof Ast.Import imp) {
                    Module target = resolve(m, imp, dir, displayDir);
                    if (target == null) {
                        continue;
                    }
                    Boolean finished = done.get(target);
                    if (finished == null) {
                        Path tDir = null;
                        Path tDisplay = null;
                        if (!target.isStdlib()) {
                            Path abs = Path.of(target.key());
                            tDir = abs.getParent();
                            tDisplay = displayParent(target.source().path());
                        }
                        visit(target, tDir, tDisplay, stack);
                        targets.put(imp, target);
                    } else if (!finished) {
                        int from = stack.indexOf(target);
                        StringBuilder cycle = new StringBuilder();
                        for (int i = from; i < stack.size(); i++) {
                            cycle.append(stack.get(i).source().path()).append(" -> ");
                        }
                        cycle.append(target.source().path());
                        diagnostics.add(Diagnostic.of(Code.E0107, imp.pathSpan(), cycle.toString()));
                    } else {
                        targets.put(imp, target);
                    }
                }
            }
            done.put(m, true);
            order.add(m);
            stack.remove(stack.size() - 1);
        }

        Module resolve(Module from, Ast.Import imp, Path dir, Path displayDir) {
            String path = imp.path();
            if (!imp.quoted()) {
                if (!path.startsWith(STDLIB)) {
                    diagnostics.add(Diagnostic.of(Code.E0106, imp.pathSpan(), path,
                                    "an unquoted path names a module of the standard library")
                            .withHelp("write `import stdlib/<name>`, or quote a file path: `import \"./" + path
                                    + ".pipe\"`"));
                    return null;
                }
                return stdlib(path.substring(STDLIB.length()), imp);
            }
            if (path.isEmpty()) {
                diagnostics.add(Diagnostic.of(Code.E0106, imp.pathSpan(), path, "the path is empty"));
                return null;
            }
            if (from.isStdlib()) {
                // a standard module imports its siblings by relative path
                String name = Path.of("stdlib").resolve(path).normalize().toString().replace('\\', '/');
                if (name.startsWith(STDLIB) && name.endsWith(".pipe")) {
                    return stdlib(name.substring(STDLIB.length(), name.length() - ".pipe".length()), imp);
                }
                diagnostics.add(Diagnostic.of(Code.E0106, imp.pathSpan(), path, "not a module of the standard library"));
                return null;
            }
            String foreign = foreignModule(path);
            if (foreign != null) {
                // KFP's load_component_from_file("train.yaml"): read as a .pipe it is a screen of syntax errors
                diagnostics.add(Diagnostic.of(Code.E0106, imp.pathSpan(), path, "a module is a `.pipe` file").withHelp(foreign));
                return null;
            }
            Path target;
            String display;
            try {
                Path rel = Path.of(path);
                target = importTarget(dir, path);
                display = rel.isAbsolute() ? rel.normalize().toString()
                        : (displayDir == null ? rel : displayDir.resolve(rel)).normalize().toString();
            } catch (InvalidPathException e) {
                diagnostics.add(Diagnostic.of(Code.E0106, imp.pathSpan(), path, "not a valid path"));
                return null;
            }
            Module known = byKey.get(target.toString());
            if (known != null) {
                return known;
            }
            String text = overrides.get(target);
            if (text == null) {
                // checking a file from elsewhere must not read this machine's files (/proc/self/environ, keys):
                // its parse errors would quote them
                if (workspace != null && !workspace.holds(target)) {
                    diagnostics.add(Diagnostic.of(Code.E0106, imp.pathSpan(), path, "it is outside the workspace ("
                            + workspace.root() + ")").withHelp("a file imports modules of its workspace, the git checkout"
                            + " holding it (else its own folder); copy the module there, or run `git init` in the folder above both"));
                    return null;
                }
                if (!Files.isRegularFile(target)) {
                    String reason = Files.isDirectory(target) ? "it is a directory"
                            : Files.exists(target) ? "it is not a regular file (a pipe, socket or device)"
                            : Files.isSymbolicLink(target) ? "it is a symbolic link that leads to no file"
                            : "no such file `" + display + "`";
                    Diagnostic d = Diagnostic.of(Code.E0106, imp.pathSpan(), path, reason);
                    Path withExtension = Path.of(target + ".pipe");
                    if (!path.endsWith(".pipe") && (overrides.containsKey(withExtension) || Files.isRegularFile(withExtension))) {
                        d = d.withHelp("did you mean `" + path + ".pipe`?");
                    }
                    diagnostics.add(d);
                    return null;
                }
                try {
                    text = Files.readString(target, StandardCharsets.UTF_8);
                } catch (java.nio.charset.CharacterCodingException e) {
                    // the decoder's own message is `Input length = 3`
                    diagnostics.add(Diagnostic.of(Code.E0106, imp.pathSpan(), path, "it is not UTF-8 text")
                            .withHelp("save the file as UTF-8"));
                    return null;
                } catch (java.nio.file.AccessDeniedException e) {
                    // the JDK's message is the file's name alone
                    diagnostics.add(Diagnostic.of(Code.E0106, imp.pathSpan(), path, "cannot read it: permission denied")
                            .withHelp("check the permissions of `" + display + "`"));
                    return null;
                } catch (IOException | RuntimeException e) {
                    diagnostics.add(Diagnostic.of(Code.E0106, imp.pathSpan(), path, "cannot read it: "
                            + (e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage())));
                    return null;
                }
            }
            String key = target.toString();
            return add(key, parses.parse(key, display.replace('\\', '/'), text), false);
        }

        /** What a file of another language that an import names is here, for its help; null for any other file. */
        private static String foreignModule(String path) {
            String lower = path.toLowerCase(java.util.Locale.ROOT);
            if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
                return "a KFP component file (`load_component_from_file`) is written here as a `component NAME(INPUTS) ->"
                        + " (OUTPUTS) { image = \"...\"  command = [...] }` in a `.pipe` file, which is imported";
            }
            if (lower.endsWith(".py")) {
                return "Python is run by a step: put it in a component's `script = python \"\"\"...\"\"\"` (or run the file"
                        + " with `command`) in a `.pipe` file, which is imported";
            }
            return null;
        }

        Module stdlib(String name, Ast.Import imp) {
            String key = STDLIB + name;
            Module known = byKey.get(key);
            if (known != null) {
                return known;
            }
            String text = null;
            if (!name.isEmpty() && !name.contains("..")) {
                try (InputStream in = ModuleLoader.class.getClassLoader().getResourceAsStream(key + ".pipe")) {
                    if (in != null) {
                        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                } catch (IOException e) {
                    text = null;
                }
            }
            if (text == null) {
                List<String> modules = stdlibModules();
                String help = DidYouMean.closest(name, modules).map(c -> "did you mean `stdlib/" + c + "`?")
                        .orElse(modules.isEmpty() ? "the standard library has no modules"
                                : "the standard library has: " + String.join(", ", modules));
                diagnostics.add(Diagnostic.of(Code.E0106, imp.pathSpan(), imp.path(), "no such module in the standard library")
                        .withHelp(help));
                return null;
            }
            return add(key, parses.parse(key, key + ".pipe", text), true);
        }
    }

    private static Path absolute(String path) {
        try {
            return Path.of(path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Path displayParent(String path) {
        try {
            Path p = Path.of(path).getParent();
            return p;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    static Span nowhere() {
        return Span.synthetic("<loader>");
    }
}
