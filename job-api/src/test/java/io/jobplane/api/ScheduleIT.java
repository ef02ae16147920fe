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

import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Cron schedules fire runs by themselves, show their next fire times and follow every change at once. */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class ScheduleIT {

    private static final String EVERY_SECOND = "* * * * * *";
    private static final String NEW_YEAR = "0 0 1 1 *";
    private static final List<Map<String, Object>> SELECT_1 = List.of(Map.of("query", "select 1"));

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

    @Test
    void twoCronsOfOneJobEachFireTheirOwnRunsAndTheSingleScheduleIsTheDefaultOne() throws Exception {
        String ws = uniqueWorkspace();
        String job = jobWith(ws, "two-crons", Map.of("schedules", List.of(Map.of("name", "default", "cron", EVERY_SECOND),
                Map.of("name", "evens", "cron", "*/2 * * * * *", "overlap_policy", "ALLOW"))), SELECT_1);
        as(ws, "viewer").get(path(ws, job)).then().statusCode(200)
                .body("schedule.cron", equalTo(EVERY_SECOND)).body("schedule.enabled", equalTo(true))
                .body("schedule.overlap_policy", equalTo("ALLOW"))
                .body("schedules.name", equalTo(List.of("default", "evens"))).body("schedules[1].enabled", equalTo(true))
                .body("schedules[1].timezone", equalTo("UTC")).body("schedules[1].misfire_policy", equalTo("SKIP"))
                .body("next_fire_times", hasSize(5));
        assertEquals(2, count("select count(*) from api.job_schedule where job_id = '" + job + "'"));

        // An even second is a tick of both: two runs, one per schedule, told apart by their keys.
        await().atMost(Duration.ofSeconds(20)).until(() -> count("select count(*) from (select execution_date from api.run"
                + " where job_id = '" + job + "' group by execution_date having count(*) = 2) both_fired") >= 2);
        assertEquals(0, count("select count(*) from (select execution_date from api.run where job_id = '" + job
                + "' group by execution_date having count(*) > 2) more"), "one run per tick of each schedule");
        assertEquals(0, count("select count(*) from api.run where job_id = '" + job + "' and (requested_by <> 'scheduler'"
                + " or idempotency_key not in ('schedule:' || job_id || ':' || extract(epoch from execution_date)::bigint,"
                + " 'schedule:' || job_id || ':evens:' || extract(epoch from execution_date)::bigint))"));
        assertEquals(0, count("select count(*) from api.run where job_id = '" + job + "' and idempotency_key like '%:evens:%'"
                + " and extract(epoch from execution_date)::bigint % 2 = 1"), "evens fires on even seconds only");

        // The single schedule written alone changes the default entry; the named one goes on.
        as(ws, "editor").body(Map.of("schedule", Map.of("enabled", false, "cron", EVERY_SECOND))).put(path(ws, job)).then()
                .statusCode(200).body("schedules.name", equalTo(List.of("default", "evens")))
                .body("schedules[0].enabled", equalTo(false));
        assertEquals(1, count("select count(*) from api.job_schedule where job_id = '" + job + "' and name = 'evens'"));
        assertEquals(0, count("select count(*) from api.job_schedule where job_id = '" + job + "' and name = 'default'"));
        as(ws, "editor").body(Map.of("status", "DISABLED")).put(path(ws, job)).then().statusCode(200);
        assertEquals(0, count("select count(*) from api.job_schedule where job_id = '" + job + "'"));
    }

    /**
     * No worker plays the runs here, so a launched run stays unfinished (dispatched) for as long as the
     * test needs: each overlap policy meets a run in progress on its second tick.
     */
    @Test
    void skipLaunchesNothingWhileTheJobHasARunInProgressAndSaysWhy() throws Exception {
        String ws = uniqueWorkspace();
        String job = jobWith(ws, "skipping", Map.of("schedules",
                List.of(Map.of("name", "often", "cron", EVERY_SECOND, "overlap_policy", "SKIP"))), SELECT_1);
        await().atMost(Duration.ofSeconds(20)).until(() -> audited(job, "schedule.tick_skipped") >= 2);
        as(ws, "editor").body(Map.of("status", "DISABLED")).put(path(ws, job)).then().statusCode(200);
        assertEquals(1, scheduledRuns(job), "only the first tick launched");
        String run = runIds(job).get(0);
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body("find { it.action == 'schedule.tick_skipped' }.actor", equalTo("scheduler"))
                .body("find { it.action == 'schedule.tick_skipped' }.details.schedule", equalTo("often"))
                .body("find { it.action == 'schedule.tick_skipped' }.details.overlap_policy", equalTo("SKIP"))
                .body("find { it.action == 'schedule.tick_skipped' }.details.unfinished_runs", equalTo(List.of(run)));
    }

    @Test
    void bufferOneKeepsAtMostOneRunWaiting() throws Exception {
        String ws = uniqueWorkspace();
        String job = jobWith(ws, "buffering", Map.of("execution", Map.of("max_active_runs", 1),
                "schedule", Map.of("enabled", true, "cron", EVERY_SECOND, "overlap_policy", "BUFFER_ONE")), SELECT_1);
        as(ws, "viewer").get(path(ws, job)).then().body("schedules[0].overlap_policy", equalTo("BUFFER_ONE"));
        await().atMost(Duration.ofSeconds(20)).until(() -> audited(job, "schedule.tick_skipped") >= 2);
        as(ws, "editor").body(Map.of("status", "DISABLED")).put(path(ws, job)).then().statusCode(200);
        assertEquals(2, scheduledRuns(job), "the running one and one buffered");
        assertEquals(1, count("select count(*) from api.run where job_id = '" + job + "' and state = 'DISPATCHED'"));
        assertEquals(1, count("select count(*) from api.run where job_id = '" + job + "' and state = 'QUEUED'"));
    }

    @Test
    void cancelOtherCancelsTheRunInProgressThroughTheCancelPathAndLaunches() throws Exception {
        String ws = uniqueWorkspace();
        try (TopicRecorder commands = TopicRecorder.record(TestInfrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS)) {
            String job = jobWith(ws, "replacing", Map.of("schedules",
                    List.of(Map.of("name", "fresh", "cron", EVERY_SECOND, "overlap_policy", "CANCEL_OTHER"))), SELECT_1);
            await().atMost(Duration.ofSeconds(20)).until(() -> scheduledRuns(job) >= 3);
            // Disabling waits for a claim in progress (it holds the schedule's row): no tick is half-fired after it.
            as(ws, "editor").body(Map.of("status", "DISABLED")).put(path(ws, job)).then().statusCode(200);
            long runs = scheduledRuns(job);
            assertEquals(runs - 1, count("select count(*) from api.run where job_id = '" + job + "' and state = 'CANCELLING'"
                    + " and cancel_requested_by = 'scheduler:fresh'"), "each tick cancelled the run before it");
            assertEquals(1, count("select count(*) from api.run where job_id = '" + job + "' and state = 'DISPATCHED'"
                    + " and execution_date = (select max(execution_date) from api.run where job_id = '" + job + "')"),
                    "the latest tick's run is the one left");
            String first = runIds(job).get(0);
            as(ws, "viewer").get("/api/v1/workspaces/{ws}/runs/{id}", ws, first).then().body("status", equalTo("CANCELLING"));
            await().atMost(Duration.ofSeconds(20)).until(() -> commands.values(first).stream().map(EventCodec::decode)
                    .anyMatch(e -> e.type().equals(EventTypes.CANCEL)
                            && "scheduler:fresh".equals(e.dataAs(CancelCommand.class).requestedBy())));
            as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                    .body("find { it.action == 'schedule.runs_cancelled' }.details.schedule", equalTo("fresh"))
                    .body("find { it.action == 'schedule.runs_cancelled' }.details.runs", hasSize(1));
        }
    }

    @Test
    void badScheduleListsAreRefusedAndChangeNothing() throws Exception {
        String ws = uniqueWorkspace();
        String job = job(ws, "listed", Map.of("enabled", true, "cron", NEW_YEAR), SELECT_1);
        Map<String, Object> hourly = Map.of("name", "hourly", "cron", "0 * * * *");
        refusedList(ws, job, Map.of("schedules", List.of(hourly, hourly)), "DUPLICATE_SCHEDULE_NAME");
        refusedList(ws, job, Map.of("schedule", Map.of("cron", NEW_YEAR), "schedules", List.of(hourly)), "SCHEDULES_TWICE");
        refusedList(ws, job, Map.of("schedules", List.of(Map.of("name", "nocron"))), "INVALID_SETTING");
        refusedList(ws, job, Map.of("schedules", List.of(Map.of("name", "bad", "cron", "61 * * * *"))), "INVALID_CRON");
        refusedList(ws, job, Map.of("schedules", List.of(Map.of("name", "z", "cron", "0 * * * *", "timezone", "Mars/Olympus"))),
                "INVALID_TIMEZONE");
        refusedList(ws, job, Map.of("schedules", List.of(Map.of("name", "o", "cron", "0 * * * *", "overlap_policy", "SOMETIMES"))),
                "INVALID_ENUM_VALUE");
        refusedList(ws, job, Map.of("schedules", List.of(Map.of("name", "two words", "cron", "0 * * * *"))), "VALIDATION_FAILED");
        List<Map<String, Object>> many = new java.util.ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            many.add(Map.of("name", "s" + i, "cron", i + " * * * *"));
        }
        refusedList(ws, job, Map.of("schedules", many), "VALIDATION_FAILED");
        as(ws, "viewer").get(path(ws, job)).then().body("version", equalTo(0)).body("schedules.name", equalTo(List.of("default")));
        assertEquals(1, count("select count(*) from api.job_schedule where job_id = '" + job + "'"));
        // A new job's list is checked the same way: nothing is created.
        as(ws, "editor").body(Map.of("name", "never", "type", "TABLE_TO_TABLE", "schedules", List.of(hourly, hourly)))
                .post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(400).body("error_code", equalTo("DUPLICATE_SCHEDULE_NAME"));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(200).body("jobs.name", equalTo(List.of("listed")));
    }

    private static void refusedList(String ws, String job, Map<String, Object> body, String code) {
        as(ws, "editor").body(body).put(path(ws, job)).then().statusCode(400).body("error_code", equalTo(code))
                .body("error_msg", org.hamcrest.Matchers.notNullValue()).body("solution_msg", org.hamcrest.Matchers.notNullValue());
    }

    private static List<String> runIds(String job) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        var pg = TestInfrastructure.shared().postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                var rs = c.createStatement().executeQuery("select id from api.run where job_id = '" + job + "' order by id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static long audited(String job, String action) throws Exception {
        return count("select count(*) from api.audit_event where object_id = '" + job + "' and action = '" + action + "'");
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
        return jobWith(ws, name, schedule == null ? Map.of() : Map.of("schedule", schedule), tasks);
    }

    /** A job on a PostgreSQL connection of its own, with {@code fields} (schedule, schedules, execution…) added. */
    private static String jobWith(String ws, String name, Map<String, ?> fields, List<Map<String, Object>> tasks) {
        String connection = as(ws, "editor").body(postgresConnection(name + "-db", "pw"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "type", "TABLE_TO_TABLE",
                "destination_connection_id", connection, "tasks", tasks));
        body.putAll(fields);
        return as(ws, "editor").body(body).post("/api/v1/workspaces/{ws}/jobs", ws).then().statusCode(201).extract().path("job_id");
    }

    static String path(String ws, String job) {
        return "/api/v1/workspaces/" + ws + "/jobs/" + job;
    }
}
