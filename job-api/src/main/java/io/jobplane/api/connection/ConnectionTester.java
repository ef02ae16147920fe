package io.jobplane.api.connection;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.secret.SealedFields;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Checks that a connection really works: a database session for JDBC types, a listing of the
 * directory for {@code filesystem}, a request to the base URL for {@code http}.
 */
@ApplicationScoped
public class ConnectionTester {

    private static final int TIMEOUT_SECONDS = 10;

    private final SecretKeyring keyring;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public ConnectionTester(SecretKeyring keyring) {
        this.keyring = keyring;
    }

    /** The outcome of one test; a failed connection is a result, not an error of the request. */
    public record Result(boolean ok, Long latencyMs, String serverVersion, String detail, String error) {
    }

    /** Runs on a worker thread: JDBC, file and HTTP calls block, and the event loop must not. */
    public Uni<Result> test(ConnectionEntity connection) {
        return Uni.createFrom().item(() -> probe(connection)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Result probe(ConnectionEntity c) {
        Map<String, String> secrets = c.sealed().open(keyring, SecretOwner.connection(c.workspace, c.id));
        long started = System.nanoTime();
        try {
            Result result = switch (c.type()) {
                case POSTGRESQL, MYSQL, HIVE_METASTORE -> jdbc(c, secrets, started);
                case FILESYSTEM -> directory(c, started);
                case HTTP -> http(c, secrets, started);
            };
            return result;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Result(false, null, null, null, SealedFields.mask(message, secrets.values()));
        }
    }

    private static Result jdbc(ConnectionEntity c, Map<String, String> secrets, long started) throws SQLException {
        Properties props = new Properties();
        if (c.username != null) {
            props.setProperty("user", c.username);
        }
        if (secrets.get("password") != null) {
            props.setProperty("password", secrets.get("password"));
        }
        Driver driver;
        if (c.jdbcUrl.startsWith("jdbc:mysql:")) {
            driver = new com.mysql.cj.jdbc.Driver();
            props.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS * 1000));
            props.setProperty("socketTimeout", Integer.toString(TIMEOUT_SECONDS * 1000));
        } else {
            driver = new org.postgresql.Driver();
            props.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
            props.setProperty("socketTimeout", Integer.toString(TIMEOUT_SECONDS));
            props.setProperty("ApplicationName", "jobplane connection test");
        }
        try (Connection session = driver.connect(c.jdbcUrl, props)) {
            String version = session.getMetaData().getDatabaseProductName() + " "
                    + session.getMetaData().getDatabaseProductVersion();
            return new Result(true, elapsed(started), version, null, null);
        }
    }

    private static Result directory(ConnectionEntity c, long started) throws IOException {
        Path base = Path.of(c.basePath);
        if (!Files.isDirectory(base)) {
            return new Result(false, null, null, null, "base_path " + base + " is not a directory");
        }
        if (!Files.isReadable(base)) {
            return new Result(false, null, null, null, "base_path " + base + " is not readable");
        }
        long entries;
        try (var listing = Files.list(base)) {
            entries = listing.count();
        }
        String detail = "directory with " + entries + " entries, " + (Files.isWritable(base) ? "writable" : "read-only");
        return new Result(true, elapsed(started), null, detail, null);
    }

    private Result http(ConnectionEntity c, Map<String, String> secrets, long started) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(c.baseUrl))
                .timeout(Duration.ofSeconds(TIMEOUT_SECONDS)).GET();
        c.headerMap().forEach(request::header);
        secrets.forEach((field, value) -> {
            if (field.startsWith(ConnectionFields.SECRET_HEADER)) {
                request.header(field.substring(ConnectionFields.SECRET_HEADER.length()), value);
            }
        });
        if (secrets.get("auth_token") != null) {
            request.header("Authorization", "Bearer " + secrets.get("auth_token"));
        } else if (c.username != null) {
            String pair = c.username + ":" + secrets.getOrDefault("password", "");
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes()));
        }
        HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        String server = response.headers().firstValue("server").orElse(null);
        // The server answered; only a refusal of our credentials or a server error is a failed test.
        boolean ok = status < 500 && status != 401 && status != 403;
        return new Result(ok, elapsed(started), server, "HTTP " + status, ok ? null : "the server answered HTTP " + status);
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
