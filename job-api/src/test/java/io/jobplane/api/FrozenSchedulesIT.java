package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static io.jobplane.api.RunLaunchIT.count;
import static io.jobplane.api.ScheduleIT.scheduledRuns;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.stack.JobplaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A freeze holds a workspace's schedules: their ticks stay due while it lasts, and at its end each
 * schedule's misfire policy decides what becomes of the ticks it missed. The misfire threshold is three
 * seconds in tests, so a freeze of a few seconds makes a tick missed.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class FrozenSchedulesIT {

    @Test
    void aFreezeHoldsTheTicksAndItsEndAppliesEachSchedulesMisfirePolicy() throws Exception {
        String ws = uniqueWorkspace();
        String catchUp = ScheduleIT.job(ws, "catch-up", null, List.of(Map.of("query", "select 1")));
        String skipper = ScheduleIT.job(ws, "skipper", null, List.of(Map.of("query", "select 1")));
        Instant tick = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
        Instant until = tick.plusSeconds(6);
        as(ws, "admin").body(Map.of("until", until.toString(), "mode", "WAIT", "reason", "quarter close"))
                .put("/api/v1/workspaces/{ws}/freeze", ws).then().statusCode(200);
        // Both jobs tick once a minute, at the second of `tick`, which falls inside the freeze.
        String cron = tick.atZone(ZoneOffset.UTC).getSecond() + " * * * * *";
        for (String[] job : List.of(new String[] { catchUp, "RUN_ONCE" }, new String[] { skipper, "SKIP" })) {
            as(ws, "editor").body(Map.of("schedule", Map.of("enabled", true, "cron", cron, "misfire_policy", job[1])))
                    .put("/api/v1/workspaces/{ws}/jobs/{job}", ws, job[0]).then().statusCode(200)
                    .body("next_fire_times[0]", equalTo(tick.toString()));
        }

        // RUN_ONCE: the missed tick runs once, only after the freeze ended.
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRuns(catchUp) == 1);
        assertEquals(tick.getEpochSecond(), count("select extract(epoch from execution_date)::bigint from api.run where job_id = '"
                + catchUp + "'"), "the run is the missed tick's");
        long requested = count("select (extract(epoch from requested_at) * 1000)::bigint from api.run where job_id = '" + catchUp + "'");
        assertTrue(requested >= until.toEpochMilli(), "launched at " + Instant.ofEpochMilli(requested) + ", not before the freeze ended at " + until);

        // SKIP: the missed tick is dropped; nothing runs before the next minute's tick.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> scheduledRuns(skipper) == 0);
        assertEquals(1, scheduledRuns(catchUp), "the missed tick ran once");
    }
}
