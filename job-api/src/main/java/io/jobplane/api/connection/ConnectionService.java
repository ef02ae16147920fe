package io.jobplane.api.connection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.workspace.Versions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.api.security.Caller;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Creates, reads, changes and tests connections; seals secrets before they reach the database. */
@ApplicationScoped
public class ConnectionService {

    private final SecretKeyring keyring;
    private final Audit audit;
    private final ConnectionTester tester;

    private final ConnectionSettings settings;

    public ConnectionService(SecretKeyring keyring, Audit audit, ConnectionTester tester,
            @ConfigProperty(name = "jobplane.connections.filesystem-roots") Optional<List<String>> filesystemRoots) {
        this.keyring = keyring;
        this.audit = audit;
        this.tester = tester;
        this.settings = new ConnectionSettings(filesystemRoots.orElse(List.of()));
    }

    @WithTransaction
    public Uni<ConnectionView> create(Caller caller, ConnectionRequest request) {
        ConnectionEntity entity = new ConnectionEntity();
        entity.createdBy(caller.workspace(), caller.subject());
        entity.name = request.name();
        entity.type = request.type().wire();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", entity.name);
        details.put("type", entity.type);
        details.putAll(settings.apply(entity, request.fields()));
        return ensureNameFree(caller.workspace(), request.name())
                .chain(() -> entity.<ConnectionEntity>persist())
                // Secrets are sealed to the connection's id, which persisting gave it.
                .invoke(saved -> details.putAll(applySecrets(saved, request.fields())))
                .call(saved -> audit.record(caller, "connection.created", "connection", saved.id, details))
                .map(ConnectionView::of);
    }

    @WithSession
    public Uni<List<ConnectionView>> list(Caller caller) {
        return ConnectionEntity.<ConnectionEntity>find("workspace = ?1 order by name", caller.workspace())
                .list()
                .map(all -> all.stream().map(ConnectionView::of).toList());
    }

    @WithSession
    public Uni<ConnectionView> get(Caller caller, UUID id) {
        return ConnectionEntity.findInWorkspace(caller.workspace(), id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("connection", id))
                .map(ConnectionView::of);
    }

    @WithTransaction
    public Uni<ConnectionView> update(Caller caller, UUID id, ConnectionUpdate change, String ifMatch) {
        return ConnectionEntity.<ConnectionEntity>find("workspace = ?1 and id = ?2", caller.workspace(), id)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .onItem().ifNull().failWith(() -> ApiException.notFound("connection", id))
                .invoke(c -> Versions.requireMatch(ifMatch, c))
                .call(c -> change.name() == null || change.name().equals(c.name) ? Uni.createFrom().voidItem()
                        : ensureNameFree(caller.workspace(), change.name()))
                .call(c -> audit.record(caller, "connection.updated", "connection", c.id, apply(c, change)))
                .call(c -> Panache.getSession().chain(s -> s.flush()))
                .map(ConnectionView::of);
    }

    @WithTransaction
    public Uni<Void> delete(Caller caller, UUID id, String ifMatch) {
        return ConnectionEntity.findInWorkspace(caller.workspace(), id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("connection", id))
                .invoke(c -> Versions.requireMatch(ifMatch, c))
                .call(c -> JobEntity.count("sourceConnectionId = ?1 or destinationConnectionId = ?1", c.id).invoke(jobs -> {
                    if (jobs > 0) {
                        throw ApiException.conflict("CONNECTION_IN_USE",
                                "Connection '" + c.name + "' is used by " + jobs + " job(s)",
                                "Point those jobs at another connection or delete them first.");
                    }
                }))
                .call(c -> audit.record(caller, "connection.deleted", "connection", c.id, Map.of("name", c.name)))
                .call(c -> c.delete())
                .replaceWithVoid();
    }

    /** Applies the change; returns what changed, with secrets only as "(changed)". */
    private Map<String, Object> apply(ConnectionEntity c, ConnectionUpdate change) {
        Map<String, Object> changed = new LinkedHashMap<>();
        if (change.name() != null && !change.name().equals(c.name)) {
            c.name = change.name();
            changed.put("name", c.name);
        }
        changed.putAll(apply(c, change.fields()));
        if (!changed.isEmpty()) {
            c.updatedAt = java.time.Instant.now();
        }
        return changed;
    }

    /**
     * Type-specific fields, then secrets; a change of endpoint needs the secrets again
     * ({@link EndpointSecrets}).
     */
    private Map<String, Object> apply(ConnectionEntity c, ConnectionFields fields) {
        Map<String, Object> changed = settings.apply(c, fields);
        EndpointSecrets.require(changed.keySet(), c.sealed().names(), fields.secrets(), fields.removeSecrets());
        changed.putAll(applySecrets(c, fields));
        return changed;
    }

    /** Secrets: sealed with the active key to this connection's fields, reported only by name. */
    private Map<String, Object> applySecrets(ConnectionEntity c, ConnectionFields fields) {
        Map<String, Object> changed = new LinkedHashMap<>();
        SealedFields sealed = c.sealed();
        for (String removed : fields.removeSecrets()) {
            if (sealed.get(removed) == null) {
                throw ApiException.badRequest("UNKNOWN_SECRET", "The connection holds no secret '" + removed + "'",
                        "Name secrets as listed in secrets_set: " + sealed.names() + ".");
            }
        }
        List<String> secretsChanged = sealed.merge(fields.secrets(), fields.removeSecrets(), keyring,
                SecretOwner.connection(c.workspace, c.id));
        if (!secretsChanged.isEmpty() || sealed.resealed()) {
            c.secrets = sealed.json();
            secretsChanged.forEach(s -> changed.put(s, Audit.SECRET_CHANGED));
        }
        return changed;
    }

    /** Opens a real session with the stored settings and reports whether it worked. */
    public Uni<ConnectionTester.Result> test(Caller caller, UUID id) {
        return Panache.withSession(() -> ConnectionEntity.findInWorkspace(caller.workspace(), id))
                .onItem().ifNull().failWith(() -> ApiException.notFound("connection", id))
                .invoke(c -> settings.recheck(c))
                .chain(tester::test);
    }

    private Uni<Void> ensureNameFree(String workspace, String name) {
        return ConnectionEntity.count("workspace = ?1 and name = ?2", workspace, name)
                .invoke(count -> {
                    if (count > 0) {
                        throw ApiException.conflict("CONNECTION_NAME_TAKEN",
                                "A connection named '" + name + "' already exists in this workspace",
                                "Choose another name, or update the existing connection.");
                    }
                })
                .replaceWithVoid();
    }
}
