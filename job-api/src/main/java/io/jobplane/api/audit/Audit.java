package io.jobplane.api.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.api.security.Caller;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Records every change in the transaction that makes it, so the audit trail and the data never
 * disagree. Callers pass field values; secret fields must be passed as {@link #SECRET_CHANGED}.
 */
@ApplicationScoped
public class Audit {

    /** What the audit trail shows instead of a secret's value. */
    public static final String SECRET_CHANGED = "(changed)";

    private final ObjectMapper json;

    public Audit(ObjectMapper json) {
        this.json = json;
    }

    /** Must run inside the transaction of the change. */
    public Uni<Void> record(Caller caller, String action, String objectType, Object objectId, Map<String, ?> details) {
        AuditEventEntity e = new AuditEventEntity();
        e.workspace = caller.workspace();
        e.actor = caller.subject();
        e.action = action;
        e.objectType = objectType;
        e.objectId = String.valueOf(objectId);
        e.at = Instant.now();
        try {
            e.details = details == null || details.isEmpty() ? null : json.writeValueAsString(new TreeMap<>(details));
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("audit details are not serialisable", ex);
        }
        return e.persist().replaceWithVoid();
    }

    /** The newest changes of the caller's workspace first; {@code before} pages back by id. */
    @WithSession
    public Uni<List<AuditEventView>> list(Caller caller, Long before, int limit) {
        String where = before == null ? "workspace = ?1" : "workspace = ?1 and id < ?2";
        Object[] params = before == null ? new Object[] { caller.workspace() } : new Object[] { caller.workspace(), before };
        return AuditEventEntity.<AuditEventEntity>find(where + " order by id desc", params).page(0, limit).list()
                .map(rows -> rows.stream().map(this::view).toList());
    }

    private AuditEventView view(AuditEventEntity e) {
        Object details = null;
        if (e.details != null) {
            try {
                details = json.readTree(e.details);
            } catch (JsonProcessingException ex) {
                details = e.details;
            }
        }
        return new AuditEventView(e.id, e.actor, e.action, e.objectType, e.objectId, e.at, details);
    }

    /** One audit entry as the API shows it. */
    public record AuditEventView(long id, String actor, String action, String objectType, String objectId, Instant at,
            Object details) {
    }
}
