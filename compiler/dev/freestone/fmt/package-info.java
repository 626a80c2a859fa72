/**
 * The formatter behind {@code freestone fmt [--check] FILE...}.
 *
 * <p>In: an {@link dev.freestone.syntax.Ast.File} that parsed without errors (its comments come from
 * {@code File.comments()}), or a {@link dev.freestone.diag.Source} for
 * {@link dev.freestone.fmt.Formatter#formatSource}. Out: the canonical text; for a source, a
 * {@link dev.freestone.fmt.Formatter.Result} with the text or the syntax errors that prevent
 * formatting, and whether the file would change ({@code --check} exits 1 and lists those files).
 *
 * <p>What holds: formatting is idempotent; the re-parsed tree equals the original
 * ({@link dev.freestone.syntax.AstPrinter#sameTree}), which {@code formatSource} verifies on every
 * call; every comment comes back, alone on a line before the construct that followed it, or at the
 * end of the line of the code it followed. Known limit: a comment inside an expression that stays on
 * one line moves to the end of that line (or before the next statement).
 */
package dev.freestone.fmt;
