package io.jobplane.api.run;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.UuidGenerator;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The API's record of a run and where it is in its life; run ids are UUIDv7, so they sort by launch time. */
@Entity
@Table(name = "run")
public class RunEntity extends PanacheEntityBase {

    @Id
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    public String workspace;
    @Column(name = "job_id")
    public UUID jobId;
    public int attempt;
    public String trigger;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "requested_at")
    public Instant requestedAt;
    @Column(name = "requested_by")
    public String requestedBy;
    @Enumerated(EnumType.STRING)
    public RunState state = RunState.QUEUED;
    @Column(name = "execution_date")
    public Instant executionDate;
    /** The launch's parameters, JSON. */
    public String parameters = "{}";
    /** The tasks the launch asked for; null: the job's active tasks. */
    @Column(name = "task_ids")
    @JdbcTypeCode(SqlTypes.ARRAY)
    public UUID[] taskIds;
    @Column(name = "not_before")
    public Instant notBefore;
    @Column(name = "dispatched_at")
    public Instant dispatchedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "last_seen_at")
    public Instant lastSeenAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "worker_id")
    public String workerId;
    @Column(name = "error_code")
    public String errorCode;
    @Column(name = "cancel_requested_by")
    public String cancelRequestedBy;
    /** The step package version a STEPS run executes, pinned at launch; null for other job types. */
    @Column(name = "source_version")
    public Integer sourceVersion;
    /** The backfill that made the run; null for other runs. */
    @Column(name = "backfill_id")
    public UUID backfillId;
    /** The run this one reruns (docs/operating-runs.md); null for other runs. */
    @Column(name = "rerun_of")
    public UUID rerunOf;
    /** The status an operator set on the ended run, with why, who and when; null when never marked. */
    @Column(name = "marked_status")
    public String markedStatus;
    @Column(name = "marked_reason")
    public String markedReason;
    @Column(name = "marked_by")
    public String markedBy;
    @Column(name = "marked_at")
    public Instant markedAt;
    /** Whether the run's success has counted for the workflows its job triggers: once in its life. */
    @Column(name = "workflow_counted")
    public boolean workflowCounted;
    /** Tasks skipped while the run was queued: it does not run them. Null: none. */
    @Column(name = "skipped_task_ids")
    @JdbcTypeCode(SqlTypes.ARRAY)
    public UUID[] skippedTaskIds;
    /** Admission takes higher priorities first (docs/operating-runs.md, "Pools and priority"). */
    public int priority;
    /** The pool the run holds slots of since admission, and how many; null for a run of a job without a pool. */
    public String pool;
    @Column(name = "pool_slots")
    public Integer poolSlots;
    /**
     * The tags given at launch (key to value), carried by the run's queued event to the run read model,
     * where runs are searched by them; not a column here (null once the run is read back).
     */
    @Transient
    public Map<String, String> tags;
}
