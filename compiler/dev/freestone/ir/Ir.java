package dev.freestone.ir;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.SortedMap;

/**
 * The intermediate representation: a typed DAG, the only thing the back ends (Argo lowering, the
 * local engine) see. Immutable records, serialized as canonical JSON by {@link IrJson}; the SHA-256
 * of that JSON is the pipeline version.
 *
 * <h2>Model</h2>
 * <ul>
 *   <li>A {@link Program} has one root {@link Dag} (the pipeline being compiled), the DAGs of the
 *       pipelines it calls as steps (by name), and the components it uses, keyed by content digest
 *       (two calls of one component share one entry).</li>
 *   <li>A DAG body is a list of {@link Node}s: a {@link Task} (a call of a component or of a pipeline),
 *       a {@link Cond} ({@code if / else if / else}) or a {@link Loop} ({@code for}); the last two
 *       have nested bodies. Node ids are unique within one DAG, nested bodies included.</li>
 *   <li>{@code dependsOn} lists ids of sibling nodes (same body) that must finish first: data
 *       dependencies (including those of nested nodes on outer siblings) and {@code after}. A
 *       nested node may read outputs of nodes of any enclosing body.</li>
 *   <li>A {@link Loop} or {@link Cond} exports the values produced inside it that are used
 *       outside: from a loop as {@code List[T]} in iteration order, from a conditional as {@code T?}.
 *       Outside, they are read with {@link OutputRef} on the loop/cond node and the export name.</li>
 *   <li>Values ({@code x = expr} that call no component) are inlined at their uses.</li>
 * </ul>
 */
public final class Ir {
    private Ir() {
    }

    public static final String API_VERSION = "freestone.dev/v1";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Program(
            String apiVersion,
            /** Name of the root pipeline. */
            String name,
            /** The file it came from, as given, and the SHA-256 of the texts of all files it read. */
            String sourceFile,
            String sourceDigest,
            Dag root,
            /** Pipelines called as steps, by name. */
            SortedMap<String, Dag> pipelines,
            /** Components by digest. */
            SortedMap<String, Component> components,
            /** User structs: name to fields (in declaration order). */
            SortedMap<String, List<Field>> structs,
            /** User artifact types: name to parent type name. */
            SortedMap<String, String> artifactTypes) {

        /** Whether {@code type} (or {@code type?}) is {@code Artifact}, a built-in artifact type or a user one. */
        public boolean isArtifact(IrType type) {
            String s = type.stripOptional().spelling();
            return IrType.BUILTIN_ARTIFACTS.contains(s) || (artifactTypes != null && artifactTypes.containsKey(s));
        }

        /**
         * Whether {@code type} (or {@code type?}) is {@code Metrics} or a user subtype of it: an output whose
         * numbers the run store records (not {@code ClassificationMetrics}, a sibling type).
         */
        public boolean isMetrics(IrType type) {
            String s = type.stripOptional().spelling();
            for (int guard = 0; s != null && guard < 64; guard++) {
                if (s.equals("Metrics")) {
                    return true;
                }
                s = artifactTypes == null ? null : artifactTypes.get(s);
            }
            return false;
        }
    }

    public record Field(String name, IrType type) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Param(String name, IrType type, /** null when required */ JsonNode defaultValue, String doc) {
    }

    /** A pipeline output: {@code output model = best.model}. */
    public record PipelineOutput(String name, IrType type, Expr value) {
    }

    public record Dag(String name, List<Param> params, List<PipelineOutput> outputs, List<Node> body,
                      /** the {@code finally} block; empty when there is none */ List<Node> exitHandler, Pos pos,
                      /**
                       * the mutexes the pipeline holds: for the whole run as the root (its exit handler too), while its
                       * body runs as a called one; null when none
                       */
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> mutexes,
                      /** the pipeline's own {@code timeout}, in whole seconds: its body is stopped after it, its exit
                       * handler still runs; null when none */
                      @JsonInclude(JsonInclude.Include.NON_NULL) Long timeoutSeconds) {
        /** A pipeline that holds no mutex and has no timeout. */
        public Dag(String name, List<Param> params, List<PipelineOutput> outputs, List<Node> body, List<Node> exitHandler,
                   Pos pos) {
            this(name, params, outputs, body, exitHandler, pos, null, null);
        }
    }

