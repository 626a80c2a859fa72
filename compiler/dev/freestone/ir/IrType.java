package dev.freestone.ir;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A type as the IR and the runtime see it: its canonical spelling ({@code Int}, {@code List[Float]},
 * {@code Map[String, Int]}, {@code Model?}, {@code Config}, {@code Embeddings}). Struct fields and
 * artifact ancestry live in {@link Ir.Program#structs()} and {@link Ir.Program#artifactTypes()}.
 * Serialized as that string, so the IR JSON stays readable.
 */
public record IrType(String spelling) {

    public static final IrType STRING = new IrType("String");
    public static final IrType INT = new IrType("Int");
    public static final IrType FLOAT = new IrType("Float");
    public static final IrType BOOL = new IrType("Bool");
    public static final IrType DURATION = new IrType("Duration");
    public static final IrType QUANTITY = new IrType("Quantity");
    /** A PersistentVolumeClaim: its value is the claim's name. */
    public static final IrType VOLUME = new IrType("Volume");

    /** Built-in artifact types; user subtypes are listed in the program. */
    public static final List<String> BUILTIN_ARTIFACTS =
            List.of("Artifact", "Dataset", "Model", "Metrics", "ClassificationMetrics", "HTML", "Markdown");

    @JsonCreator
    public static IrType of(String spelling) {
        return new IrType(spelling);
    }

    @JsonValue
    @Override
    public String spelling() {
        return spelling;
    }

    public boolean isOptional() {
        return spelling.endsWith("?");
    }

    public boolean isList() {
        return spelling.startsWith("List[");
    }

    public boolean isMap() {
        return spelling.startsWith("Map[");
    }

    /** {@code T} of {@code T?}; the type itself otherwise. */
    public IrType stripOptional() {
        return isOptional() ? new IrType(spelling.substring(0, spelling.length() - 1)) : this;
    }

    /** {@code T} of {@code List[T]}. */
    public IrType element() {
        if (!isList()) {
            throw new IllegalStateException("not a list: " + spelling);
        }
        return new IrType(spelling.substring(5, spelling.length() - 1));
    }

    /** {@code T} of {@code Map[String, T]}. */
    public IrType mapValue() {
        if (!isMap()) {
            throw new IllegalStateException("not a map: " + spelling);
        }
        List<String> args = splitArgs(spelling.substring(4, spelling.length() - 1));
        return new IrType(args.get(1));
    }

    public static IrType listOf(IrType element) {
        return new IrType("List[" + element.spelling + "]");
    }

    public static IrType optional(IrType inner) {
        return inner.isOptional() ? inner : new IrType(inner.spelling + "?");
    }

    static List<String> splitArgs(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(s.substring(start).trim());
        return out;
    }

    @Override
    public String toString() {
        return spelling;
    }
}
