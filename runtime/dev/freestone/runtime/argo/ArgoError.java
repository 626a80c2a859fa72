package dev.freestone.runtime.argo;

import java.util.Objects;

/**
 * Something went wrong between Freestone and the cluster that the user can act on: a value with
 * a one-line message (lower case, no trailing period, like the diagnostics) and a help line. It
 * never holds a token, a password or key material: messages quote the server only after {@link
 * Secrets#redact} and name the credential only by where it came from.
 */
public record ArgoError(Kind kind, String message, String help) {

    /** What kind of failure, so that callers can choose an exit code or a retry without parsing text. */
    public enum Kind {
        /** the cluster or Argo Server cannot be reached (DNS, refused, TLS, timeout) */
        Unreachable,
        /** 401: the credential was not accepted */
        Unauthorized,
        /** 403: the credential is valid but may not do this */
        Forbidden,
        /** the {@code argoproj.io} resources do not exist: Argo Workflows is not installed */
        NotInstalled,
        /** the namespace, Workflow, template or pod does not exist */
        NotFound,
        /** 409: a resource with that name exists, or it changed meanwhile */
        Conflict,
        /** 400/422: the server rejected the manifest; the message names the field */
        Invalid,
        /** an admission webhook or policy refused the request */
        Rejected,
        /** the operation needs something this connection does not offer (e.g. offloaded nodes without the Argo Server) */
        Unsupported,
        /** the server failed (5xx) or answered something that is not Argo's API */
        Server
    }

    public ArgoError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(help, "help");
    }

    @Override
    public String toString() {
        return "error: " + message + "\n  help: " + help;
    }
}
