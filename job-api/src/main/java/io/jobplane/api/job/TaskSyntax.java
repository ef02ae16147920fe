package io.jobplane.api.job;

import java.util.EnumSet;
import java.util.Set;

import io.jobplane.api.error.ApiException;
import io.jobplane.events.sql.ReplicateStatement;
import io.jobplane.events.sql.ReverseEtlStatement;

/**
 * What a task of each job type must say. Replication and reverse ETL jobs' tasks are CData's
 * {@code REPLICATE} statements (each type with its own {@code WITH} options), read here as the
 * worker reads them, so a task that could never run is refused when it is saved.
 */
public final class TaskSyntax {

    /** Job types whose tasks are {@code REPLICATE} statements. */
    public static final Set<JobType> REPLICATING = EnumSet.of(JobType.STANDARD, JobType.SYNC_ALL, JobType.REVERSE_ETL);

    private TaskSyntax() {
    }

    /** Refuses (400 INVALID_TASK) a task a job of this type could not run. */
    public static void check(JobType type, String query) {
        String problem = problem(type, query);
        if (problem != null) {
            throw ApiException.badRequest("INVALID_TASK", problem, type == JobType.REVERSE_ETL
                    ? "Write the task as a REPLICATE statement naming the path its rows are POSTed to under the destination's base_url,"
                            + " e.g. REPLICATE [contacts] WITH RateLimit='20' SELECT * FROM [crm_contacts] WHERE active."
                    : "Write the task as a REPLICATE statement, e.g. REPLICATE [Accounts] or REPLICATE [dest] SELECT * FROM [src].");
        }
    }

    /** What is wrong with a stored task, or null. */
    public static String problem(JobType type, String query) {
        if (!REPLICATING.contains(type) || query == null) {
            return null;
        }
        try {
            if (type == JobType.REVERSE_ETL) {
                ReverseEtlStatement.parse(query);
            } else {
                ReplicateStatement.parse(query);
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
