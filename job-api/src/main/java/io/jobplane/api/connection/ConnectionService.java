package io.jobplane.api.connection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.workspace.Versions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.jobplane.api.security.Caller;
import io.jobplane.events.secret.SecretKeyring;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Creates and reads connections; seals passwords before they reach the database. */
@ApplicationScoped
public class ConnectionService {

    private final SecretKeyring keyring;
    private final Audit audit;
    private final ConnectionTester tester;

    public ConnectionService(SecretKeyring keyring, Audit audit, ConnectionTester tester) {
        this.keyring = keyring;
        this.audit = audit;
        this.tester = tester;
    }

    @WithTransaction
    public Uni<ConnectionView> create(Caller caller, ConnectionRequest request) {
        ConnectionEntity entity = toEntity(caller, request);
        return ensureNameFree(caller.workspace(), request.name())
                .chain(() -> entity.<ConnectionEntity>persist())
                .call(saved -> audit.record(caller, "connection.created", "connection", saved.id,
                        Map.of("name", saved.name, "type", saved.type, "jdbc_url", saved.jdbcUrl)))
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
                .call(c -> JobEntity.count("destinationConnectionId", c.id).invoke(jobs -> {
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

    /** Applies the change; returns what changed, with the password only as "(changed)". */
    private Map<String, Object> apply(ConnectionEntity c, ConnectionUpdate change) {
        Map<String, Object> changed = new LinkedHashMap<>();
        if (change.name() != null && !change.name().equals(c.name)) {
            c.name = change.name();
            changed.put("name", c.name);
        }
        boolean addressChanged = change.jdbcUrl() != null || change.host() != null || change.port() != null
                || change.database() != null;
        if (addressChanged) {
            ConnectionRequest address = new ConnectionRequest(c.name, ConnectionType.fromWire(c.type),
                    change.jdbcUrl(), change.host() != null ? change.host() : c.host,
                    change.port() != null ? change.port() : c.port,
                    change.database() != null ? change.database() : c.databaseName, null, null);
            c.jdbcUrl = JdbcUrls.forPostgres(address);
            c.host = address.host();
            c.port = address.port();
            c.databaseName = address.database();
            changed.put("jdbc_url", c.jdbcUrl);
        }
        if (change.username() != null && !change.username().equals(c.username)) {
            c.username = change.username();
            changed.put("username", c.username);
        }
        if (change.password() != null && !change.password().isEmpty()) {
            c.sealedPassword(keyring.seal(change.password()));
            changed.put("password", Audit.SECRET_CHANGED);
        }
        if (!changed.isEmpty()) {
            c.updatedAt = java.time.Instant.now();
        }
        return changed;
    }

    /** Opens a real session with the stored settings and reports whether it worked. */
    public Uni<ConnectionTester.Result> test(Caller caller, UUID id) {
        return Panache.withSession(() -> ConnectionEntity.findInWorkspace(caller.workspace(), id))
                .onItem().ifNull().failWith(() -> ApiException.notFound("connection", id))
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

    private ConnectionEntity toEntity(Caller caller, ConnectionRequest request) {
        ConnectionEntity e = new ConnectionEntity();
        e.createdBy(caller.workspace(), caller.subject());
        e.name = request.name();
        e.type = request.type().wire();
        e.host = request.host();
        e.port = request.port();
        e.databaseName = request.database();
        e.jdbcUrl = JdbcUrls.forPostgres(request);
        e.username = request.username();
        if (request.password() != null && !request.password().isEmpty()) {
            e.sealedPassword(keyring.seal(request.password()));
        }
        return e;
    }
}
