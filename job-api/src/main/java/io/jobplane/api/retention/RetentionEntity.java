package io.jobplane.api.retention;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A workspace's retention policy, as stored (V28__retention.sql). */
@Entity
@Table(name = "workspace_retention")
public class RetentionEntity extends PanacheEntityBase {

    @Id
    public String workspace;
    @Column(name = "logs_days")
    public int logsDays;
    @Column(name = "runs_days")
    public int runsDays;
    @Column(name = "set_by")
    public String setBy;
    @Column(name = "set_at")
    public Instant setAt;
}
