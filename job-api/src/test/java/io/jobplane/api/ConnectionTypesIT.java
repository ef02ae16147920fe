package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.Ports;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every connection type, its write-only secrets and its real connection test. */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class ConnectionTypesIT {

    private static final String TOKEN = "canary-token-5e1";
    private static final String API_KEY = "canary-apikey-9f3";

    @Test
    void eachTypeKeepsItsOwnFieldsAndShowsOnlyTheNamesOfItsSecrets() throws Exception {
        String ws = uniqueWorkspace();
        String mysql = create(ws, Map.of("name", "shop", "type", "mysql", "host", "db.internal", "database", "shop",
                "username", "etl", "password", "canary-mysql-1"));
        as(ws, "viewer").get(path(ws, mysql)).then().statusCode(200)
                .body("type", equalTo("mysql"))
                .body("jdbc_url", equalTo("jdbc:mysql://db.internal:3306/shop"))
                .body("secrets_set", equalTo(List.of("password")))
                .body("$", not(hasKey("base_url")))
                .body(not(containsString("canary-mysql-1")));

        String hive = create(ws, Map.of("name", "metastore", "type", "hive_metastore",
                "jdbc_url", "jdbc:postgresql://meta:5432/hive", "username", "hive", "password", "canary-hive-2"));
        as(ws, "viewer").get(path(ws, hive)).then().statusCode(200)
                .body("jdbc_url", equalTo("jdbc:postgresql://meta:5432/hive")).body(not(containsString("canary-hive-2")));

        Path landing = Files.createTempDirectory(TestInfrastructure.shared().filesRoot(), "landing");
        String fs = create(ws, Map.of("name", "landing", "type", "filesystem", "base_path", landing.toString()));
        as(ws, "viewer").get(path(ws, fs)).then().statusCode(200)
                .body("base_path", equalTo(landing.toString())).body("secrets_set", equalTo(List.of()));

        String api = create(ws, Map.of("name", "crm", "type", "http", "base_url", "https://crm.example.com/v2",
                "headers", Map.of("Accept", "application/json"), "auth_token", TOKEN,
                "secret_headers", Map.of("X-Api-Key", API_KEY)));
        String body = as(ws, "viewer").get(path(ws, api)).then().statusCode(200)
                .body("headers.Accept", equalTo("application/json"))
                .body("secrets_set", equalTo(List.of("auth_token", "secret_headers.X-Api-Key")))
                .extract().asString();
        assertEquals(-1, body.indexOf(TOKEN) + body.indexOf(API_KEY) + 1, "no secret in " + body);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(200)
                .body("name", equalTo(List.of("crm", "landing", "metastore", "shop")))
                .body(not(containsString(TOKEN))).body(not(containsString("canary-mysql-1")));
    }

    @Test
    void fieldsThatDoNotFitTheTypeAreRefusedAndNothingIsStored() {
        String ws = uniqueWorkspace();
        refuse(ws, Map.of("name", "a", "type", "filesystem", "base_path", "/tmp", "password", "x"), "FIELD_NOT_APPLICABLE");
        refuse(ws, Map.of("name", "b", "type", "filesystem", "base_path", "relative/dir"), "INVALID_BASE_PATH");
        refuse(ws, Map.of("name", "c", "type", "filesystem"), "BASE_PATH_MISSING");
        refuse(ws, Map.of("name", "d", "type", "http", "base_url", "ftp://files.example.com"), "INVALID_BASE_URL");
        refuse(ws, Map.of("name", "e", "type", "http", "base_url", "https://u:p@example.com"), "INVALID_BASE_URL");
        refuse(ws, Map.of("name", "f", "type", "http", "base_url", "https://example.com",
                "headers", Map.of("Authorization", "Bearer x")), "SECRET_IN_PLAIN_HEADER");
        refuse(ws, Map.of("name", "g", "type", "http", "base_url", "https://example.com",
                "headers", Map.of("bad header", "x")), "INVALID_HEADER");
        refuse(ws, Map.of("name", "h", "type", "mysql", "jdbc_url", "jdbc:postgresql://h/db"), "INVALID_JDBC_URL");
        refuse(ws, Map.of("name", "i", "type", "hive_metastore", "host", "meta", "database", "hive"), "FIELD_NOT_APPLICABLE");
        refuse(ws, Map.of("name", "j", "type", "hive_metastore", "username", "hive"), "CONNECTION_ADDRESS_MISSING");
        refuse(ws, Map.of("name", "k", "type", "http", "base_url", "https://example.com", "database", "x"), "FIELD_NOT_APPLICABLE");
        refuse(ws, Map.of("name", "l", "type", "sftp", "base_path", "/tmp"), "INVALID_ENUM_VALUE");
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void anHttpConnectionTestSendsItsSealedCredentialsToTheRealServer() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String key = exchange.getRequestHeaders().getFirst("X-Api-Key");
            seen.add(auth + "|" + key);
            int status = ("Bearer " + TOKEN).equals(auth) && API_KEY.equals(key) ? 204 : 401;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            String ws = uniqueWorkspace();
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
            String id = create(ws, Map.of("name", "receiver", "type", "http", "base_url", base, "auth_token", TOKEN,
                    "secret_headers", Map.of("X-Api-Key", API_KEY)));
            as(ws, "editor").post(path(ws, id) + "/test").then().statusCode(200)
                    .body("ok", equalTo(true)).body("code", equalTo("OK")).body("detail", equalTo("HTTP 204"));
            assertEquals(List.of("Bearer " + TOKEN + "|" + API_KEY), seen);

            // An empty token keeps the stored one; removing the key makes the server refuse us.
            as(ws, "editor").body(Map.of("auth_token", "")).put(path(ws, id)).then().statusCode(200);
            as(ws, "editor").body(Map.of("remove_secrets", List.of("secret_headers.X-Api-Key"))).put(path(ws, id))
                    .then().statusCode(200).body("secrets_set", equalTo(List.of("auth_token")));
            as(ws, "editor").post(path(ws, id) + "/test").then().statusCode(200)
                    .body("ok", equalTo(false)).body("code", equalTo("AUTH_FAILED")).body("detail", equalTo("HTTP 401"));
            as(ws, "editor").body(Map.of("remove_secrets", List.of("password"))).put(path(ws, id))
                    .then().statusCode(400).body("error_code", equalTo("UNKNOWN_SECRET"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aConnectionPointedElsewhereNeedsItsSecretsAgainAndOtherwiseChangesNothing() {
        String ws = uniqueWorkspace();
        String mysql = create(ws, Map.of("name", "shop", "type", "mysql", "host", "db.internal", "database", "shop",
                "username", "etl", "password", "canary-mysql-3"));
        as(ws, "editor").body(Map.of("host", "attacker.example.com", "name", "renamed")).put(path(ws, mysql)).then()
                .statusCode(400).body("error_code", equalTo("SECRET_REQUIRED"))
                .body("error_msg", containsString("password")).body("solution_msg", containsString("password"));
        as(ws, "viewer").get(path(ws, mysql)).then().statusCode(200).body("name", equalTo("shop"))
                .body("jdbc_url", equalTo("jdbc:mysql://db.internal:3306/shop")).body("secrets_set", equalTo(List.of("password")));
        as(ws, "editor").body(Map.of("jdbc_url", "jdbc:mysql://attacker.example.com:3306/shop")).put(path(ws, mysql))
                .then().statusCode(400).body("error_code", equalTo("SECRET_REQUIRED"));
        as(ws, "editor").body(Map.of("username", "etl2")).put(path(ws, mysql)).then().statusCode(200)
                .body("secrets_set", equalTo(List.of("password")));
        as(ws, "editor").body(Map.of("port", 3307, "password", "canary-mysql-4")).put(path(ws, mysql)).then().statusCode(200)
                .body("jdbc_url", equalTo("jdbc:mysql://db.internal:3307/shop")).body(not(containsString("canary-mysql-4")));

        String api = create(ws, Map.of("name", "crm", "type", "http", "base_url", "https://crm.example.com/v2",
                "auth_token", TOKEN, "secret_headers", Map.of("X-Api-Key", API_KEY)));
        as(ws, "editor").body(Map.of("base_url", "https://collector.example.net/", "auth_token", TOKEN)).put(path(ws, api))
                .then().statusCode(400).body("error_code", equalTo("SECRET_REQUIRED"))
                .body("error_msg", containsString("secret_headers.X-Api-Key"))
                .body("error_msg", not(containsString("auth_token")));
        as(ws, "viewer").get(path(ws, api)).then().body("base_url", equalTo("https://crm.example.com/v2"));
        as(ws, "editor").body(Map.of("base_url", "https://collector.example.net/", "auth_token", TOKEN,
                "remove_secrets", List.of("secret_headers.X-Api-Key"))).put(path(ws, api)).then().statusCode(200)
                .body("base_url", equalTo("https://collector.example.net/")).body("secrets_set", equalTo(List.of("auth_token")));
    }

    @Test
    void filesystemAndMysqlTestsReportWhatTheyFound() throws Exception {
        String ws = uniqueWorkspace();
        Path dir = Files.createTempDirectory(TestInfrastructure.shared().filesRoot(), "files");
        Files.writeString(dir.resolve("a.csv"), "id\n1\n");
        String fs = create(ws, Map.of("name", "files", "type", "filesystem", "base_path", dir.toString()));
        as(ws, "editor").post(path(ws, fs) + "/test").then().statusCode(200)
                .body("ok", equalTo(true)).body("detail", containsString("1 entries"));
        Files.delete(dir.resolve("a.csv"));
        Files.delete(dir);
        as(ws, "editor").post(path(ws, fs) + "/test").then().statusCode(200)
                .body("ok", equalTo(false)).body("error", containsString("not a directory"));

        Map<String, Object> mysql = new HashMap<>(Map.of("name", "mysql", "type", "mysql", "host", "127.0.0.1",
                "port", Ports.free(), "database", "shop", "username", "u", "password", "canary-mysql-test"));
        String my = create(ws, mysql);
        as(ws, "editor").post(path(ws, my) + "/test").then().statusCode(200)
                .body("ok", equalTo(false)).body("latency_ms", nullValue())
                .body("code", equalTo("CONNECTION_REFUSED"))
                .body("error", equalTo("the address refused the connection or cannot be reached"))
                .body(not(containsString("canary-mysql-test")));
    }

    @Test
    void filesystemBasePathsMustLeadUnderTheFileRootLinksResolved() throws Exception {
        String ws = uniqueWorkspace();
        Path root = TestInfrastructure.shared().filesRoot();
        Path outside = Files.createTempDirectory("outside");
        Path linked = Files.createSymbolicLink(root.resolve("linked-" + ws), outside);
        Path keys = root.getParent().resolve("keys");
        for (String refused : List.of("/", outside.toString(), "/proc/self", keys.toString(), linked.toString(),
                linked.resolve("deeper").toString(), root.getParent().toString())) {
            as(ws, "editor").body(Map.of("name", "x", "type", "filesystem", "base_path", refused))
                    .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(400)
                    .body("error_code", equalTo("BASE_PATH_NOT_ALLOWED"))
                    .body("error_msg", containsString("is not under a directory this installation allows"))
                    .body("solution_msg", containsString("jobplane.connections.filesystem-roots"));
        }
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(200).body("size()", equalTo(0));

        Path later = root.resolve("tenant-" + ws + "/not-made-yet");
        String fs = create(ws, Map.of("name", "later", "type", "filesystem", "base_path", later.toString()));
        Files.createDirectories(later.getParent());
        Files.createSymbolicLink(later, outside);
        as(ws, "editor").post(path(ws, fs) + "/test").then().statusCode(400)
                .body("error_code", equalTo("BASE_PATH_NOT_ALLOWED")).body("error_msg", containsString("leads through a link elsewhere"));
        as(ws, "editor").body(Map.of("base_path", linked.toString())).put(path(ws, fs)).then().statusCode(400)
                .body("error_code", equalTo("BASE_PATH_NOT_ALLOWED"));
        Files.delete(later);
        Files.delete(linked);
        Files.delete(outside);
    }

    @Test
    void aTreasureDataConnectionKeepsItsApiKeySealedAndSendsItAsTd1() throws Exception {
        String key = "1234/canary-td-key-" + System.nanoTime();
        String newKey = "1234/canary-td-key-new-" + System.nanoTime();
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> accepted = new CopyOnWriteArrayList<>(List.of("TD1 " + key));
        HttpServer td = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        td.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(exchange.getRequestURI().getPath() + "|" + auth);
            byte[] body = "{\"id\":1,\"name\":\"Owner\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (accepted.contains(auth)) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(401, -1);
            }
            exchange.close();
        });
        td.start();
        try {
            String ws = uniqueWorkspace();
            String base = "http://127.0.0.1:" + td.getAddress().getPort();
            String id = create(ws, Map.of("name", "td", "type", "treasure_data", "base_url", base + "/", "api_key", key));
            String read = as(ws, "viewer").get(path(ws, id)).then().statusCode(200)
                    .body("type", equalTo("treasure_data"))
                    .body("base_url", equalTo(base))
                    .body("secrets_set", equalTo(List.of("api_key")))
                    .body("$", not(hasKey("api_key"))).body("$", not(hasKey("headers"))).body("$", not(hasKey("jdbc_url")))
                    .extract().asString();
            assertEquals(-1, read.indexOf(key), "no key in " + read);

            // The test sends the sealed key to TD's user endpoint, as TD1.
            as(ws, "editor").post(path(ws, id) + "/test").then().statusCode(200)
                    .body("ok", equalTo(true)).body("code", equalTo("OK")).body("detail", equalTo("HTTP 200"))
                    .body(not(containsString(key)));
            assertEquals(List.of("/v3/user/show|TD1 " + key), seen);

            // A new key replaces the old one: the server that takes only the new one answers the test.
            accepted.set(0, "TD1 " + newKey);
            as(ws, "editor").post(path(ws, id) + "/test").then().statusCode(200)
                    .body("ok", equalTo(false)).body("code", equalTo("AUTH_FAILED"));
            String updated = as(ws, "editor").body(Map.of("api_key", newKey)).put(path(ws, id)).then().statusCode(200)
                    .body("secrets_set", equalTo(List.of("api_key"))).extract().asString();
            assertEquals(-1, updated.indexOf(newKey), "no key in " + updated);
            as(ws, "editor").post(path(ws, id) + "/test").then().statusCode(200).body("ok", equalTo(true));
            assertEquals("/v3/user/show|TD1 " + newKey, seen.get(seen.size() - 1));

            // An empty key keeps the stored one; the key cannot be only removed; a new endpoint needs it again.
            as(ws, "editor").body(Map.of("api_key", "")).put(path(ws, id)).then().statusCode(200)
                    .body("secrets_set", equalTo(List.of("api_key")));
            as(ws, "editor").body(Map.of("remove_secrets", List.of("api_key"))).put(path(ws, id)).then().statusCode(400)
                    .body("error_code", equalTo("API_KEY_MISSING"));
            as(ws, "editor").body(Map.of("base_url", "https://api.treasuredata.co.jp")).put(path(ws, id)).then()
                    .statusCode(400).body("error_code", equalTo("SECRET_REQUIRED")).body("error_msg", containsString("api_key"));
            as(ws, "viewer").get(path(ws, id)).then().body("base_url", equalTo(base));

            // Without base_url the connection points at TD's US endpoint.
            String us = create(ws, Map.of("name", "td-us", "type", "treasure_data", "api_key", key));
            as(ws, "viewer").get(path(ws, us)).then().statusCode(200).body("base_url", equalTo("https://api.treasuredata.com"));
            String all = as(ws, "viewer").get("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(200)
                    .body("name", equalTo(List.of("td", "td-us"))).extract().asString();
            String audit = as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200).extract().asString();
            for (String text : List.of(all, audit)) {
                assertEquals(-1, text.indexOf(key) + text.indexOf(newKey) + 1, "no key in " + text);
            }

            // METADATA_INGEST reads a treasure_data source and writes to the catalog: no destination.
            String jobs = "/api/v1/workspaces/{ws}/jobs";
            as(ws, "editor").body(Map.of("name", "td-ingest", "type", "METADATA_INGEST", "source_connection_id", id))
                    .post(jobs, ws).then().statusCode(201).body("source_connection_id", equalTo(id));
            // How it imports: its parameter (optional); a launch carries it, and the key stays sealed in the source.
            Map<String, Object> ingest = Map.of("mode", "INCREMENTAL", "lower_job_id", 1675368283, "kinds", List.of("jobs", "schedules"));
            String ingestJob = as(ws, "editor").body(Map.of("name", "td-daily", "type", "METADATA_INGEST", "source_connection_id", id,
                    "parameter", Map.of("metadata_ingest_parameter", ingest))).post(jobs, ws).then().statusCode(201)
                    .body("parameter.metadata_ingest_parameter.kinds", equalTo(List.of("jobs", "schedules")))
                    .extract().path("job_id");
            as(ws, "editor").body(Map.of("name", "td-bad-kind", "type", "METADATA_INGEST", "source_connection_id", id,
                    "parameter", Map.of("metadata_ingest_parameter", Map.of("kinds", List.of("tables"))))).post(jobs, ws).then()
                    .statusCode(400).body("error_code", equalTo("INVALID_ENUM_VALUE"));
            as(ws, "editor").body(Map.of("name", "td-wrong-member", "type", "METADATA_INGEST", "source_connection_id", id,
                    "parameter", Map.of("metadata_discovery_parameter", Map.of("data_location", "fs://landing/x",
                            "target_catalog", "lake", "target_database", "raw", "conflict_strategy", "UPSERT",
                            "file_discovery_type", "ALL", "log_location", "fs://landing/logs", "instance_id", "i-1"))))
                    .post(jobs, ws).then()
                    .statusCode(400).body("error_code", equalTo("SETTING_NOT_APPLICABLE"));
            String runId = as(ws, "operator").post(jobs + "/{job}/runs", ws, ingestJob).then().statusCode(202).extract().path("run_id");
            String command = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> RunLaunchIT.findByKey(io.jobplane.events.Topics.COMMANDS, runId), r -> r != null).value();
            assertTrue(command.contains("\"metadata_ingest_parameter\"") && command.contains("\"treasure_data\""), command);
            assertEquals(-1, command.indexOf(newKey) + command.indexOf(key) + 1, "the key is sealed in the command");
            as(ws, "editor").body(Map.of("name", "no-source", "type", "METADATA_INGEST")).post(jobs, ws).then()
                    .statusCode(400).body("error_code", equalTo("CONNECTION_REQUIRED"));
            String crm = create(ws, Map.of("name", "crm", "type", "http", "base_url", "https://crm.example.com"));
            as(ws, "editor").body(Map.of("name", "http-source", "type", "METADATA_INGEST", "source_connection_id", crm))
                    .post(jobs, ws).then().statusCode(400).body("error_code", equalTo("CONNECTION_TYPE_MISMATCH"));
            String db = create(ws, ApiTestSupport.postgresConnection("warehouse", "pw"));
            as(ws, "editor").body(Map.of("name", "with-destination", "type", "METADATA_INGEST", "source_connection_id", id,
                    "destination_connection_id", db)).post(jobs, ws).then().statusCode(400)
                    .body("error_code", equalTo("SETTING_NOT_APPLICABLE"));
        } finally {
            td.stop(0);
        }
    }

    @Test
    void aTreasureDataConnectionNeedsHttpsAndAKeyAndNothingElse() {
        String ws = uniqueWorkspace();
        refuse(ws, Map.of("name", "a", "type", "treasure_data"), "API_KEY_MISSING");
        refuse(ws, Map.of("name", "b", "type", "treasure_data", "api_key", ""), "API_KEY_MISSING");
        refuse(ws, Map.of("name", "c", "type", "treasure_data", "api_key", "TD1 1/abc"), "INVALID_API_KEY");
        refuse(ws, Map.of("name", "d", "type", "treasure_data", "api_key", "1/ab\ncd"), "INVALID_API_KEY");
        refuse(ws, Map.of("name", "e", "type", "treasure_data", "api_key", "k", "base_url", "http://api.treasuredata.com"),
                "HTTPS_REQUIRED");
        refuse(ws, Map.of("name", "f", "type", "treasure_data", "api_key", "k", "base_url", "ftp://api.treasuredata.com"),
                "INVALID_BASE_URL");
        refuse(ws, Map.of("name", "g", "type", "treasure_data", "api_key", "k", "base_url", "https://u:p@api.treasuredata.com"),
                "INVALID_BASE_URL");
        refuse(ws, Map.of("name", "h", "type", "treasure_data", "api_key", "k", "base_url", "https://api.treasuredata.com/?a=b"),
                "INVALID_BASE_URL");
        refuse(ws, Map.of("name", "i", "type", "treasure_data", "api_key", "k", "base_url", "https://10.0.0.5"), "EGRESS_DENIED");
        refuse(ws, Map.of("name", "j", "type", "treasure_data", "api_key", "k", "auth_token", "t"), "FIELD_NOT_APPLICABLE");
        refuse(ws, Map.of("name", "k", "type", "treasure_data", "api_key", "k", "headers", Map.of("Accept", "x")),
                "FIELD_NOT_APPLICABLE");
        refuse(ws, Map.of("name", "l", "type", "http", "base_url", "https://example.com", "api_key", "k"), "FIELD_NOT_APPLICABLE");
        as(ws, "editor").body(Map.of("name", "m", "type", "treasure_data", "api_key", "x".repeat(513)))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(400);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(200).body("size()", equalTo(0));
    }

    private static void refuse(String ws, Map<String, Object> body, String code) {
        as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/connections", ws).then()
                .statusCode(400).body("error_code", equalTo(code)).body("solution_msg", not(nullValue()));
    }

    @Test
    void sqlTasksAreReadInTheirDestinationsDialect() {
        String ws = uniqueWorkspace();
        String mysql = create(ws, Map.of("name", "shop", "type", "mysql", "host", "db.internal", "database", "shop",
                "username", "etl", "password", "pw"));
        String postgres = create(ws, ApiTestSupport.postgresConnection("warehouse", "pw"));
        // MySQL reads \' as a quote inside the string; PostgreSQL ends the string there and finds one left open.
        String mysqlTask = "insert into t values ('it\\'s', {{x}})";
        String jobs = "/api/v1/workspaces/{ws}/jobs";

        String onMysql = as(ws, "editor").body(Map.of("name", "m", "type", "TABLE_TO_TABLE", "destination_connection_id", mysql,
                "tasks", List.of(Map.of("query", mysqlTask)))).post(jobs, ws).then().statusCode(201).extract().path("job_id");
        as(ws, "editor").body(Map.of("name", "p", "type", "TABLE_TO_TABLE", "destination_connection_id", postgres,
                "tasks", List.of(Map.of("query", mysqlTask)))).post(jobs, ws).then().statusCode(400)
                .body("error_code", equalTo("INVALID_TASK")).body("solution_msg", containsString("PostgreSQL"));
        String onPostgres = as(ws, "editor").body(Map.of("name", "p", "type", "TABLE_TO_TABLE",
                "destination_connection_id", postgres, "tasks", List.of(Map.of("query", "select 1")))).post(jobs, ws)
                .then().statusCode(201).extract().path("job_id");

        as(ws, "editor").body(Map.of("query", mysqlTask)).post(jobs + "/{job}/tasks", ws, onMysql).then().statusCode(201);
        as(ws, "editor").body(Map.of("query", mysqlTask)).post(jobs + "/{job}/tasks", ws, onPostgres).then().statusCode(400)
                .body("error_code", equalTo("INVALID_TASK"));
        // At launch, too, the task is read as MySQL reads it: it names one value, x.
        as(ws, "operator").body(Map.of("parameters", Map.of("x", "1"))).post(jobs + "/{job}/runs", ws, onMysql)
                .then().statusCode(202);
        as(ws, "operator").body(Map.of()).post(jobs + "/{job}/runs", ws, onMysql).then().statusCode(400)
                .body("error_code", equalTo("UNKNOWN_TEMPLATE_VALUE"));
    }

    private static String create(String ws, Map<String, Object> body) {
        return as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/connections", ws)
                .then().statusCode(201).extract().path("connection_id");
    }

    private static String path(String ws, String id) {
        return "/api/v1/workspaces/" + ws + "/connections/" + id;
    }
}
