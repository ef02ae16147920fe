package io.jobplane.api.job;

import java.util.EnumSet;
import java.util.Set;

import io.jobplane.api.error.ApiException;
import io.jobplane.events.sql.ReplicateStatement;

/**
 * What a task of each job type must say. Replication jobs' tasks are CData's {@code REPLICATE}
 * statements, read here as the worker reads them, so a task that could never run is refused when
 * it is saved.
 */
public final class TaskSyntax {

    /** Job types whose tasks are {@code REPLICATE} statements. */
    public static final Set<JobType> REPLICATING = EnumSet.of(JobType.STANDARD, JobType.SYNC_ALL);

    private TaskSyntax() {
    }

    /** Refuses (400 INVALID_TASK) a task a job of this type could not run. */
    public static void check(JobType type, String query) {
        String problem = problem(type, query);
        if (problem != null) {
            throw ApiException.badRequest("INVALID_TASK", problem,
                    "Write the task as a REPLICATE statement, e.g. REPLICATE [Accounts] or REPLICATE [dest] SELECT * FROM [src].");
        }
    }

    /** What is wrong with a stored task, or null. */
    public static String problem(JobType type, String query) {
        if (!REPLICATING.contains(type) || query == null) {
            return null;
        }
        try {
            ReplicateStatement.parse(query);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
