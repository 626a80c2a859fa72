package dev.freestone.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The types of the language, and the only place where subtyping and conversion are decided.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Scalars: {@code String Int Float Bool Duration Quantity}. {@code Int} widens to {@code Float};
 *       nothing else converts implicitly (use {@code str()}, {@code int()}, {@code float()}).</li>
 *   <li>{@code List[T]} and {@code Map[String, T]} are covariant (values are immutable).</li>
 *   <li>{@code T?} accepts {@code T} and {@code null}; a {@code T?} is never accepted where a {@code T} is
 *       expected (merge branches with {@code oneof}).</li>
 *   <li>Artifacts form a tree rooted at {@code Artifact}: {@code Dataset Model Metrics
 *       ClassificationMetrics HTML Markdown} and user subtypes ({@code artifact Embeddings : Dataset}).
 *       A subtype is accepted where its ancestor is expected; nothing else converts to or from an
 *       artifact.</li>
 *   <li>Structs are nominal. A {@link Record} (the outputs of a step, {@code run}) is structural and
 *       cannot be written by the user.</li>
 *   <li>{@code Volume} (a PersistentVolumeClaim) is only a component input or a pipeline parameter, and its
 *       values (made by {@code pvc(...)}) go only straight to a component's {@code Volume} input.</li>
 *   <li>{@link Never} (the element of {@code []} and {@code {}}) is accepted everywhere.</li>
 *   <li>{@link Error} is accepted everywhere and accepts everything, so that one mistake is reported
 *       once and does not cascade.</li>
 * </ul>
 */
public sealed interface Type {

    /** How the type is written in source and in messages. */
    String display();

    enum Kind { STRING, INT, FLOAT, BOOL, DURATION, QUANTITY }

    record Scalar(Kind kind) implements Type {
        @Override
        public String display() {
            return switch (kind) {
                case STRING -> "String";
                case INT -> "Int";
                case FLOAT -> "Float";
                case BOOL -> "Bool";
                case DURATION -> "Duration";
                case QUANTITY -> "Quantity";
            };
        }
    }

    record ListOf(Type element) implements Type {
        @Override
        public String display() {
            return "List[" + element.display() + "]";
        }
    }

    /** {@code Map[String, T]}: keys are always strings. */
    record MapOf(Type value) implements Type {
        @Override
        public String display() {
            return "Map[String, " + value.display() + "]";
        }
    }

    /** {@code T?}; never nested ({@link #optional} collapses {@code T??} to {@code T?}). */
    record Optional(Type inner) implements Type {
        @Override
        public String display() {
            return inner.display() + "?";
        }
    }

    /** An artifact type; {@code parent} is null only for {@code Artifact} itself. */
    record ArtifactType(String name, ArtifactType parent) implements Type {
        @Override
        public String display() {
            return name;
        }

