package io.jobplane.api.connection;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.util.Timeout;

import io.jobplane.api.secret.SealedFields;
import io.jobplane.events.egress.EgressDeniedException;
import io.jobplane.events.egress.EgressHttp;
import io.jobplane.events.egress.JdbcUrls;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Checks that a connection really works: a database session for JDBC types, a listing of the
 * directory for {@code filesystem}, a request to the base URL for {@code http}. Every address is
 * checked by the egress policy as it is connected to; for {@code treasure_data} a request to TD's
 * {@code GET /v3/user/show} (the key's own user) with the key. A failed test answers a code and a generic
 * text of jobplane's own ({@code EGRESS_DENIED}, {@code CONNECTION_REFUSED}, {@code TIMEOUT},
 * {@code UNKNOWN_HOST}, {@code AUTH_FAILED}, {@code DATABASE_NOT_FOUND}, {@code HTTP_ERROR},
 * {@code CONNECTION_FAILED}): never what the remote side said (its banner, body or headers), so the
 * test is not a port scanner.
 */
@ApplicationScoped
public class ConnectionTester {

    private static final int TIMEOUT_SECONDS = 10;

    private final SecretKeyring keyring;
    private final CloseableHttpClient http = EgressHttp.client(Duration.ofSeconds(TIMEOUT_SECONDS), 20);

    public ConnectionTester(SecretKeyring keyring) {
        this.keyring = keyring;
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }

    /**
     * The outcome of one test; a failed connection is a result, not an error of the request.
     * {@code code} is {@code OK} or why it failed.
     */
    public record Result(boolean ok, String code, Long latencyMs, String serverVersion, String detail, String error) {
        static Result failed(String code, String error) {
            return new Result(false, code, null, null, null, error);
        }
    }

