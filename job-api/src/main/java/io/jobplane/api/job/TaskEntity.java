package io.jobplane.api.job;

import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.UuidGenerator;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** One ordered unit of work of a job; indices are dense, 0..n-1. */
@Entity
@Table(name = "task")
public class TaskEntity extends PanacheEntityBase {

    @Id
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    @Column(name = "job_id")
    public UUID jobId;
    @Column(name = "task_index")
    public int index;
    public String query;
    @Column(name = "is_active")
    public boolean active;

    public static Uni<List<TaskEntity>> ofJob(UUID jobId) {
        return find("jobId = ?1 order by index", jobId).list();
    }
}
