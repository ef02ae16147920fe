package io.jobplane.api.dialect.lakeformation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.jobplane.api.job.lakeformation.JobParameter;

/**
 * An lf-job as LakeFormation answers it (the create reference's table 12): the native job's id,
 * name, description, type and parameter (never its data source's secrets), its creation time, the
 * start of its latest run and the LakeFormation status of that run.
 */
@Schema(name = "LakeFormationJob")
@JsonPropertyOrder({ "id", "name", "description", "type", "parameter", "create_time", "start_time", "status" })
public record LakeFormationJob(
        @JsonProperty("id") @Schema(description = "The job id (the native job_id)") String id,
        @JsonProperty("name") String name,
        @JsonProperty("description") @JsonInclude(JsonInclude.Include.NON_NULL) String description,
        @JsonProperty("type") @Schema(enumeration = { "METADATA_MIGRATION", "PERMISSION_MIGRATION", "METADATA_DISCOVERY" }) String type,
        @JsonProperty("parameter") JobParameter parameter,
        @JsonProperty("create_time") @Schema(description = "When the job was created (ISO 8601, UTC)") String createTime,
        @JsonProperty("start_time") @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "When its latest run started; absent before any") String startTime,
        @JsonProperty("status") @Schema(enumeration = { "CREATED", "SUBMITTED", "RUNNING", "SUCCESS", "FAILED", "STOPPED" }) String status) {

    /** One page of lf-jobs: {@code jobs} and how many match in all. */
    @Schema(name = "LakeFormationJobs")
    @JsonPropertyOrder({ "jobs", "total_count" })
    public record Page(@JsonProperty("jobs") List<LakeFormationJob> jobs, @JsonProperty("total_count") int totalCount) {
    }
}
