package dev.freestone.check;

import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.util.List;

/**
 * What a name denotes after resolution. {@link Checked#symbolOf} maps each use in the AST (a
 * {@link Ast.Name}, {@link Ast.Call}, {@link Ast.Member}, {@link Ast.Bind}, {@link Ast.NamedType} or
 * after-clause {@link Ast.Ident}) to one of these.
 *
 * <p>Symbols are compared by identity: each declaration has exactly one symbol, and the records hold
 * AST nodes, whose structural equality would be both slow and wrong (two identical texts in two
 * places are two declarations).
 */
public sealed interface Symbol {

    /** The name as written at the declaration. */
    String name();

    /** Where it is declared; synthetic for built-ins. */
    Span span();

    /** A component or a pipeline: something a step can call. */
    sealed interface Callable extends Symbol permits Component, Pipeline {
        Module module();

        List<Input> inputs();

        List<Output> outputs();

        /** The type of a step calling it: a record of its outputs. */
        Type.Record resultType();
    }

    /** {@code component name(...) -> (...) {...}}; settings normalized in {@link Checked#settingsOf}. */
    record Component(String name, Module module, Ast.ComponentDecl decl, List<Input> inputs, List<Output> outputs,
                     Type.Record resultType) implements Callable {
        @Override
        public Span span() {
            return decl.name().span();
        }
    }

    record Pipeline(String name, Module module, Ast.PipelineDecl decl, List<Input> inputs, List<Output> outputs,
                    Type.Record resultType) implements Callable {
        @Override
        public Span span() {
            return decl.name().span();
        }
    }

    /** An input of a component or a parameter of a pipeline; {@code owner} is the callable's name. */
    record Input(String name, Type type, Ast.Param decl, String owner) implements Symbol {
        public boolean required() {
            return decl.defaultValue() == null;
        }

        @Override
        public Span span() {
            return decl.name().span();
        }
    }

    /** A declared output of a component or pipeline. */
    record Output(String name, Type type, Ast.Field decl, String owner) implements Symbol {
        @Override
        public Span span() {
            return decl.name().span();
        }
    }

    record StructDef(String name, Module module, Type.Struct type, Ast.StructDecl decl) implements Symbol {
        @Override
        public Span span() {
            return decl.name().span();
        }
    }

    record ArtifactDef(String name, Module module, Type.ArtifactType type, Ast.ArtifactDecl decl) implements Symbol {
        @Override
        public Span span() {
            return decl.name().span();
        }
    }

    /** A built-in type name ({@code Int}, {@code Dataset}, {@code List}). */
    record BuiltinType(String name, Type type) implements Symbol {
        @Override
        public Span span() {
            return Span.synthetic("<builtin>");
        }
    }

    /** {@code import ... as alias}; {@code target} is null when the import failed. */
    record ImportAlias(String name, Module module, Module target, Ast.Import decl) implements Symbol {
        @Override
        public Span span() {
            return decl.name().span();
        }
    }

    /**
     * A step of a pipeline: a call of a component or pipeline. {@code id} is unique in its pipeline: the
     * binding name, or for an unnamed step the callee's name made unique ({@code notify}, {@code notify-2}).
     */
    record Step(String id, Ast.Bind bind, Callable callee, Pipeline pipeline) implements Symbol {
        @Override
        public String name() {
            return id;
        }

        public boolean named() {
            return bind.name() != null;
        }

        @Override
        public Span span() {
            return bind.name() != null ? bind.name().span() : bind.value().span();
        }
    }

    /** A named value {@code x = expr} that calls no component; inlined at its uses by the IR builder. */
    record Value(String name, Ast.Bind bind, Type type, Pipeline pipeline) implements Symbol {
        @Override
        public Span span() {
            return bind.name().span();
        }
    }

    /** The variable of a {@code for} loop: one element of the iterated list. */
    record LoopVar(String name, Ast.For loop, Type type) implements Symbol {
        @Override
        public Span span() {
            return loop.variable().span();
        }
    }

    /** {@code step.output}. */
    record StepOutput(Step step, Output output) implements Symbol {
        @Override
        public String name() {
            return output.name();
        }

        @Override
        public Span span() {
            return output.span();
        }
    }

    /** A field of a struct ({@code cfg.lr}, {@code Config(lr = ...)}). */
    record Field(String name, Type type, StructDef owner, Ast.Field decl) implements Symbol {
        @Override
        public Span span() {
            return decl.name().span();
        }
    }

    /** A builtin function: {@code len str int float json oneof secret}. */
    record Builtin(String name) implements Symbol {
        @Override
        public Span span() {
            return Span.synthetic("<builtin>");
        }
    }

    /** Run metadata: {@code run} itself ({@code field} null) or {@code run.id}, {@code run.name}, {@code run.status}. */
    record Run(String field) implements Symbol {
        @Override
        public String name() {
            return field == null ? "run" : "run." + field;
        }

        @Override
        public Span span() {
            return Span.synthetic("<builtin>");
        }
    }
}
