package io.jobplane.api.job;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.run.RunStatusView;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The ordered tasks of a job. */
@Path("/api/v1/workspaces/{workspace}/jobs/{job_id}/tasks")
@Authenticated
@Tag(name = "Tasks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TaskResource {

    private final TaskService tasks;
    private final WorkspaceGuard guard;

    public TaskResource(TaskService tasks, WorkspaceGuard guard) {
        this.tasks = tasks;
        this.guard = guard;
    }

    @GET
    @Path("/last-run")
    @Operation(summary = "The last run of every task of the job")
    public Uni<List<RunStatusView.TaskHistoryEntry>> lastRun(@PathParam("workspace") String workspace,
            @PathParam("job_id") UUID jobId) {
        return tasks.lastRuns(guard.require(workspace, Role.VIEWER), jobId);
    }

    @GET
    @Path("/{task_id}/history")
    @Operation(summary = "One task's runs, newest first")
    public Uni<RunStatusView.TaskHistoryPage> history(@PathParam("workspace") String workspace,
            @PathParam("job_id") UUID jobId, @PathParam("task_id") UUID taskId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") @Size(max = 64) String cursor) {
        return tasks.history(guard.require(workspace, Role.VIEWER), jobId, taskId, limit, cursor);
    }

    @GET
    @Operation(summary = "List the job's tasks in execution order")
    public Uni<List<JobView.TaskView>> list(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId) {
        return tasks.list(guard.require(workspace, Role.VIEWER), jobId);
    }

    @GET
    @Path("/{task_id}")
    @Operation(summary = "Get one task")
    public Uni<JobView.TaskView> get(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @PathParam("task_id") UUID taskId) {
        return tasks.get(guard.require(workspace, Role.VIEWER), jobId, taskId);
    }

    @POST
    @Operation(summary = "Add a task, last or at the given index")
    public Uni<Response> add(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @Valid @NotNull TaskChange.Add add) {
        return tasks.add(guard.require(workspace, Role.EDITOR), jobId, add)
                .map(task -> Response.created(URI.create("/api/v1/workspaces/" + workspace + "/jobs/" + jobId
                        + "/tasks/" + task.taskId())).entity(task).build());
    }

    @PUT
    @Path("/{task_id}")
    @Operation(summary = "Change a task's query, active flag or index")
    public Uni<JobView.TaskView> update(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @PathParam("task_id") UUID taskId, @Valid @NotNull TaskChange.Update change) {
        return tasks.update(guard.require(workspace, Role.EDITOR), jobId, taskId, change);
    }

    @POST
    @Path("/{task_id}/move")
    @Operation(summary = "Move a task from from_index to to_index; answers the new order")
    public Uni<List<JobView.TaskView>> move(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @PathParam("task_id") UUID taskId, @Valid @NotNull TaskChange.Move move) {
        return tasks.move(guard.require(workspace, Role.EDITOR), jobId, taskId, move);
    }

    @DELETE
    @Path("/{task_id}")
    @Operation(summary = "Delete a task (not while it runs); later tasks move up")
    public Uni<Response> delete(@PathParam("workspace") String workspace, @PathParam("job_id") UUID jobId,
            @PathParam("task_id") UUID taskId) {
        return tasks.delete(guard.require(workspace, Role.EDITOR), jobId, taskId)
                .map(ignored -> Response.noContent().build());
    }
}
