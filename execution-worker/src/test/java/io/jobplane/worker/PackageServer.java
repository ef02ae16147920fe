package io.jobplane.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.jobplane.events.Checksums;
import io.jobplane.events.secret.StepPackageTokens;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Serves step packages to the worker under test the way job-api's internal endpoint does: by hash,
 * only for a token made from the shared test keyring for that package ({@link StepPackageTokens}),
 * a JSON error otherwise. A package can be made to answer 503 a number of times first, or 403.
 * (That job-api itself serves them and refuses foreign tokens is shown by job-api's
 * {@code StepPackageFetchIT} and end to end by system-tests' {@code WalkingSkeletonIT}.)
 */
public final class PackageServer {

    private static PackageServer shared;

    private final HttpServer server;
    private final StepPackageTokens tokens = new StepPackageTokens(TestInfrastructure.shared().keyring());
    private final Map<String, byte[]> packages = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unavailable = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refused = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final Map<String, String> lastRun = new ConcurrentHashMap<>();

    private PackageServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext(StepPackageTokens.PATH, this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "package-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static synchronized PackageServer shared() {
        if (shared == null) {
            try {
                shared = new PackageServer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves the zip under its hash; returns the hash. */
    public String add(byte[] zip) {
        String sha = Checksums.sha256(zip);
        packages.put(sha, zip);
        return sha;
    }

    /** Serves {@code bytes} under {@code sha}, whatever their own hash: a server answering with the wrong package. */
    public void serveAs(String sha, byte[] bytes) {
        packages.put(sha, bytes);
    }

    /** The next {@code times} fetches of the package answer 503. */
    public void unavailable(String sha, int times) {
        unavailable.put(sha, new AtomicInteger(times));
    }

    /** Every fetch of the package is refused with 403, whatever the token. */
    public void refuse(String sha) {
        refused.put(sha, true);
    }

    /** How many times the package's bytes were sent. */
    public int served(String sha) {
        AtomicInteger n = served.get(sha);
        return n == null ? 0 : n.get();
    }

    /** The run id of the last token shown for the package. */
    public String lastRun(String sha) {
        return lastRun.get(sha);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String sha = exchange.getRequestURI().getPath().substring(StepPackageTokens.PATH.length());
            String run;
            try {
                run = tokens.verify(exchange.getRequestHeaders().getFirst(StepPackageTokens.HEADER), sha, Instant.now());
            } catch (StepPackageTokens.Refused e) {
                error(exchange, 403, "PACKAGE_TOKEN_REFUSED", "The step package token is refused: " + e.getMessage());
                return;
            }
            lastRun.put(sha, run);
            if (refused.containsKey(sha)) {
                error(exchange, 403, "PACKAGE_TOKEN_REFUSED", "The step package token is refused: the token's run is not active");
                return;
            }
            AtomicInteger failures = unavailable.get(sha);
            if (failures != null && failures.getAndDecrement() > 0) {
                error(exchange, 503, "UNAVAILABLE", "try again");
                return;
            }
            byte[] zip = packages.get(sha);
            if (zip == null) {
                error(exchange, 404, "STEP_PACKAGE_NOT_FOUND", "no such package");
                return;
            }
            served.computeIfAbsent(sha, k -> new AtomicInteger()).incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/zip");
            exchange.sendResponseHeaders(200, zip.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(zip);
            }
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] body = ("{\"error_code\":\"" + code + "\",\"error_msg\":\"" + message + "\",\"solution_msg\":\"-\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Points every worker under test at the shared package server. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("jobplane.worker.api-url", shared().url());
        }

        @Override
        public void stop() {
            // shared by the JVM's test classes; a daemon, gone at exit
        }
    }
}
