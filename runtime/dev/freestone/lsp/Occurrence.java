package dev.freestone.lsp;

import dev.freestone.check.Module;
import dev.freestone.check.Symbol;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;

/**
 * One place in a module where a name denotes a symbol: a use ({@code fit} in {@code fit.model}), a
 * declaration ({@code fit = train(...)}), or an import path. {@code span} covers just the name,
 * {@code node} is the AST node the checker resolved (to ask for its type).
 */
record Occurrence(Module module, Span span, Symbol symbol, Ast.Node node) {
}
