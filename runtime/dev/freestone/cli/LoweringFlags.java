package dev.freestone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.DidYouMean;
import dev.freestone.diag.Span;
import dev.freestone.ir.Ir;
import dev.freestone.lower.argo.ArgoLint;
import dev.freestone.lower.argo.ArgoSchema;
import dev.freestone.lower.argo.ArgoLowering;
import dev.freestone.lower.argo.CronSchedule;
import dev.freestone.lower.argo.LintFinding;
import dev.freestone.lower.argo.LowerOptions;
import dev.freestone.lower.argo.Lowered;
import dev.freestone.lower.argo.SchemaProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The Argo settings every command that lowers a pipeline takes ({@code compile}, {@code submit},
 * {@code schedule}, {@code publish}), and the lint every lowered bundle passes before it is written
 * or sent. A picocli mixin, so the flags read the same everywhere.
 */
final class LoweringFlags {
    @Option(names = "--max-manifest-size", paramLabel = "BYTES",
            description = "Size budget of one object (default 1 MiB minus 64 KiB; etcd keeps objects up to 1.5 MiB).")
    Long maxBytes;

    @Option(names = "--argo-schema", paramLabel = "schema.json",
            description = "Also validate every object against Argo's JSON schema (api/jsonschema/schema.json of the"
                + " cluster's Argo version) before anything is written or sent.")
    Path argoSchema;

    /** Argo's schema, read by {@link #options} (a path that cannot be read is a usage error). */
    private ArgoSchema schema;

    @Option(names = "--service-account", description = "spec.serviceAccountName.")
    String serviceAccount;

    /**
     * Argo's podGC strategies (the enum of {@code podGC.strategy} in its CRDs). Argo also takes "", which
     * deletes no pod: the same as no podGC at all, so an empty {@code --pod-gc} writes none.
     */
    static final List<String> POD_GC_STRATEGIES =
            List.of("OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess");

    @Option(names = "--pod-gc", paramLabel = "STRATEGY",
            description = "podGC strategy: OnPodCompletion, OnPodSuccess, OnWorkflowCompletion or OnWorkflowSuccess"
                    + " (default: none).")
    String podGc;

    @Option(names = "--ttl", paramLabel = "SECONDS",
            description = "ttlStrategy.secondsAfterCompletion: how long a finished Workflow is kept, 0 or more seconds.")
    Integer ttl;

    @Option(names = "--artifact-repository", paramLabel = "CONFIGMAP[:KEY]", description = "artifactRepositoryRef.")
    String artifactRepository;

    @Option(names = "--pod-annotation", paramLabel = "KEY=VALUE", description = "An annotation of every pod of the"
            + " Workflow (spec.podMetadata); repeat for more. KEY- removes one. Default: sidecar.istio.io/inject=false"
            + " (no Istio sidecar, as Kubeflow Pipelines does: in a Kubeflow profile's namespace a sidecar keeps the step's"
            + " pod from ending); --pod-annotation sidecar.istio.io/inject=true keeps the pods in the mesh.")
    List<String> podAnnotations = new ArrayList<>();

    @Option(names = "--cache-configmap", defaultValue = LowerOptions.DEFAULT_CACHE_CONFIGMAP,
            description = "ConfigMap that holds Argo's memoization cache. Default: ${DEFAULT-VALUE}.")
    String cacheConfigMap;

    /**
     * Lowers the compiled pipeline {@code c} as {@code options} say, with {@code values} (its run
     * arguments) as its parameters' defaults; the lowering's diagnostics, anchored in the sources, and
     * the lint's findings are added to {@code diagnostics}.
     */
    private static Lowered lower(FrontEnd.Compiled c, Map<String, JsonNode> values, LowerOptions options,
                                 List<Diagnostic> diagnostics) {
        Lowered lowered = ArgoLowering.lower(withArguments(c.ir(), values), options);
        diagnostics.addAll(FrontEnd.anchored(lowered.diagnostics(), c.check().program()));
        diagnostics.addAll(lint(lowered, where(c)));
        return lowered;
    }

