package io.jobplane.systemtest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.jobplane.stack.DevTokens;
import io.jobplane.stack.Ports;
import io.jobplane.stack.Service;
import io.jobplane.stack.ServiceProcess;
import io.jobplane.stack.TestInfrastructure;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Cron schedules with two job-api replicas as real processes on the real broker and PostgreSQL:
 * every tick makes exactly one run while both replicas poll the same schedules, and after a
 * downtime each job's misfire policy decides whether the missed ticks run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduleReplicasIT {

    private static final String WS = "cron";
    private static final Duration HEALTHY = Duration.ofSeconds(120);
    private static TestInfrastructure infra;
    private static Path root;
    private static Path logs;
    private static final List<ServiceProcess> replicas = new ArrayList<>();
    private static String connectionId;

    @BeforeAll
    static void startReplicas() throws Exception {
        infra = TestInfrastructure.shared();
        root = Path.of(System.getProperty("jobplane.root", "..")).toAbsolutePath().normalize();
        logs = Files.createDirectories(root.resolve("system-tests/target/schedules-" + UUID.randomUUID()).resolve("logs"));
        List<ServiceProcess> started = List.of(startReplica(1), startReplica(2));
        started.stream().map(p -> CompletableFuture.runAsync(() -> p.awaitHealthy(HEALTHY))).toList()
                .forEach(CompletableFuture::join);
        replicas.addAll(started);
        // Tenant connections point at the tenant server: the platform's own database is never reachable.
        var pg = infra.tenant();
        connectionId = api(0).body(Map.of("name", "target", "type", "postgresql", "jdbc_url", pg.jdbcUrl(),
                        "username", pg.username(), "password", "unused-locally"))
                .post("/api/v1/workspaces/{ws}/connections", WS).then().statusCode(201).extract().path("connection_id");
    }

    @AfterAll
    static void stopReplicas() {
        replicas.forEach(ServiceProcess::stop);
    }

    @Test
    @Order(1)
    void everyTickMakesExactlyOneRunWhileTwoReplicasFire() throws Exception {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(job("every-second-" + i, "* * * * * *", "SKIP"));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> jobs.stream().allMatch(j -> count("select count(distinct execution_date) from api.run"
                        + " where job_id = '" + j + "'") >= 8));
        for (String job : jobs) {
            api(1).body(Map.of("status", "DISABLED")).put("/api/v1/workspaces/{ws}/jobs/{id}", WS, job).then().statusCode(200);
        }
        for (String job : jobs) {
            String where = " from api.run where job_id = '" + job + "'";
            assertEquals(0, count("select count(*) from (select execution_date" + where
                    + " group by execution_date having count(*) > 1) twice"), "a tick that made two runs");
            long ticks = count("select count(distinct execution_date)" + where);
            long span = count("select extract(epoch from max(execution_date) - min(execution_date))::bigint" + where);
            assertEquals(span + 1, ticks, "every second from the first tick to the last made its run");
            assertEquals(ticks, count("select count(*)" + where + " and trigger = 'schedule'"
                    + " and extract(milliseconds from execution_date)::bigint % 1000 = 0"));
        }
        for (ServiceProcess replica : replicas) {
            assertTrue(replica.isAlive() && replica.isHealthy(), replica.name() + " stayed up throughout");
        }
    }

    /**
     * Two schedules of one job, both every second, on two replicas: their ticks are claimed by either
     * replica at the same second. No worker runs here, so the first run never ends: with SKIP every
     * later tick of either schedule must see it, whichever replica claimed it, and launch nothing.
     */
    @Test
    @Order(2)
    void twoSchedulesOfOneJobOnTwoReplicasDecideTheirOverlapOneAfterTheOther() throws Exception {
        String job = api(0).body(Map.of("name", "overlapping", "type", "TABLE_TO_TABLE", "destination_connection_id", connectionId,
                        "tasks", List.of(Map.of("query", "select 1")),
                        "schedules", List.of(Map.of("name", "a", "cron", "* * * * * *", "overlap_policy", "SKIP"),
                                Map.of("name", "b", "cron", "* * * * * *", "overlap_policy", "SKIP"))))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
        String skipped = "select count(*) from api.audit_event where object_id = '" + job + "' and action = 'schedule.tick_skipped'";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> count(skipped) >= 10);
        api(1).body(Map.of("status", "DISABLED")).put("/api/v1/workspaces/{ws}/jobs/{id}", WS, job).then().statusCode(200);
        assertEquals(1, count("select count(*) from api.run where job_id = '" + job + "'"), "one run, every other tick skipped");
    }

    @Test
    @Order(3)
    void afterADowntimeSkipRunsNothingAndRunOnceRunsTheLatestMissedTickOnce() throws Exception {
        String skip = job("yearly-skip", "0 0 1 1 *", "SKIP");
        String once = job("yearly-once", "0 0 1 1 *", "RUN_ONCE");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant thisYear = today.withDayOfYear(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant nextYear = today.withDayOfYear(1).plusYears(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant twoYearsAgo = today.withDayOfYear(1).minusYears(2).atStartOfDay().toInstant(ZoneOffset.UTC);

        // Both replicas go down; meanwhile two years pass (as far as the schedules can tell).
        replicas.forEach(ServiceProcess::stop);
        replicas.clear();
        execute("update api.job_schedule set next_fire_at = '" + twoYearsAgo + "' where job_id in ('" + skip + "', '" + once + "')");
        replicas.add(startReplica(3).awaitHealthy(HEALTHY));

        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from api.job_schedule where job_id in ('"
                + skip + "', '" + once + "') and next_fire_at = '" + nextYear + "'") == 2);
        assertEquals(0, count("select count(*) from api.run where job_id = '" + skip + "'"), "SKIP drops missed ticks");
        assertEquals(1, count("select count(*) from api.run where job_id = '" + once + "'"), "RUN_ONCE runs one of them");
        assertEquals(1, count("select count(*) from api.run where job_id = '" + once + "' and trigger = 'schedule'"
                + " and execution_date = '" + thisYear + "'"), "the latest missed tick");
    }

    private static ServiceProcess startReplica(int n) {
        Map<String, String> props = new java.util.LinkedHashMap<>(Service.JOB_API.properties(
                infra.kafka().bootstrapServers(), infra.postgres(), infra.keys()));
        return ServiceProcess.start("job-api-" + n, Service.JOB_API.jar(root), Ports.free(), props,
                logs.resolve("job-api-" + n + ".log"));
    }

    private static String job(String name, String cron, String misfirePolicy) {
        return api(0).body(Map.of("name", name, "type", "TABLE_TO_TABLE", "destination_connection_id", connectionId,
                        "tasks", List.of(Map.of("query", "select 1")),
                        "schedule", Map.of("enabled", true, "cron", cron, "misfire_policy", misfirePolicy)))
                .post("/api/v1/workspaces/{ws}/jobs", WS).then().statusCode(201).extract().path("job_id");
    }

    private static RequestSpecification api(int replica) {
        String token = DevTokens.mint(infra.keys().privateKey(), "tester", Map.of(WS, "admin"), Duration.ofMinutes(10));
        return given().baseUri(replicas.get(Math.min(replica, replicas.size() - 1)).baseUrl()).auth().oauth2(token)
                .contentType(ContentType.JSON);
    }

    private static long count(String sql) {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = connect()) {
            c.createStatement().executeUpdate(sql);
        }
    }

    private static Connection connect() throws java.sql.SQLException {
        var pg = infra.postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }
}
