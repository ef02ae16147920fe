package io.jobplane.systemtest;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.stack.Platform;

/**
 * Retention through the whole platform: a workspace's policy set on job-api reaches the harvester
 * (jobplane.workspace.retention), and each side purges its own tables by it. Runs really launched and
 * ended are aged in the database (their end times moved back), then: the run past runs_days is gone
 * from api.run and from the read model with its task runs and logs; the run past logs_days keeps its
 * record and task runs but not its logs; the recent run keeps everything. SQL tasks that succeed write
 * no log lines, so each run is given three in the read model, as a worker's jobplane.run.log would.
 */
class RetentionEndToEndIT {

    private static final String WS = "keep";
    private static final String OWNER = "keep_tenant";
    private static final String PASSWORD = "keep-owner-pw-" + UUID.randomUUID().toString().substring(0, 8);
    private static Platform platform;
    private static WorkspaceCalls calls;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SystemPlatform.startOnFreePorts("retention", Map.of("jobplane.retention.sweep-interval", "1s"));
        calls = new WorkspaceCalls(platform, WS);
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void bothSidesPurgeByTheWorkspacesPolicy() throws Exception {
        String database = "keep_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        platform.tenant().createDatabase(database, OWNER, PASSWORD);
        String connection = calls.createPostgresConnection("warehouse", database, OWNER, PASSWORD);
        String job = calls.createSqlJob("two-steps", connection, List.of("select 1", "select 2"));
        String old = calls.launch(job);
        calls.awaitTerminal(old).body("status", equalTo("SUCCESS"));
        String middle = calls.launch(job);
        calls.awaitTerminal(middle).body("status", equalTo("SUCCESS"));
        String recent = calls.launch(job);
        calls.awaitTerminal(recent).body("status", equalTo("SUCCESS"));
        for (String run : List.of(old, middle, recent)) {
            assertEquals(2, count("select count(*) from runs.task_run where run_id = ?", run));
            logLines(run);
        }

        age(old, "40 days");
        age(middle, "20 days");
        calls.api().body(Map.of("logs_days", 10, "runs_days", 30)).put("/api/v1/workspaces/{ws}/retention", WS)
                .then().statusCode(200).body("policy", equalTo("WORKSPACE"));

        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from api.run where id = ?::uuid", old) == 0
                && count("select count(*) from runs.run where run_id = ?", old) == 0
                && count("select count(*) from runs.run_log where run_id = ?", middle) == 0);
        assertEquals(0, count("select count(*) from runs.task_run where run_id = ?", old));
        assertEquals(0, count("select count(*) from runs.run_log where run_id = ?", old));
        calls.api().get("/api/v1/workspaces/{ws}/runs/{run}", WS, old).then().statusCode(404);

        calls.api().get("/api/v1/workspaces/{ws}/runs/{run}", WS, middle).then().statusCode(200).body("status", equalTo("SUCCESS"));
        assertEquals(2, count("select count(*) from runs.task_run where run_id = ?", middle));
        calls.api().get("/api/v1/workspaces/{ws}/runs/{run}", WS, recent).then().statusCode(200);
        assertEquals(2, count("select count(*) from runs.task_run where run_id = ?", recent));
        assertTrue(count("select count(*) from runs.run_log where run_id = ?", recent) > 0, "recent logs stay");
    }

    /** Moves the run's times back in both job-api's record and the read model, as if it had ended that long ago. */
    private static void age(String run, String ago) throws Exception {
        try (Connection c = db()) {
            for (String sql : List.of(
                    "update api.run set requested_at = requested_at - ?::interval, finished_at = finished_at - ?::interval where id = ?::uuid",
                    "update runs.run set queued_at = queued_at - ?::interval, finished_at = finished_at - ?::interval where run_id = ?")) {
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    st.setString(1, ago);
                    st.setString(2, ago);
                    st.setString(3, run);
                    assertEquals(1, st.executeUpdate());
                }
            }
        }
    }

    private static void logLines(String run) throws Exception {
        try (Connection c = db(); PreparedStatement st = c.prepareStatement("""
                insert into runs.run_log (run_id, attempt, seq, level, message, at)
                select ?, 1, 1000 + s, 'INFO', 'line ' || s, now() from generate_series(1, 3) s""")) {
            st.setString(1, run);
            assertEquals(3, st.executeUpdate());
        }
    }

    private static long count(String sql, String id) throws Exception {
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Connection db() throws Exception {
        var pg = platform.postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }
}
