package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.argo.ArgoError.Kind;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Creates a Workflow so that one request never makes two. A create is a POST, and the Kubernetes client
 * retries a POST answered 5xx; with {@code generateName} the server may have stored the first one, and a
 * retry is a second Workflow. So Freestone chooses the name the server would (the {@code generateName}
 * prefix and five characters of Kubernetes' alphabet) and marks the Workflow with a
 * {@value SubmitRequest#SUBMIT_ID}: a retry then gets 409, and a Workflow of that name with our mark is our
 * own earlier create. Submit and the Kubernetes-mode resubmit both create through here.
 */
final class WorkflowCreate {
    /** Kubernetes' own alphabet for generated name suffixes: no vowels (no words), no 0, 1, 3 (no look-alikes). */
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    /** How many names are tried when one is taken by someone else's Workflow (1 in 14 million each). */
    private static final int NAME_TRIES = 3;

    private WorkflowCreate() {
    }

    /** Creates {@code workflow} (changing its metadata: name and mark) and returns the Workflow the server holds. */
    static ObjectNode once(ArgoApi api, String ns, ObjectNode workflow) {
        ObjectNode meta = (ObjectNode) workflow.get("metadata");
        String prefix = meta.path("generateName").asText("");
        if (!meta.path("name").asText("").isEmpty() || prefix.isEmpty()) {
            return api.create(ArgoKind.Workflow, ns, workflow);
        }
        String submitId = UUID.randomUUID().toString();
        ObjectNode annotations = meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
        annotations.put(SubmitRequest.SUBMIT_ID, submitId);
        for (int tried = 1; ; tried++) {
            String name = prefix + suffix();
            meta.put("name", name);
            try {
                return api.create(ArgoKind.Workflow, ns, workflow);
            } catch (ArgoException e) {
                if (e.error().kind() != Kind.Conflict) {
                    throw e;
                }
                Optional<ObjectNode> there = api.get(ArgoKind.Workflow, ns, name);
                if (there.isPresent() && ArgoJson.text(there.get(), "metadata", "annotations", SubmitRequest.SUBMIT_ID)
                        .filter(submitId::equals).isPresent()) {
                    return there.get();
                }
                if (tried == NAME_TRIES) {
                    throw e;
                }
            }
        }
    }

    private static String suffix() {
        StringBuilder b = new StringBuilder(5);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 5; i++) {
            b.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return b.toString();
    }
}
