/**
 * The syntax phase: {@code .pipe} text in, an immutable {@link dev.freestone.syntax.Ast.File} and its
 * syntax diagnostics out, through the one entry point {@link dev.freestone.syntax.Parser#parse}.
 *
 * <p>In: a {@link dev.freestone.diag.Source}. Out: a {@link dev.freestone.syntax.Parser.ParseResult}.
 * {@link dev.freestone.syntax.AstPrinter} dumps a tree as S-expressions (golden tests, and the
 * formatter's "tree unchanged" check).
 *
 * <p>What holds:
 * <ul>
 *   <li>{@code parse} never throws: any text gives a file, partial when there are errors, and
 *       diagnostics whose spans lie inside the text. A construct missing a required part (a bind
 *       without a value, a parameter without a type) is left out of the tree; the diagnostics say why.</li>
 *   <li>Syntax codes: E0001 syntax error (in the user's words: "unexpected `}`, expected an
 *       expression"), E0002 unterminated string, E0003 invalid escape, E0004 unexpected character,
 *       E0005 stray {@code else}, E0006 missing token, E0501 invalid literal (unknown unit, out-of-range
 *       duration or float), E0506 Int out of range. One diagnostic per error position.</li>
 *   <li>Every node spans its first to its last token; {@code ///} lines right above a declaration,
 *       parameter, field or step are its {@code doc}; every comment (doc ones too) is in
 *       {@code File.comments}, in order.</li>
 *   <li>ANTLR's classes ({@code dev.freestone.syntax.antlr}, parse-tree contexts) never appear in the
 *       public API: everything outside this package sees only {@code Ast} and {@code diag} types.</li>
 * </ul>
  *
 * <p>{@link dev.freestone.syntax.EditorGrammar} turns the lexer's vocabulary into the editors' TextMate grammar.
 */
package dev.freestone.syntax;
