package io.jobplane.api.run.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.jobplane.api.connection.ConnectionEntity;
import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.TaskEntity;

/** Launch plans made in memory, as {@link LaunchStore#plan} reads them, for the pure launch steps' tests. */
final class Plans {

    private final JobEntity job = new JobEntity();
    private final List<TaskEntity> tasks = new ArrayList<>();
    private ConnectionEntity destination;
    private ConnectionEntity source;
    private Integer workspaceCap;
    private Integer latestSource;

    private Plans(JobType type) {
        job.id = UUID.randomUUID();
        job.workspace = "ws";
        job.name = "job-" + type.name().toLowerCase(java.util.Locale.ROOT);
        job.type = type;
        job.status = JobStatus.ACTIVE;
    }

    static Plans of(JobType type) {
        return new Plans(type);
    }

    Plans status(JobStatus status) {
        job.status = status;
        return this;
    }

    Plans settings(String json) {
        job.settings = json;
        return this;
    }

    Plans task(String query) {
        return task(query, true);
    }

    Plans task(String query, boolean active) {
        TaskEntity task = new TaskEntity();
        task.id = UUID.randomUUID();
        task.jobId = job.id;
        task.index = tasks.size();
        task.query = query;
        task.active = active;
        tasks.add(task);
        return this;
    }

    Plans destination(String type) {
        destination = connection(type);
        job.destinationConnectionId = destination.id;
        return this;
    }

    Plans source(String type) {
        source = connection(type);
        job.sourceConnectionId = source.id;
        return this;
    }

    Plans workspaceCap(Integer cap) {
        workspaceCap = cap;
        return this;
    }

    Plans latestSource(Integer version) {
        latestSource = version;
        return this;
    }

    LaunchPlan plan() {
        return new LaunchPlan(job, List.copyOf(tasks), destination, source, workspaceCap, latestSource, null, null, null);
    }

    static ConnectionEntity connection(String type) {
        ConnectionEntity c = new ConnectionEntity();
        c.id = UUID.randomUUID();
        c.workspace = "ws";
        c.name = type + "-conn";
        c.type = type;
        c.jdbcUrl = type.equals("filesystem") || type.equals("http") ? null : "jdbc:" + type + "://db.example:5432/app";
        c.username = "app";
        c.secrets = "{\"password\": {\"key_id\": \"k1\", \"ciphertext\": \"c2VhbGVk\"}}";
        return c;
    }
}
