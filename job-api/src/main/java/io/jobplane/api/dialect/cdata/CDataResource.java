package io.jobplane.api.dialect.cdata;

import java.net.URI;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * CData Sync's job management API v2 at CData's own paths (docs/dialects/cdata.md): the 17 job, run
 * and task operations. A thin adapter: {@link CDataService} reads CData's parameters and calls the
 * native services; errors leave in CData's shape ({@link CDataErrors}). Bodies are read by the
 * adapter itself so that every spelling of a parameter CData documents is taken.
 */
@Path("/api.rsc/v2")
@Authenticated
@Tag(name = "CData Sync", description = "CData Sync's job management API v2 (jobs, execute, cancel, history, status, tasks) "
        + "over the native core; see docs/dialects/cdata.md")
@Produces(MediaType.APPLICATION_JSON)
public class CDataResource {

    private final CDataService cdata;

    public CDataResource(CDataService cdata) {
        this.cdata = cdata;
    }

    /** Create's documented parameters (Update takes them but Type and Queries); any spelling of a name is read. */
    @Schema(name = "CDataJob", description = "A CData job; parameter names in CData's spelling or lower case "
            + "(source_connection_id, schedule.enabled …)")
    public record JobBody(
            @Schema(name = "Name", required = true) String name,
            @Schema(name = "Type", enumeration = { "Standard", "SyncAll", "LoadFolder", "ChangeDataCapture", "ReverseETL" }) String type,
            @Schema(name = "Source-Connection", description = "The connection's Id or Name, or {\"Id\": …, \"Name\": …}") Object sourceConnection,
            @Schema(name = "Destination-Connection", description = "The connection's Id or Name, or {\"Id\": …, \"Name\": …}") Object destinationConnection,
            @Schema(name = "Schedule", description = "{\"Enabled\": true, \"Cron\": \"0 2 * * *\"}") Map<String, Object> schedule,
            @Schema(name = "Cron") String cron,
            @Schema(name = "Send_Email") Boolean sendEmail,
            @Schema(name = "Email_To", description = "Addresses, comma-separated or a list") Object emailTo,
            @Schema(name = "Email_Subject") String emailSubject,
            @Schema(name = "EmailErrorOnly") Boolean emailErrorOnly,
            @Schema(name = "Enable_Parallel_Processing") Boolean enableParallelProcessing,
            @Schema(name = "Worker_Pool") Integer workerPool,
            @Schema(name = "Verbosity", enumeration = { "1", "2", "3", "5" }) Integer verbosity,
            @Schema(name = "Destination_Schema") String destinationSchema,
            @Schema(name = "Table_Name_Prefix") String tableNamePrefix,
            @Schema(name = "Use_GMT_DateTime") Boolean useGmtDateTime,
            @Schema(name = "History_Mode") Boolean historyMode,
            @Schema(name = "Truncate_Table_Data") Boolean truncateTableData,
            @Schema(name = "Drop_Table") Boolean dropTable,
            @Schema(name = "Auto_Truncate_Strings") Boolean autoTruncateStrings,
            @Schema(name = "Continue_On_Error") Boolean continueOnError,
            @Schema(name = "Deletion_Behavior", enumeration = { "HardDelete", "SoftDelete", "SkipDelete" }) String deletionBehavior,
            @Schema(name = "Alter_Schema") Boolean alterSchema,
            @Schema(name = "Replicate_Interval") Integer replicateInterval,
            @Schema(name = "Replicate_Interval_Unit", enumeration = { "minutes", "hours", "days", "weeks", "months", "years" }) String replicateIntervalUnit,
            @Schema(name = "Replicate_Start_Date", description = "yyyy-MM-dd") String replicateStartDate,
            @Schema(name = "Batch_Size") Integer batchSize,
            @Schema(name = "Pre_Job_Event") String preJobEvent,
            @Schema(name = "Post_Job_Event") String postJobEvent,
            @Schema(name = "CDC_Engine_Settings", description = "{\"Name\": …, \"Schema\": …}") Map<String, Object> cdcEngineSettings,
            @Schema(name = "Labels") java.util.List<String> labels,
            @Schema(name = "Pipeline Id") String pipelineId,
            @Schema(name = "Queries") java.util.List<String> queries) {
    }

    @Schema(name = "CDataExecute")
    public record ExecuteBody(@Schema(name = "Tasks", description = "Ids of the job's tasks to run; absent: the active ones") java.util.List<String> tasks) {
    }

    @Schema(name = "CDataTask")
    public record TaskBody(@Schema(name = "Query") String query, @Schema(name = "Is_Active") Boolean isActive,
            @Schema(name = "Index") Integer index) {
    }

    @Schema(name = "CDataMove")
    public record MoveBody(@Schema(name = "From_Index", required = true) Integer fromIndex,
            @Schema(name = "To_Index", required = true) Integer toIndex) {
    }

    @GET
    @Path("/workspaces/{workspace_id}/jobs")
    @Operation(summary = "List all jobs in a specified workspace")
    public Uni<Map<String, Object>> listJobs(@PathParam("workspace_id") String workspace) {
        return cdata.listJobs(workspace);
    }

