package dev.freestone.runtime.store;

import java.util.Objects;

/** The Argo Workflow that carries a remote run. */
public record RemoteRef(String namespace, String name) {
    public RemoteRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
