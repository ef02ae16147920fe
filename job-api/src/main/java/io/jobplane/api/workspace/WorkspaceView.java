package io.jobplane.api.workspace;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.jobplane.api.quota.QuotaLimits;
import io.jobplane.api.security.Role;

/** A workspace as the API shows it, with the caller's role in it. */
public record WorkspaceView(String workspaceId, String displayName, String description, Integer maxActiveRuns,
        String role, boolean registered, Instant createdAt, Integer version, QuotaLimits quotas) {

    /** The workspace; one that is not registered shows its id as its name and no settings. */
    static WorkspaceView of(String id, Role role, WorkspaceEntity e) {
        return e == null ? new WorkspaceView(id, id, null, null, role.name().toLowerCase(), false, null, null, null)
                : new WorkspaceView(id, e.displayName, e.description, e.maxActiveRuns, role.name().toLowerCase(), true,
                        e.createdAt, e.version, e.quotas().isEmpty() ? null : e.quotas());
    }

    /** Every workspace the token names, in its order, with those of them that are registered. */
    static List<WorkspaceView> all(Map<String, Role> mine, List<WorkspaceEntity> registered) {
        Map<String, WorkspaceEntity> byId = registered.stream().collect(Collectors.toMap(e -> e.id, Function.identity()));
        return mine.entrySet().stream().map(m -> of(m.getKey(), m.getValue(), byId.get(m.getKey()))).toList();
    }
}
