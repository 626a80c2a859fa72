package dev.freestone.runtime.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The text of a {@code Metrics} output and the metric rows it gives: the local engine reads it from the
 * step's file, the Argo mirror from the output parameter the lowering adds beside the artifact, and both
 * call {@link #parse} and {@link #rows}, so that one file gives the same rows, or the same refusal, on
 * either backend.
 */
public final class MetricsFile {
    /** At most what an output parameter holds, on either backend (the Argo mirror reads it from one). */
    public static final long MAX_BYTES = 1 << 20;

    /**
     * JSON as Python's {@code json.dump} writes it by default: a diverging loss is {@code NaN}, an overflow
     * {@code Infinity} (kept as such, {@link MetricRecord}), where strict JSON would fail the step for a value worth
     * recording.
     */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final String FORMS =
            "{\"accuracy\": 0.9}, or KFP's {\"metrics\": [{\"name\": \"accuracy\", \"numberValue\": 0.9}]}";

    /** One number of a metrics output {@code output}. */
    public record Metric(String output, String name, double value) {
    }

    /** Why a metrics output gives no rows; the message starts after "metrics output `name`". */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    private MetricsFile() {
    }

    /**
     * {@code {"name": number, ...}} or KFP's {@code {"metrics": [{"name": .., "numberValue": ..}]}}.
     * The message of a refusal says where the text is wrong, never what it holds (it may hold a secret).
     */
    public static List<Metric> parse(String output, byte[] text) throws Malformed {
        if (text.length > MAX_BYTES) {
            throw new Malformed("metrics output `" + output + "` must be a JSON file of at most 1 MiB");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            String at = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")" : "";
            throw new Malformed("metrics output `" + output + "` is not JSON" + at + "; write a JSON object of"
                    + " numbers, e.g. " + FORMS);
        }
        List<Metric> out = new ArrayList<>();
        if (root != null && root.isObject() && root.path("metrics").isArray()) {
            for (JsonNode m : root.get("metrics")) {
                if (!m.path("name").isTextual() || !m.path("numberValue").isNumber()) {
                    throw new Malformed("metrics output `" + output + "`: each entry of `metrics` needs a"
                            + " `name` and a numeric `numberValue`");
                }
                out.add(new Metric(output, m.get("name").textValue(), m.get("numberValue").doubleValue()));
            }
            return out;
        }
        if (root != null && root.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber()) {
                    throw new Malformed("metrics output `" + output + "`: `" + e.getKey() + "` is not a number");
                }
                out.add(new Metric(output, e.getKey(), e.getValue().doubleValue()));
            }
            return out;
        }
        throw new Malformed("metrics output `" + output + "` must be a JSON object of numbers, e.g. " + FORMS);
    }

    /** A task's rows: each metric by its name, {@code output/name} where two outputs of the task share it. */
    public static List<MetricRecord> rows(String runId, String taskId, List<Metric> metrics) {
        Map<String, Long> names = new HashMap<>();
        metrics.forEach(m -> names.merge(m.name(), 1L, Long::sum));
        return metrics.stream()
                .map(m -> new MetricRecord(runId, taskId, names.get(m.name()) > 1 ? m.output() + "/" + m.name() : m.name(),
                        m.value()))
                .toList();
    }

    /** A stored row as a metric again, the inverse of {@link #rows}: {@code output/name} split, a plain name's output "". */
    public static Metric fromRow(MetricRecord row) {
        int slash = row.name().indexOf('/');
        return slash < 0 ? new Metric("", row.name(), row.value())
                : new Metric(row.name().substring(0, slash), row.name().substring(slash + 1), row.value());
    }
}
