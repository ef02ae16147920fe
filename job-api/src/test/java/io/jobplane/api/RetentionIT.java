package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.WorkspaceRetention;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Retention against the real database and broker: the policy endpoints (bounds, roles, one workspace
 * at a time, audit, announcement) and the sweeper purging old ended runs of schema api in batches
 * (this profile: 50 runs a batch, 2 batches a sweep, a sweep a second) while recent and unfinished
 * runs, and other workspaces' runs, stay.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class RetentionIT {

    private static TopicRecorder runEvents;

    @BeforeAll
    static void record() {
        runEvents = TopicRecorder.record(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS);
    }

    @AfterAll
    static void stop() {
        runEvents.close();
    }

    @Test
    void thePolicyIsValidatedAuditedAnnouncedAndKeptPerWorkspace() {
        String ws = uniqueWorkspace();
        String other = uniqueWorkspace();
        String path = "/api/v1/workspaces/{ws}/retention";
        as(ws, "viewer").get(path, ws).then().statusCode(200).body("logs_days", equalTo(90)).body("runs_days", equalTo(400))
                .body("policy", equalTo("DEFAULT"));

        as(ws, "editor").body(Map.of("logs_days", 10, "runs_days", 30)).put(path, ws).then().statusCode(403);
        as(other, "admin").body(Map.of("logs_days", 10, "runs_days", 30)).put(path, ws).then().statusCode(404);
        as(ws, "admin").body(Map.of("logs_days", 0, "runs_days", 30)).put(path, ws).then().statusCode(400)
                .body("error_code", equalTo("INVALID_RETENTION"));
        as(ws, "admin").body(Map.of("logs_days", 90, "runs_days", 30)).put(path, ws).then().statusCode(400)
                .body("error_code", equalTo("INVALID_RETENTION"));
        as(ws, "admin").body(Map.of("logs_days", 10, "runs_days", 3651)).put(path, ws).then().statusCode(400)
                .body("error_code", equalTo("INVALID_RETENTION"));
        as(ws, "admin").body(Map.of("logs_days", 10)).put(path, ws).then().statusCode(400)
                .body("error_code", equalTo("VALIDATION_FAILED"));
        as(ws, "admin").body("{\"logs_days\": \"ten\", \"runs_days\": 30}").put(path, ws).then().statusCode(400);
        as(ws, "viewer").get(path, ws).then().statusCode(200).body("policy", equalTo("DEFAULT"));

        as(ws, "admin").body(Map.of("logs_days", 10, "runs_days", 30)).put(path, ws).then().statusCode(200)
                .body("workspace", equalTo(ws)).body("logs_days", equalTo(10)).body("runs_days", equalTo(30))
                .body("policy", equalTo("WORKSPACE"));
        as(ws, "viewer").get(path, ws).then().statusCode(200).body("runs_days", equalTo(30)).body("set_by", equalTo("tester"));
        as(other, "viewer").get(path, other).then().statusCode(200).body("runs_days", equalTo(400)).body("policy", equalTo("DEFAULT"));
        as(other, "viewer").get(path, ws).then().statusCode(404);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body("action", hasItem("workspace.retention.set"));

        // Announced to the read model, keyed by the workspace.
        WorkspaceRetention announced = await().atMost(Duration.ofSeconds(30)).until(() -> runEvents.values(ws).stream()
                .map(EventCodec::decode).filter(e -> e.type().equals(EventTypes.WORKSPACE_RETENTION))
                .map(e -> e.dataAs(WorkspaceRetention.class)).filter(p -> p.runsDays() == 30).findFirst().orElse(null),
                p -> p != null);
        assertEquals(10, announced.logsDays());
        assertEquals(WorkspaceRetention.WORKSPACE, announced.policy());
    }

    @Test
    void oldEndedRunsArePurgedInBatchesWhileRecentUnfinishedAndOtherWorkspacesRunsStay() throws Exception {
        String ws = uniqueWorkspace();
        String other = uniqueWorkspace();
        String job = job(ws);
        String otherJob = job(other);
        as(ws, "admin").body(Map.of("logs_days", 10, "runs_days", 30)).put("/api/v1/workspaces/{ws}/retention", ws)
                .then().statusCode(200);
        double before = purged("api.run");

        UUID backfill = UUID.randomUUID();
        List<UUID> old = new ArrayList<>();
        UUID rerunOfOld;
        List<UUID> kept = new ArrayList<>();
        UUID rerun = UUID.randomUUID();
        try (Connection c = db()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("""
                    insert into api.backfill (id, workspace, job_id, range_from, range_to, requested_by, requested_at)
                    values (?, ?, ?::uuid, now() - interval '50 days', now() - interval '45 days', 'tester', now() - interval '40 days')""")) {
                st.setObject(1, backfill);
                st.setString(2, ws);
                st.setString(3, job);
                st.executeUpdate();
            }
            // 120 runs that ended 40 days ago (10 never started: their request time counts), some with a
            // notification, 5 of them by the old backfill.
            for (int i = 0; i < 120; i++) {
                UUID id = UUID.randomUUID();
                insertRun(c, id, ws, job, i % 12 == 0 ? "STOPPED" : "SUCCESS", "40 days", i % 12 == 0 ? null : "40 days",
                        i < 5 ? backfill : null, null);
                if (i % 10 == 0) {
                    notification(c, id, ws);
                }
                old.add(id);
            }
            rerunOfOld = old.get(119);
            // Ended 5 days ago; a rerun (of an old run) that ended yesterday; unfinished runs requested long ago.
            for (int i = 0; i < 3; i++) {
                UUID id = UUID.randomUUID();
                insertRun(c, id, ws, job, "FAILED", "5 days", "5 days", null, null);
                kept.add(id);
            }
            insertRun(c, rerun, ws, job, "SUCCESS", "1 day", "1 day", null, rerunOfOld);
            kept.add(rerun);
            UUID queued = UUID.randomUUID();
            insertRun(c, queued, ws, job, "QUEUED", "90 days", null, null, null);
            kept.add(queued);
            // Another workspace on the defaults (400 days): its 40-day-old runs stay.
            for (int i = 0; i < 3; i++) {
                UUID id = UUID.randomUUID();
                insertRun(c, id, other, otherJob, "SUCCESS", "40 days", "40 days", null, null);
                kept.add(id);
            }
            c.commit();
        }

        // In batches: the count goes down in steps (at most 100 runs a sweep), so some are still there while others are gone.
        AtomicBoolean sawPartial = new AtomicBoolean();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            long left = count("select count(*) from api.run where id = any(?)", old);
            if (left > 0 && left < old.size()) {
                sawPartial.set(true);
            }
            return left == 0;
        });
        assertTrue(sawPartial.get(), "purged in several batches, not at once");
        assertEquals(kept.size(), count("select count(*) from api.run where id = any(?)", kept), "recent, unfinished and others' runs stay");
        assertEquals(0, count("select count(*) from api.notification where run_id = any(?)", old));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from api.backfill where id = any(?)",
                List.of(backfill)) == 0);
        assertEquals(rerunOfOld.toString(), ApiTestSupport.storedValue("select rerun_of::text from api.run where id = ?::uuid",
                rerun.toString()), "a rerun keeps naming the run it reran");
        // jobplane_retention_purged_rows_total{table="api.run"} counts them.
        await().atMost(Duration.ofSeconds(10)).until(() -> purged("api.run") - before >= old.size());

        // Unfinished and recent runs still answer; the purged ones are gone from the API too.
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, rerun.toString()).then().statusCode(200)
                .body("rerun_of", equalTo(rerunOfOld.toString()));
    }

    private static void insertRun(Connection c, UUID id, String ws, String job, String state, String requestedAgo,
            String finishedAgo, UUID backfill, UUID rerunOf) throws Exception {
        try (PreparedStatement st = c.prepareStatement("""
                insert into api.run (id, workspace, job_id, attempt, trigger, requested_at, requested_by, state,
                                     finished_at, not_before, backfill_id, rerun_of)
                values (?, ?, ?::uuid, 1, 'manual', now() - ?::interval, 'tester', ?, now() - ?::interval,
                        case when ? = 'QUEUED' then now() + interval '1 day' end, ?, ?)""")) {
            st.setObject(1, id);
            st.setString(2, ws);
            st.setString(3, job);
            st.setString(4, requestedAgo);
            st.setString(5, state);
            st.setString(6, finishedAgo);
            st.setString(7, state);
            st.setObject(8, backfill);
            st.setObject(9, rerunOf);
            st.executeUpdate();
        }
    }

    private static void notification(Connection c, UUID run, String ws) throws Exception {
        try (PreparedStatement st = c.prepareStatement("""
                insert into api.notification (workspace, run_id, run_attempt, channel, target, payload, state)
                values (?, ?, 1, 'webhook', 'old', '{}', 'DELIVERED')""")) {
            st.setString(1, ws);
            st.setObject(2, run);
            st.executeUpdate();
        }
    }

    private static long count(String sql, List<UUID> ids) throws Exception {
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Connection db() throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }

    /** The purged-rows counter of a table, from the Prometheus endpoint. */
    private static double purged(String table) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^jobplane_retention_purged_rows_total\\{table=\"" + Pattern.quote(table) + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        assertTrue(m.find(), "no purged-rows counter for " + table);
        return Double.parseDouble(m.group(1));
    }

    private static String job(String ws) {
        String connection = as(ws, "editor").body(postgresConnection("kept-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        return as(ws, "editor").body(Map.of("name", "kept", "type", "TABLE_TO_TABLE", "destination_connection_id", connection,
                "tasks", List.of(Map.of("query", "select 1", "is_active", true))))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
    }
}
