package io.jobplane.api.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.settings.Schedule;

class QuotaRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:15:30Z");
    private static final QuotaLimits DEPLOYMENT = new QuotaLimits(200, 60, 1000, 20, 600, 100);

    @Test
    void aJobHoldsAtMostItsQuotaOfTasks() {
        QuotaRules.requireTasks(200, DEPLOYMENT);
        ApiException e = assertThrows(ApiException.class, () -> QuotaRules.requireTasks(201, DEPLOYMENT));
        assertEquals("TOO_MANY_TASKS", e.code());
        assertEquals(400, e.status().getStatusCode());
        assertTrue(e.getMessage().contains("201") && e.getMessage().contains("200"), e.getMessage());
        QuotaRules.requireTasks(1_000_000, QuotaLimits.NONE);
    }

    @Test
    void theShortestIntervalIsFoundWhereverItFallsInTheExpression() {
        assertEquals(Duration.ofSeconds(10), QuotaRules.shortestInterval("*/10 * * * * *", "UTC", NOW));
        assertEquals(Duration.ofMinutes(1), QuotaRules.shortestInterval("* * * * *", "UTC", NOW));
        assertEquals(Duration.ofMinutes(1), QuotaRules.shortestInterval("0,1 3 * * *", "UTC", NOW), "two ticks a minute apart once a day");
        assertEquals(Duration.ofSeconds(1), QuotaRules.shortestInterval("0,1 0 * * * *", "UTC", NOW), "two ticks a second apart once an hour");
        assertEquals(Duration.ofDays(1), QuotaRules.shortestInterval("0 2 * * *", "Europe/Berlin", NOW));
    }

    @Test
    void aScheduleFiringMoreOftenThanTheQuotaIsRefusedEnabledOrNot() {
        QuotaRules.requireScheduleInterval(new Schedule(true, "* * * * *", null, null), DEPLOYMENT, NOW);
        QuotaRules.requireScheduleInterval(new Schedule(false, null, null, null), DEPLOYMENT, NOW);
        QuotaRules.requireScheduleInterval(null, DEPLOYMENT, NOW);
        ApiException e = assertThrows(ApiException.class, () -> QuotaRules.requireScheduleInterval(
                new Schedule(false, "*/30 * * * * *", "UTC", null), DEPLOYMENT, NOW));
        assertEquals("SCHEDULE_TOO_FREQUENT", e.code());
        assertTrue(e.getMessage().contains("30 s") && e.getMessage().contains("60 s"), e.getMessage());
        QuotaRules.requireScheduleInterval(new Schedule(true, "* * * * * *", null, null), QuotaLimits.NONE, NOW);
    }

    @Test
    void aBackfillMakesAtMostItsQuotaOfRuns() {
        QuotaRules.requireBackfillSize(1000, "0 * * * *", DEPLOYMENT);
        ApiException e = assertThrows(ApiException.class, () -> QuotaRules.requireBackfillSize(1001, "0 * * * *", DEPLOYMENT));
        assertEquals("BACKFILL_TOO_LARGE", e.code());
        assertThrows(ApiException.class, () -> QuotaRules.requireBackfillSize(6, "0 * * * *",
                DEPLOYMENT.within(new QuotaLimits(null, null, 5, null, null, null))));
    }

    @Test
    void oldPackageVersionsArePrunedButNeverTheNewestTwoNorOnesARunUses() {
        List<Integer> versions = List.of(1, 2, 3, 4, 5, 6);
        assertEquals(List.of(1, 2, 3), QuotaRules.prunable(versions, 3, Set.of()));
        assertEquals(List.of(1, 3), QuotaRules.prunable(versions, 3, Set.of(2)), "an unfinished run is pinned to 2");
        assertEquals(List.of(1, 2, 3, 4), QuotaRules.prunable(versions, 1, Set.of()), "the one before the newest stays too");
        assertEquals(List.of(), QuotaRules.prunable(List.of(7), 1, Set.of()));
        assertEquals(List.of(), QuotaRules.prunable(versions, 20, Set.of()));
        assertEquals(List.of(), QuotaRules.prunable(versions, null, Set.of()));
    }

    @Test
    void aWorkspaceMayTightenTheDeploymentsQuotasNeverLoosenThem() {
        QuotaLimits own = new QuotaLimits(500, 10, 50, null, 60, 1_000_000);
        QuotaLimits effective = DEPLOYMENT.within(own);
        assertEquals(new QuotaLimits(200, 60, 50, 20, 60, 100), effective);
        assertEquals(3600, DEPLOYMENT.within(new QuotaLimits(null, 3600, null, null, null, null)).minScheduleIntervalSeconds(),
                "a longer minimum interval is tighter");
        assertEquals(DEPLOYMENT, DEPLOYMENT.within(null));
        assertEquals(DEPLOYMENT, DEPLOYMENT.within(QuotaLimits.NONE));
    }
}
