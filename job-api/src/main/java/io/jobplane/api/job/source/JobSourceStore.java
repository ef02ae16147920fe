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

    /** The job's version numbers, and those its unfinished runs are pinned to. */
    public Uni<List<Integer>> versionNumbers(UUID jobId) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "select version from JobSourceEntity where jobId = ?1", Integer.class).setParameter(1, jobId).getResultList());
    }

    /**
     * The versions in use: those the job's unfinished runs are pinned to (they still launch, or retry,
     * with them) and the one the job itself pins (a VDK deployment's job_version).
     */
    public Uni<List<Integer>> versionsInUse(UUID jobId) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "select distinct r.sourceVersion from RunEntity r where r.jobId = ?1 and r.state in ?2 and r.sourceVersion is not null",
                Integer.class).setParameter(1, jobId).setParameter(2, io.jobplane.api.run.RunState.UNFINISHED).getResultList()
                .chain(inRuns -> s.createSelectionQuery("select pinnedSourceVersion from JobEntity where id = ?1 and pinnedSourceVersion is not null",
                        Integer.class).setParameter(1, jobId).getResultList().map(pinned -> {
                            List<Integer> all = new java.util.ArrayList<>(inRuns);
                            all.addAll(pinned);
                            return all;
                        })));
    }

    /** Deletes the given versions of the job; answers how many went. */
    public Uni<Long> delete(UUID jobId, List<Integer> versions) {
        return versions.isEmpty() ? Uni.createFrom().item(0L)
                : JobSourceEntity.delete("jobId = ?1 and version in ?2", jobId, versions);
    }

    /** Deletes every version of the job; answers how many there were. */
    public Uni<Long> deleteAll(UUID jobId) {
        return JobSourceEntity.delete("jobId", jobId);
    }
}
