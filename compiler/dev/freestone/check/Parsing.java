package dev.freestone.check;

import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.syntax.Ast;
import dev.freestone.syntax.Parser;
import java.util.List;

/** The one place the checker calls the parser. */
final class Parsing {
    private Parsing() {
    }

    record Parsed(Ast.File file, List<Diagnostic> diagnostics) {
    }

    static Parsed parse(Source source) {
        Parser.ParseResult r = Parser.parse(source);
        return new Parsed(r.file(), r.diagnostics());
    }
}
