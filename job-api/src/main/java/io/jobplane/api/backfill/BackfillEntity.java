package io.jobplane.api.backfill;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.UuidGenerator;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A backfill: the runs of a job's schedule ticks in a range, launched together and cancelled together. */
@Entity
@Table(name = "backfill")
public class BackfillEntity extends PanacheEntityBase {

    @Id
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    public String workspace;
    @Column(name = "job_id")
    public UUID jobId;
    @Column(name = "range_from")
    public Instant rangeFrom;
    @Column(name = "range_to")
    public Instant rangeTo;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "requested_at")
    public Instant requestedAt;
    @Column(name = "cancelled_by")
    public String cancelledBy;
    @Column(name = "cancelled_at")
    public Instant cancelledAt;
}
