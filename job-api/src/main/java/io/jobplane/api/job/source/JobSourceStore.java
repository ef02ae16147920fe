package io.jobplane.api.job.source;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The queries of step package versions (api.job_source); they run in the caller's session and transaction. */
@ApplicationScoped
public class JobSourceStore {

    private static final String LATEST = "select max(version) from JobSourceEntity where jobId = ?1";
    private static final String VERSIONS = "select version, sha256, sizeBytes, steps, uploadedAt, uploadedBy from JobSourceEntity"
            + " where jobId = ?1 order by version desc";

    /** The job's newest version number, null when it has none; no package bytes are read. */
    public Uni<Integer> latestVersion(UUID jobId) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(LATEST, Integer.class).setParameter(1, jobId)
                .getSingleResultOrNull());
    }

    /** Stores a new version. */
    public Uni<JobSourceEntity> add(JobSourceEntity version) {
        return version.persist();
    }

    /** The job's versions, newest first, without their bytes. */
    public Uni<List<SourceVersion>> versions(UUID jobId) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(VERSIONS, Object[].class).setParameter(1, jobId).getResultList())
                .map(rows -> rows.stream().map(r -> new SourceVersion(jobId, (Integer) r[0], (String) r[1], (Integer) r[2],
                        List.of((String[]) r[3]), (Instant) r[4], (String) r[5])).toList());
    }

    /** Deletes every version of the job; answers how many there were. */
    public Uni<Long> deleteAll(UUID jobId) {
        return JobSourceEntity.delete("jobId", jobId);
    }
}
