package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.jobplane.events.egress.EgressDeniedException;
import io.jobplane.events.egress.EgressPolicy;
import io.jobplane.events.egress.JdbcUrls;
import io.jobplane.events.egress.PgSocketFactory;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Egress control in job-api: refused addresses at save time and at connect time, the platform's own
 * database never reachable (although the test allowlist holds 127.0.0.0/8), JDBC parameters off the
 * driver's allowlist refused, and connection tests that answer a code and nothing the remote said.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class EgressIT {

    private static String connections(String ws) {
        return "/api/v1/workspaces/" + ws + "/connections";
    }

    private static void refused(String ws, Map<String, Object> body, String code, String text) {
        as(ws, "editor").body(body).post(connections(ws)).then().statusCode(400)
                .body("error_code", equalTo(code)).body("error_msg", containsString(text))
                .body("solution_msg", not(equalTo(null)));
    }

    @Test
    void metadataAndThePlatformDatabaseAreRefusedWhenSaved() {
        String ws = uniqueWorkspace();
        PostgresServer platform = TestInfrastructure.shared().postgres();
        refused(ws, Map.of("name", "meta", "type", "http", "base_url", "http://169.254.169.254/latest/"),
                "EGRESS_DENIED", "cloud metadata");
        refused(ws, Map.of("name", "meta-db", "type", "postgresql", "jdbc_url", "jdbc:postgresql://169.254.169.254:5432/x"),
                "EGRESS_DENIED", "cloud metadata");
        refused(ws, Map.of("name", "own", "type", "postgresql", "jdbc_url", platform.jdbcUrl(), "username", "jobplane"),
                "EGRESS_DENIED", "platform's own database");
        for (String host : new String[] { "localhost", "LOCALHOST", "127.0.0.2", "127.1", "[::ffff:127.0.0.1]", "0.0.0.0" }) {
            refused(ws, Map.of("name", "own", "type", "postgresql", "jdbc_url",
                    "jdbc:postgresql://" + host + ":" + platform.port() + "/jobplane"), "EGRESS_DENIED", "platform");
        }
        refused(ws, Map.of("name", "multi", "type", "postgresql", "jdbc_url",
                "jdbc:postgresql://db.example.com:5432,127.0.0.1:" + platform.port() + "/jobplane"), "EGRESS_DENIED",
                "platform");
        refused(ws, Map.of("name", "own", "type", "postgresql", "host", "127.0.0.1", "port", platform.port(), "database",
                "jobplane"), "EGRESS_DENIED", "platform");
        // Nothing was saved.
        as(ws, "viewer").get(connections(ws)).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void jdbcParametersOffTheAllowlistAreRefusedNamingTheParameterAndTheAllowedOnes() {
        String ws = uniqueWorkspace();
        as(ws, "editor").body(Map.of("name", "m", "type", "mysql", "jdbc_url",
                "jdbc:mysql://db.example.com:3306/shop?useSSL=true&allowLoadLocalInfile=true")).post(connections(ws)).then()
                .statusCode(400).body("error_code", equalTo("JDBC_PARAMETER_NOT_ALLOWED"))
                .body("error_msg", containsString("'allowLoadLocalInfile'"))
                .body("solution_msg", containsString("useSSL"));
        refused(ws, Map.of("name", "p", "type", "postgresql", "jdbc_url",
                "jdbc:postgresql://db.example.com/shop?sslfactory=org.postgresql.ssl.NonValidatingFactory"),
                "JDBC_PARAMETER_NOT_ALLOWED", "'sslfactory'");
        refused(ws, Map.of("name", "p", "type", "postgresql", "jdbc_url",
                "jdbc:postgresql://db.example.com/shop?socketFactory=x.Y"), "JDBC_PARAMETER_NOT_ALLOWED", "'socketFactory'");
        refused(ws, Map.of("name", "h", "type", "hive_metastore", "jdbc_url",
                "jdbc:mysql://(host=db.example.com,allowLoadLocalInfile=true)/hive"), "INVALID_JDBC_URL", "HOST");
        // Allowed parameters and several hosts pass.
        as(ws, "editor").body(Map.of("name", "ok", "type", "postgresql", "jdbc_url",
                "jdbc:postgresql://db1.example.com,db2.example.com:5433/shop?sslmode=require&ApplicationName=x")).post(connections(ws))
                .then().statusCode(201);
    }

    @Test
    void aNameResolvingToThePlatformIsRefusedWhenTheTestConnects() throws Exception {
        String name = InetAddress.getLocalHost().getHostName();
        InetAddress[] addresses = InetAddress.getAllByName(name);
        Assumptions.assumeTrue(addresses[0].isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(addresses[0]) != null,
                "this machine's name resolves to one of its own addresses");
        String ws = uniqueWorkspace();
        PostgresServer platform = TestInfrastructure.shared().postgres();
        // A name is not looked up when saved; the test connects, and the socket checks what it resolved to.
        String id = as(ws, "editor").body(Map.of("name", "by-name", "type", "postgresql", "jdbc_url",
                "jdbc:postgresql://" + name + ":" + platform.port() + "/jobplane", "username", "jobplane"))
                .post(connections(ws)).then().statusCode(201).extract().path("connection_id");
        as(ws, "editor").post(connections(ws) + "/" + id + "/test").then().statusCode(200)
                .body("ok", equalTo(false)).body("code", equalTo("EGRESS_DENIED"))
                .body("error", containsString("platform's own database"));
    }

    @Test
    void theSocketFactoryRefusesThePlatformDatabaseWhateverTheAllowlistAndReachesTheTenantServer() throws Exception {
        TestInfrastructure infra = TestInfrastructure.shared();
        PostgresServer platform = infra.postgres();
        PostgresServer tenant = infra.tenant();
        try (Socket s = new PgSocketFactory().createSocket()) {
            EgressDeniedException e = assertThrows(EgressDeniedException.class,
                    () -> s.connect(new InetSocketAddress("127.0.0.1", platform.port()), 2000));
            assertEquals(EgressPolicy.Reason.PLATFORM, e.reason());
        }
        try (Socket s = new PgSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", tenant.port()), 2000);
            assertTrue(s.isConnected());
        }
        // Through the driver, as jobs connect: the platform is refused, the tenant server answers.
        Properties props = JdbcUrls.connectProperties(platform.jdbcUrl());
        props.setProperty("user", platform.username());
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(platform.jdbcUrl(), props));
        assertNotNull(EgressDeniedException.in(refused), "the driver's failure carries the denial");
        Properties tenantProps = JdbcUrls.connectProperties(tenant.jdbcUrl());
        tenantProps.setProperty("user", tenant.username());
        try (var c = DriverManager.getConnection(tenant.jdbcUrl(), tenantProps)) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void aConnectionTestAnswersACodeAndNothingTheRemoteSaid() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "internal-banner-9f3 admin console".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Server", "secret-server/1.2");
            exchange.getResponseHeaders().add("X-Internal", "internal-header-77");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String ws = uniqueWorkspace();
            String id = as(ws, "editor").body(Map.of("name", "svc", "type", "http", "base_url",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/")).post(connections(ws)).then().statusCode(201)
                    .extract().path("connection_id");
            String answer = as(ws, "editor").post(connections(ws) + "/" + id + "/test").then().statusCode(200)
                    .body("ok", equalTo(false)).body("code", equalTo("HTTP_ERROR")).body("detail", equalTo("HTTP 503"))
                    .extract().asString();
            for (String remote : new String[] { "internal-banner-9f3", "secret-server", "internal-header-77" }) {
                assertTrue(!answer.contains(remote), "the answer shows nothing of the remote's: " + answer);
            }
            // A port that speaks another protocol and greets first: a generic failure, not its greeting.
            try (java.net.ServerSocket banner = new java.net.ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
                Thread greeter = new Thread(() -> {
                    while (!banner.isClosed()) {
                        try (Socket client = banner.accept()) {
                            client.getOutputStream().write("SSH-2.0-internal-banner-9f3\r\n".getBytes(StandardCharsets.US_ASCII));
                        } catch (java.io.IOException e) {
                            return;
                        }
                    }
                });
                greeter.setDaemon(true);
                greeter.start();
                String other = as(ws, "editor").body(new HashMap<>(Map.of("name", "not-pg", "type", "postgresql", "jdbc_url",
                        "jdbc:postgresql://127.0.0.1:" + banner.getLocalPort() + "/demo", "username", "u")))
                        .post(connections(ws)).then().statusCode(201).extract().path("connection_id");
                String failed = as(ws, "editor").post(connections(ws) + "/" + other + "/test").then().statusCode(200)
                        .body("ok", equalTo(false)).body("code", equalTo("CONNECTION_FAILED")).extract().asString();
                assertTrue(!failed.contains("internal-banner") && !failed.contains("SSH"), failed);
            }
        } finally {
            server.stop(0);
        }
        // The tenant server works as a connection target.
        String ws = uniqueWorkspace();
        String ok = as(ws, "editor").body(postgresConnection("tenant", "pw")).post(connections(ws)).then().statusCode(201)
                .extract().path("connection_id");
        as(ws, "editor").post(connections(ws) + "/" + ok + "/test").then().statusCode(200).body("ok", equalTo(true))
                .body("code", equalTo("OK"));
    }
}
