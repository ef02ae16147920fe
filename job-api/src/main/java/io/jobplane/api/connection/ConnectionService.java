package io.jobplane.api.connection;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Caller;
import io.jobplane.events.secret.SecretKeyring;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Creates and reads connections; seals passwords before they reach the database. */
@ApplicationScoped
public class ConnectionService {

    private final SecretKeyring keyring;

    public ConnectionService(SecretKeyring keyring) {
        this.keyring = keyring;
    }

    @WithTransaction
    public Uni<ConnectionView> create(Caller caller, ConnectionRequest request) {
        ConnectionEntity entity = toEntity(caller, request);
        return ensureNameFree(caller.workspace(), request.name())
                .chain(() -> entity.<ConnectionEntity>persist())
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
