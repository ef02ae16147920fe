package io.jobplane.api.run;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.UuidGenerator;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The API's record of a launch; run ids are UUIDv7, so they sort by launch time. */
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
}
