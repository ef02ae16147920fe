package io.jobplane.api.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.settings.CronExpressions;
import io.jobplane.api.job.settings.Schedule;
import io.jobplane.api.job.settings.Schedule.MisfirePolicy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Keeps {@code api.job_schedule} in step with the jobs: a job has a row while it fires by itself
 * (ACTIVE, schedule enabled, a cron). A changed cron or time zone starts from the next tick after
 * the change; an unchanged one keeps its pending tick.
 */
@ApplicationScoped
public class Schedules {

    /** How many upcoming ticks a job shows. */
    public static final int SHOWN = 5;

    private static final String UPSERT = """
            insert into api.job_schedule (job_id, workspace, cron, timezone, misfire_policy, next_fire_at, updated_at)
            values (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            on conflict (job_id) do update set cron = excluded.cron, timezone = excluded.timezone,
                   misfire_policy = excluded.misfire_policy, updated_at = excluded.updated_at,
                   next_fire_at = case when job_schedule.cron = excluded.cron and job_schedule.timezone = excluded.timezone
                                       then job_schedule.next_fire_at else excluded.next_fire_at end""";
    private static final String DELETE = "delete from api.job_schedule where job_id = ?1";

    /**
     * The job's effective schedule when it fires by itself; null otherwise. A discovery job whose
     * {@code parameter} says {@code execute_strategy: SCHEDULE} fires on the cron its {@code execute_*}
     * fields stand for (UTC), unless the job's own schedule is enabled, which then decides.
     */
    public static Schedule firing(JobEntity job) {
        if (job.status != JobStatus.ACTIVE) {
            return null;
        }
        Schedule s = job.settings().effective(job.type.replicates()).schedule();
        if (s.enabled() && s.cron() != null) {
            return s;
        }
        String discovery = job.type == JobType.METADATA_DISCOVERY && job.parameter != null
                && job.parameter().metadataDiscoveryParameter() != null ? job.parameter().metadataDiscoveryParameter().cron() : null;
        return discovery == null ? null : new Schedule(true, discovery, "UTC", MisfirePolicy.SKIP);
    }

    /** The job's next fire times after now; empty when it does not fire by itself. */
    public static List<Instant> upcoming(JobEntity job) {
        Schedule s = firing(job);
        return s == null ? List.of() : CronExpressions.ticks(s.cron(), s.timezone()).next(Instant.now(), SHOWN);
    }

    /** Writes or removes the job's schedule row; must run in the transaction that changed the job. */
    public Uni<Void> sync(JobEntity job) {
        Schedule s = firing(job);
        Instant now = Instant.now();
        Instant next = s == null ? null : CronExpressions.ticks(s.cron(), s.timezone()).after(now);
        return Panache.getSession().chain(session -> session.flush().chain(() -> next == null
                ? session.createNativeQuery(DELETE).setParameter(1, job.id).executeUpdate()
                : session.createNativeQuery(UPSERT).setParameter(1, job.id).setParameter(2, job.workspace)
                        .setParameter(3, s.cron()).setParameter(4, s.timezone()).setParameter(5, s.misfirePolicy().name())
                        .setParameter(6, next.atOffset(ZoneOffset.UTC)).setParameter(7, now.atOffset(ZoneOffset.UTC))
                        .executeUpdate()))
                .replaceWithVoid();
    }
}
