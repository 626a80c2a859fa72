/**
 * Syntax: {@code .pipe} text in, an immutable {@link dev.freestone.syntax.Ast} (every node with its span) and
 * diagnostics out. The ANTLR lexer and parser generated from {@code grammar/} live in
 * {@code dev.freestone.syntax.antlr}, and no ANTLR type leaves this package. {@link dev.freestone.syntax.EditorGrammar}
 * turns the lexer's vocabulary into the editors' TextMate grammar.
 */
package dev.freestone.syntax;