    /**
     * The options for lowering as {@code kind}: these flags over the defaults. Built before the pipeline's file is
     * read, so that a flag's mistake is a usage error (exit 2) whatever the file holds, and nothing is compiled for
     * nothing; the compiled pipeline adds its own part with {@link #forProgram}. A schedule that is no cron schedule,
     * a negative TTL or an unknown podGC strategy is the user's mistake, not the lint's.
     */
    LowerOptions options(LowerOptions.Kind kind, List<String> schedules, String namespace) {
        if (maxBytes != null && maxBytes <= 0) {
            // the lowering reads 0 or less as "the default", so the budget the user set would be ignored
            throw new UserError("--max-manifest-size " + maxBytes + " is not a size: an object's budget is 1 byte or more",
                    "e.g. --max-manifest-size 1048576; leave it out for the default (1 MiB minus 64 KiB)", Main.USAGE);
        }
        // Argo would refuse both only when the manifest is sent; compile would write them as they are
        if (ttl != null && ttl < 0) {
            throw new UserError("--ttl " + ttl + " is negative: a finished Workflow is kept 0 or more seconds",
                    "e.g. --ttl 86400 deletes it a day after it finished; leave out --ttl for the controller's default",
                    Main.USAGE);
        }
        if (podGc != null && !podGc.isEmpty() && !POD_GC_STRATEGIES.contains(podGc)) {
            throw new UserError("--pod-gc `" + podGc + "` is not a podGC strategy",
                    DidYouMean.closest(podGc, POD_GC_STRATEGIES).map(c -> "did you mean `" + c + "`? ").orElse("")
                            + "the strategies are " + String.join(", ", POD_GC_STRATEGIES), Main.USAGE);
        }
        if (argoSchema != null && schema == null) {
            try {
                schema = ArgoSchema.load(argoSchema);
            } catch (IOException e) {
                throw new UserError(e.getMessage(), "--argo-schema takes Argo's schema.json (api/jsonschema/schema.json"
                        + " in Argo's repository, of the version the cluster runs)", Main.USAGE);
            }
        }
        Map<String, String> annotations = podAnnotations(podAnnotations);
        for (String s : schedules) {
            CronSchedule.problem(s).ifPresent(why -> {
                throw new UserError("\"" + s + "\" is not a cron schedule: " + why,
                        "five fields (minute hour day-of-month month day-of-week), e.g. \"0 3 * * *\", or a descriptor"
                                + " such as @daily or @every 1h30m, optionally after CRON_TZ=<zone>", Main.USAGE);
            });
        }
        return applyTo(LowerOptions.defaults()
                .withKind(kind)
                .withSchedules(schedules)
                .withNamespace(namespace)
                .withPodAnnotations(annotations));
    }

    /** A Kubernetes annotation key: an optional DNS subdomain prefix and {@code /}, then a name of 1 to 63 characters. */
    private static final java.util.regex.Pattern ANNOTATION_KEY = java.util.regex.Pattern.compile(
            "(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?");

    /** The default pod annotations with {@code --pod-annotation}'s laid over them, in order ({@code KEY-} removes one). */
    static Map<String, String> podAnnotations(List<String> given) {
        Map<String, String> out = new java.util.TreeMap<>(LowerOptions.DEFAULT_POD_ANNOTATIONS);
        for (String g : given) {
            int eq = g.indexOf('=');
            boolean remove = eq < 0 && g.endsWith("-");
            String key = eq >= 0 ? g.substring(0, eq) : remove ? g.substring(0, g.length() - 1) : g;
            int slash = key.indexOf('/');
            if ((eq < 0 && !remove) || !ANNOTATION_KEY.matcher(key).matches() || key.length() - slash - 1 > 63
                    || slash > 253) {
                throw new UserError("--pod-annotation `" + g + "` is not KEY=VALUE with a Kubernetes annotation key",
                        "e.g. --pod-annotation sidecar.istio.io/inject=true, or KEY- to remove one (a key is an optional"
                                + " DNS prefix and `/`, then up to 63 letters, digits, `-`, `_` and `.`)", Main.USAGE);
            }
            if (remove) {
                out.remove(key);
            } else {
                out.put(key, g.substring(eq + 1));
            }
        }
        return out;
    }

