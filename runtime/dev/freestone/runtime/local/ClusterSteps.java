package dev.freestone.runtime.local;

import dev.freestone.ir.Ir;
import java.util.List;
import java.util.Optional;

/**
 * Steps that only a cluster can run: components that create a Kubernetes resource (SparkApplication, TFJob,
 * InferenceService, ...) without a {@code local} way to run them here, and components whose {@code requires}
 * (papermill, spark-submit) are not on this machine's PATH. The preflight refuses a run with such a step,
 * unless the run skips them; the step run uses {@link #localForm} to run a resource's local way like any
 * container step.
 */
final class ClusterSteps {
    private ClusterSteps() {
    }

    static boolean isResource(Ir.Component c) {
        return c != null && c.resource() != null;
    }

    /** "a Kubernetes TFJob": what the component creates, for messages. */
    static String what(Ir.Component c) {
        String kind = c.resource().manifest() == null ? "" : c.resource().manifest().path("kind").asText("");
        return "a Kubernetes " + (kind.isEmpty() ? "resource" : kind);
    }

    /**
     * Why this machine cannot run {@code c}: a resource without a local way, or a required program (for a
     * resource, also its local command's) missing from the PATH. Empty when it can run.
     */
    static Optional<String> whyNot(Ir.Component c, Programs programs, String path) {
        List<String> needed = new java.util.ArrayList<>(c.requires() == null ? List.of() : c.requires());
        if (isResource(c)) {
            Ir.Local local = c.resource().local();
            if (local == null || (local.command() == null && local.script() == null)) {
                String why = local != null && local.unavailable() != null ? local.unavailable() : "no local way is given";
                return Optional.of("it creates " + what(c) + " and has no local equivalent (" + why + ")");
            }
            String program0 = Programs.knownBeforeRun(local.script(), local.command());
            if (program0 != null && !needed.contains(program0)) {
                needed.add(0, program0);
            }
        }
        for (String p : needed) {
            if (programs.find(p, path).isEmpty()) {
                return Optional.of("it runs locally with `" + p + "`, which is not on the PATH");
            }
        }
        return Optional.empty();
    }

    /** The component as the local engine runs it: the local command or script in place of the resource. */
    static Ir.Component localForm(Ir.Component c) {
        if (!isResource(c) || c.resource().local() == null) {
            return c;
        }
        Ir.Local l = c.resource().local();
        if (l.command() == null && l.script() == null) {
            return c;
        }
        return new Ir.Component(c.digest(), c.name(), c.module(), c.inputs(), c.outputs(), c.image(), l.command(),
                l.script(), c.env(), c.settings(), null, c.doc(), c.requires());
    }
}