    @POST
    @Path("/workspaces/{workspace_id}/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a job in a specified workspace")
    public Uni<Response> createJob(@PathParam("workspace_id") String workspace,
            @RequestBody(content = @Content(schema = @Schema(implementation = JobBody.class))) String body) {
        return cdata.createJob(workspace, body).map(job -> Response.created(URI.create("/api.rsc/v2/jobs/" + job.get("Id")))
                .entity(job).build());
    }

    @PUT
    @Path("/jobs/{job_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update a job (not while it runs)")
    public Uni<Map<String, Object>> updateJob(@PathParam("job_id") String jobId,
            @RequestBody(content = @Content(schema = @Schema(implementation = JobBody.class))) String body) {
        return cdata.updateJob(jobId, body);
    }

    @DELETE
    @Path("/jobs/{job_id}")
    @Operation(summary = "Delete a job (not while it runs)")
    public Uni<Response> deleteJob(@PathParam("job_id") String jobId) {
        return cdata.deleteJob(jobId).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/jobs/{job_id}/execute")
    @Operation(summary = "Execute a job: its active tasks, or the Tasks named (202)")
    public Uni<Response> execute(@PathParam("job_id") String jobId,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @RequestBody(required = false, content = @Content(schema = @Schema(implementation = ExecuteBody.class))) String body) {
        return cdata.execute(jobId, body, idempotencyKey).map(run -> Response.accepted(run).build());
    }

    @POST
    @Path("/jobs/{job_id}/cancel")
    @Operation(summary = "Cancel a running job: every run of it that has not ended (202)")
    public Uni<Response> cancel(@PathParam("job_id") String jobId) {
        return cdata.cancel(jobId).map(runs -> Response.accepted(runs).build());
    }

    @GET
    @Path("/jobs/{job_id}/history")
    @Operation(summary = "List the job history, newest first")
    public Uni<Map<String, Object>> history(@PathParam("job_id") String jobId) {
        return cdata.history(jobId);
    }

    @GET
    @Path("/jobs/{job_id}/history/{history_id}")
    @Operation(summary = "Retrieve a specified job history, with its tasks")
    public Uni<Map<String, Object>> historyEntry(@PathParam("job_id") String jobId, @PathParam("history_id") String historyId) {
        return cdata.historyEntry(jobId, historyId);
    }

    @GET
    @Path("/jobs/{job_id}/status")
    @Operation(summary = "Retrieve the job status")
    public Uni<Map<String, Object>> status(@PathParam("job_id") String jobId) {
        return cdata.status(jobId);
    }

    @GET
    @Path("/jobs/{job_id}/tasks")
    @Operation(summary = "List all job tasks in execution order")
    public Uni<Map<String, Object>> tasks(@PathParam("job_id") String jobId) {
        return cdata.tasks(jobId);
    }

    @GET
    @Path("/jobs/{job_id}/tasks/last-run")
    @Operation(summary = "Retrieve the last run of all tasks")
    public Uni<Map<String, Object>> lastRun(@PathParam("job_id") String jobId) {
        return cdata.lastRun(jobId);
    }

    @GET
    @Path("/jobs/{job_id}/tasks/{task_id}")
    @Operation(summary = "Retrieve a task")
    public Uni<Map<String, Object>> task(@PathParam("job_id") String jobId, @PathParam("task_id") String taskId) {
        return cdata.task(jobId, taskId);
    }

    @POST
    @Path("/jobs/{job_id}/tasks")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a task, last or at Index")
    public Uni<Response> addTask(@PathParam("job_id") String jobId,
            @RequestBody(content = @Content(schema = @Schema(implementation = TaskBody.class))) String body) {
        return cdata.addTask(jobId, body).map(task -> Response.created(URI.create("/api.rsc/v2/jobs/" + jobId + "/tasks/"
                + task.get("Id"))).entity(task).build());
    }

    @PUT
    @Path("/jobs/{job_id}/tasks/{task_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update a task: Query, Is_Active, Index")
    public Uni<Map<String, Object>> updateTask(@PathParam("job_id") String jobId, @PathParam("task_id") String taskId,
            @RequestBody(content = @Content(schema = @Schema(implementation = TaskBody.class))) String body) {
        return cdata.updateTask(jobId, taskId, body);
    }

    @DELETE
    @Path("/jobs/{job_id}/tasks/{task_id}")
    @Operation(summary = "Delete a task (not while it runs)")
    public Uni<Response> deleteTask(@PathParam("job_id") String jobId, @PathParam("task_id") String taskId) {
        return cdata.deleteTask(jobId, taskId).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/jobs/{job_id}/tasks/{task_id}/move")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a task from From_Index to To_Index; answers the new order")
    public Uni<Map<String, Object>> moveTask(@PathParam("job_id") String jobId, @PathParam("task_id") String taskId,
            @RequestBody(content = @Content(schema = @Schema(implementation = MoveBody.class))) String body) {
        return cdata.moveTask(jobId, taskId, body);
    }

    @GET
    @Path("/jobs/{job_id}/tasks/{task_id}/history")
    @Operation(summary = "Retrieve the task history, newest first")
    public Uni<Map<String, Object>> taskHistory(@PathParam("job_id") String jobId, @PathParam("task_id") String taskId) {
        return cdata.taskHistory(jobId, taskId);
    }
}