    /** Runs on a worker thread: JDBC, file and HTTP calls block, and the event loop must not. */
    public Uni<Result> test(ConnectionEntity connection) {
        return Uni.createFrom().item(() -> probe(connection)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Result probe(ConnectionEntity c) {
        Map<String, String> secrets = c.sealed().open(keyring, SecretOwner.connection(c.workspace, c.id));
        long started = System.nanoTime();
        try {
            return switch (c.type()) {
                case POSTGRESQL, MYSQL, HIVE_METASTORE -> jdbc(c, secrets, started);
                case FILESYSTEM -> directory(c, started);
                case HTTP -> http(c, secrets, started);
                case TREASURE_DATA -> treasureData(c, secrets, started);
            };
        } catch (JdbcUrls.Refused e) {
            return Result.failed(e.code(), e.getMessage());
        } catch (Exception e) {
            return classify(e, secrets);
        }
    }

    /** A failure as a code and jobplane's own words; only an egress denial (our text) says more. */
    public static Result classify(Throwable e, Map<String, String> secrets) {
        EgressDeniedException denied = EgressDeniedException.in(e);
        if (denied != null) {
            return Result.failed(EgressDeniedException.CODE, SealedFields.mask(denied.getMessage(), secrets.values()));
        }
        String state = e instanceof SQLException sql ? sql.getSQLState() : null;
        if (state != null && state.startsWith("28")) {
            return Result.failed("AUTH_FAILED", "the server refused the user name or password");
        }
        if ("3D000".equals(state) || (state != null && state.equals("42000") && e.getMessage() != null
                && e.getMessage().contains("Unknown database"))) {
            return Result.failed("DATABASE_NOT_FOUND", "the server has no database of that name");
        }
        if (has(e, UnknownHostException.class)) {
            return Result.failed("UNKNOWN_HOST", "the host name does not resolve");
        }
        if (has(e, SocketTimeoutException.class) || has(e, ConnectTimeoutException.class)
                || has(e, InterruptedIOException.class)) {
            return Result.failed("TIMEOUT", "no answer within " + TIMEOUT_SECONDS + " s");
        }
        if (has(e, ConnectException.class) || has(e, HttpHostConnectException.class) || has(e, NoRouteToHostException.class)
                || says(e, "Connection refused")) {
            return Result.failed("CONNECTION_REFUSED", "the address refused the connection or cannot be reached");
        }
        return Result.failed("CONNECTION_FAILED", "the connection did not complete (the server may not speak the protocol"
                + " the connection's type expects)");
    }

    /**
     * A local socket error's text somewhere in the chain (Connector/J keeps only the text of the
     * {@code ConnectException} it caught); read to pick the code, never shown.
     */
    private static boolean says(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Result jdbc(ConnectionEntity c, Map<String, String> secrets, long started) throws SQLException {
        Properties props = JdbcUrls.connectProperties(c.jdbcUrl);
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
            return new Result(true, "OK", elapsed(started), version, null, null);
        }
    }

    private static Result directory(ConnectionEntity c, long started) throws IOException {
        Path base = Path.of(c.basePath);
        if (!Files.isDirectory(base)) {
            return Result.failed("NOT_A_DIRECTORY", "base_path " + base + " is not a directory");
        }
        if (!Files.isReadable(base)) {
            return Result.failed("NOT_READABLE", "base_path " + base + " is not readable");
        }
        long entries;
        try (var listing = Files.list(base)) {
            entries = listing.count();
        }
        String detail = "directory with " + entries + " entries, " + (Files.isWritable(base) ? "writable" : "read-only");
        return new Result(true, "OK", elapsed(started), null, detail, null);
    }

    private Result http(ConnectionEntity c, Map<String, String> secrets, long started) throws IOException {
        HttpGet request = new HttpGet(URI.create(c.baseUrl));
        request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(TIMEOUT_SECONDS)).build());
        c.headerMap().forEach(request::addHeader);
        secrets.forEach((field, value) -> {
            if (field.startsWith(ConnectionFields.SECRET_HEADER)) {
                request.addHeader(field.substring(ConnectionFields.SECRET_HEADER.length()), value);
            }
        });
        if (secrets.get("auth_token") != null) {
            request.addHeader("Authorization", "Bearer " + secrets.get("auth_token"));
        } else if (c.username != null) {
            String pair = c.username + ":" + secrets.getOrDefault("password", "");
            request.addHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes()));
        }
        return status(request, started, false);
    }

    /** {@code GET <base_url>/v3/user/show} with {@code Authorization: TD1 <api_key>}: does TD take the key? */
    private Result treasureData(ConnectionEntity c, Map<String, String> secrets, long started) throws IOException {
        HttpGet request = new HttpGet(URI.create(c.baseUrl + "/v3/user/show"));
        request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(TIMEOUT_SECONDS)).build());
        request.addHeader("Accept", "application/json");
        if (secrets.get("api_key") != null) {
            request.addHeader("Authorization", "TD1 " + secrets.get("api_key"));
        }
        // TD's API answers 200 to a key it takes; anything else (a 404 from a server that is not TD's API) fails.
        return status(request, started, true);
    }

    /**
     * Sends the request and judges it by its status alone: 401/403 refused credentials; below 500
     * (only 2xx when {@code only2xx}) a success.
     */
    private Result status(HttpGet request, long started, boolean only2xx) throws IOException {
        // Only the status code is kept: the body and headers are the remote's and are not shown.
        int status;
        ClassicHttpResponse response = http.executeOpen(null, request, null);
        status = response.getCode();
        // Drop the connection rather than read a body of any length; closing the response after that may
        // fail on the socket we dropped, which says nothing about the server.
        request.cancel();
        try {
            response.close();
        } catch (java.io.IOException dropped) {
            // the connection was closed on purpose
        }
        // The server answered; only a refusal of our credentials or a server error is a failed test.
        if (status == 401 || status == 403) {
            return new Result(false, "AUTH_FAILED", elapsed(started), null, "HTTP " + status, "the server refused the credentials");
        }
        boolean ok = only2xx ? status >= 200 && status < 300 : status < 500;
        return new Result(ok, ok ? "OK" : "HTTP_ERROR", elapsed(started), null, "HTTP " + status,
                ok ? null : "the server answered HTTP " + status);
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
