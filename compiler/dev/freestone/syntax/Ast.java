package dev.freestone.syntax;

import dev.freestone.diag.Source;
import dev.freestone.diag.Span;
import java.util.List;

/**
 * The abstract syntax tree of a {@code .pipe} file: immutable records, one per construct, each with
 * the {@link Span} it was parsed from. Optional parts are {@code null} (documented per field); lists
 * are never null. Doc comments ({@code ///}) are attached as {@code doc} ("" when absent).
 *
 * <p>The tree is what the user wrote, nothing resolved: names are {@link Ident}s, types are
 * {@link TypeRef}s. Resolution and typing happen in {@code dev.freestone.check}.
 */
public final class Ast {
    private Ast() {
    }

    /** Any node: everything has a place in a file. */
    public interface Node {
        Span span();
    }

    /** A name as written, with its place. */
    public record Ident(String name, Span span) implements Node {
    }

    /** A comment, kept so that the formatter can put it back. */
    public record Comment(String text, Span span) implements Node {
    }

    /** One parsed file. */
    public record File(Source source, List<Decl> decls, List<Comment> comments, Span span) implements Node {
    }

    // --- declarations -----------------------------------------------------------------------------

    public sealed interface Decl extends Node permits Import, StructDecl, ArtifactDecl, ComponentDecl, PipelineDecl {
        /** The declared name (for an import, its alias). */
        Ident name();

        String doc();
    }

    /**
     * {@code import stdlib/kserve as kserve} or {@code import "./common.pipe" as common}.
     * {@code path} is the text between the quotes or the slash-joined bare path; {@code quoted} says
     * which form was used. {@code name} is the alias, or the last path segment without extension.
     */
    public record Import(String path, boolean quoted, Span pathSpan, Ident name, boolean explicitAlias, String doc, Span span)
            implements Decl {
    }

    /** {@code struct Config { lr: Float, epochs: Int }}. */
    public record StructDecl(Ident name, List<Field> fields, String doc, Span span) implements Decl {
    }

    /** {@code artifact Embeddings : Dataset}; {@code parent} is null when absent (then it is an Artifact). */
    public record ArtifactDecl(Ident name, TypeRef parent, String doc, Span span) implements Decl {
    }

    /** A container step: typed inputs, typed outputs and settings (image, command, script, resources, ...). */
    public record ComponentDecl(Ident name, List<Param> params, List<Field> outputs, List<Option> options, String doc,
                                Span span) implements Decl {
    }

    /**
     * A DAG of steps with typed params and outputs; {@code settings}: its own {@code with { ... }} between the signature
     * and the body (what holds while the whole pipeline runs, as {@code mutex}), empty when it has none.
     */
    public record PipelineDecl(Ident name, List<Param> params, List<Field> outputs, List<Option> settings, Block body,
                               String doc, Span span) implements Decl {
    }

    /** A typed name: struct field or declared output. */
    public record Field(Ident name, TypeRef type, String doc, Span span) implements Node {
    }

    /** An input: {@code name: Type = default}; {@code defaultValue} is null when required. */
    public record Param(Ident name, TypeRef type, Expr defaultValue, String doc, Span span) implements Node {
    }

    // --- types --------------------------------------------------------------------------------------

    public sealed interface TypeRef extends Node permits NamedType, OptionalType {
    }

    /** {@code Int}, {@code List[Float]}, {@code Map[String, Int]}, {@code common.Config}; qualifier null if none. */
    public record NamedType(Ident qualifier, Ident name, List<TypeRef> args, Span span) implements TypeRef {
    }

    /** {@code T?}. */
    public record OptionalType(TypeRef inner, Span span) implements TypeRef {
    }

    // --- settings (component bodies and call-site overrides) -------------------------------------------

    public sealed interface Option extends Node permits ScriptOption, ValueOption, BlockOption {
    }

    /**
     * {@code script = python """..."""}: {@code interpreter} is null when omitted; {@code body} is the
     * script text, for triple-quoted strings with the common indentation removed.
     */
    public record ScriptOption(Ident interpreter, String body, Span bodySpan, Span span) implements Option {
    }

    /** {@code key = value}; {@code key} may have been written as a string ({@code "disktype" = "ssd"}). */
    public record ValueOption(Ident key, Expr value, Span span) implements Option {
    }

    /** {@code key { nested settings }}. */
    public record BlockOption(Ident key, List<Option> options, Span span) implements Option {
    }

    // --- pipeline bodies -------------------------------------------------------------------------------

    public record Block(List<Stmt> stmts, Span span) implements Node {
    }

    public sealed interface Stmt extends Node permits Bind, If, For, Finally, Output, StrayElse {
    }

    /**
     * {@code name = expr after a, b with { ... }}: a step when {@code value} is a {@link Call} of a
     * component or pipeline, a named value otherwise. {@code name} is null for an unnamed step
     * ({@code notify(...)}); {@code with} is empty when absent.
     */
    public record Bind(Ident name, Expr value, List<Ident> after, List<Option> with, boolean hasWith, String doc,
                       Span span) implements Stmt {
    }

