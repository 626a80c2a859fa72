package dev.freestone.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SortedMap;

/**
 * A run as it starts: its id, the pipeline, the parameter values (defaults filled in), where its
 * work directories are, and the run it resumes (null for a fresh run).
 */
public record RunInfo(String runId, String pipeline, String sourceFile, String sourceDigest,
                      SortedMap<String, JsonNode> params, Instant startedAt, Path workDir, String resumedFrom) {
}
