package io.jobplane.api.connection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.events.secret.SecretKeyring;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Checks that a connection really connects: opens a session with its settings and asks the server who it is. */
@ApplicationScoped
public class ConnectionTester {

    private static final int TIMEOUT_SECONDS = 10;

    private final SecretKeyring keyring;

    public ConnectionTester(SecretKeyring keyring) {
        this.keyring = keyring;
    }

    /** The outcome of one test; a failed connection is a result, not an error of the request. */
    public record Result(boolean ok, Long latencyMs, String serverVersion, String error) {
    }

    /** Runs on a worker thread: JDBC blocks, and the event loop must not. */
    public Uni<Result> test(ConnectionEntity connection) {
        return Uni.createFrom().item(() -> connect(connection)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Result connect(ConnectionEntity c) {
        Properties props = new Properties();
        if (c.username != null) {
            props.setProperty("user", c.username);
        }
        String password = c.sealedPassword() == null ? null : keyring.open(c.sealedPassword());
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        props.setProperty("socketTimeout", Integer.toString(TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "jobplane connection test");
        long started = System.nanoTime();
        try (Connection session = DriverManager.getConnection(c.jdbcUrl, props)) {
            String version = session.getMetaData().getDatabaseProductName() + " "
                    + session.getMetaData().getDatabaseProductVersion();
            return new Result(true, (System.nanoTime() - started) / 1_000_000, version, null);
        } catch (SQLException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (password != null && !password.isEmpty()) {
                message = message.replace(password, "***");
            }
            return new Result(false, null, null, message);
        }
    }
}
