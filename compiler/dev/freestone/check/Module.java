package dev.freestone.check;

import dev.freestone.diag.Source;
import dev.freestone.syntax.Ast;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One loaded {@code .pipe} file and its declarations. Identity matters (one instance per file), so
 * this is a class, not a record. {@code key} is how the loader knows the file: a normalized path, or
 * {@code stdlib/<name>} for a module of the standard library.
 */
public final class Module {
    private final String key;
    private final Ast.File file;
    private final boolean stdlib;
    final Map<String, Symbol> members = new LinkedHashMap<>();
    final Map<String, Symbol.ImportAlias> imports = new LinkedHashMap<>();
    /**
     * Components and pipelines declared under a name already taken (E0108): not members, so nothing
     * calls them, but their bodies are still checked, so that their mistakes and the imports they use count.
     */
    final List<Symbol.Callable> duplicates = new java.util.ArrayList<>();

    Module(String key, Ast.File file, boolean stdlib) {
        this.key = key;
        this.file = file;
        this.stdlib = stdlib;
    }

    public String key() {
        return key;
    }

    /** The tree's own source: its spans and diagnostics point to this object (also when the parse was kept). */
    public Source source() {
        return file.source();
    }

    public Ast.File file() {
        return file;
    }

    public boolean isStdlib() {
        return stdlib;
    }

    /** Declarations by name: components, pipelines, structs and artifact types (imports are not members). */
    public Map<String, Symbol> members() {
        return Collections.unmodifiableMap(members);
    }

    public Map<String, Symbol.ImportAlias> imports() {
        return Collections.unmodifiableMap(imports);
    }

    public List<Symbol.Component> components() {
        return members.values().stream().filter(s -> s instanceof Symbol.Component)
                .map(s -> (Symbol.Component) s).toList();
    }

    public List<Symbol.Pipeline> pipelines() {
        return members.values().stream().filter(s -> s instanceof Symbol.Pipeline)
                .map(s -> (Symbol.Pipeline) s).toList();
    }

    @Override
    public String toString() {
        return key;
    }
}
