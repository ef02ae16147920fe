package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.jobplane.api.RunLaunchIT.count;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.stack.JobplaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Cron schedules fire runs by themselves, show their next fire times and follow every change at once. */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class ScheduleIT {

    private static final String EVERY_SECOND = "* * * * * *";
    private static final String NEW_YEAR = "0 0 1 1 *";

    @Test
    void aScheduledJobFiresEachTickOnceAndFollowsChangesWithoutARestart() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "ticking", Map.of("enabled", true, "cron", EVERY_SECOND), List.of(Map.of("query", "select 1")));
        List<String> next = as(ws, "viewer").get(path(ws, job)).then().statusCode(200)
                .body("schedule.misfire_policy", equalTo("SKIP")).body("schedule.timezone", equalTo("UTC"))
                .body("next_fire_times", hasSize(5)).extract().path("next_fire_times");
        for (int i = 1; i < next.size(); i++) {
            assertEquals(Instant.parse(next.get(i - 1)).plusSeconds(1), Instant.parse(next.get(i)), "one a second");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> scheduledRuns(job) >= 3);
        assertEquals(0, count("select count(*) from (select execution_date from api.run where job_id = '" + job
                + "' group by execution_date having count(*) > 1) twice"), "one run per tick");
        assertEquals(0, count("select count(*) from api.run where job_id = '" + job + "' and (trigger <> 'schedule'"
                + " or requested_by <> 'scheduler' or idempotency_key <> 'schedule:' || job_id || ':'"
                + " || extract(epoch from execution_date)::bigint)"));

        // A new cron takes effect at once, even while the job's runs are in progress.
        Instant newYear = Instant.now().atZone(ZoneOffset.UTC).toLocalDate().withDayOfYear(1).plusYears(1)
                .atStartOfDay().toInstant(ZoneOffset.UTC);
        as(ws, "editor").body(Map.of("schedule", Map.of("enabled", true, "cron", NEW_YEAR, "misfire_policy", "RUN_ONCE")))
                .put(path(ws, job)).then().statusCode(200).body("next_fire_times[0]", equalTo(newYear.toString()))
                .body("schedule.misfire_policy", equalTo("RUN_ONCE"));
        assertEquals(newYear.getEpochSecond(), count("select extract(epoch from next_fire_at)::bigint from api.job_schedule"
                + " where job_id = '" + job + "'"));
        assertNoMoreRuns(job);

        // Back to every second: it fires again; disabled, it stops; archived, it has no schedule at all.
        as(ws, "editor").body(Map.of("schedule", Map.of("enabled", true, "cron", EVERY_SECOND))).put(path(ws, job))
                .then().statusCode(200);
        long before = scheduledRuns(job);
        await().atMost(Duration.ofSeconds(20)).until(() -> scheduledRuns(job) > before);
        as(ws, "editor").body(Map.of("status", "DISABLED")).put(path(ws, job)).then().statusCode(200)
                .body("next_fire_times", hasSize(0));
        assertEquals(0, count("select count(*) from api.job_schedule where job_id = '" + job + "'"));
        assertNoMoreRuns(job);
        as(ws, "editor").body(Map.of("status", "ACTIVE", "schedule", Map.of("enabled", false))).put(path(ws, job))
                .then().statusCode(200).body("next_fire_times", hasSize(0));
        assertEquals(0, count("select count(*) from api.job_schedule where job_id = '" + job + "'"));
        as(ws, "editor").body(Map.of("schedule", Map.of("enabled", true, "cron", EVERY_SECOND))).put(path(ws, job))
                .then().statusCode(200);
        assertEquals(1, count("select count(*) from api.job_schedule where job_id = '" + job + "'"));
        as(ws, "editor").body(Map.of("status", "ARCHIVED")).put(path(ws, job)).then().statusCode(200);
        assertEquals(0, count("select count(*) from api.job_schedule where job_id = '" + job + "'"));
        assertNoMoreRuns(job);
    }

    @Test
    void aJobThatCannotLaunchIsAuditedAndDoesNotHoldUpOtherSchedules() throws Exception {
        String ws = uniqueWorkspace();
        String idle = job(ws, "no-active-task", Map.of("enabled", true, "cron", EVERY_SECOND),
                List.of(Map.of("query", "select 1", "is_active", false)));
        String busy = job(ws, "busy", Map.of("enabled", true, "cron", EVERY_SECOND), List.of(Map.of("query", "select 1")));

        await().atMost(Duration.ofSeconds(20)).until(() -> scheduledRuns(busy) >= 2 && refusals(idle) >= 2);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body("find { it.action == 'schedule.launch_refused' }.actor", equalTo("scheduler"))
                .body("find { it.action == 'schedule.launch_refused' }.details.error_code", equalTo("NO_ACTIVE_TASKS"));
        assertEquals(0, scheduledRuns(idle));
        for (String job : List.of(idle, busy)) {
            as(ws, "editor").body(Map.of("status", "DISABLED")).put(path(ws, job)).then().statusCode(200);
        }
    }

    @Test
    void badSchedulesAreRefusedAndChangeNothing() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "steady", Map.of("enabled", true, "cron", NEW_YEAR), List.of(Map.of("query", "select 1")));
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("enabled", true, "cron", "61 * * * *"),
                Map.of("enabled", true, "cron", "* * * * * * *"), Map.of("enabled", true, "cron", "every day"))) {
            as(ws, "editor").body(Map.of("schedule", bad)).put(path(ws, job)).then().statusCode(400)
                    .body("error_code", equalTo("INVALID_CRON")).body("solution_msg", org.hamcrest.Matchers.containsString("five fields"));
        }
        as(ws, "editor").body(Map.of("schedule", Map.of("enabled", true, "cron", EVERY_SECOND, "misfire_policy", "LATER")))
                .put(path(ws, job)).then().statusCode(400).body("error_code", equalTo("INVALID_ENUM_VALUE"));
        as(ws, "editor").body(Map.of("schedule", Map.of("enabled", true, "cron", EVERY_SECOND, "timezone", "Mars/Olympus")))
                .put(path(ws, job)).then().statusCode(400).body("error_code", equalTo("INVALID_TIMEZONE"));
        as(ws, "viewer").get(path(ws, job)).then().body("schedule.cron", equalTo(NEW_YEAR)).body("version", equalTo(0));
        assertEquals(1, count("select count(*) from api.job_schedule where job_id = '" + job + "' and cron = '" + NEW_YEAR + "'"));
    }

    private static void assertNoMoreRuns(String job) throws Exception {
        long runs = scheduledRuns(job);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> scheduledRuns(job) == runs);
    }

    static long scheduledRuns(String job) throws Exception {
        return count("select count(*) from api.run where job_id = '" + job + "' and trigger = 'schedule'");
    }

    private static long refusals(String job) throws Exception {
        return count("select count(*) from api.audit_event where object_id = '" + job + "' and action = 'schedule.launch_refused'");
    }

    static String job(String ws, String name, Map<String, Object> schedule, List<Map<String, Object>> tasks) {
        String connection = as(ws, "editor").body(postgresConnection(name + "-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE",
                "destination_connection_id", connection, "tasks", tasks));
        if (schedule != null) {
            body.put("schedule", schedule);
        }
        return as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
    }

    static String path(String ws, String job) {
        return "/api/v1/workspaces/" + ws + "/jobs/" + job;
    }
}
