package dev.freestone.runtime.local;

/**
 * How a run ended. {@link #REJECTED}: the pre-run checks failed and nothing ran (see
 * {@link RunOutcome#problems()}). The exit handler sees {@link #runStatusText()}: {@code Succeeded},
 * {@code Failed} or {@code Error}, as Argo's {@code workflow.status} (a cancelled run is {@code Failed}
 * there, like a terminated workflow).
 */
public enum RunStatus {
    SUCCEEDED, FAILED, ERROR, CANCELLED, REJECTED;

    public String runStatusText() {
        return switch (this) {
            case SUCCEEDED -> "Succeeded";
            case ERROR -> "Error";
            case FAILED, CANCELLED, REJECTED -> "Failed";
        };
    }
}
