package io.jobplane.api.job;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.jobplane.api.job.lakeformation.JobParameter;
import io.jobplane.api.job.settings.Execution;
import io.jobplane.api.job.settings.JobSettings;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.api.workspace.WorkspaceObject;
import io.smallrye.mutiny.Uni;

/** A job definition: what runs, where, with which settings. Its tasks are {@link TaskEntity}. */
@Entity
@Table(name = "job")
public class JobEntity extends WorkspaceObject {

    public String name;
    @Enumerated(EnumType.STRING)
    public JobType type;
    @Column(name = "source_connection_id")
    public UUID sourceConnectionId;
    @Column(name = "destination_connection_id")
    public UUID destinationConnectionId;
    @Column(name = "pipeline_id")
    public String pipelineId;
    @Column(name = "continue_on_error")
    public boolean continueOnError;
    @Enumerated(EnumType.STRING)
    public JobStatus status;
    public String description;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] labels = new String[0];
    /** {@link JobSettings} as given (without defaults), JSON. */
    public String settings = "{}";
    /** The LakeFormation parameter without its secrets, JSON; null for other types. */
    public String parameter;
    /** Sealed secrets of the parameter, JSON; see {@link SealedFields}. */
    public String secrets = "{}";
    /** STEPS jobs: properties their steps see as environment variables, JSON object of strings. */
    public String properties = "{}";
    /** STEPS jobs: secrets their steps see as environment variables, sealed JSON; see {@link SealedFields}. */
    @Column(name = "step_secrets")
    public String stepSecrets = "{}";
    /** The job's Tailer identity ({@link TailerIdentity}); all four set, or none. */
    @Column(name = "tailer_account")
    public String tailerAccount;
    @Column(name = "tailer_environment")
    public String tailerEnvironment;
    @Column(name = "tailer_configuration_type")
    public String tailerConfigurationType;
    @Column(name = "tailer_configuration_id")
    public String tailerConfigurationId;
    /** STEPS jobs: the package version runs execute instead of the newest (a VDK deployment's); null: the newest. */
    @Column(name = "pinned_source_version")
    public Integer pinnedSourceVersion;

    @Transient
    private String parsedFrom;
    @Transient
    private JobSettings parsed;

    /** The settings as given; parsed once per stored value, however often a launch asks. */
    public JobSettings settings() {
        if (parsed == null || parsedFrom != settings) {
            parsed = StoredJson.read(settings, JobSettings.class);
            parsedFrom = settings;
        }
        return parsed;
    }

    /** How the job's runs execute, defaults filled in. */
    public Execution execution() {
        return settings().effective(type.replicates()).execution();
    }

    public JobParameter parameter() {
        return StoredJson.read(parameter, JobParameter.class);
    }

    /** The job's Tailer identity, or null. */
    public TailerIdentity tailer() {
        return tailerAccount == null ? null
                : new TailerIdentity(tailerAccount, tailerEnvironment, tailerConfigurationType, tailerConfigurationId);
    }

    /** Sets the job's Tailer identity. */
    public void tailer(TailerIdentity identity) {
        tailerAccount = identity.account();
        tailerEnvironment = identity.environment();
        tailerConfigurationType = identity.configurationType();
        tailerConfigurationId = identity.configurationId();
    }

    public SealedFields sealed() {
        return SealedFields.read(secrets);
    }

    public static Uni<JobEntity> findInWorkspace(String workspace, UUID id) {
        return find("workspace = ?1 and id = ?2", workspace, id).firstResult();
    }

    /** The job; locked when {@code lock} (see {@link #lockInWorkspace}). */
    public static Uni<JobEntity> findInWorkspace(String workspace, UUID id, boolean lock) {
        return lock ? lockInWorkspace(workspace, id) : findInWorkspace(workspace, id);
    }

    /** The job, locked until the transaction ends, so changes to one job apply one after the other. */
    public static Uni<JobEntity> lockInWorkspace(String workspace, UUID id) {
        return find("workspace = ?1 and id = ?2", workspace, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Those of the jobs that are in the workspace. */
    public static Uni<List<JobEntity>> listInWorkspace(String workspace, Collection<UUID> ids) {
        return list("workspace = ?1 and id in ?2", workspace, List.copyOf(ids));
    }
}
