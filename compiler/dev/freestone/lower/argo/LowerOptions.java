package dev.freestone.lower.argo;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How to lower: the kind of object, its schedules (cron), cluster settings stamped on the spec, the
 * memoization cache, the size budget, and the IR hash and source file for labels and annotations.
 * Absent (null) settings are left out of the manifest. Change one field with the {@code withX} methods.
 */
public record LowerOptions(Kind kind, List<String> schedules, String namespace, String serviceAccountName,
                           String podGcStrategy, Integer ttlSecondsAfterCompletion,
                           ArtifactRepositoryRef artifactRepositoryRef, String memoizeConfigMap,
                           String memoizeMaxAge, long maxManifestBytes, String irHash, String sourceFile,
                           SortedMap<String, String> podAnnotations) {

    public enum Kind { WORKFLOW, TEMPLATE, CRON }

    /** Argo's {@code artifactRepositoryRef}: a ConfigMap and the key of the repository in it. */
    public record ArtifactRepositoryRef(String configMap, String key) {
    }

    /** etcd refuses objects over about 1.5 MiB; Argo's own status needs room too, so the budget is 1 MiB minus 64 KiB. */
    public static final long DEFAULT_MAX_MANIFEST_BYTES = 1024L * 1024L - 64L * 1024L;
    public static final String DEFAULT_CACHE_CONFIGMAP = "freestone-cache";
    /** Argo requires a maxAge on memoize; 30 days unless told otherwise. */
    public static final String DEFAULT_MAX_AGE = "720h";
    /**
     * Annotations every pod of the Workflow gets ({@code spec.podMetadata}) unless told otherwise: no Istio
     * sidecar, as Kubeflow Pipelines stamps on its Workflows. A Kubeflow profile's namespace injects one
     * into every pod, and a classic sidecar keeps running after the step's container ends.
     */
    public static final SortedMap<String, String> DEFAULT_POD_ANNOTATIONS =
            Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("sidecar.istio.io/inject", "false")));

    public LowerOptions {
        Objects.requireNonNull(kind, "kind");
        schedules = schedules == null ? List.of() : List.copyOf(schedules);
        memoizeConfigMap = memoizeConfigMap == null ? DEFAULT_CACHE_CONFIGMAP : memoizeConfigMap;
        memoizeMaxAge = memoizeMaxAge == null ? DEFAULT_MAX_AGE : memoizeMaxAge;
        if (maxManifestBytes <= 0) {
            maxManifestBytes = DEFAULT_MAX_MANIFEST_BYTES;
        }
        podAnnotations = Collections.unmodifiableSortedMap(new TreeMap<>(
                podAnnotations == null ? DEFAULT_POD_ANNOTATIONS : podAnnotations));
    }

    public static LowerOptions defaults() {
        return new LowerOptions(Kind.WORKFLOW, List.of(), null, null, null, null, null, null, null, 0, null, null, null);
    }

    public LowerOptions withKind(Kind k) {
        return new LowerOptions(k, schedules, namespace, serviceAccountName, podGcStrategy, ttlSecondsAfterCompletion,
                artifactRepositoryRef, memoizeConfigMap, memoizeMaxAge, maxManifestBytes, irHash, sourceFile, podAnnotations);
    }

    public LowerOptions withSchedules(List<String> s) {
        return new LowerOptions(kind, s, namespace, serviceAccountName, podGcStrategy, ttlSecondsAfterCompletion,
                artifactRepositoryRef, memoizeConfigMap, memoizeMaxAge, maxManifestBytes, irHash, sourceFile, podAnnotations);
    }

    public LowerOptions withNamespace(String ns) {
        return new LowerOptions(kind, schedules, ns, serviceAccountName, podGcStrategy, ttlSecondsAfterCompletion,
                artifactRepositoryRef, memoizeConfigMap, memoizeMaxAge, maxManifestBytes, irHash, sourceFile, podAnnotations);
    }

    public LowerOptions withServiceAccountName(String sa) {
        return new LowerOptions(kind, schedules, namespace, sa, podGcStrategy, ttlSecondsAfterCompletion,
                artifactRepositoryRef, memoizeConfigMap, memoizeMaxAge, maxManifestBytes, irHash, sourceFile, podAnnotations);
    }

    public LowerOptions withPodGcStrategy(String strategy) {
        return new LowerOptions(kind, schedules, namespace, serviceAccountName, strategy, ttlSecondsAfterCompletion,
                artifactRepositoryRef, memoizeConfigMap, memoizeMaxAge, maxManifestBytes, irHash, sourceFile, podAnnotations);
    }

    public LowerOptions withTtlSecondsAfterCompletion(Integer seconds) {
        return new LowerOptions(kind, schedules, namespace, serviceAccountName, podGcStrategy, seconds,
                artifactRepositoryRef, memoizeConfigMap, memoizeMaxAge, maxManifestBytes, irHash, sourceFile, podAnnotations);
    }

    public LowerOptions withArtifactRepositoryRef(String configMap, String key) {
        return new LowerOptions(kind, schedules, namespace, serviceAccountName, podGcStrategy, ttlSecondsAfterCompletion,
                new ArtifactRepositoryRef(configMap, key), memoizeConfigMap, memoizeMaxAge, maxManifestBytes, irHash,
                sourceFile, podAnnotations);
    }

    public LowerOptions withMemoizeConfigMap(String name) {
        return new LowerOptions(kind, schedules, namespace, serviceAccountName, podGcStrategy, ttlSecondsAfterCompletion,
                artifactRepositoryRef, name, memoizeMaxAge, maxManifestBytes, irHash, sourceFile, podAnnotations);
    }

    public LowerOptions withMaxManifestBytes(long bytes) {
        return new LowerOptions(kind, schedules, namespace, serviceAccountName, podGcStrategy, ttlSecondsAfterCompletion,
                artifactRepositoryRef, memoizeConfigMap, memoizeMaxAge, bytes, irHash, sourceFile, podAnnotations);
    }

    public LowerOptions withIrHash(String hash) {
        return new LowerOptions(kind, schedules, namespace, serviceAccountName, podGcStrategy, ttlSecondsAfterCompletion,
                artifactRepositoryRef, memoizeConfigMap, memoizeMaxAge, maxManifestBytes, hash, sourceFile, podAnnotations);
    }

    public LowerOptions withSourceFile(String file) {
        return new LowerOptions(kind, schedules, namespace, serviceAccountName, podGcStrategy, ttlSecondsAfterCompletion,
                artifactRepositoryRef, memoizeConfigMap, memoizeMaxAge, maxManifestBytes, irHash, file, podAnnotations);
    }

    /** The annotations of every pod ({@code spec.podMetadata.annotations}); an empty map writes none. */
    public LowerOptions withPodAnnotations(Map<String, String> annotations) {
        return new LowerOptions(kind, schedules, namespace, serviceAccountName, podGcStrategy, ttlSecondsAfterCompletion,
                artifactRepositoryRef, memoizeConfigMap, memoizeMaxAge, maxManifestBytes, irHash, sourceFile,
                new TreeMap<>(annotations));
    }
}
