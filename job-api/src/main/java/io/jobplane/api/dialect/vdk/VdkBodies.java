package io.jobplane.api.dialect.vdk;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The bodies of VDK's control service API, named and shaped as its OpenAPI document has them
 * (field names in snake_case, as the application writes every body). Absent values are left out,
 * never written as null: VDK's schema allows no nulls.
 */
public final class VdkBodies {

    private VdkBodies() {
    }

    /** DataJob: a data job, read and written. {@code team} is optional on write and must then be the path's team. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataJob(String jobName, String description, DataJobConfig config, String team) {
    }

    /** DataJobConfig, stored as given. {@code schedule} is deprecated in VDK; the deployment's schedule fires. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataJobConfig(String dbDefaultType, DataJobContacts contacts, DataJobSchedule schedule,
            Boolean generateKeytab, Boolean enableExecutionNotifications, Integer notificationDelayPeriodMinutes) {
    }

    /** DataJobContacts: e-mail lists. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataJobContacts(List<String> notifiedOnJobFailureUserError, List<String> notifiedOnJobFailurePlatformError,
            List<String> notifiedOnJobSuccess, List<String> notifiedOnJobDeploy) {
    }

    /** DataJobSchedule: a five-field cron read in UTC (named explicitly: a one-field record would read as its value). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataJobSchedule(@JsonProperty("schedule_cron") String scheduleCron) {
    }

    /** DataJobResources: CPU in deci-cores, memory in MiB. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataJobResources(Float cpuRequest, Float cpuLimit, Integer memoryRequest, Integer memoryLimit) {
    }

    /** DataJobDeployment: what a deploy or a patch sends, and the deployment an execution ran on. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataJobDeployment(String vdkVersion, String jobVersion, String pythonVersion, String mode, String id,
            Boolean enabled, String deployedBy, Instant deployedDate, DataJobSchedule schedule, DataJobResources resources) {
    }

    /** DataJobDeploymentStatus: a deployment as read. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataJobDeploymentStatus(String vdkVersion, String jobVersion, String pythonVersion, String mode, String id,
            Boolean enabled, DataJobContacts contacts, DataJobSchedule schedule, DataJobResources resources,
            String lastDeployedDate, String lastDeployedBy) {
    }

    /** DataJobExecutionRequest: who starts it; {@code args} reach the steps as the run's parameters. */
    public record DataJobExecutionRequest(String startedBy, Map<String, Object> args) {
    }

    /** DataJobExecution: one execution. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataJobExecution(String id, String jobName, String status, String type, Instant startTime, Instant endTime,
            String startedBy, String logsUrl, String message, String opId, DataJobDeployment deployment) {
    }

    /** DataJobExecutionLogs. */
    public record DataJobExecutionLogs(String logs) {
    }

    /** DataJobVersion: the version an upload made. */
    public record DataJobVersion(String versionSha) {
    }

    /** DataJobApiInfo. */
    public record DataJobApiInfo(String apiVersion, List<String> supportedPythonVersions) {
    }

    /** Error: VDK's error body, one message per line of what jobplane says (code and message, fix, request id). */
    public record Error(List<String> messages) {
    }
}
