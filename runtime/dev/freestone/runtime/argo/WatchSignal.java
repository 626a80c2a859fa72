package dev.freestone.runtime.argo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** What a watch on one Workflow reports. */
sealed interface WatchSignal {

    /** The Workflow was added or changed; {@code workflow} is the whole object. */
    record Changed(ObjectNode workflow) implements WatchSignal {
        public Changed {
            Objects.requireNonNull(workflow, "workflow");
        }
    }

    /** The Workflow was deleted (by its TTL, by hand, or with its namespace). */
    record Deleted() implements WatchSignal {
    }

    /** 410 Gone: the resource version is too old; re-list and watch from the new one. */
    record Gone(String detail) implements WatchSignal {
    }

    /** The stream ended or broke; read the Workflow again and watch anew. */
    record Dropped(String detail) implements WatchSignal {
    }
}
