package dev.freestone.check;

import dev.freestone.diag.Source;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses of imported modules kept across checks, so that a language server that checks a buffer on
 * every keystroke does not parse its unchanged imports again each time.
 *
 * <p>An entry is found by the module's key (normalized path or {@code stdlib/<name>}), the path shown
 * to the user and the exact text: any change of text, or the same text under another path, parses
 * again. What is kept is the parser's result: the AST and the syntax diagnostics, both immutable
 * values (records and unmodifiable lists over an immutable {@link Source}), which every check that
 * uses them reports again. A check builds its own {@link Module} and symbols over the tree, and the
 * checker's side tables (identity maps keyed by AST nodes) live in that check's {@link Checked}, so
 * sharing a tree between checks, or between threads, changes nothing they see. A {@link Module}'s
 * source is its tree's own (spans point to that object, and modules are matched with their
 * diagnostics by its identity), so a kept tree brings its source along.
 *
 * <p>Bounded: the least recently used entries go first when there are more than {@code maxModules}
 * or their texts hold more than {@code maxChars} characters (a text longer than that is parsed and not
 * kept). Thread safe; the parser runs outside the lock, so two threads that miss the same module at
 * once both parse it and the first result stays.
 */
public final class ParseCache {
    /** Modules kept by {@link #ParseCache()}: far more than a program imports. */
    public static final int DEFAULT_MODULES = 64;
    /** Characters of text kept by {@link #ParseCache()} (about 50,000 lines). */
    public static final long DEFAULT_CHARS = 2_000_000;

    private record Key(String module, String path, String text) {
    }

    private final int maxModules;
    private final long maxChars;
    // access order: iteration starts at the least recently used entry
    private final LinkedHashMap<Key, Parsing.Parsed> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long chars;
    private int parses;

    /** A cache of {@link #DEFAULT_MODULES} modules and {@link #DEFAULT_CHARS} characters. */
    public ParseCache() {
        this(DEFAULT_MODULES, DEFAULT_CHARS);
    }

    public ParseCache(int maxModules, long maxChars) {
        if (maxModules < 0 || maxChars < 0) {
            throw new IllegalArgumentException("negative bound: " + maxModules + " modules, " + maxChars + " chars");
        }
        this.maxModules = maxModules;
        this.maxChars = maxChars;
    }

    /** The parse of this text shown as {@code path}, for the module known as {@code module}. */
    Parsing.Parsed parse(String module, String path, String text) {
        Key key = new Key(module, path, text);
        synchronized (this) {
            Parsing.Parsed kept = entries.get(key);
            if (kept != null) {
                return kept;
            }
        }
        Parsing.Parsed parsed = Parsing.parse(new Source(path, text));
        synchronized (this) {
            parses++;
            if (maxModules == 0 || text.length() > maxChars) {
                return parsed;
            }
            Parsing.Parsed first = entries.putIfAbsent(key, parsed);
            if (first != null) {
                return first;
            }
            chars += text.length();
            var eldest = entries.entrySet().iterator();
            while (entries.size() > maxModules || chars > maxChars) {
                Map.Entry<Key, Parsing.Parsed> e = eldest.next();
                chars -= e.getKey().text().length();
                eldest.remove();
            }
            return parsed;
        }
    }

    /** How many times this cache has run the parser (misses), for tests. */
    synchronized int parses() {
        return parses;
    }

    /** How many modules are kept. */
    synchronized int size() {
        return entries.size();
    }
}
