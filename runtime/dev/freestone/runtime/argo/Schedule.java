package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A CronWorkflow that {@code freestone schedule} created, as {@code freestone schedules} shows it: its cron
 * schedules, whether it is suspended, when it last started a run ({@code status.lastScheduledTime}), how many of
 * its runs are active and the arguments its runs get.
 */
public record Schedule(String namespace, String name, String pipeline, List<String> schedules, boolean suspended,
                       Optional<String> lastRun, int active, Map<String, String> params) {

    public Schedule {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pipeline, "pipeline");
        schedules = List.copyOf(schedules);
        Objects.requireNonNull(lastRun, "lastRun");
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Read from the object as the cluster stores it; the pipeline is its {@link ArgoBackend#PIPELINE_LABEL}. */
    static Schedule of(ObjectNode cron, String namespace) {
        JsonNode spec = cron.path("spec");
        List<String> schedules = new ArrayList<>();
        spec.path("schedules").forEach(s -> schedules.add(s.asText()));
        if (schedules.isEmpty() && spec.path("schedule").isTextual()) {
            schedules.add(spec.path("schedule").asText()); // Argo before v3.6 had a single `schedule`
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (JsonNode p : spec.path("workflowSpec").path("arguments").path("parameters")) {
            params.put(p.path("name").asText(), p.path("value").asText(""));
        }
        JsonNode status = cron.path("status");
        return new Schedule(ArgoJson.text(cron, "metadata", "namespace").orElse(namespace), ArgoJson.name(cron),
                ArgoJson.text(cron, "metadata", "labels", ArgoBackend.PIPELINE_LABEL).orElse(""), schedules,
                spec.path("suspend").asBoolean(false), ArgoJson.text(status, "lastScheduledTime"),
                status.path("active").size(), params);
    }
}
