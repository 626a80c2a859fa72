package dev.freestone.check;

import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.syntax.Ast;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place the checker calls the parser. Until the parser branch is merged it is reached by
 * reflection so that this package compiles on its own; then this becomes a direct call.
 */
final class Parsing {
    private Parsing() {
    }

    record Parsed(Ast.File file, List<Diagnostic> diagnostics) {
    }

    @SuppressWarnings("unchecked")
    static Parsed parse(Source source) {
        try {
            Class<?> parser = Class.forName("dev.freestone.syntax.Parser");
            Method parse = parser.getMethod("parse", Source.class);
            Object result = parse.invoke(null, source);
            Ast.File file = (Ast.File) result.getClass().getMethod("file").invoke(result);
            List<Diagnostic> diags = (List<Diagnostic>) result.getClass().getMethod("diagnostics").invoke(result);
            return new Parsed(file, new ArrayList<>(diags));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the parser is not available", e);
        }
    }
}
