package io.jobplane.api.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.settings.CronExpressions;
import io.jobplane.api.job.settings.Schedule.MisfirePolicy;
import io.jobplane.api.job.settings.Schedule.OverlapPolicy;
import io.jobplane.api.job.settings.ScheduleEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Keeps {@code api.job_schedule} in step with the jobs: a job has a row per schedule that fires by
 * itself (job ACTIVE, schedule enabled, a cron), keyed by the schedule's name. A changed cron or time
 * zone starts from the next tick after the change; an unchanged one keeps its pending tick.
 */
@ApplicationScoped
public class Schedules {

    /** How many upcoming ticks a job shows. */
    public static final int SHOWN = 5;

    private static final String UPSERT = """
            insert into api.job_schedule (job_id, name, workspace, cron, timezone, misfire_policy, overlap_policy,
                                          next_fire_at, updated_at)
            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            on conflict (job_id, name) do update set cron = excluded.cron, timezone = excluded.timezone,
                   misfire_policy = excluded.misfire_policy, overlap_policy = excluded.overlap_policy,
                   updated_at = excluded.updated_at,
                   next_fire_at = case when job_schedule.cron = excluded.cron and job_schedule.timezone = excluded.timezone
                                       then job_schedule.next_fire_at else excluded.next_fire_at end""";
    /** Drops the job's rows of schedules that no longer fire; ?2 is the names that do, '/'-separated (names hold no '/'). */
    private static final String DELETE_OTHERS = """
            delete from api.job_schedule where job_id = ?1 and name <> all(string_to_array(?2, '/'))""";

    /**
     * The job's schedules that fire by themselves, the default one first; empty unless the job is
     * ACTIVE. A discovery job whose {@code parameter} says {@code execute_strategy: SCHEDULE} fires on
     * the cron its {@code execute_*} fields stand for (UTC) as its default schedule, unless the job's
     * own default schedule is enabled, which then decides.
     */
    public static List<ScheduleEntry> firing(JobEntity job) {
        if (job.status != JobStatus.ACTIVE) {
            return List.of();
        }
        List<ScheduleEntry> firing = job.settings().effective(job.type.replicates()).schedules().stream()
                .filter(e -> e.enabled() && e.cron() != null).collect(Collectors.toCollection(ArrayList::new));
        boolean defaultFires = !firing.isEmpty() && firing.get(0).name().equals(ScheduleEntry.DEFAULT_NAME);
        String discovery = job.type == JobType.METADATA_DISCOVERY && job.parameter != null
                && job.parameter().metadataDiscoveryParameter() != null ? job.parameter().metadataDiscoveryParameter().cron() : null;
        if (!defaultFires && discovery != null) {
            firing.add(0, new ScheduleEntry(ScheduleEntry.DEFAULT_NAME, true, discovery, "UTC", MisfirePolicy.SKIP,
                    OverlapPolicy.ALLOW));
        }
        return firing;
    }

    /** The job's next fire times after now, of all its schedules together; empty when it does not fire by itself. */
    public static List<Instant> upcoming(JobEntity job) {
        Instant now = Instant.now();
        return firing(job).stream().flatMap(s -> CronExpressions.ticks(s.cron(), s.timezone()).next(now, SHOWN).stream())
                .distinct().sorted().limit(SHOWN).toList();
    }

    /** Writes the job's schedule rows and removes the ones that no longer fire; must run in the transaction that changed the job. */
    public Uni<Void> sync(JobEntity job) {
        Instant now = Instant.now();
        List<ScheduleEntry> firing = new ArrayList<>();
        List<Instant> next = new ArrayList<>();
        for (ScheduleEntry s : firing(job)) {
            Instant at = CronExpressions.ticks(s.cron(), s.timezone()).after(now);
            if (at != null) {
                firing.add(s);
                next.add(at);
            }
        }
        String names = firing.stream().map(ScheduleEntry::name).collect(Collectors.joining("/"));
        return Panache.getSession().chain(session -> {
            Uni<Integer> chain = session.flush().chain(() -> session.createNativeQuery(DELETE_OTHERS)
                    .setParameter(1, job.id).setParameter(2, names).executeUpdate());
            for (int i = 0; i < firing.size(); i++) {
                ScheduleEntry s = firing.get(i);
                Instant at = next.get(i);
                chain = chain.chain(() -> session.createNativeQuery(UPSERT).setParameter(1, job.id).setParameter(2, s.name())
                        .setParameter(3, job.workspace).setParameter(4, s.cron()).setParameter(5, s.timezone())
                        .setParameter(6, s.misfirePolicy().name()).setParameter(7, s.overlapPolicy().name())
                        .setParameter(8, at.atOffset(ZoneOffset.UTC)).setParameter(9, now.atOffset(ZoneOffset.UTC))
                        .executeUpdate());
            }
            return chain;
        }).replaceWithVoid();
    }
}
