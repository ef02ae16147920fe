package io.jobplane.api.job.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobType;
import io.jobplane.api.quota.QuotaRules;
import io.jobplane.api.quota.Quotas;
import io.jobplane.api.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The step packages of STEPS jobs: each upload, checked whole first (see {@link StepPackage}), is
 * stored as the job's next version. The job row is locked while its sources change, so two uploads
 * never get the same version.
 */
@ApplicationScoped
public class JobSourceService {

    private final JobSourceStore store;
    private final Audit audit;
    private final Quotas quotas;

    public JobSourceService(JobSourceStore store, Audit audit, Quotas quotas) {
        this.store = store;
        this.audit = audit;
        this.quotas = quotas;
    }

    /**
     * Checks the uploaded zip and stores it as the job's next version; versions beyond the
     * workspace's {@code package_versions_kept} are deleted, oldest first, except those the job's
     * unfinished runs are pinned to.
     */
    @WithTransaction
    public Uni<SourceVersion> upload(Caller caller, UUID jobId, byte[] body) {
        StepPackage uploaded = StepPackage.read(body);
        return stepsJob(caller, jobId, true)
                .chain(job -> store.latestVersion(job.id))
                .chain(latest -> store.add(JobSourceEntity.next(jobId, latest, uploaded, caller.subject(), Instant.now())))
                .call(e -> audit.record(caller, "job.sources.uploaded", "job", jobId,
                        Map.of("version", e.version, "sha256", e.sha256, "steps", List.of(e.steps))))
                .call(e -> prune(caller, jobId))
                .map(SourceVersion::of);
    }

    private Uni<Void> prune(Caller caller, UUID jobId) {
        return quotas.of(caller.workspace())
                .chain(q -> Panache.getSession().chain(s -> s.flush())
                        .chain(() -> store.versionNumbers(jobId))
                        .chain(all -> store.versionsInUse(jobId)
                                .map(inUse -> QuotaRules.prunable(all, q.packageVersionsKept(), inUse))))
                .call(old -> store.delete(jobId, old))
                .call(old -> old.isEmpty() ? Uni.createFrom().voidItem()
                        : audit.record(caller, "job.sources.pruned", "job", jobId, Map.of("versions", old)))
                .replaceWithVoid();
    }

    /** The job's versions, newest first. */
    @WithSession
    public Uni<List<SourceVersion>> versions(Caller caller, UUID jobId) {
        return stepsJob(caller, jobId, false).chain(job -> store.versions(job.id));
    }

    /** Deletes every version of the job's package; answers how many there were. */
    @WithTransaction
    public Uni<Long> delete(Caller caller, UUID jobId) {
        return stepsJob(caller, jobId, true)
                .invoke(job -> {
                    if (job.pinnedSourceVersion != null) {
                        throw ApiException.conflict("PACKAGE_DEPLOYED", "The job is deployed with version "
                                + job.pinnedSourceVersion + " of its package", "Delete the job's deployment first "
                                + "(DELETE /data-jobs/for-team/{team}/jobs/{job}/deployments/{id}), then its sources.");
                    }
                })
                .chain(job -> store.deleteAll(job.id))
                .call(deleted -> audit.record(caller, "job.sources.deleted", "job", jobId, Map.of("versions", deleted)));
    }

    /** The caller's STEPS job; locked when the caller changes its sources or environment, so changes apply one at a time. */
    Uni<JobEntity> stepsJob(Caller caller, UUID jobId, boolean lock) {
        return JobEntity.findInWorkspace(caller.workspace(), jobId, lock)
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId))
                .invoke(JobSourceService::requireSteps);
    }

    private static void requireSteps(JobEntity job) {
        if (job.type != JobType.STEPS) {
            throw ApiException.conflict("SOURCES_NOT_APPLICABLE", "Job '" + job.name + "' is of type " + job.type
                    + "; only STEPS jobs have step packages, properties and secrets", "Create a job of type STEPS for packaged steps.");
        }
    }
}
