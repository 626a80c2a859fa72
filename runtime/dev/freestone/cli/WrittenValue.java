package dev.freestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrType;
import dev.freestone.runtime.store.EventRecord;
import dev.freestone.runtime.store.RunStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded value as the user writes it. The run store keeps a {@code Duration} as the engine hands it to a step,
 * a number of seconds, and {@code runs.params} keeps no types: the recorded pipeline's declared type says which
 * numbers are durations, which read {@code 10m} again, as a literal in a .pipe file or a {@code --param} does.
 */
final class WrittenValue {

    private WrittenValue() {
    }

    /**
     * A run's parameters ({@code params}, as {@code runs.params} records them) with each Duration written as its
     * literal, by the types the run's recorded pipeline (named in its {@code events}) declares; as recorded when that
     * pipeline is gone or unreadable.
     */
    static Map<String, JsonNode> params(RunStore store, List<EventRecord> events, Map<String, JsonNode> params) {
        Ir.Program ir;
        try {
            ir = RunCommand.recordedIr(store, events).orElse(null);
        } catch (java.io.IOException | IllegalArgumentException unreadable) {
            ir = null;
        }
        if (ir == null) {
            return params;
        }
        Map<String, JsonNode> out = new LinkedHashMap<>(params);
        for (Ir.Param p : ir.root().params()) {
            JsonNode v = out.get(p.name());
            if (v != null) {
                out.put(p.name(), of(v, p.type(), ir));
            }
        }
        return out;
    }

    /**
     * {@code v}, of type {@code type} in {@code ir}, with each Duration in it (also in a list, a map or a struct) as the
     * text of its literal, which {@code --param} and a {@code --params} file read; anything else as it is.
     */
    static JsonNode of(JsonNode v, IrType type, Ir.Program ir) {
        IrType t = type.stripOptional();
        if (v == null || v.isNull()) {
            return v;
        }
        if (t.equals(IrType.DURATION)) {
            return v.isNumber() ? Cli.JSON.getNodeFactory().textNode(dev.freestone.ir.ValueText.durationLiteral(v.asDouble())) : v;
        }
        if (t.isList() && v.isArray()) {
            ArrayNode out = Cli.JSON.createArrayNode();
            v.forEach(e -> out.add(of(e, t.element(), ir)));
            return out;
        }
        if (t.isMap() && v.isObject()) {
            ObjectNode out = Cli.JSON.createObjectNode();
            v.fields().forEachRemaining(e -> out.set(e.getKey(), of(e.getValue(), t.mapValue(), ir)));
            return out;
        }
        List<Ir.Field> fields = ir.structs() == null ? null : ir.structs().get(t.spelling());
        if (fields != null && v.isObject()) {
            ObjectNode out = v.deepCopy();
            fields.forEach(f -> {
                if (out.has(f.name())) {
                    out.set(f.name(), of(v.get(f.name()), f.type(), ir));
                }
            });
            return out;
        }
        return v;
    }
}
