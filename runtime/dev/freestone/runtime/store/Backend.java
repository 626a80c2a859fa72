package dev.freestone.runtime.store;

/** Where a run executes. Stored as its {@link #wireName()}. */
public enum Backend {
    Local("local"), Argo("argo");

    private final String wireName;

    Backend(String wireName) {
        this.wireName = wireName;
    }

    /** The lower-case name written to the store and shown to users ({@code local}, {@code argo}). */
    public String wireName() {
        return wireName;
    }

    static Backend fromWireName(String name) {
        for (Backend b : values()) {
            if (b.wireName.equals(name)) {
                return b;
            }
        }
        throw new IllegalStateException("unknown backend in run store: " + name);
    }
}
