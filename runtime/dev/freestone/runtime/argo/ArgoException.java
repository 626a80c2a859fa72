package dev.freestone.runtime.argo;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Carries an {@link ArgoError} out of the backend. The CLI prints {@link #error()} as an
 * {@code error:} line plus a {@code help:} line, never the stack trace; no cause is kept, so that
 * nothing of the underlying client (which may know a token) travels with it.
 */
public final class ArgoException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ArgoError error;

    public ArgoException(ArgoError error) {
        super(Objects.requireNonNull(error, "error").message(), null, false, false);
        this.error = error;
    }

    public ArgoException(ArgoError.Kind kind, String message, String help) {
        this(new ArgoError(kind, message, help));
    }

    public ArgoError error() {
        return error;
    }

    /** Kubernetes' 404 for a namespace, said the same whether it came through the API or the Argo Server. */
    static ArgoException namespaceMissing(String ns) {
        return new ArgoException(ArgoError.Kind.NotFound, "namespace " + ns + " does not exist",
                "create it (`kubectl create namespace " + ns + "`) or choose another with --namespace");
    }

    /**
     * An admission webhook's denial (Kyverno, Gatekeeper, ...), which reaches Freestone as a 400, 403 or
     * 422: a policy of the cluster, not a field Argo lacks. {@code said} is the server's text, redacted.
     */
    static ArgoException rejectedByPolicy(String doing, String said) {
        return new ArgoException(ArgoError.Kind.Rejected, "an admission policy of the cluster refused to " + doing
                + ": " + said, "the cluster's policy decides this: change the pipeline (or the submit flags) to meet it,"
                + " or ask the cluster's administrators");
    }

    /**
     * The object is over what the cluster stores: the API server's 413 (over 3 MiB) or etcd's "request is
     * too large" (over its 1.5 MiB), also as the Argo Server passes it on. Not worth trying again.
     */
    static ArgoException tooLarge(String doing, String said) {
        return new ArgoException(ArgoError.Kind.Invalid, "the object is too large for the cluster to " + doing + ": "
                + said, "lower --max-manifest-size (the default, 960 KiB, keeps under etcd's limit) so that the"
                + " pipeline is split into WorkflowTemplates, or pass large values as artifacts");
    }

    /** True when the server's answer says the request was too large to store. */
    static boolean isTooLarge(int code, String said) {
        return code == 413 || said.contains("request is too large") || said.contains("Request entity too large");
    }

    /** True when the server's text is an admission webhook's denial. */
    static boolean isAdmissionDenial(String said) {
        return said.contains("admission webhook") && said.contains("denied the request");
    }

    /**
     * Argo's own validation of a spec (its {@code validate} package, run by the Argo Server on create and
     * answered 400): the message starts with the field's path, {@code templates.NAME...} or {@code spec...}.
     * A field the server cannot even decode ({@code unknown field}) is the older-Argo case instead.
     */
    static boolean isArgoValidation(String said) {
        return ARGO_FIELD_PATH.matcher(said).lookingAt() && !said.contains("unknown field");
    }

    private static final Pattern ARGO_FIELD_PATH =
            Pattern.compile("(templates|spec|workflow|arguments|entrypoint|onExit)[.\\[ ]");

    /** A 400 or 422 the server gave for the spec: Argo's validation of a field, or a schema older than ours. */
    static ArgoException invalidSpec(String rejected, String said, String olderHelp) {
        return new ArgoException(ArgoError.Kind.Invalid, rejected + ": " + said, isArgoValidation(said)
                ? "Argo's validation refused the field it names, which Freestone's own checks let through:"
                        + " `freestone compile` shows the manifest (`argo lint` checks it the same way); please"
                        + " report it with the pipeline"
                : olderHelp);
    }
}
