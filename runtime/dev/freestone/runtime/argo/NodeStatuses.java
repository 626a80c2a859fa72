package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Where a Workflow keeps its node status: {@code status.nodes}, or — when it grew too large for
 * etcd — {@code status.compressedNodes} (gzip, then base64, of the nodes JSON), or offloaded to
 * Argo's database ({@code status.offloadNodeStatusVersion}, nodes absent).
 */
sealed interface NodeStatuses {

    /** The node map ({@code id → NodeStatus}). */
    record Present(ObjectNode nodes) implements NodeStatuses {
        public Present {
            Objects.requireNonNull(nodes, "nodes");
        }
    }

    /** Offloaded: only the Argo Server can read them back. */
    record Offloaded(String version) implements NodeStatuses {
    }

    /** The status could not be read; {@code why} says what was wrong. */
    record Unreadable(String why) implements NodeStatuses {
    }

    static NodeStatuses of(JsonNode workflow) {
        JsonNode status = workflow.path("status");
        if (status.get("nodes") instanceof ObjectNode nodes && nodes.size() > 0) {
            return new Present(nodes);
        }
        String compressed = status.path("compressedNodes").asText("");
        if (!compressed.isEmpty()) {
            return decompress(compressed);
        }
        String offloaded = status.path("offloadNodeStatusVersion").asText("");
        if (!offloaded.isEmpty()) {
            return new Offloaded(offloaded);
        }
        return new Present(ArgoJson.MAPPER.createObjectNode());
    }

    static boolean isOffloadedWithoutNodes(JsonNode workflow) {
        return of(workflow) instanceof Offloaded;
    }

    private static NodeStatuses decompress(String compressed) {
        byte[] gz;
        try {
            gz = Base64.getDecoder().decode(compressed.strip());
        } catch (IllegalArgumentException e) {
            return new Unreadable("status.compressedNodes is not base64: " + e.getMessage());
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonNode nodes = ArgoJson.MAPPER.readTree(json);
            if (nodes instanceof ObjectNode object) {
                return new Present(object);
            }
            return new Unreadable("status.compressedNodes does not hold a JSON object of nodes");
        } catch (IOException e) {
            return new Unreadable("status.compressedNodes is not gzip-compressed JSON: " + e.getMessage());
        }
    }
}
