package io.jobplane.api.freeze;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/** A workspace's freeze window, for admission and launches to consult; must be used inside a session. */
@ApplicationScoped
public class Freezes {

    /** The workspace's freeze window (past, current or to come); null when it has none. */
    public Uni<FreezeWindow> of(String workspace) {
        return FreezeEntity.<FreezeEntity>findById(workspace).map(e -> e == null ? null : e.window());
    }
}
