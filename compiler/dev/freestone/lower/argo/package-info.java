/**
 * Lowering to Argo Workflows, and the checks every lowered manifest passes before it is written or submitted.
 *
 * <p>{@link dev.freestone.lower.argo.ArgoLowering#lower}: in, an {@link dev.freestone.ir.Ir.Program} and
 * {@link dev.freestone.lower.argo.LowerOptions}; out, {@link dev.freestone.lower.argo.Lowered}: the objects
 * (WorkflowTemplates split out of a large pipeline, then the Workflow / WorkflowTemplate / CronWorkflow),
 * their multi-document YAML, size, a pod estimate and diagnostics (E0701, E0703). What holds: the same program
 * and options give byte-identical YAML; bodies over 200 nodes are split ({@code BodySplitter}), objects hold at
 * most 200 templates and fit the size budget (templates move into WorkflowTemplates until they do; only a
 * single template over the budget is E0701); a value an expression computes on Argo is written as the engine's text
 * ({@code FloatText} for Floats, JSON of literals by {@code ValueText}), so a step gets the same argv on both backends.
 * docs/argo.md describes each rule.
 *
 * <p>In: Argo manifests (Workflow, WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow; apiVersion
 * {@code argoproj.io/v1alpha1}) as Jackson trees, and the custom resources that {@code resource} templates
 * create. Out: lists of findings, sorted and deterministic, never exceptions for a bad manifest.
 * <ul>
 *   <li>{@link dev.freestone.lower.argo.ArgoSchema}: shape, against Argo's JSON schema made strict (unknown
 *       fields are errors; int-or-string and quantities accept numbers). The schema file is reference data
 *       loaded from a path, never shipped in the jar.</li>
 *   <li>{@link dev.freestone.lower.argo.ArgoLint}: meaning, the rules of Argo's validator (templates and
 *       dependencies exist, no cycles, every {@code {{...}}} resolves where it is used, required inputs are
 *       supplied, names and limits, memoize, cron schedules), findings coded from
 *       {@link dev.freestone.lower.argo.LintCode}.</li>
 *   <li>{@link dev.freestone.lower.argo.CrdSchema}: a custom resource against its CRD's
 *       {@code openAPIV3Schema}.</li>
 * </ul>
 * What holds: a manifest Freestone emits has no schema problem and no lint finding; findings carry a
 * {@link dev.freestone.lower.argo.ManifestPath} into the manifest.
 */
package dev.freestone.lower.argo;
