package io.jobplane.api.job;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.jobplane.api.error.ApiException;
import io.jobplane.events.sql.FileCopyStatement;
import io.jobplane.events.sql.FolderLoadStatement;
import io.jobplane.events.sql.ReplicateStatement;
import io.jobplane.events.sql.ReverseEtlStatement;
import io.jobplane.events.sql.SqlTemplate;

/**
 * What a task of each job type must say, read here as the worker reads it, so a task that could
 * never run is refused when it is saved: replication jobs' tasks are CData's {@code REPLICATE}
 * statements (reverse ETL's with options of their own), folder loads'
 * {@code REPLICATE [table] FROM 'files'}, file copies' {@code COPY 'from' TO 'to'}; other tasks are SQL.
 */
public final class TaskSyntax {

    /** Job types whose tasks are {@code REPLICATE} statements. */
    public static final Set<JobType> REPLICATING = EnumSet.of(JobType.STANDARD, JobType.SYNC_ALL);

    private TaskSyntax() {
    }

    /**
     * Refuses (400 INVALID_TASK) a task a job of this type could not run; SQL is read in the dialect
     * of the destination (MySQL's quotes and escapes on a MySQL connection).
     */
    public static void check(JobType type, String query, SqlTemplate.Dialect dialect) {
        String problem = problem(type, query, dialect);
        if (problem != null) {
            throw ApiException.badRequest("INVALID_TASK", problem, switch (type) {
                case LOAD_FOLDER -> "Write the task as REPLICATE [Table] FROM 'folder/files-*.csv' WITH Format='CSV',"
                        + " with a path relative to the source connection's base_path.";
                case STORAGE_TO_STORAGE -> "Write the task as COPY 'in/stores-{{FD_DATE}}.csv' TO 'archive/{{FD_DATE}}/',"
                        + " with paths relative to the connections' base_path.";
                case REVERSE_ETL -> "Write the task as a REPLICATE statement naming the path its rows are POSTed to under the"
                        + " destination's base_url, e.g. REPLICATE [contacts] WITH RateLimit='20' SELECT * FROM [crm_contacts] WHERE active.";
                case STANDARD, SYNC_ALL ->
                    "Write the task as a REPLICATE statement, e.g. REPLICATE [Accounts] or REPLICATE [dest] SELECT * FROM [src].";
                default -> "Correct the task's SQL as the message says; it is read as "
                        + (dialect == SqlTemplate.Dialect.MYSQL ? "MySQL" : "PostgreSQL") + " reads it, the destination's dialect.";
            });
        }
    }

    /** What is wrong with a stored task, read in the destination's dialect, or null. */
    public static String problem(JobType type, String query, SqlTemplate.Dialect dialect) {
        try {
            read(type, query, dialect);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Reads a task as a worker of the job's type will, once, and returns the templated values it
     * names ({@code {{FD_DATE}}}, launch parameters): in file paths for folder loads and file copies,
     * as bound parameters in SQL (of the destination's dialect) for the others. {@code REPLICATE}
     * statements are read by their own grammar and then as a template.
     *
     * @throws IllegalArgumentException saying what is wrong with the task
     */
    public static List<String> read(JobType type, String query, SqlTemplate.Dialect dialect) {
        if (query == null) {
            return List.of();
        }
        if (REPLICATING.contains(type)) {
            ReplicateStatement.parse(query);
        } else if (type == JobType.REVERSE_ETL) {
            ReverseEtlStatement.parse(query);
        }
        return switch (type) {
            case LOAD_FOLDER -> FolderLoadStatement.parse(query).names();
            case STORAGE_TO_STORAGE -> FileCopyStatement.parse(query).names();
            default -> SqlTemplate.parse(query, dialect).names();
        };
    }

    /** Whether the text is a folder-load or file-copy task (whatever the job's type). */
    public static boolean isFileTask(String query) {
        for (Consumer<String> parse : List.<Consumer<String>>of(FolderLoadStatement::parse, FileCopyStatement::parse)) {
            try {
                parse.accept(query);
                return true;
            } catch (IllegalArgumentException e) {
                // not this kind
            }
        }
        return false;
    }
}
