package io.jobplane.api.quota;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.settings.CronExpressions;
import io.jobplane.api.job.settings.Schedule;

/** The quotas checked when something is saved, decided without I/O; a refusal is a 400 that changes nothing. */
public final class QuotaRules {

    /** Ticks of a cron schedule looked at to find its shortest interval: the tightest gap recurs within a few. */
    static final int TICKS_SAMPLED = 200;

    private QuotaRules() {
    }

    /** A job may hold at most {@code maxTasksPerJob} tasks. */
    public static void requireTasks(int tasks, QuotaLimits quotas) {
        Integer max = quotas.maxTasksPerJob();
        if (max != null && tasks > max) {
            throw ApiException.badRequest("TOO_MANY_TASKS",
                    "The job would hold " + tasks + " tasks; this workspace allows at most " + max + " per job",
                    "Split the work into several jobs (a WORKFLOW job can run them in order), or remove tasks first.");
        }
    }

    /**
     * The shortest time between two consecutive ticks among the next {@link #TICKS_SAMPLED} after
     * {@code from}; null when the expression fires fewer than twice.
     */
    public static Duration shortestInterval(String cron, String timezone, Instant from) {
        List<Instant> ticks = CronExpressions.ticks(cron, timezone).next(from, TICKS_SAMPLED);
        Duration shortest = null;
        for (int i = 1; i < ticks.size(); i++) {
            Duration gap = Duration.between(ticks.get(i - 1), ticks.get(i));
            if (shortest == null || gap.compareTo(shortest) < 0) {
                shortest = gap;
            }
        }
        return shortest;
    }

    /** A schedule's cron may not fire more often than {@code minScheduleIntervalSeconds} (enabled or not: backfills use it too). */
    public static void requireScheduleInterval(Schedule schedule, QuotaLimits quotas, Instant now) {
        Integer min = quotas.minScheduleIntervalSeconds();
        if (min == null || schedule == null || schedule.cron() == null || schedule.cron().isBlank()) {
            return;
        }
        Duration shortest = shortestInterval(schedule.cron(), schedule.timezone() == null ? "UTC" : schedule.timezone(), now);
        if (shortest != null && shortest.getSeconds() < min) {
            throw ApiException.badRequest("SCHEDULE_TOO_FREQUENT",
                    "schedule.cron '" + schedule.cron() + "' fires every " + shortest.getSeconds()
                            + " s at the shortest; this workspace allows one tick every " + min + " s at most",
                    "Choose a cron whose ticks are at least " + min + " s apart (e.g. '*/" + Math.max(1, (min + 59) / 60)
                            + " * * * *'), or launch the job from a workflow instead.");
        }
    }

    /** A backfill may make at most {@code maxBackfillRuns} runs; {@code ticks} may hold one more, to tell. */
    public static void requireBackfillSize(int ticks, String cron, QuotaLimits quotas) {
        Integer max = quotas.maxBackfillRuns();
        if (max != null && ticks > max) {
            throw ApiException.badRequest("BACKFILL_TOO_LARGE", "The range holds more than " + max + " ticks of '" + cron + "'",
                    "Split it into backfills of at most " + max + " ticks each.");
        }
    }

    /**
     * The step package versions to delete when a job holds {@code versions}: all but the newest
     * {@code kept} (at least two: the newest, which the job runs, and the one before it, which a
     * launch planned just before the upload may still pin), except those unfinished runs are pinned
     * to ({@code inUse}).
     */
    public static List<Integer> prunable(Collection<Integer> versions, Integer kept, Collection<Integer> inUse) {
        if (kept == null) {
            return List.of();
        }
        List<Integer> newestFirst = versions.stream().sorted((a, b) -> Integer.compare(b, a)).toList();
        return newestFirst.stream().skip(Math.max(2, kept))
                .filter(v -> !inUse.contains(v))
                .sorted().toList();
    }
}