    /** {@code options} for the compiled pipeline {@code ir}, whose IR hash is {@code irHash}. */
    static LowerOptions forProgram(LowerOptions options, Ir.Program ir, String irHash) {
        return options.withIrHash(irHash).withSourceFile(ir.sourceFile());
    }

    /** Where a finding about the whole manifest is reported: the start of the pipeline's file. */
    static Span where(FrontEnd.Compiled c) {
        return Span.of(c.check().program().root().source(), 0, 0);
    }

    /** Run arguments become the defaults of the lowered pipeline; the IR hash stays the pipeline's own. */
    static Ir.Program withArguments(Ir.Program ir, Map<String, JsonNode> values) {
        if (values.isEmpty()) {
            return ir;
        }
        List<Ir.Param> params = new ArrayList<>();
        for (Ir.Param p : ir.root().params()) {
            JsonNode v = values.get(p.name());
            params.add(v == null ? p : new Ir.Param(p.name(), p.type(), v, p.doc()));
        }
        Ir.Dag root = ir.root();
        Ir.Dag dag = new Ir.Dag(root.name(), params, root.outputs(), root.body(), root.exitHandler(), root.pos(),
                root.mutexes(), root.timeoutSeconds());
        return new Ir.Program(ir.apiVersion(), ir.name(), ir.sourceFile(), ir.sourceDigest(), dag, ir.pipelines(),
                ir.components(), ir.structs(), ir.artifactTypes());
    }

    /**
     * {@link #lower}, then, with {@code --argo-schema}, every object checked against Argo's schema (E0702
     * at the file's start; none when the lowering itself failed, its manifest being partial).
     */
    Lowered lowerAndValidate(FrontEnd.Compiled c, Map<String, JsonNode> values, LowerOptions options,
                             List<Diagnostic> diagnostics) {
        Lowered lowered = lower(c, values, options, diagnostics);
        if (schema != null && !loweringFailed(lowered)) {
            for (JsonNode m : lowered.manifests()) {
                for (SchemaProblem p : schema.validate(m)) {
                    diagnostics.add(Diagnostic.of(Code.E0702, where(c), "schema: " + p));
                }
            }
        }
        return lowered;
    }

    /** {@code base} with these flags laid over it. */
    private LowerOptions applyTo(LowerOptions base) {
        LowerOptions options = base.withServiceAccountName(serviceAccount)
                .withPodGcStrategy(podGc == null || podGc.isEmpty() ? null : podGc)
                .withTtlSecondsAfterCompletion(ttl)
                .withMemoizeConfigMap(cacheConfigMap);
        if (maxBytes != null) {
            options = options.withMaxManifestBytes(maxBytes);
        }
        if (artifactRepository != null) {
            int colon = artifactRepository.indexOf(':');
            options = colon < 0 ? options.withArtifactRepositoryRef(artifactRepository, null)
                    : options.withArtifactRepositoryRef(artifactRepository.substring(0, colon),
                    artifactRepository.substring(colon + 1));
        }
        return options;
    }

    /** True when the lowering itself reported an error other than the size budget: its manifest is partial. */
    static boolean loweringFailed(Lowered lowered) {
        return lowered.diagnostics().stream().anyMatch(d -> d.isError() && d.code() != Code.E0701);
    }

    /**
     * ArgoLint's findings as E0702 at {@code where}; none when the lowering already failed, since a
     * partial manifest would only add noise about the same place.
     */
    static List<Diagnostic> lint(Lowered lowered, Span where) {
        List<Diagnostic> out = new ArrayList<>();
        if (loweringFailed(lowered)) {
            return out;
        }
        for (LintFinding f : ArgoLint.lint(new ArrayList<JsonNode>(lowered.manifests()))) {
            out.add(Diagnostic.of(Code.E0702, where, f.code() + " at " + f.path() + ": " + f.message()));
        }
        return out;
    }
}
