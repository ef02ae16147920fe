package io.jobplane.api.dialect.vdk;

import java.time.Instant;
import java.util.List;

/**
 * A data job as the VDK dialect shows it, read in one go for the REST answers and the GraphQL
 * {@code jobs_query}: the job's VDK config, its one deployment (null when it was never deployed or
 * the deployment was deleted) and, when asked for, its recent executions newest first.
 */
public record VdkJobView(String jobName, String team, String description, Config config, Deployment deployment) {

    /** VDK's job config (DataJobConfig) as stored: every field may be null (not given). */
    public record Config(String dbDefaultType, Contacts contacts, String scheduleCron, Boolean generateKeytab,
            Boolean enableExecutionNotifications, Integer notificationDelayPeriodMinutes) {
    }

    /** VDK's contact lists (DataJobContacts); a list is empty, never null. */
    public record Contacts(List<String> notifiedOnJobFailureUserError, List<String> notifiedOnJobFailurePlatformError,
            List<String> notifiedOnJobSuccess, List<String> notifiedOnJobDeploy) {
        public static final Contacts NONE = new Contacts(List.of(), List.of(), List.of(), List.of());
    }

    /** VDK's resources (DataJobResources): CPU in deci-cores, memory in MiB; null when not given. */
    public record Resources(Float cpuRequest, Float cpuLimit, Integer memoryRequest, Integer memoryLimit) {
    }

    /**
     * The job's deployment. {@code lastExecution*}, {@code successfulExecutions} and
     * {@code failedExecutions} summarise the executions of the job; {@code executions} holds the recent
     * ones newest first (empty when they were not read).
     */
    public record Deployment(String id, boolean enabled, String jobVersion, String vdkVersion, String pythonVersion,
            String mode, String scheduleCron, Resources resources, Instant deployedDate, String deployedBy,
            Long nextRunEpochSeconds, String lastExecutionStatus, Instant lastExecutionTime, Integer lastExecutionDuration,
            int successfulExecutions, int failedExecutions, List<Execution> executions) {
    }

    /**
     * One execution in VDK's words: {@code status} is VDK's lower-case word (submitted, running,
     * succeeded, cancelled, skipped, user_error, platform_error), {@code type} manual or scheduled.
     */
    public record Execution(String id, String jobName, String status, String type, Instant startTime, Instant endTime,
            String startedBy, String message, String opId, String logsUrl, String jobVersion, String vdkVersion,
            String pythonVersion, String scheduleCron, Resources resources, Instant deployedDate, String deployedBy) {
    }
}
