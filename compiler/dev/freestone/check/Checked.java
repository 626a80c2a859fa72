package dev.freestone.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A resolved and typed program: the root module, the modules it imports, and per AST node what the
 * checker decided, so that the IR builder, the CLI and the language server never resolve a name
 * again. Lookups are by node identity. Everything is filled even when there are errors (erroneous
 * parts get {@link Type.Error} or no entry); consumers that lower a program should first make sure
 * the check had no errors.
 */
public final class Checked {
    final Module root;
    final List<Module> modules = new ArrayList<>();
    final Map<Ast.Expr, Type> types = new IdentityHashMap<>();
    final Map<Ast.TypeRef, Type> typeRefs = new IdentityHashMap<>();
    final Map<Ast.Node, Symbol> symbols = new IdentityHashMap<>();
    final Map<Ast.Expr, Reference> references = new IdentityHashMap<>();
    final Map<Ast.Bind, Symbol> bindings = new IdentityHashMap<>();
    final Map<Ast.Stmt, String> ids = new IdentityHashMap<>();
    final Map<Ast.Stmt, List<Export>> exports = new IdentityHashMap<>();
    final Map<Ast.Stmt, List<Ast.Stmt>> dependencies = new IdentityHashMap<>();
    final Map<Symbol.Component, ComponentSettings> settings = new IdentityHashMap<>();
    final Map<Ast.Bind, ComponentSettings.Overrides> overrides = new IdentityHashMap<>();
    /** The mutexes a pipeline holds while it runs (its own {@code with { mutex = ... }}); absent: none. */
    final Map<Symbol.Pipeline, List<String>> pipelineMutexes = new IdentityHashMap<>();
    /** A pipeline's own {@code with { timeout = ... }}, in whole seconds; absent: none. */
    final Map<Symbol.Pipeline, Long> pipelineTimeouts = new IdentityHashMap<>();
    final Map<Ast.Expr, JsonNode> constants = new IdentityHashMap<>();
    final Map<Symbol.Pipeline, List<Symbol.Step>> steps = new IdentityHashMap<>();

    Checked(Module root) {
        this.root = root;
    }

    /**
     * A use of a value declared elsewhere in a pipeline: {@code target} is a {@link Symbol.StepOutput},
     * {@link Symbol.Value}, {@link Symbol.Input}, {@link Symbol.LoopVar} or {@link Symbol.Run};
     * {@code crossed} are the {@code for}/{@code if} statements the value leaves to reach the use,
     * innermost first (empty when it is used where it is made). The use reads the export
     * {@link Export#name} of the last (outermost) crossed statement.
     */
    public record Reference(Symbol target, List<Ast.Stmt> crossed) {
        public Reference {
            crossed = List.copyOf(crossed);
        }
    }

    /**
     * A value made inside a {@code for} or {@code if} and used outside it: {@code name} is
     * {@code step.output} or the value's name; {@code symbol} a {@link Symbol.StepOutput} or
     * {@link Symbol.Value}; {@code inside} its type in the body, {@code outside} its type after the
     * statement ({@code List[inside]} for a loop, {@code inside?} for an {@code if}). {@code from} is
     * the statement directly inside this one that it comes out of, when it crosses several.
     */
    public record Export(String name, Symbol symbol, Type inside, Type outside, Ast.Stmt from) {
    }

    /** The file that was checked. */
    public Module root() {
        return root;
    }

    /** Every loaded module, the root first, then imports in load order. */
    public List<Module> modules() {
        return Collections.unmodifiableList(modules);
    }

    /** Pipelines declared in the root file, in source order. */
    public List<Symbol.Pipeline> pipelines() {
        return root.pipelines();
    }

