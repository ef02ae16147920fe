package io.jobplane.api.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.settings.CronExpressions;
import io.jobplane.api.job.settings.CronExpressions.Ticks;
import io.jobplane.api.job.settings.Schedule.MisfirePolicy;

/** Which ticks a claim of a due schedule fires, on time and after the scheduler was down. */
class FiringTest {

    private static final Ticks HOURLY = CronExpressions.ticks("0 * * * *", "UTC");
    private static final Duration THRESHOLD = Duration.ofSeconds(60);

    @Test
    void aTickFoundDueWithinTheThresholdFiresWhateverThePolicy() {
        for (MisfirePolicy policy : MisfirePolicy.values()) {
            Firing f = Firing.of(HOURLY, t("10:00:00"), t("10:00:00.400"), THRESHOLD, policy);
            assertEquals(List.of(t("10:00:00")), f.ticks(), policy.name());
            assertEquals(t("11:00:00"), f.next());
        }
    }

    @Test
    void ticksMissedWhileNoSchedulerRanAreSkippedOrRunOnce() {
        Firing skip = Firing.of(HOURLY, t("07:00:00"), t("10:05:00"), THRESHOLD, MisfirePolicy.SKIP);
        assertEquals(List.of(), skip.ticks());
        assertEquals(t("11:00:00"), skip.next());
        Firing once = Firing.of(HOURLY, t("07:00:00"), t("10:05:00"), THRESHOLD, MisfirePolicy.RUN_ONCE);
        assertEquals(List.of(t("10:00:00")), once.ticks(), "the latest missed tick, once");
        assertEquals(t("11:00:00"), once.next());
        // Back just after a tick: that tick is on time; the ones before it were missed.
        assertEquals(List.of(t("10:00:00")),
                Firing.of(HOURLY, t("07:00:00"), t("10:00:30"), THRESHOLD, MisfirePolicy.SKIP).ticks());
        assertEquals(List.of(t("09:00:00"), t("10:00:00")),
                Firing.of(HOURLY, t("07:00:00"), t("10:00:30"), THRESHOLD, MisfirePolicy.RUN_ONCE).ticks());
    }

    @Test
    void ticksReadTheCronInItsZoneAndSixFieldsCountSeconds() {
        Ticks berlin = CronExpressions.ticks("0 2 * * *", "Europe/Berlin");
        assertEquals(Instant.parse("2026-07-01T00:00:00Z"), berlin.after(Instant.parse("2026-06-30T12:00:00Z")));
        assertEquals(Instant.parse("2026-01-01T01:00:00Z"), berlin.after(Instant.parse("2025-12-31T12:00:00Z")));
        Ticks tenSeconds = CronExpressions.ticks("*/10 * * * * *", "UTC");
        assertEquals(List.of(t("10:00:00"), t("10:00:10"), t("10:00:20")), tenSeconds.between(t("10:00:00"), t("10:00:20"), 10));
        assertEquals(t("09:59:50"), tenSeconds.before(t("10:00:00")));
        assertEquals(t("10:00:00"), tenSeconds.before(t("10:00:00.001")));
        assertEquals(t("10:00:10"), tenSeconds.after(t("10:00:00.999")), "ticks are whole seconds");
        assertEquals(t("10:01:00"), CronExpressions.ticks("* * * * *", "UTC").atOrAfter(t("10:00:01")), "five fields fire on the minute");
        // Now a fraction of a second past a tick that was due: the tick fires, the next is a whole second.
        Firing f = Firing.of(tenSeconds, t("10:00:10"), t("10:00:10.731"), THRESHOLD, MisfirePolicy.SKIP);
        assertEquals(List.of(t("10:00:10")), f.ticks());
        assertEquals(t("10:00:20"), f.next());
        assertEquals(List.of(t("10:00:10"), t("10:00:20")), tenSeconds.next(t("10:00:00"), 2));
        assertEquals("INVALID_CRON", assertThrows(ApiException.class,
                () -> CronExpressions.parse("61 * * * *")).code());
        assertEquals("INVALID_CRON", assertThrows(ApiException.class,
                () -> CronExpressions.parse("* * * * * * *")).code());
        assertEquals(List.of(), CronExpressions.ticks("0 0 1 1 *", "UTC").between(t("10:00:00"), t("11:00:00"), 5));
    }

    private static Instant t(String time) {
        return Instant.parse("2026-03-10T" + time + "Z");
    }
}
