package io.jobplane.api.job.source;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One uploaded version of a STEPS job's package. */
@Entity
@Table(name = "job_source")
public class JobSourceEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "job_id")
    public UUID jobId;
    public int version;
    public String sha256;
    @Column(name = "size_bytes")
    public int sizeBytes;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] steps;
    public byte[] content;
    @Column(name = "uploaded_at")
    public Instant uploadedAt;
    @Column(name = "uploaded_by")
    public String uploadedBy;

    /** The version after {@code latest} (the job's newest, null when it has none) holding {@code uploaded}. */
    static JobSourceEntity next(UUID jobId, Integer latest, StepPackage uploaded, String subject, Instant now) {
        JobSourceEntity e = new JobSourceEntity();
        e.jobId = jobId;
        e.version = latest == null ? 1 : latest + 1;
        e.sha256 = uploaded.sha256();
        e.sizeBytes = uploaded.content().length;
        e.steps = uploaded.steps().toArray(new String[0]);
        e.content = uploaded.content();
        e.uploadedAt = now;
        e.uploadedBy = subject;
        return e;
    }
}
