package io.jobplane.api.run;

import java.net.URI;
import java.util.UUID;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.run.launch.LaunchPipeline;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Launching and cancelling runs; their status, history, last status, task history and logs. */
@Path("/api/v1/workspaces/{workspace}")
@Authenticated
@Tag(name = "Runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final LaunchPipeline launches;
    private final RunService runs;
    private final RunQueryService queries;
    private final WorkspaceGuard guard;
    private final RunOperations operations;

    public RunResource(LaunchPipeline launches, RunService runs, RunQueryService queries, WorkspaceGuard guard,
            RunOperations operations) {
        this.launches = launches;
        this.runs = runs;
        this.queries = queries;
        this.guard = guard;
        this.operations = operations;
    }

    @POST
    @Path("/jobs/{job_id}/runs")
    @Operation(summary = "Launch a run of the job (202); repeat with the same Idempotency-Key to get the same run")
    public Uni<Response> launch(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @Parameter(description = "Makes retries safe: the same key for the same job gives the same run")
            @HeaderParam("Idempotency-Key") @Pattern(regexp = "[\\x21-\\x7e]{1,255}",
                    message = "must be 1 to 255 visible ASCII characters") String idempotencyKey,
            @RequestBody(required = false) @Valid LaunchRequest request) {
        return launches.launch(guard.require(workspace, Role.OPERATOR), jobId, idempotencyKey, request, RunOrigin.MANUAL)
                .map(result -> Response.accepted(result)
                        .location(URI.create("/api/v1/workspaces/" + workspace + "/runs/" + result.runId()))
                        .header("Idempotent-Replayed", result.replayed())
                        .build());
    }

    @POST
    @Path("/runs/{run_id}/cancel")
    @Operation(summary = "Cancel a run (202): a queued run stops at once, a running one goes CANCELLING, then STOPPED")
    public Uni<Response> cancel(@PathParam("workspace") String workspace, @PathParam("run_id") UUID runId) {
        return runs.cancel(guard.require(workspace, Role.OPERATOR), runId)
                .map(result -> Response.accepted(result).build());
    }

    @POST
    @Path("/runs/{run_id}/rerun")
    @Operation(summary = "Rerun an ended run (202): from its first failed task (FAILED, default), every task (ALL) or the tasks"
            + " listed; the new run names the original in rerun_of")
    public Uni<Response> rerun(@PathParam("workspace") String workspace, @PathParam("run_id") UUID runId,
            @Parameter(description = "Makes retries safe: the same key for the same job gives the same run")
            @HeaderParam("Idempotency-Key") @Pattern(regexp = "[\\x21-\\x7e]{1,255}",
                    message = "must be 1 to 255 visible ASCII characters") String idempotencyKey,
            @RequestBody(required = false) @Valid RerunRequest request) {
        return operations.rerun(guard.require(workspace, Role.OPERATOR), runId, idempotencyKey, request)
                .map(result -> Response.accepted(result)
                        .location(URI.create("/api/v1/workspaces/" + workspace + "/runs/" + result.runId()))
                        .header("Idempotent-Replayed", result.replayed())
                        .build());
    }

    @POST
    @Path("/runs/{run_id}/mark")
    @Operation(summary = "Set an ended run's status to SUCCESS or FAILED with a reason (audited); SUCCESS counts for workflow triggers")
    public Uni<RunStatusView.Marked> mark(@PathParam("workspace") String workspace, @PathParam("run_id") UUID runId,
            @RequestBody(required = true) @Valid @jakarta.validation.constraints.NotNull MarkRequest request) {
        return operations.mark(guard.require(workspace, Role.OPERATOR), runId, request);
    }

    @POST
    @Path("/runs/{run_id}/tasks/{task_id}/skip")
    @Operation(summary = "Skip a task of a queued run: when the run starts it does not run the task (SKIPPED)")
    public Uni<RunStatusView.TaskRunView> skip(@PathParam("workspace") String workspace, @PathParam("run_id") UUID runId,
            @PathParam("task_id") UUID taskId) {
        return operations.skip(guard.require(workspace, Role.OPERATOR), runId, taskId);
    }

    @GET
    @Path("/runs/{run_id}")
    @Operation(summary = "Status of a run with per-task detail")
    public Uni<RunStatusView> status(@PathParam("workspace") String workspace, @PathParam("run_id") UUID runId) {
        return queries.statusWithWait(guard.require(workspace, Role.VIEWER), runId);
    }

    @GET
    @Path("/jobs/{job_id}/runs")
    @Operation(summary = "The job's run history, newest first (by execution date when from or to is given): filter by status and execution date, page with a cursor")
    public Uni<RunStatusView.Page> history(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @Parameter(description = "One or more run statuses") @QueryParam("status") List<String> status,
            @Parameter(description = "Execution date from (inclusive), RFC 3339") @QueryParam("from") Instant from,
            @Parameter(description = "Execution date to (exclusive), RFC 3339") @QueryParam("to") Instant to,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") @Size(max = 64) String cursor) {
        Caller caller = guard.require(workspace, Role.VIEWER);
        return queries.history(caller, jobId, new RunFilter(status, from, to, limit, cursor));
    }

    @GET
    @Path("/runs")
    @Operation(summary = "Search every run of the workspace, newest first (queued time): filter by job, status, trigger,"
            + " job label, run tag, who launched and time ranges; page with a cursor")
    public Uni<FoundRun.Page> search(@PathParam("workspace") String workspace,
            @Parameter(description = "Job ids (any of them)") @QueryParam("job_id") List<String> jobIds,
            @Parameter(description = "Run statuses (any of them)") @QueryParam("status") List<String> status,
            @Parameter(description = "Triggers (any of them): manual, schedule, workflow, backfill, rerun, retry") @QueryParam("trigger") List<String> trigger,
            @Parameter(description = "Job labels (all of them), as the job had them when the run was launched") @QueryParam("label") List<String> label,
            @Parameter(description = "Run tags given at launch, key:value (all of them)") @QueryParam("tag") List<String> tag,
            @Parameter(description = "Who launched (any of them)") @QueryParam("requested_by") List<String> requestedBy,
            @Parameter(description = "Queued at or after, RFC 3339") @QueryParam("queued_after") String queuedAfter,
            @Parameter(description = "Queued before, RFC 3339") @QueryParam("queued_before") String queuedBefore,
            @Parameter(description = "Started at or after, RFC 3339") @QueryParam("started_after") String startedAfter,
            @Parameter(description = "Started before, RFC 3339") @QueryParam("started_before") String startedBefore,
            @Parameter(description = "Finished at or after, RFC 3339") @QueryParam("finished_after") String finishedAfter,
            @Parameter(description = "Finished before, RFC 3339") @QueryParam("finished_before") String finishedBefore,
            @Parameter(description = "Page size, 1 to 500 (default 50)") @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        Caller caller = guard.require(workspace, Role.VIEWER);
        return queries.search(caller, RunSearch.parse(jobIds, status, trigger, label, tag, requestedBy, queuedAfter,
                queuedBefore, startedAfter, startedBefore, finishedAfter, finishedBefore, limit, cursor));
    }

    @GET
    @Path("/jobs/{job_id}/runs/{run_id}")
    @Operation(summary = "One run of the job with per-task detail (a history entry)")
    public Uni<RunStatusView> historyEntry(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @PathParam("run_id") UUID runId) {
        return queries.ofJob(guard.require(workspace, Role.VIEWER), jobId, runId);
    }

    @GET
    @Path("/jobs/{job_id}/status")
    @Operation(summary = "The job's current status: its latest run, and how many runs are active or waiting")
    public Uni<RunStatusView.JobStatusView> jobStatus(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        return queries.jobStatus(guard.require(workspace, Role.VIEWER), jobId);
    }

    @GET
    @Path("/jobs/{job_id}/last-status")
    @Operation(summary = "The latest runs matching the filters (Tailer's get_last_status): limit 1 gives the last status")
    public Uni<List<RunStatusView>> lastStatus(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @QueryParam("status") List<String> status, @QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("limit") @DefaultValue("1") @Min(1) @Max(100) int limit) {
        Caller caller = guard.require(workspace, Role.VIEWER);
        return queries.history(caller, jobId, new RunFilter(status, from, to, limit, null)).map(RunStatusView.Page::runs);
    }

    @GET
    @Path("/runs/{run_id}/logs")
    @Operation(summary = "The run's log lines in order; continue with after_attempt and after_seq of the last line")
    public Uni<RunStatusView.LogPage> logs(@PathParam("workspace") String workspace, @PathParam("run_id") UUID runId,
            @QueryParam("task_id") @Size(max = 64) String taskId,
            @QueryParam("after_attempt") @DefaultValue("0") @Min(0) int afterAttempt,
            @QueryParam("after_seq") @DefaultValue("-1") long afterSeq,
            @QueryParam("limit") @DefaultValue("500") @Min(1) @Max(5000) int limit) {
        return queries.logs(guard.require(workspace, Role.VIEWER), runId, taskId, afterAttempt, afterSeq, limit);
    }
}
