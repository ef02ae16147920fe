package io.jobplane.api.job.source;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;

import io.jobplane.api.audit.Audit;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.api.security.Caller;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Reads and changes a STEPS job's properties and secrets (see {@link StepEnvironment} for their
 * rules). Both live on the job row, which is locked while either changes, so the check that no
 * name is both a property and a secret holds against concurrent changes. Secrets are sealed before
 * they are stored and reach the audit trail by name only.
 */
@ApplicationScoped
public class StepEnvironmentService {

    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };

    private final JobSourceService sources;
    private final Audit audit;
    private final SecretKeyring keyring;

    public StepEnvironmentService(JobSourceService sources, Audit audit, SecretKeyring keyring) {
        this.sources = sources;
        this.audit = audit;
        this.keyring = keyring;
    }

    /** The job's properties, sorted by name. */
    @WithSession
    public Uni<Map<String, String>> properties(Caller caller, UUID jobId) {
        return sources.stepsJob(caller, jobId, false).map(StepEnvironmentService::properties);
    }

    /** Replaces the job's properties as a whole; answers them sorted by name. */
    @WithTransaction
    public Uni<Map<String, String>> replaceProperties(Caller caller, UUID jobId, Map<String, String> given) {
        Map<String, String> properties = StepEnvironment.properties(given);
        return sources.stepsJob(caller, jobId, true)
                .invoke(job -> StepEnvironment.requireNoSecretNamed(given.keySet(), secrets(job).names()))
                .invoke(job -> job.properties = StoredJson.write(properties))
                .call(job -> audit.record(caller, "job.properties.replaced", "job", jobId,
                        Map.of("names", List.copyOf(properties.keySet()))))
                .replaceWith(properties);
    }

    /** The names of the job's secrets. */
    @WithSession
    public Uni<List<String>> secretNames(Caller caller, UUID jobId) {
        return sources.stepsJob(caller, jobId, false).map(job -> secrets(job).names());
    }

    /** Sets and removes secrets of the job; answers the names it then holds. */
    @WithTransaction
    public Uni<List<String>> updateSecrets(Caller caller, UUID jobId, Map<String, String> set, List<String> remove) {
        StepEnvironment.checkSecrets(set);
        return sources.stepsJob(caller, jobId, true).chain(job -> {
            SealedFields sealed = secrets(job);
            List<String> changed = StepEnvironment.updateSecrets(sealed, set, remove, properties(job).keySet(), keyring,
                    SecretOwner.jobSteps(job.workspace, job.id));
            job.stepSecrets = sealed.json();
            return audit.record(caller, "job.secrets.updated", "job", jobId, Map.of("changed", changed, "removed", remove))
                    .replaceWith(sealed.names());
        });
    }

    /**
     * Replaces the job's secrets as a whole (VDK's {@code PUT …/secrets}): the given ones are set, the
     * ones held but not given are removed; answers the names it then holds.
     */
    @WithTransaction
    public Uni<List<String>> replaceSecrets(Caller caller, UUID jobId, Map<String, String> all) {
        StepEnvironment.checkSecrets(all);
        return sources.stepsJob(caller, jobId, true).chain(job -> {
            SealedFields sealed = secrets(job);
            List<String> remove = sealed.names().stream().filter(name -> !all.containsKey(name)).toList();
            List<String> changed = StepEnvironment.updateSecrets(sealed, all, remove, properties(job).keySet(), keyring,
                    SecretOwner.jobSteps(job.workspace, job.id));
            job.stepSecrets = sealed.json();
            return audit.record(caller, "job.secrets.updated", "job", jobId, Map.of("changed", changed, "removed", remove))
                    .replaceWith(sealed.names());
        });
    }

    /**
     * The job's secrets with their values, for the one API that hands them back (VDK's
     * {@code GET …/secrets}, which VDK's own tools read to merge and to run): the caller must be an
     * editor, and every read is written to the audit trail (names only) in the transaction that reads.
     */
    @WithTransaction
    public Uni<Map<String, String>> revealSecrets(Caller caller, UUID jobId) {
        if (!caller.role().includes(io.jobplane.api.security.Role.EDITOR)) {
            throw new IllegalStateException("secrets are revealed to editors only");
        }
        return sources.stepsJob(caller, jobId, false).chain(job -> {
            Map<String, String> values = new TreeMap<>(secrets(job).open(keyring, SecretOwner.jobSteps(job.workspace, job.id)));
            return audit.record(caller, "job.secrets.read", "job", jobId, Map.of("names", List.copyOf(values.keySet())))
                    .replaceWith(values);
        });
    }

    /**
     * Seals the job's secrets again for the workspace it moves to (a sealed value is bound to its
     * owner, workspace included); in the caller's transaction, before the job's workspace changes.
     */
    public void resealFor(JobEntity job, String workspace) {
        Map<String, String> clear = secrets(job).open(keyring, SecretOwner.jobSteps(job.workspace, job.id));
        SealedFields moved = SealedFields.read("{}");
        moved.merge(clear, List.of(), keyring, SecretOwner.jobSteps(workspace, job.id));
        job.stepSecrets = moved.json();
    }

    private static Map<String, String> properties(JobEntity job) {
        return new TreeMap<>(StoredJson.readMap(job.properties, STRINGS));
    }

    private static SealedFields secrets(JobEntity job) {
        return SealedFields.read(job.stepSecrets);
    }
}