        public boolean isSubtypeOf(ArtifactType other) {
            for (ArtifactType t = this; t != null; t = t.parent) {
                if (t.name.equals(other.name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A user struct, nominal: {@code module} tells structs of the same name in different files apart. */
    record Struct(String module, String name, Map<String, Type> fields) implements Type {
        public Struct {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        @Override
        public String display() {
            return name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Struct s && s.module.equals(module) && s.name.equals(name);
        }

        @Override
        public int hashCode() {
            return module.hashCode() * 31 + name.hashCode();
        }
    }

    /** Structural record: the outputs of a step ({@code label} = "outputs of `train`") or {@code run}. */
    record Record(String label, Map<String, Type> fields) implements Type {
        public Record {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        @Override
        public String display() {
            return label;
        }
    }

    /** The type of {@code null} before it meets an optional type. */
    record Null() implements Type {
        @Override
        public String display() {
            return "null";
        }
    }

    /** A secret reference made by {@code secret(name, key)}; only valid as an {@code env} value. */
    record Secret() implements Type {
        @Override
        public String display() {
            return "Secret";
        }
    }

    /**
     * A PersistentVolumeClaim mounted into a step, made by {@code pvc("claim")} or given as a pipeline parameter.
     * Only a component input or a pipeline parameter has this type, and a value of it goes only straight to a
     * component's input: it is a place the step reads and writes, not a value that flows (no output, no list,
     * no text).
     */
    record Volume() implements Type {
        @Override
        public String display() {
            return "Volume";
        }

        /** What Kubernetes accepts as a claim's name: a DNS-1123 subdomain (locally it names a folder too). */
        public static boolean isClaimName(String name) {
            return Settings.OBJECT_NAME.matcher(name).matches();
        }
    }

    /**
     * The element type of an empty list or map literal: accepted everywhere a value is, so that
     * {@code []} fits any {@code List[T]}.
     */
    record Never() implements Type {
        @Override
        public String display() {
            return "Nothing";
        }
    }

    /** The type of something already reported as wrong. */
    record Error() implements Type {
        @Override
        public String display() {
            return "<error>";
        }
    }

    // --- constants -------------------------------------------------------------------------------------

    Type STRING = new Scalar(Kind.STRING);
    Type INT = new Scalar(Kind.INT);
    Type FLOAT = new Scalar(Kind.FLOAT);
    Type BOOL = new Scalar(Kind.BOOL);
    Type DURATION = new Scalar(Kind.DURATION);
    Type QUANTITY = new Scalar(Kind.QUANTITY);
    Type NULL = new Null();
    Type SECRET = new Secret();
    Type VOLUME = new Volume();
    Type ERROR = new Error();
    Type NEVER = new Never();

    ArtifactType ARTIFACT = new ArtifactType("Artifact", null);
    ArtifactType DATASET = new ArtifactType("Dataset", ARTIFACT);
    ArtifactType MODEL = new ArtifactType("Model", ARTIFACT);
    ArtifactType METRICS = new ArtifactType("Metrics", ARTIFACT);
    ArtifactType CLASSIFICATION_METRICS = new ArtifactType("ClassificationMetrics", ARTIFACT);
    ArtifactType HTML = new ArtifactType("HTML", ARTIFACT);
    ArtifactType MARKDOWN = new ArtifactType("Markdown", ARTIFACT);

    /**
     * A failed step as {@code run.failures} lists it (KFP's {@code PipelineTaskFinalStatus}, Argo's
     * {@code workflow.failures}): the step as {@code show} names it, {@code Failed} or {@code Error}, and why.
     */
    Struct FAILURE = new Struct("", "Failure", failureFields());

    /** Built-in type names without type arguments, in the order the docs list them. */
    Map<String, Type> BUILTIN = builtins();

    /** Type constructors that take arguments. */
    Set<String> GENERIC = Set.of("List", "Map");

    /** Every built-in type name (for the editor grammar and for suggestions). */
    static List<String> builtinNames() {
        List<String> names = new java.util.ArrayList<>(BUILTIN.keySet());
        names.addAll(List.of("List", "Map"));
        return List.copyOf(names);
    }

    private static Map<String, Type> builtins() {
        Map<String, Type> m = new LinkedHashMap<>();
        for (Type t : List.of(STRING, INT, FLOAT, BOOL, DURATION, QUANTITY, ARTIFACT, DATASET, MODEL, METRICS,
                CLASSIFICATION_METRICS, HTML, MARKDOWN, VOLUME, FAILURE)) {
            m.put(t.display(), t);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** In the order of their names: a step is given the JSON the engine writes in this order and Argo's toJson sorts. */
    private static Map<String, Type> failureFields() {
        Map<String, Type> m = new LinkedHashMap<>();
        m.put("message", STRING);
        m.put("phase", STRING);
        m.put("step", STRING);
        return m;
    }

    // --- rules -----------------------------------------------------------------------------------------

    /** May a value of type {@code from} be used where {@code to} is expected? */
    static boolean isAssignable(Type from, Type to) {
        if (from instanceof Error || to instanceof Error || from instanceof Never) {
            return true;
        }
        if (from.equals(to)) {
            return true;
        }
        if (from.equals(INT) && to.equals(FLOAT)) {
            return true;
        }
        if (from instanceof ArtifactType a && to instanceof ArtifactType b) {
            return a.isSubtypeOf(b);
        }
        if (to instanceof Optional o) {
            if (from instanceof Null) {
                return true;
            }
            if (from instanceof Optional fo) {
                return isAssignable(fo.inner, o.inner);
            }
            return isAssignable(from, o.inner);
        }
        if (from instanceof ListOf a && to instanceof ListOf b) {
            return isAssignable(a.element, b.element);
        }
        if (from instanceof MapOf a && to instanceof MapOf b) {
            return isAssignable(a.value, b.value);
        }
        if (from instanceof Record a && to instanceof Record b) {
            return a.fields.equals(b.fields);
        }
        return false;
    }

    /**
     * The smallest type both values fit in (for list literals, map literals and {@code oneof}), or
     * null when there is none.
     */
    static Type join(Type a, Type b) {
        if (a instanceof Error || a instanceof Never) {
            return b;
        }
        if (b instanceof Error || b instanceof Never) {
            return a;
        }
        if (isAssignable(a, b)) {
            return b;
        }
        if (isAssignable(b, a)) {
            return a;
        }
        if (a instanceof Null) {
            return new Optional(b);
        }
        if (b instanceof Null) {
            return new Optional(a);
        }
        if (a instanceof ArtifactType x && b instanceof ArtifactType y) {
            for (ArtifactType t = x; t != null; t = t.parent()) {
                if (y.isSubtypeOf(t)) {
                    return t;
                }
            }
        }
        if (a instanceof Optional x || b instanceof Optional) {
            Type j = join(strip(a), strip(b));
            return j == null ? null : new Optional(j);
        }
        if (a instanceof ListOf x && b instanceof ListOf y) {
            Type j = join(x.element, y.element);
            return j == null ? null : new ListOf(j);
        }
        if (a instanceof MapOf x && b instanceof MapOf y) {
            Type j = join(x.value, y.value);
            return j == null ? null : new MapOf(j);
        }
        return null;
    }

    /** {@code T?}, without making an optional of an optional. */
    static Type optional(Type t) {
        return t instanceof Optional || t instanceof Error || t instanceof Null ? t : new Optional(t);
    }

    /** {@code T} for {@code T?}, the type itself otherwise. */
    static Type strip(Type t) {
        return t instanceof Optional o ? o.inner : t;
    }

    static boolean isNumeric(Type t) {
        return t.equals(INT) || t.equals(FLOAT);
    }

    static boolean isArtifact(Type t) {
        return strip(t) instanceof ArtifactType;
    }

    /** Values that travel as Argo parameters (text), as opposed to artifacts (files). */
    static boolean isParameter(Type t) {
        return !isArtifact(t);
    }
}
