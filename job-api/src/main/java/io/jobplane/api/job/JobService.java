package io.jobplane.api.job;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Creates and reads job definitions with their ordered tasks. */
@ApplicationScoped
public class JobService {

    @WithTransaction
    public Uni<JobView> create(Caller caller, JobRequest request) {
        return requireExecutable(request.type())
                .chain(() -> requireConnection(caller.workspace(), request.destinationConnectionId()))
                .chain(() -> ensureNameFree(caller.workspace(), request.name()))
                .chain(() -> persist(caller, request));
    }

    @WithSession
    public Uni<List<JobView>> list(Caller caller) {
        return JobEntity.<JobEntity>find("workspace = ?1 order by name", caller.workspace()).list()
                .chain(jobs -> jobs.isEmpty() ? Uni.createFrom().item(List.<JobView>of()) : TaskEntity.<TaskEntity>find("jobId in ?1 order by index",
                        jobs.stream().map(j -> j.id).toList()).list()
                        .map(tasks -> jobs.stream()
                                .map(j -> JobView.of(j, tasks.stream().filter(t -> t.jobId.equals(j.id)).toList()))
                                .toList()));
    }

    @WithSession
    public Uni<JobView> get(Caller caller, UUID jobId) {
        return JobEntity.findInWorkspace(caller.workspace(), jobId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("job", jobId))
                .chain(job -> TaskEntity.ofJob(job.id).map(tasks -> JobView.of(job, tasks)));
    }

    private Uni<JobView> persist(Caller caller, JobRequest request) {
        JobEntity job = new JobEntity();
        job.createdBy(caller.workspace(), caller.subject());
        job.name = request.name();
        job.type = request.type();
        job.destinationConnectionId = request.destinationConnectionId();
        job.continueOnError = Boolean.TRUE.equals(request.continueOnError());
        job.status = "ACTIVE";
        return job.<JobEntity>persist()
                .chain(saved -> {
                    List<TaskEntity> tasks = new ArrayList<>();
                    for (int i = 0; i < request.tasks().size(); i++) {
                        TaskEntity task = new TaskEntity();
                        task.jobId = saved.id;
                        task.index = i;
                        task.query = request.tasks().get(i).query();
                        task.active = !Boolean.FALSE.equals(request.tasks().get(i).isActive());
                        tasks.add(task);
                    }
                    return Panache.getSession().chain(s -> s.persistAll(tasks.toArray()))
                            .map(ignored -> JobView.of(saved, tasks));
                });
    }

    private static Uni<Void> requireExecutable(JobType type) {
        if (!JobType.EXECUTABLE.contains(type)) {
            return Uni.createFrom().failure(ApiException.badRequest("JOB_TYPE_NOT_SUPPORTED",
                    "Jobs of type " + type + " cannot be run by this version of jobplane yet",
                    "Use one of " + JobType.EXECUTABLE + "."));
        }
        return Uni.createFrom().voidItem();
    }

    private static Uni<Void> requireConnection(String workspace, UUID connectionId) {
        return ConnectionEntity.findInWorkspace(workspace, connectionId)
                .onItem().ifNull().failWith(() -> new ApiException(Status.BAD_REQUEST, "UNKNOWN_CONNECTION",
                        "destination_connection_id '" + connectionId + "' is not a connection of this workspace",
                        "Create the connection first, or use the id of an existing one (GET .../connections)."))
                .replaceWithVoid();
    }

    private static Uni<Void> ensureNameFree(String workspace, String name) {
        return JobEntity.count("workspace = ?1 and name = ?2", workspace, name)
                .invoke(count -> {
                    if (count > 0) {
                        throw ApiException.conflict("JOB_NAME_TAKEN",
                                "A job named '" + name + "' already exists in this workspace",
                                "Choose another name, or update the existing job.");
                    }
                })
                .replaceWithVoid();
    }
}
