package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cluster operations the backend needs, spoken either to the Kubernetes API ({@link
 * KubernetesApi}) or to the Argo Server ({@link ArgoServerApi}). Objects go in and come out as
 * Jackson 2 trees in Argo's JSON shape. Every failure is an {@link ArgoException}.
 */
interface ArgoApi extends AutoCloseable {

    /** The namespace used when a call does not name one. */
    String namespace();

    /** How the credential is named in messages, e.g. {@code kubeconfig context `kind` (user `admin`)}. */
    String credential();

    /** Creates the object and returns it as the server stored it (with its generated name). */
    ObjectNode create(ArgoKind kind, String namespace, ObjectNode manifest);

    /** The object, or empty when it does not exist. */
    Optional<ObjectNode> get(ArgoKind kind, String namespace, String name);

    /** Replaces the object (the manifest must carry the current {@code metadata.resourceVersion}). */
    ObjectNode replace(ArgoKind kind, String namespace, ObjectNode manifest);

    /** The objects of {@code kind} in the namespace that carry the label {@code label}, whatever its value. */
    java.util.List<ObjectNode> list(ArgoKind kind, String namespace, String label);

    /** Deletes the object; false when it does not exist. */
    boolean delete(ArgoKind kind, String namespace, String name);

    /** Suspends a CronWorkflow (it schedules no new runs) or resumes it; false when it does not exist. */
    boolean suspendCron(String namespace, String name, boolean suspend);

    /** Watches one Workflow from {@code resourceVersion}. */
    WorkflowWatch watchWorkflow(String namespace, String name, String resourceVersion);

    /**
     * The Workflow with its node status read back from Argo's database, when the status was
     * offloaded; empty when this connection cannot read it.
     */
    Optional<ObjectNode> hydrated(String namespace, String name);

    /** Why a pod is not starting (scheduling, image pull), when the connection can see pods. */
    Optional<String> podProblem(String namespace, String podName);

    /**
     * Writes the {@code main} container log of a pod line by line; with {@code tail}, only its last lines (then, with
     * {@code follow}, the new ones), as Kubernetes' {@code tailLines} counts them.
     */
    void logs(String namespace, String workflow, String podName, boolean follow, java.util.OptionalInt tail,
              Consumer<String> lines);

    /** Stops (runs exit handlers) or terminates (does not) a running Workflow. */
    void shutdown(String namespace, String name, Shutdown how, Optional<String> message);

    /** Retries a finished, failed Workflow in place. */
    ObjectNode retry(String namespace, String name, boolean restartSuccessful, Optional<String> nodeFieldSelector);

    /** A new Workflow from a finished one; {@code memoized} reuses the outputs of succeeded nodes. */
    ObjectNode resubmit(String namespace, String name, boolean memoized);

    @Override
    void close();

    enum Shutdown {
        Stop, Terminate
    }
}
