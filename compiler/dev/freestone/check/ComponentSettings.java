package dev.freestone.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.diag.Span;
import java.util.List;
import java.util.SortedMap;

/**
 * The settings of one component, validated and normalized: what the IR builder copies into
 * {@code Ir.Component}. Absent settings are null (lists and maps: empty). Exactly one of
 * {@code command}, {@code script} and {@code resource} is set on a component without errors.
 */
public record ComponentSettings(String image, List<CommandArg> command, List<CommandArg> args, Script script,
                                SortedMap<String, EnvValue> env, Overrides overrides, Resource resource,
                                List<String> requires) {

    public ComponentSettings(String image, List<CommandArg> command, List<CommandArg> args, Script script,
                             SortedMap<String, EnvValue> env, Overrides overrides) {
        this(image, command, args, script, env, overrides, null, List.of());
    }

    public ComponentSettings {
        command = command == null ? null : List.copyOf(command);
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(env));
        requires = requires == null ? List.of() : List.copyOf(requires);
    }

    /**
     * The settings a call site may override with {@code with { ... }}: retry, timeout, cache,
     * resources, node selector, tolerations, env, image, the size of {@code /dev/shm} (a quantity as written) and the
     * mutexes the step holds while it runs (a list as written, which replaces the component's). On a component they are its defaults (its
     * {@code image} is {@link ComponentSettings#image}, so here null); on a step they are what the call
     * site wrote (apply with {@link #over}).
     */
    public record Overrides(Retry retry, Long timeoutSeconds, Boolean cache, Resources resources,
                            SortedMap<String, String> nodeSelector, List<Toleration> tolerations,
                            SortedMap<String, EnvValue> env, String image, String shm, List<String> mutexes) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null);

        public Overrides {
            mutexes = mutexes == null ? null : List.copyOf(mutexes);
        }

        /** Settings that hold no mutex. */
        public Overrides(Retry retry, Long timeoutSeconds, Boolean cache, Resources resources,
                         SortedMap<String, String> nodeSelector, List<Toleration> tolerations,
                         SortedMap<String, EnvValue> env, String image, String shm) {
            this(retry, timeoutSeconds, cache, resources, nodeSelector, tolerations, env, image, shm, null);
        }

        /** Settings that keep the component's image. */
        public Overrides(Retry retry, Long timeoutSeconds, Boolean cache, Resources resources,
                         SortedMap<String, String> nodeSelector, List<Toleration> tolerations,
                         SortedMap<String, EnvValue> env) {
            this(retry, timeoutSeconds, cache, resources, nodeSelector, tolerations, env, null, null);
        }

        /** These settings laid over {@code base}: a set value wins, blocks merge field by field. */
        public Overrides over(Overrides base) {
            SortedMap<String, EnvValue> mergedEnv = null;
            if (env != null || base.env != null) {
                mergedEnv = new java.util.TreeMap<>();
                if (base.env != null) {
                    mergedEnv.putAll(base.env);
                }
                if (env != null) {
                    mergedEnv.putAll(env);
                }
            }
            SortedMap<String, String> mergedSelector = null;
            if (nodeSelector != null || base.nodeSelector != null) {
                mergedSelector = new java.util.TreeMap<>();
                if (base.nodeSelector != null) {
                    mergedSelector.putAll(base.nodeSelector);
                }
                if (nodeSelector != null) {
                    mergedSelector.putAll(nodeSelector);
                }
            }
            return new Overrides(
                    retry == null ? base.retry : base.retry == null ? retry : retry.over(base.retry),
                    timeoutSeconds != null ? timeoutSeconds : base.timeoutSeconds,
                    cache != null ? cache : base.cache,
                    resources == null ? base.resources : base.resources == null ? resources : resources.over(base.resources),
                    mergedSelector,
                    tolerations != null ? tolerations : base.tolerations,
                    mergedEnv,
                    image != null ? image : base.image,
                    shm != null ? shm : base.shm,
                    mutexes != null ? mutexes : base.mutexes);
        }
    }

    /** One argv element made of parts; never joined into a shell string. */
    public record CommandArg(List<ArgPart> parts) {
        public CommandArg {
            parts = List.copyOf(parts);
        }
    }

    public sealed interface ArgPart permits Text, InputValue, InputPath, OutputPath {
    }

    public record Text(String text) implements ArgPart {
    }

    /** The value of a parameter input as text (JSON for lists, maps and structs). */
    public record InputValue(String input) implements ArgPart {
    }

    /** The path of an artifact input. */
    public record InputPath(String input) implements ArgPart {
    }

    /** The path the step must write an output to. */
    public record OutputPath(String output) implements ArgPart {
    }

    /**
     * {@code interpreter}: argv prefix ({@code python} becomes {@code ["python3"]}); {@code body}: the script;
     * {@code written}: the string literal it was written as (a failing script's lines are named by it).
     */
    public record Script(List<String> interpreter, String body, Span written) {
        public Script {
            interpreter = List.copyOf(interpreter);
        }
    }

    public sealed interface EnvValue permits EnvText, EnvSecret {
    }

    /** Text built like a command argument (a component's env may read its inputs). */
    public record EnvText(CommandArg value) implements EnvValue {
    }

    /** A reference to a key of a Kubernetes secret; never its value. */
    public record EnvSecret(String secret, String key) implements EnvValue {
    }

    /** Quantities as written ({@code "1"}, {@code "500m"}, {@code "512Mi"}); absent parts null. */
    public record Resources(String cpu, String memory, Integer gpu, String gpuResource) {
        Resources over(Resources base) {
            return new Resources(cpu != null ? cpu : base.cpu, memory != null ? memory : base.memory,
                    gpu != null ? gpu : base.gpu, gpuResource != null ? gpuResource : base.gpuResource);
        }
    }

    public record Toleration(String key, String operator, String value, String effect) {
    }

    /** Absent parts null; {@code policy} one of Always, OnFailure, OnError, OnTransientError. */
    public record Retry(Integer limit, Long backoffSeconds, Integer factor, Long maxBackoffSeconds, String policy) {
        Retry over(Retry base) {
            return new Retry(limit != null ? limit : base.limit,
                    backoffSeconds != null ? backoffSeconds : base.backoffSeconds,
                    factor != null ? factor : base.factor,
                    maxBackoffSeconds != null ? maxBackoffSeconds : base.maxBackoffSeconds,
                    policy != null ? policy : base.policy);
        }
    }

    /**
     * {@code resource { ... }}: the component creates a Kubernetes object instead of running a container.
     * {@code manifest} is the parsed YAML with {@code ${input}} placeholders left in its strings;
     * {@code outputs} reads every output parameter from the object; {@code local} is how a laptop runs it.
     */
    public record Resource(String action, JsonNode manifest, String success, String failure, boolean owner,
                           SortedMap<String, ResourceQuery> outputs, Local local) {
        public Resource {
            outputs = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(outputs));
        }
    }

    /** Exactly one of a JSONPath ({@code {.status.url}}) and a jq filter. */
    public record ResourceQuery(String jsonPath, String jqFilter) {
    }

    /**
     * {@code local { ... }}: a command or a script run by the local engine in place of the resource; or
     * {@code unavailable}, the reason there is no local equivalent.
     */
    public record Local(List<CommandArg> command, Script script, String unavailable) {
        public Local {
            command = command == null ? null : List.copyOf(command);
        }
    }
}