    /** Where a thing came from: {@code file:line:col}, for messages and for the editor. */
    public record Pos(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }

    // --- nodes --------------------------------------------------------------------------------------------

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Task.class, name = "task"),
        @JsonSubTypes.Type(value = Cond.class, name = "if"),
        @JsonSubTypes.Type(value = Loop.class, name = "for")
    })
    public sealed interface Node permits Task, Cond, Loop {
        String id();

        List<String> dependsOn();

        Pos pos();
    }

    /**
     * One step. {@code id} is the binding name ({@code fit}) or, for an unnamed step, the callee's
     * name made unique ({@code deploy}, {@code deploy-2}). {@code inputs} binds every input the step
     * receives (defaults of the callee are filled in by the builder, so back ends need not look them up).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Task(String id, Callee callee, SortedMap<String, Expr> inputs, List<String> dependsOn,
                       Settings settings, Pos pos) implements Node {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = ComponentCall.class, name = "component"),
        @JsonSubTypes.Type(value = PipelineCall.class, name = "pipeline")
    })
    public sealed interface Callee permits ComponentCall, PipelineCall {
    }

    /** {@code name} is the component's name in source, for display; {@code digest} keys the program's components. */
    public record ComponentCall(String digest, String name) implements Callee {
    }

    public record PipelineCall(String name) implements Callee {
    }

    /** {@code if c1 {..} else if c2 {..} else {..}}: the first branch whose condition holds runs. */
    public record Cond(String id, List<Branch> branches, List<Node> elseBody, List<Export> exports,
                       List<String> dependsOn, Pos pos) implements Node {
    }

    public record Branch(Expr condition, List<Node> body) {
    }

    /**
     * {@code for variable in items parallel N {..}}; {@code parallelism} 0 means no limit. Inside the
     * body the current item is {@link ItemRef} with this loop's id.
     */
    public record Loop(String id, String variable, IrType itemType, Expr items, int parallelism, List<Node> body,
                       List<Export> exports, List<String> dependsOn, Pos pos) implements Node {
    }

    /**
     * A value made inside a loop or conditional and read outside it. {@code name} is unique within
     * the node ({@code fit.model}); {@code type} is the type seen outside ({@code List[Model]} or
     * {@code Model?}); {@code value} is the expression inside, evaluated per iteration or branch.
     */
    public record Export(String name, IrType type, Expr value) {
    }

    // --- settings ---------------------------------------------------------------------------------------

    /**
     * Per-step execution settings: the component's, overridden by the call site's {@code with {..}}.
     * Absent parts are null. {@code shm}: the size of the step's {@code /dev/shm}, a quantity as written;
     * {@code mutexes}: the names of the mutexes the step holds while it runs, in the order written (an empty list: a
     * call that takes off its component's).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Settings(Retry retry, Long timeoutSeconds, Boolean cache, Resources resources,
                           SortedMap<String, String> nodeSelector, List<Toleration> tolerations, String shm,
                           List<String> mutexes) {
        public static final Settings NONE = new Settings(null, null, null, null, null, null, null);

        /** Settings that hold no mutex. */
        public Settings(Retry retry, Long timeoutSeconds, Boolean cache, Resources resources,
                        SortedMap<String, String> nodeSelector, List<Toleration> tolerations, String shm) {
            this(retry, timeoutSeconds, cache, resources, nodeSelector, tolerations, shm, null);
        }
    }

    /** {@code policy}: Always, OnFailure, OnError, OnTransientError (Argo's names). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retry(int limit, Long backoffSeconds, Integer backoffFactor, Long maxBackoffSeconds, String policy) {
    }

    /** Kubernetes quantities as written ({@code "1"}, {@code "500m"}, {@code "512Mi"}); gpu a count. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(String cpu, String memory, Integer gpu, String gpuResource) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Toleration(String key, String operator, String value, String effect) {
    }

    // --- components -------------------------------------------------------------------------------------

    /**
     * A container step, keyed by {@code digest} (SHA-256 of its canonical JSON without the digest).
     * Exactly one of {@code command} and {@code script} is set, unless {@code resource} is (a
     * component that creates a Kubernetes resource). {@code requires}: programs a local run needs on the
     * PATH besides argv[0] (checked before the run starts); null when none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Component(String digest, String name, String module, List<Param> inputs, List<Field> outputs,
                            String image, List<CommandArg> command, Script script,
                            SortedMap<String, EnvValue> env, Settings settings, ResourceSpec resource, String doc,
                            List<String> requires) {
        /** A component that requires nothing beyond argv[0]. */
        public Component(String digest, String name, String module, List<Param> inputs, List<Field> outputs,
                         String image, List<CommandArg> command, Script script,
                         SortedMap<String, EnvValue> env, Settings settings, ResourceSpec resource, String doc) {
            this(digest, name, module, inputs, outputs, image, command, script, env, settings, resource, doc, null);
        }

        /**
         * What its digest counts: the component without the digest, its scripts' places, its docs and its module (a
         * comment edited, moved or reworded is the same step, and so is one moved into a shared module or imported by
         * pipelines in other folders, whose path to it differs: its cache entries stay).
         */
        public Component counted() {
            ResourceSpec r = resource;
            if (r != null && r.local() != null && r.local().script() != null) {
                Local l = r.local();
                r = new ResourceSpec(r.action(), r.manifest(), r.successCondition(), r.failureCondition(),
                        r.setOwnerReference(), r.outputs(), new Local(l.command(), l.script().placeless(), l.unavailable()));
            }
            List<Param> undocumented = inputs == null ? null : inputs.stream()
                    .map(p -> p == null ? null : new Param(p.name(), p.type(), p.defaultValue(), null)).toList();
            return new Component(null, name, null, undocumented, outputs, image, command,
                    script == null ? null : script.placeless(), env, settings, r, null, requires);
        }
    }

    /**
     * One argv element made of parts, e.g. {@code "--lr=${lr}"} is text {@code --lr=} then the value
     * of {@code lr}. Never joined into a shell string.
     */
    public record CommandArg(List<ArgPart> parts) {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Text.class, name = "text"),
        @JsonSubTypes.Type(value = InputValue.class, name = "value"),
        @JsonSubTypes.Type(value = InputPath.class, name = "inputPath"),
        @JsonSubTypes.Type(value = OutputPath.class, name = "outputPath")
    })
    public sealed interface ArgPart permits Text, InputValue, InputPath, OutputPath {
    }

    public record Text(String text) implements ArgPart {
    }

    /** The value of a parameter input, as text (JSON for lists, maps and structs). */
    public record InputValue(String input) implements ArgPart {
    }

    /** The read-only path of an artifact input. */
    public record InputPath(String input) implements ArgPart {
    }

    /** The path the step must write an output to (a file for parameters, a file or directory for artifacts). */
    public record OutputPath(String output) implements ArgPart {
    }

    /**
     * A script: {@code interpreter} is the argv prefix ({@code ["python3"]}); the body is written to a
     * file whose path is appended. Inputs reach the script as environment variables named like the
     * inputs (values, or paths for artifacts); outputs as environment variables holding the paths to write.
     * {@code pos}: where the source's first line is in the {@code .pipe} file (line <i>n</i> of the script is
     * line {@code pos.line + n - 1} there), or, when {@code inline}, the one-line string holding every line of
     * it; null when unknown. It names the lines of a failing script to the user and is not part of the
     * component's digest (moving a component does not change what it runs).
     */
    public record Script(List<String> interpreter, String source, @JsonInclude(JsonInclude.Include.NON_NULL) Pos pos,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Boolean inline) {
        /** A script with no place in a file. */
        public Script(List<String> interpreter, String source) {
            this(interpreter, source, null, null);
        }

        /** The same script without its place: what the component's digest counts. */
        public Script placeless() {
            return new Script(interpreter, source);
        }

        /**
         * The {@code .pipe} line of line {@code n} (from 1) of the script, or 0 when the script has no place
         * or no such line.
         */
        public int sourceLine(int n) {
            if (pos == null || n < 1 || n > source.split("\n", -1).length) {
                return 0;
            }
            return Boolean.TRUE.equals(inline) ? pos.line() : pos.line() + n - 1;
        }
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = EnvText.class, name = "text"),
        @JsonSubTypes.Type(value = EnvSecret.class, name = "secret")
    })
    public sealed interface EnvValue permits EnvText, EnvSecret {
    }

    /** An environment value built like a command argument (may read inputs). */
    public record EnvText(CommandArg value) implements EnvValue {
    }

    /** A reference to a Kubernetes secret key; never a value. */
    public record EnvSecret(String secret, String key) implements EnvValue {
    }

    /**
     * A component that creates a Kubernetes resource (SparkApplication, TFJob, InferenceService, ...)
     * instead of running a container. {@code manifest}: the object, whose strings may hold {@code ${input}}
     * placeholders (parameter inputs only); {@code action}: Argo's ({@code create}, {@code apply}, ...);
     * the conditions are Argo's label-selector conditions over the resource's JSON (failure conditions
     * are ORed and checked first, success conditions ANDed); {@code outputs}: each output parameter of
     * the component read from the resource; {@code local}: how the local engine runs it instead.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResourceSpec(String action, JsonNode manifest, String successCondition, String failureCondition,
                               boolean setOwnerReference, SortedMap<String, ResourceOutput> outputs, Local local) {
    }

    /** Where an output parameter of a resource step comes from: exactly one of a JSONPath and a jq filter. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResourceOutput(String jsonPath, String jqFilter) {
    }

    /**
     * How the local engine runs a resource component: a {@code command} or a {@code script} (with the
     * placeholders of a container step); or, when {@code unavailable} is set, no way at all (the text says why).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Local(List<CommandArg> command, Script script, String unavailable) {
    }

    // --- expressions ------------------------------------------------------------------------------------

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Const.class, name = "const"),
        @JsonSubTypes.Type(value = ParamRef.class, name = "param"),
        @JsonSubTypes.Type(value = OutputRef.class, name = "output"),
        @JsonSubTypes.Type(value = ItemRef.class, name = "item"),
        @JsonSubTypes.Type(value = RunRef.class, name = "run"),
        @JsonSubTypes.Type(value = FieldOf.class, name = "field"),
        @JsonSubTypes.Type(value = IndexOf.class, name = "index"),
        @JsonSubTypes.Type(value = Unary.class, name = "unary"),
        @JsonSubTypes.Type(value = Binary.class, name = "binary"),
        @JsonSubTypes.Type(value = Builtin.class, name = "call"),
        @JsonSubTypes.Type(value = Concat.class, name = "concat"),
        @JsonSubTypes.Type(value = ListOf.class, name = "list"),
        @JsonSubTypes.Type(value = MapOf.class, name = "map")
    })
    public sealed interface Expr permits Const, ParamRef, OutputRef, ItemRef, RunRef, FieldOf, IndexOf, Unary, Binary,
            Builtin, Concat, ListOf, MapOf {
        IrType type();
    }

    /** A constant as JSON: strings, numbers, booleans, null, arrays, objects (structs and maps). Durations are seconds. */
    public record Const(JsonNode value, IrType type) implements Expr {
    }

    /** A parameter of the DAG the expression is in. */
    public record ParamRef(String name, IrType type) implements Expr {
    }

    /** An output of a node of this or an enclosing body: a task output, or an export of a loop/cond. */
    public record OutputRef(String node, String output, IrType type) implements Expr {
    }

    /** The current item of the enclosing loop {@code loop}. */
    public record ItemRef(String loop, IrType type) implements Expr {
    }

    /**
     * {@code run.id}, {@code run.name}, {@code run.status} and {@code run.failures} (the last two only in the exit
     * handler; {@code failures} is a {@code List[Failure]}, the builtin struct in the program's table).
     */
    public record RunRef(String field, IrType type) implements Expr {
    }

    /** A struct field or map entry by name. */
    public record FieldOf(Expr target, String field, IrType type) implements Expr {
    }

    public record IndexOf(Expr target, Expr index, IrType type) implements Expr {
    }

    /** {@code op}: {@code -} or {@code not}. */
    public record Unary(String op, Expr operand, IrType type) implements Expr {
    }

    /** {@code op}: {@code * / % + - < <= > >= == != and or}. */
    public record Binary(String op, Expr left, Expr right, IrType type) implements Expr {
    }

    /** A builtin function: {@code len str int float json oneof min max ...}. */
    public record Builtin(String function, List<Expr> args, IrType type) implements Expr {
    }

    /** String interpolation: the parts converted to text and joined. */
    public record Concat(List<Expr> parts, IrType type) implements Expr {
    }

    public record ListOf(List<Expr> elements, IrType type) implements Expr {
    }

    /** A map or struct value built from expressions; keys in source order. */
    public record MapOf(List<String> keys, List<Expr> values, IrType type) implements Expr {
    }
}
