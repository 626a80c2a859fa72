package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.argo.ArgoError.Kind;
import dev.freestone.runtime.store.RemoteRef;
import dev.freestone.runtime.store.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Follows one Workflow until it finishes, is deleted, or the time limit passes: read it, mirror it,
 * watch from its resource version; on {@code 410 Gone} or a broken stream read it again and watch
 * from the new version; with no event for a while read it again anyway. Once following, a cluster
 * that is unreachable or failing for a while (up to {@link #OUTAGE_LIMIT}) is waited out.
 */
final class WorkflowFollower {
    private final ArgoApi api;
    private final RunMirror mirror;
    private final RemoteRef ref;
    private final Clock clock;
    private final FollowSettings settings;
    private final Map<String, Instant> pendingSince = new HashMap<>();
    /** The last answer about each pending pod: a busy Workflow changes many times a second, its pods far less. */
    private final Map<String, Asked> asked = new HashMap<>();

    private record Asked(Instant at, Optional<String> problem) {
    }

    WorkflowFollower(ArgoApi api, RunMirror mirror, RemoteRef ref, Clock clock, FollowSettings settings) {
        this.api = api;
        this.mirror = mirror;
        this.ref = ref;
        this.clock = clock;
        this.settings = settings;
    }

    /** Follows until done; {@code deadline} empty means no limit. Interrupting the thread stops it too. */
    Outcome follow(Optional<Instant> deadline) throws InterruptedException {
        Optional<ObjectNode> first = api.get(ArgoKind.Workflow, ref.namespace(), ref.name());
        if (first.isEmpty()) {
            if (api instanceof KubernetesApi kubernetes) {
                kubernetes.requireInstalled(ref.namespace());
            }
            mirror.deleted(ref.toString());
            return Outcome.DELETED;
        }
        ObjectNode workflow = first.get();
        if (mirrorIt(workflow)) {
            return Outcome.FINISHED;
        }
        try {
            return followFrom(workflow, deadline);
        } catch (DeadlinePassed e) {
            return Outcome.TIMED_OUT;
        }
    }

    /** Watches from {@code workflow}'s resource version on, reading it again whenever the watch breaks. */
    private Outcome followFrom(ObjectNode workflow, Optional<Instant> deadline)
            throws InterruptedException, DeadlinePassed {
        String version = ArgoJson.text(workflow, "metadata", "resourceVersion").orElse("");
        while (true) {
            String from = version;
            try (WorkflowWatch watch = outlast(() -> api.watchWorkflow(ref.namespace(), ref.name(), from), deadline)) {
                while (true) {
                    Optional<WatchSignal> signal = watch.next(upToDeadline(settings.resync(), clock.instant(), deadline));
                    if (signal.isEmpty()) {
                        if (!watch.started()) {
                            // fabric8 can lose a stream closed as it opened, its expiry with it
                            mirror.note("argo.watch", "the watch did not start within "
                                    + settings.resync().toSeconds() + " s; reading the Workflow again");
                        }
                        break; // quiet for a while: read it again (pending pods, missed events)
                    }
                    if (signal.get() instanceof WatchSignal.Changed changed) {
                        workflow = changed.workflow();
                        if (!ArgoJson.name(workflow).equals(ref.name())) {
                            continue; // a server that ignores the field selector
                        }
                        version = ArgoJson.text(workflow, "metadata", "resourceVersion").orElse(version);
                        ObjectNode changedTo = workflow;
                        if (outlast(() -> mirrorIt(changedTo), deadline)) {
                            return Outcome.FINISHED;
                        }
                    } else if (signal.get() instanceof WatchSignal.Deleted) {
                        mirror.deleted(ref.toString());
                        return Outcome.DELETED;
                    } else if (signal.get() instanceof WatchSignal.Gone gone) {
                        mirror.note("argo.watch", "the watch expired (410 Gone: " + gone.detail()
                                + "); reading the Workflow again");
                        break;
                    } else if (signal.get() instanceof WatchSignal.Dropped dropped) {
                        mirror.note("argo.watch", "the watch stopped (" + dropped.detail() + "); watching again");
                        Thread.sleep(settings.reconnectDelay().toMillis());
                        break;
                    }
                }
            }
            Optional<ObjectNode> again = outlast(() -> api.get(ArgoKind.Workflow, ref.namespace(), ref.name()), deadline);
            if (again.isEmpty()) {
                mirror.deleted(ref.toString());
                return Outcome.DELETED;
            }
            workflow = again.get();
            version = ArgoJson.text(workflow, "metadata", "resourceVersion").orElse("");
            ObjectNode seen = workflow;
            if (outlast(() -> mirrorIt(seen), deadline)) {
                return Outcome.FINISHED;
            }
        }
    }

    /**
     * Runs {@code call}, and again while the cluster is unreachable or answers 5xx: once a run is being
     * followed, a control-plane restart or failover (seconds to minutes) must not end the watch, as it
     * does not end {@code kubectl get -w} or {@code argo watch}. Gives up, with the last error, after
     * {@link #OUTAGE_LIMIT} of failures in a row; the first failure and the recovery are noted on the run.
     */
    private <T> T outlast(Supplier<T> call, Optional<Instant> deadline) throws InterruptedException, DeadlinePassed {
        Instant since = null;
        Duration pause = settings.reconnectDelay();
        while (true) {
            try {
                T result = call.get();
                if (since != null) {
                    mirror.note("argo.watch", "reached the cluster again after "
                            + Duration.between(since, clock.instant()).toSeconds() + " s; following on");
                }
                return result;
            } catch (ArgoException e) {
                Kind kind = e.error().kind();
                Instant now = clock.instant();
                if (kind != Kind.Unreachable && kind != Kind.Server || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                if (since == null) {
                    since = now;
                    mirror.note("argo.watch", e.error().message() + "; trying again for up to "
                            + OUTAGE_LIMIT.toMinutes() + " min");
                } else if (Duration.between(since, now).compareTo(OUTAGE_LIMIT) > 0) {
                    throw e;
                }
                Thread.sleep(Math.max(1, upToDeadline(pause, now, deadline).toMillis()));
                pause = shorter(pause.multipliedBy(2), settings.resync());
            }
        }
    }

    /** {@code wait}, or less when the deadline comes sooner; the deadline already passed at {@code now}: thrown. */
    private static Duration upToDeadline(Duration wait, Instant now, Optional<Instant> deadline) throws DeadlinePassed {
        if (deadline.isEmpty()) {
            return wait;
        }
        Duration left = Duration.between(now, deadline.get());
        if (left.isNegative() || left.isZero()) {
            throw new DeadlinePassed();
        }
        return shorter(left, wait);
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    /** How long the cluster may stay unreachable, in a row, before following the run gives up. */
    static final Duration OUTAGE_LIMIT = Duration.ofMinutes(5);

    /** The caller's time limit passed while the cluster was unreachable. */
    private static final class DeadlinePassed extends Exception {
        DeadlinePassed() {
            super(null, null, false, false);
        }
    }

    /** Mirrors one observation; true once the run is finished. */
    boolean mirrorIt(ObjectNode workflow) {
        NodeStatuses nodes = NodeStatuses.of(workflow);
        ObjectNode seen = workflow;
        if (nodes instanceof NodeStatuses.Offloaded) {
            Optional<ObjectNode> hydrated = api.hydrated(ref.namespace(), ref.name());
            if (hydrated.isPresent()) {
                seen = hydrated.get();
                nodes = NodeStatuses.of(seen);
            }
        }
        RunStatus status = mirror.apply(seen, nodes, this::podProblem);
        return status.isTerminal();
    }

    private Optional<String> podProblem(String pod) {
        Instant now = clock.instant();
        Instant since = pendingSince.computeIfAbsent(pod, p -> now);
        if (Duration.between(since, now).compareTo(settings.pendingGrace()) < 0) {
            return Optional.empty();
        }
        Asked last = asked.get(pod);
        if (last != null && Duration.between(last.at(), now).compareTo(settings.resync()) < 0) {
            return last.problem();
        }
        Optional<String> problem = api.podProblem(ref.namespace(), pod);
        asked.put(pod, new Asked(now, problem));
        return problem;
    }

    enum Outcome {
        FINISHED, DELETED, TIMED_OUT
    }
}
