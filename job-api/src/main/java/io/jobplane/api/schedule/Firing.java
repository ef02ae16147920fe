package io.jobplane.api.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.jobplane.api.job.settings.CronExpressions.Ticks;
import io.jobplane.api.job.settings.Schedule.MisfirePolicy;

/**
 * What one claim of a due schedule does: the ticks to launch runs for, and the tick to wait for
 * next (null: the cron never fires again). A tick found due within the misfire threshold of its
 * time is on time and runs. Older ones were missed (no scheduler ran): SKIP drops them, RUN_ONCE
 * runs the latest of them once.
 */
record Firing(List<Instant> ticks, Instant next) {

    /** On-time ticks launched by one claim at most; more only with a threshold far above the cron's period. */
    static final int MAX_ON_TIME = 100;

    static Firing of(Ticks cron, Instant due, Instant now, Duration misfireThreshold, MisfirePolicy policy) {
        Instant lateBefore = now.minus(misfireThreshold);
        List<Instant> fire = new ArrayList<>();
        boolean missed = due.isBefore(lateBefore);
        if (missed && policy == MisfirePolicy.RUN_ONCE) {
            Instant latestMissed = cron.before(lateBefore);
            fire.add(latestMissed == null || latestMissed.isBefore(due) ? due : latestMissed);
        }
        fire.addAll(cron.between(missed ? lateBefore : due, now, MAX_ON_TIME));
        return new Firing(fire, cron.after(now));
    }
}