    /** {@code if c1 {..} else if c2 {..} else {..}}; {@code elseBlock} is null when absent. */
    public record If(List<Branch> branches, Block elseBlock, Span span) implements Stmt {
    }

    public record Branch(Expr condition, Block body, Span span) implements Node {
    }

    /** {@code for x in items parallel 4 {..}}; {@code parallel} is null when absent. */
    public record For(Ident variable, Expr iterable, Expr parallel, Block body, Span span) implements Stmt {
    }

    /** The exit handler: runs after everything else, whatever happened. */
    public record Finally(Block body, Span span) implements Stmt {
    }

    /** {@code output model = best.model}. */
    public record Output(Ident name, Expr value, Span span) implements Stmt {
    }

    /** An {@code else} (or {@code else if}) that follows no {@code if}; kept so the checker can report E0005. */
    public record StrayElse(Block body, Span span) implements Stmt {
    }

    // --- expressions -------------------------------------------------------------------------------------

    public sealed interface Expr extends Node
            permits Name, Member, Index, Call, Unary, Binary, ListLit, MapLit, StringLit, IntLit, FloatLit, BoolLit,
            NullLit, DurationLit, QuantityLit, BadUnitLit {
    }

    public record Name(Ident ident, Span span) implements Expr {
    }

    /** {@code target.name}: a step output, a struct field, a map entry, {@code run.status}. */
    public record Member(Expr target, Ident name, Span span) implements Expr {
    }

    public record Index(Expr target, Expr index, Span span) implements Expr {
    }

    /**
     * {@code train(lr = 0.1)}, {@code kserve.deploy(...)}, {@code len(xs)}, {@code Config(lr = 1)}:
     * what is called is decided by the checker. {@code qualifier} is null when unqualified.
     */
    public record Call(Ident qualifier, Ident callee, List<Arg> args, Span span) implements Expr {
    }

    /** A call argument; {@code name} is null when positional. */
    public record Arg(Ident name, Expr value, Span span) implements Node {
    }

    public enum UnaryOp {
        NEG("-"), NOT("not");

        public final String symbol;

        UnaryOp(String symbol) {
            this.symbol = symbol;
        }
    }

    public record Unary(UnaryOp op, Expr operand, Span span) implements Expr {
    }

    public enum BinaryOp {
        MUL("*", 6), DIV("/", 6), MOD("%", 6),
        ADD("+", 5), SUB("-", 5),
        LT("<", 4), LE("<=", 4), GT(">", 4), GE(">=", 4),
        EQ("==", 3), NE("!=", 3),
        AND("and", 1), OR("or", 0);

        public final String symbol;
        /** Higher binds tighter; `not` sits at 2, between equality and `and`. */
        public final int precedence;

        BinaryOp(String symbol, int precedence) {
            this.symbol = symbol;
            this.precedence = precedence;
        }
    }

    public record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {
    }

    public record ListLit(List<Expr> elements, Span span) implements Expr {
    }

    public record MapLit(List<Entry> entries, Span span) implements Expr {
    }

    /** A map literal entry; the key was an identifier or a string without interpolation. */
    public record Entry(String key, Span keySpan, Expr value, Span span) implements Node {
    }

    /**
     * A string: a sequence of text and {@code ${expr}} parts. A triple-quoted string has a single text
     * part (no interpolation) with common indentation removed.
     */
    public record StringLit(List<StringPart> parts, boolean triple, Span span) implements Expr {
        /** The value when there is no interpolation; null otherwise. */
        public String constant() {
            StringBuilder sb = new StringBuilder();
            for (StringPart p : parts) {
                if (p instanceof Text t) {
                    sb.append(t.text());
                } else {
                    return null;
                }
            }
            return sb.toString();
        }
    }

    public sealed interface StringPart extends Node permits Text, Interpolation {
    }

    /** Literal text, escapes already decoded. */
    public record Text(String text, Span span) implements StringPart {
    }

    public record Interpolation(Expr expr, Span span) implements StringPart {
    }

    public record IntLit(long value, Span span) implements Expr {
    }

    public record FloatLit(double value, Span span) implements Expr {
    }

    public record BoolLit(boolean value, Span span) implements Expr {
    }

    public record NullLit(Span span) implements Expr {
    }

    /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 250ms}; {@code millis} is its length. */
    public record DurationLit(String text, long millis, Span span) implements Expr {
    }

    /** A Kubernetes quantity: {@code 512Mi}, {@code 2Gi}, {@code 1.5G}. */
    public record QuantityLit(String text, Span span) implements Expr {
    }

    /** A number with a unit the language does not know ({@code 30x}); reported by the checker (E0501). */
    public record BadUnitLit(String text, Span span) implements Expr {
    }
}
