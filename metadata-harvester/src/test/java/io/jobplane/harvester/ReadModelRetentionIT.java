package io.jobplane.harvester;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * The read model purged by an announced policy (this profile: 50 runs or the logs of 20 runs a
 * batch, 2 batches a sweep, a sweep a second): old ended runs go with their task runs and logs, in
 * batches; logs of runs past logs_days go while their runs stay; recent and unfinished runs stay, and
 * so does everything of a workspace that has announced no policy.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class ReadModelRetentionIT {

    @Test
    void anAnnouncedPolicyPurgesOldRunsTaskRunsAndLogsInBatchesAndNothingElse() throws Exception {
        String ws = "retention-" + UUID.randomUUID();
        String other = "retention-" + UUID.randomUUID();
        double logsBefore = purged("runs.run_log");
        List<String> old = new ArrayList<>();
        List<String> logsGone = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> running = new ArrayList<>();
        try (Connection c = db()) {
            c.setAutoCommit(false);
            // 120 runs that ended 40 days ago, of a job long deleted (the read model alone holds them).
            for (int i = 0; i < 120; i++) {
                old.add(run(c, ws, "SUCCESS", "40 days"));
            }
            // Ended 20 days ago: past logs_days (10), within runs_days (30).
            for (int i = 0; i < 30; i++) {
                logsGone.add(run(c, ws, "FAILED", "20 days"));
            }
            for (int i = 0; i < 3; i++) {
                kept.add(run(c, ws, "SUCCESS", "2 days"));
            }
            for (int i = 0; i < 2; i++) {
                running.add(run(c, ws, "RUNNING", null));
            }
            // Another workspace that announced no policy: nothing of it is purged.
            for (int i = 0; i < 5; i++) {
                kept.add(run(c, other, "SUCCESS", "40 days"));
            }
            c.commit();
        }
        announce(new WorkspaceRetention(ws, 10, 30, WorkspaceRetention.WORKSPACE, Instant.now()));

        AtomicBoolean sawPartial = new AtomicBoolean();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            long left = count("select count(*) from runs.run where run_id = any(?)", old);
            if (left > 0 && left < old.size()) {
                sawPartial.set(true);
            }
            return left == 0;
        });
        assertTrue(sawPartial.get(), "purged in several batches, not at once");
        assertEquals(0, count("select count(*) from runs.task_run where run_id = any(?)", old));
        assertEquals(0, count("select count(*) from runs.run_log where run_id = any(?)", old));

        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from runs.run_log where run_id = any(?)", logsGone) == 0);
        assertEquals(logsGone.size(), count("select count(*) from runs.run where run_id = any(?)", logsGone), "runs outlive their logs");
        assertEquals(2L * logsGone.size(), count("select count(*) from runs.task_run where run_id = any(?)", logsGone));

        assertEquals(kept.size(), count("select count(*) from runs.run where run_id = any(?)", kept));
        assertEquals(3L * kept.size(), count("select count(*) from runs.run_log where run_id = any(?)", kept));
        assertEquals(running.size(), count("select count(*) from runs.run where run_id = any(?)", running), "never an unfinished run");
        assertEquals(3L * running.size(), count("select count(*) from runs.run_log where run_id = any(?)", running));

        // An older announcement (a redelivery, say) does not undo the newer one.
        announce(new WorkspaceRetention(ws, 3650, 3650, WorkspaceRetention.DEFAULT, Instant.now().minusSeconds(3600)));
        String marker = "retention-" + UUID.randomUUID();
        announce(new WorkspaceRetention(marker, 1, 1, WorkspaceRetention.WORKSPACE, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from runs.retention_policy where workspace = any(?)",
                List.of(marker)) == 1);
        assertEquals(1, count("select count(*) from runs.retention_policy where runs_days = 30 and workspace = any(?)", List.of(ws)));

        // jobplane_retention_purged_rows_total{table="runs.run_log"} counts the lines.
        long lines = 3L * (old.size() + logsGone.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> purged("runs.run_log") - logsBefore >= lines);
    }

    /** A run with two task runs and three log lines; ended that long ago, or running since 100 days. */
    private static String run(Connection c, String ws, String status, String endedAgo) throws Exception {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement run = c.prepareStatement("""
                insert into runs.run (run_id, workspace, job_id, status, queued_at, started_at, finished_at)
                values (?, ?, 'deleted-job', ?, now() - interval '100 days', now() - interval '100 days', now() - ?::interval)""");
                PreparedStatement tasks = c.prepareStatement("""
                        insert into runs.task_run (run_id, task_id, task_index, status)
                        values (?, 'a', 0, 'SUCCESS'), (?, 'b', 1, 'SUCCESS')""");
                PreparedStatement logs = c.prepareStatement("""
                        insert into runs.run_log (run_id, attempt, seq, level, message, at)
                        select ?, 1, s, 'INFO', 'line', now() - interval '100 days' from generate_series(1, 3) s""")) {
            run.setString(1, id);
            run.setString(2, ws);
            run.setString(3, status);
            run.setString(4, endedAgo);
            run.executeUpdate();
            tasks.setString(1, id);
            tasks.setString(2, id);
            tasks.executeUpdate();
            logs.setString(1, id);
            logs.executeUpdate();
        }
        return id;
    }

    private static void announce(WorkspaceRetention policy) {
        TopicRecorder.sendEvent(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.RUN_EVENTS, policy.workspace(),
                EventCodec.encode(CloudEvent.of("/jobplane/job-api", EventTypes.WORKSPACE_RETENTION, policy.workspace(), policy)));
    }

    private static long count(String sql, List<String> ids) throws Exception {
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setArray(1, c.createArrayOf("text", ids.toArray()));
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

    private static double purged(String table) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^jobplane_retention_purged_rows_total\\{table=\"" + Pattern.quote(table) + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        assertTrue(m.find(), "no purged-rows counter for " + table);
        return Double.parseDouble(m.group(1));
    }
}