    public Optional<Symbol.Pipeline> pipeline(String name) {
        return pipelines().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Components of every loaded module, the root's first. */
    public List<Symbol.Component> components() {
        List<Symbol.Component> out = new ArrayList<>();
        for (Module m : modules) {
            out.addAll(m.components());
        }
        return out;
    }

    /** The type of an expression; {@link Type.Error} for unknown or erroneous ones. */
    public Type typeOf(Ast.Expr expr) {
        return types.getOrDefault(expr, Type.ERROR);
    }

    /** The type a written type denotes; {@link Type.Error} when it does not resolve. */
    public Type typeOf(Ast.TypeRef ref) {
        return typeRefs.getOrDefault(ref, Type.ERROR);
    }

    /**
     * The symbol a use denotes: for a {@link Ast.Name}, {@link Ast.Member} (step output, field, run
     * field), {@link Ast.Call} (callable, struct or builtin), {@link Ast.NamedType}, an after-clause
     * {@link Ast.Ident} (a step) and a {@link Ast.Bind} (the step or value it declares). Null when
     * it does not resolve.
     */
    public Symbol symbolOf(Ast.Node node) {
        if (node instanceof Ast.Bind b) {
            return bindings.get(b);
        }
        return symbols.get(node);
    }

    /** For a {@link Ast.Name} or {@link Ast.Member} that reads a value: what and across what. */
    public Reference referenceOf(Ast.Expr expr) {
        return references.get(expr);
    }

    /** The step a binding declares, or null when it is a value (or erroneous). */
    public Symbol.Step stepOf(Ast.Bind bind) {
        return bindings.get(bind) instanceof Symbol.Step s ? s : null;
    }

    /** The value a binding declares, or null when it is a step (or erroneous). */
    public Symbol.Value valueOf(Ast.Bind bind) {
        return bindings.get(bind) instanceof Symbol.Value v ? v : null;
    }

    /** Steps of a pipeline in source order (nested ones included, the exit handler's last). */
    public List<Symbol.Step> steps(Symbol.Pipeline pipeline) {
        return steps.getOrDefault(pipeline, List.of());
    }

    /**
     * The node id of a step, {@code for} or {@code if}, unique in its pipeline: the step id;
     * {@code for-<variable>} and {@code if} made unique with {@code -2}, {@code -3}, ...
     */
    public String idOf(Ast.Stmt stmt) {
        return ids.get(stmt);
    }

    /** What a {@code for} or {@code if} exports to the statements after it, in source order. */
    public List<Export> exportsOf(Ast.Stmt stmt) {
        return exports.getOrDefault(stmt, List.of());
    }

    /**
     * The statements of the same block that a statement must wait for (data dependencies, those of
     * the statements nested in it included, and {@code after}), in source order. Values are not
     * nodes: a dependency on a value is a dependency on what the value reads.
     */
    public List<Ast.Stmt> dependenciesOf(Ast.Stmt stmt) {
        return dependencies.getOrDefault(stmt, List.of());
    }

    public ComponentSettings settingsOf(Symbol.Component component) {
        return settings.get(component);
    }

    /** The validated {@code with { ... }} of a step; {@link ComponentSettings.Overrides#NONE} when absent. */
    /** The mutexes {@code pipeline} holds for as long as it runs, in the order written; empty when none. */
    public List<String> mutexesOf(Symbol.Pipeline pipeline) {
        return pipelineMutexes.getOrDefault(pipeline, List.of());
    }

    /** How long {@code pipeline} may run, in whole seconds (its own {@code with { timeout = ... }}); null when unbounded. */
    public Long timeoutOf(Symbol.Pipeline pipeline) {
        return pipelineTimeouts.get(pipeline);
    }

    /**
     * The mutexes step {@code s} holds while it runs: its call's {@code mutex}, else its component's; a called
     * pipeline's own. Empty when none.
     */
    public List<String> mutexesOf(Symbol.Step s) {
        if (s.callee() instanceof Symbol.Pipeline p) {
            return mutexesOf(p);
        }
        List<String> call = overridesOf(s.bind()).mutexes();
        ComponentSettings own = s.callee() instanceof Symbol.Component c ? settingsOf(c) : null;
        return call != null ? call : own == null || own.overrides().mutexes() == null ? List.of() : own.overrides().mutexes();
    }

    public ComponentSettings.Overrides overridesOf(Ast.Bind bind) {
        return overrides.getOrDefault(bind, ComponentSettings.Overrides.NONE);
    }

    /**
     * The value of a constant expression (literals, operators over them, struct values, lists, maps)
     * as JSON the way the IR writes constants (durations in seconds), or null when it is not constant.
     * Defaults of params and inputs are always recorded when they are constant.
     */
    public JsonNode constantOf(Ast.Expr expr) {
        return constants.get(expr);
    }
}
