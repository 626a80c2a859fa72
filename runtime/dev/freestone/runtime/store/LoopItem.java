package dev.freestone.runtime.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.freestone.diag.Renderer;
import dev.freestone.ir.ValueText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The item one level of loops gave a task, {@code for lr in rates} at {@code fit[2]}: the loop's variable and the
 * item's value as compact JSON ({@code 0.03}, {@code "a"}, {@code {"k":1}}: Floats as the engine writes them, an
 * object's keys in the order the engine hands it over). A task in nested loops has one per level, outermost first.
 * Both backends write the same text for the same item, so that runs compare.
 */
public record LoopItem(String name, String value) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public LoopItem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** The item {@code value} of the loop over {@code name}, written as the store keeps it. */
    public static LoopItem of(String name, JsonNode value) {
        return new LoopItem(name, ValueText.json(value, false));
    }

    /** The value as a JSON tree. */
    public JsonNode json() {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException("a loop item that is not JSON: " + value, e);
        }
    }

    /** The longest value {@link #label} shows whole. */
    private static final int SHOWN_VALUE = 32;

    /**
     * The items as a person reads them, {@code lr=0.03}, {@code a=1 b="x"}: each value's JSON, a long one cut short with
     * {@code …}, and on one line (a value's line breaks are escaped in its JSON); empty for none.
     */
    public static String label(List<LoopItem> items) {
        StringBuilder out = new StringBuilder();
        for (LoopItem i : items) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(i.name()).append('=').append(shortened(i.value()));
        }
        return out.toString();
    }

    /**
     * A task as a line names it, with its items after it: {@code fit[1] (lr=0.01)}, {@code `fit[1]` (lr=0.01)}
     * ({@code task} as the line writes the task's id); {@code task} alone for a task that is no iteration.
     */
    public static String labelled(String task, List<LoopItem> items) {
        return items.isEmpty() ? task : task + " (" + label(items) + ")";
    }

    /** {@code value} cut to {@link #SHOWN_VALUE} terminal columns, as {@link #shortened(String, int)} cuts. */
    public static String shortened(String value) {
        return shortened(value, SHOWN_VALUE);
    }

    /**
     * {@code value} when it takes at most {@code columns} terminal columns, else its start and {@code …} in as
     * many: cut after a whole character (an emoji split in two would be shown as {@code ?}), counted in columns (a
     * CJK character takes two, as {@code Cli.table} pads them).
     */
    public static String shortened(String value, int columns) {
        if (Renderer.displayWidth(value) <= columns) {
            return value;
        }
        int end = 0;
        int width = 0;
        while (end < value.length()) {
            int next = value.offsetByCodePoints(end, 1);
            int w = Renderer.displayWidth(value.substring(end, next));
            if (width + w > columns - 1) {
                break;
            }
            width += w;
            end = next;
        }
        return value.substring(0, end) + "…";
    }

    /** The items as the {@code tasks.items} column holds them, {@code [{"name":"lr","value":0.03}]}; null for none. */
    static String column(List<LoopItem> items) {
        if (items.isEmpty()) {
            return null;
        }
        ArrayNode out = JSON.createArrayNode();
        items.forEach(i -> out.addObject().put("name", i.name()).set("value", i.json()));
        return ValueText.json(out, false);
    }

    /** The items of a {@code tasks.items} column (null: none). */
    static List<LoopItem> fromColumn(String column) {
        if (column == null) {
            return List.of();
        }
        try {
            List<LoopItem> out = new ArrayList<>();
            for (JsonNode i : JSON.readTree(column)) {
                out.add(of(i.path("name").asText(), i.path("value")));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new StoreException("the loop items of a task are not JSON: " + column, e);
        }
    }
}
