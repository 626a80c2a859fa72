package dev.freestone.lower.argo;

import java.util.Locale;

/**
 * The catalog of {@link ArgoLint} findings: a stable code per kind of mistake and its message template
 * ({@code %s} slots, lower case, no trailing period). Codes are never renumbered; a retired code is not reused.
 * The rules mirror Argo's own validator ({@code workflow/validate/validate.go} in argo-workflows) unless the
 * comment says Freestone is stricter.
 */
public enum LintCode {
    A001("unsupported manifest: apiVersion `%s`, kind `%s` (expected argoproj.io/v1alpha1 Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow)"),
    A002("spec.entrypoint is required"),
    A003("template `%s` is not defined"),
    A004("templateRef names %s `%s`, which is not among the linted manifests"),
    A005("%s `%s` has no template `%s`"),
    A006("duplicate template name `%s`"),
    A007("duplicate %s name `%s` in template `%s`"),
    A008("%s name `%s` is invalid: %s"),
    A009("template `%s` %s: choose exactly one of container, containerSet, script, resource, dag, steps, suspend, data, http, plugin"),
    A010("%s `%s` %s"),
    A011("%s `%s` depends on `%s`, which is not a task of template `%s`"),
    A012("cannot parse depends of task `%s`: %s"),
    A013("dependency cycle in template `%s`: %s"),
    A014("template `%s` uses both depends and dependencies; use one of them in a dag"),
    A015("task `%s` uses `%s.%s`, but task `%s` has no withItems, withParam or withSequence"),
    A016("task name `%s` cannot begin with a digit in a dag that uses depends or dependencies"),
    A017("dag template `%s` has no tasks"),
    A020("cannot resolve `%s`%s"),
    A021("`%s` refers to %s `%s`, which %s"),
    A022("`%s`: template `%s` declares no output %s `%s`"),
    A023("`%s`: template `%s` declares no input %s `%s`"),
    A024("`%s` is only defined in a task or step with withItems, withParam or withSequence"),
    A025("`%s`: spec.arguments.parameters declares no parameter `%s`"),
    A030("%s supplies no %s `%s`, which template `%s` requires (no default, value or optional)"),
    A031("workflow parameter `%s` has no value or valueFrom"),
    A032("%s name `%s` is invalid: must match ^[-a-zA-Z0-9_]+$"),
    A033("duplicate %s name `%s`"),
    A040("metadata.name or metadata.generateName is required"),
    A041("metadata.%s `%s` is invalid: %s"),
    A043("label key `%s` is invalid: %s"),
    A044("label value `%s` is invalid: %s"),
    A045("annotation key `%s` is invalid: %s"),
    A050("%s has %d %s, the limit is %d"),
    A060("memoize of template `%s` has no %s"),
    A061("memoize key `%s` is invalid: %s"),
    A062("memoize maxAge `%s` is not a duration such as 180s, 24h or 1h30m"),
    A070("spec.schedule was removed in Argo Workflows v4: list the schedule under spec.schedules"),
    A071("spec.schedules must list at least one schedule"),
    A072("schedule `%s` is invalid: %s"),
    A073("concurrencyPolicy `%s` is invalid: expected Allow, Forbid or Replace");

    private final String template;

    LintCode(String template) {
        this.template = template;
    }

    public String template() {
        return template;
    }

    /** The message for this code with {@code args} in its slots. */
    public String format(Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
