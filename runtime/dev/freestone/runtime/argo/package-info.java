/**
 * The Argo backend: submits lowered Argo manifests to a cluster, follows the Workflow, and mirrors
 * it into the run store.
 *
 * <p>In: the manifests produced by the compiler's Argo lowering, as Jackson 2 trees (one Workflow
 * and the WorkflowTemplates it references; a CronWorkflow for {@code schedule}), the IR hash and the
 * pipeline name ({@link dev.freestone.runtime.argo.SubmitRequest}); a target ({@link
 * dev.freestone.runtime.argo.ArgoTarget}): the Kubernetes API through fabric8 (kubeconfig or
 * in-cluster) or an Argo Server (REST, bearer token).
 *
 * <p>Out: runs in the {@link dev.freestone.runtime.store.RunStore} with backend {@code argo} and
 * the Workflow as remote reference; their status, tasks (IR task id plus loop iteration path, e.g.
 * {@code fit[2]}), attempts (one per pod), outputs, exit codes, messages and events, kept in step
 * with the Workflow by {@link dev.freestone.runtime.argo.ArgoBackend#watch}; the schedules Freestone
 * created ({@link dev.freestone.runtime.argo.Schedule}), listed, suspended, resumed or deleted (they are
 * not in the store: their runs are Argo's). Failures a user can act
 * on are {@link dev.freestone.runtime.argo.ArgoException}s carrying an {@link
 * dev.freestone.runtime.argo.ArgoError} (message and help), never stack traces.
 *
 * <p>What holds: the backend never imports the compiler (it reads manifests as JSON); tokens and
 * kubeconfig secrets never appear in messages, events or the store; a watch that breaks or expires
 * ({@code 410 Gone}) is resumed from a fresh read, and a cluster that is unreachable or failing
 * (5xx) once the run is followed is waited out for up to five minutes; compressed node status is decoded, offloaded
 * node status is read through the Argo Server or reported as unavailable; a Workflow deleted by its
 * TTL leaves the run with its last known state. See {@code docs/argo-backend.md}.
 */
package dev.freestone.runtime.argo;
