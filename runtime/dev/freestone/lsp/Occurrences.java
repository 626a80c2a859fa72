package dev.freestone.lsp;

import dev.freestone.check.Checked;
import dev.freestone.check.Module;
import dev.freestone.check.ScriptVariables;
import dev.freestone.check.Symbol;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every place in a module where the checker resolved a name, found by walking the whole AST and asking
 * {@link Checked#symbolOf} about each node. The walk is generic over the AST's records (their
 * components), so a node kind added to the AST is walked without a change here; it is iterative, so
 * that deeply nested input cannot overflow the stack.
 */
final class Occurrences {
    private static final ClassValue<Method[]> CHILDREN = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            if (components == null) {
                return new Method[0];
            }
            List<Method> out = new ArrayList<>();
            for (RecordComponent c : components) {
                Class<?> t = c.getType();
                if (Ast.Node.class.isAssignableFrom(t) || List.class.isAssignableFrom(t)) {
                    out.add(c.getAccessor());
                }
            }
            return out.toArray(new Method[0]);
        }
    };

    private Occurrences() {
    }

    /** The occurrences of a module, in source order of their names. */
    static List<Occurrence> of(Checked program, Module module) {
        List<Occurrence> out = new ArrayList<>();
        Deque<Ast.Node> todo = new ArrayDeque<>();
        todo.push(module.file());
        while (!todo.isEmpty()) {
            Ast.Node node = todo.pop();
            Symbol symbol = program.symbolOf(node);
            if (symbol != null) {
                Span name = nameSpan(node);
                if (name != null && name.source() == module.source()) {
                    out.add(new Occurrence(module, name, symbol, node));
                }
            }
            if (node instanceof Ast.Import imp && program.symbolOf(imp.name()) != null) {
                // the quoted path stands for the imported module too
                out.add(new Occurrence(module, imp.pathSpan(), program.symbolOf(imp.name()), imp));
            }
            if (node instanceof Ast.ComponentDecl c && program.symbolOf(c.name()) instanceof Symbol.Component component
                    && c.span().source() == module.source()) {
                scriptSplices(module, component, c.options(), out);
            }
            List<Ast.Node> children = children(node);
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(children.get(i));
            }
        }
        out.sort((a, b) -> a.span().start() != b.span().start() ? Integer.compare(a.span().start(), b.span().start())
                : Integer.compare(a.span().end(), b.span().end()));
        return out;
    }

    /**
     * {@code ${name}} in a component's script, and the script's own reads of the environment variable Freestone
     * sets for the input (or output) {@code name} ({@code $name} in a shell script, {@code os.environ["name"]} in a
     * Python one, {@link ScriptVariables}): the text names it as surely as {@code ${name}} in a command does.
     */
    private static void scriptSplices(Module module, Symbol.Component component, List<Ast.Option> options,
            List<Occurrence> out) {
        for (Ast.Option o : options) {
            if (o instanceof Ast.BlockOption b) {
                scriptSplices(module, component, b.options(), out);
            } else if (o instanceof Ast.ScriptOption script) {
                Span body = script.bodySpan();
                List<Span> names = new ArrayList<>();
                Matcher m = SPLICE.matcher(body.text());
                while (m.find()) {
                    names.add(Span.of(body.source(), body.start() + m.start(1), body.start() + m.end(1)));
                }
                Set<Integer> starts = new HashSet<>();
                names.forEach(n -> starts.add(n.start()));
                for (Span read : ScriptVariables.reads(script)) {
                    if (starts.add(read.start())) {
                        names.add(read);
                    }
                }
                for (Span name : names) {
                    Symbol named = named(component, name.text());
                    if (named != null) {
                        out.add(new Occurrence(module, name, named, script));
                    }
                }
            }
        }
    }

    private static final Pattern SPLICE = Pattern.compile("(?<!\\\\)\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private static Symbol named(Symbol.Component component, String name) {
        for (Symbol.Input in : component.inputs()) {
            if (in.name().equals(name)) {
                return in;
            }
        }
        for (Symbol.Output o : component.outputs()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** The part of a node that is the name: what a cursor points at and what a rename would change. */
    static Span nameSpan(Ast.Node node) {
        if (node instanceof Ast.Name n) {
            return n.ident().span();
        }
        if (node instanceof Ast.Member m) {
            return m.name().span();
        }
        if (node instanceof Ast.Call c) {
            return c.callee().span();
        }
        if (node instanceof Ast.NamedType t) {
            return t.name().span();
        }
        if (node instanceof Ast.Bind b) {
            return b.name() == null ? null : b.name().span();
        }
        return node.span();
    }

    /**
     * The occurrence at a character offset: the narrowest name that contains it, preferring one that
     * starts at or before it and ends after it over one that merely ends there (the cursor just past a name).
     */
    static Occurrence at(List<Occurrence> occurrences, int offset) {
        Occurrence best = null;
        for (Occurrence o : occurrences) {
            Span s = o.span();
            if (s.start() > offset || s.end() < offset) {
                continue;
            }
            if (best == null || better(o, best, offset)) {
                best = o;
            }
        }
        return best;
    }

    private static boolean better(Occurrence candidate, Occurrence current, int offset) {
        boolean candidateInside = candidate.span().end() > offset;
        boolean currentInside = current.span().end() > offset;
        if (candidateInside != currentInside) {
            return candidateInside;
        }
        return candidate.span().end() - candidate.span().start() < current.span().end() - current.span().start();
    }

    static List<Ast.Node> children(Ast.Node node) {
        List<Ast.Node> out = new ArrayList<>();
        for (Method accessor : CHILDREN.get(node.getClass())) {
            Object value;
            try {
                value = accessor.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + accessor, e);
            }
            if (value instanceof Ast.Node child) {
                out.add(child);
            } else if (value instanceof List<?> list) {
                for (Object element : list) {
                    if (element instanceof Ast.Node child) {
                        out.add(child);
                    }
                }
            }
        }
        return out;
    }
}
