package io.jobplane.api.freeze;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A workspace's freeze window, as stored (V25__workspace_freeze.sql). */
@Entity
@Table(name = "workspace_freeze")
public class FreezeEntity extends PanacheEntityBase {

    @Id
    public String workspace;
    @Column(name = "starts_at")
    public Instant startsAt;
    @Column(name = "ends_at")
    public Instant endsAt;
    @Enumerated(EnumType.STRING)
    public FreezeWindow.Mode mode;
    public String reason;
    @Column(name = "set_by")
    public String setBy;
    @Column(name = "set_at")
    public Instant setAt;

    FreezeWindow window() {
        return new FreezeWindow(startsAt, endsAt, mode, reason);
    }
}
