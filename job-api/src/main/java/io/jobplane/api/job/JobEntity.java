package io.jobplane.api.job;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.UuidGenerator;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A job definition: what runs, where, with which settings. Its tasks are {@link TaskEntity}. */
@Entity
@Table(name = "job")
public class JobEntity extends PanacheEntityBase {

    @Id
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    public String workspace;
    public String name;
    @Enumerated(EnumType.STRING)
    public JobType type;
    @Column(name = "destination_connection_id")
    public UUID destinationConnectionId;
    @Column(name = "continue_on_error")
    public boolean continueOnError;
    public String status;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "created_by")
    public String createdBy;
    @Version
    public int version;

    public static Uni<JobEntity> findInWorkspace(String workspace, UUID id) {
        return find("workspace = ?1 and id = ?2", workspace, id).firstResult();
    }
}
