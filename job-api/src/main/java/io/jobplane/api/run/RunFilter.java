package io.jobplane.api.run;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.jobplane.api.error.ApiException;

/**
 * Filters of a job's run history: statuses, an execution-date range ({@code from} inclusive,
 * {@code to} exclusive), a page size and a cursor (the last run id of the previous page). Runs come
 * newest first: by run id (launch order), or by execution date when a range is given.
 */
public record RunFilter(List<String> statuses, Instant from, Instant to, int limit, String cursor) {

    static final Set<String> STATUSES = Set.of("QUEUED", "RUNNING", "CANCELLING", "SUCCESS", "FAILED", "STOPPED");

    public RunFilter {
        statuses = statuses == null ? List.of() : statuses.stream().map(s -> s.trim().toUpperCase()).toList();
        for (String s : statuses) {
            if (!STATUSES.contains(s)) {
                throw ApiException.badRequest("INVALID_STATUS", "'" + s + "' is not a run status",
                        "Use one or more of " + STATUSES + ", e.g. status=FAILED&status=STOPPED.");
            }
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("INVALID_RANGE", "from must be before to",
                    "Send an execution-date range with from < to (RFC 3339), e.g. from=2026-11-01T00:00:00Z.");
        }
        if (cursor != null) {
            cursor(cursor);
        }
    }

    static RunFilter latest(int n) {
        return new RunFilter(List.of(), null, null, n, null);
    }

    /** A cursor is a run id (UUIDv7, so ordering ids orders runs by launch time). */
    static String cursor(String cursor) {
        try {
            return UUID.fromString(cursor).toString();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_CURSOR", "The cursor is not one this API handed out",
                    "Pass next_cursor from the previous page unchanged, or leave it out to start again.");
        }
    }

    /** Appends the filter's conditions on {@code rr} to {@code sql}, adding their values to {@code params}. */
    void where(StringBuilder sql, List<Object> params) {
        if (statuses.size() == 1) {
            // One status as a plain equality: the job's status index then gives the runs in order. With
            // "= any(array)" the generic plan cannot know there is one value, and walked the whole
            // history by run id, filtering (10-17 ms for a status 1 % of a million runs have).
            params.add(statuses.get(0));
            sql.append(" and rr.status = $").append(params.size());
        } else if (!statuses.isEmpty()) {
            params.add(statuses.toArray(String[]::new));
            sql.append(" and rr.status = any($").append(params.size()).append(')');
        }
        if (from != null) {
            params.add(OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            sql.append(" and rr.execution_date >= $").append(params.size());
        }
        if (to != null) {
            params.add(OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            sql.append(" and rr.execution_date < $").append(params.size());
        }
        if (cursor != null) {
            params.add(cursor(cursor));
            if (byExecutionDate()) {
                sql.append(" and (rr.execution_date, rr.run_id) < (select c.execution_date, c.run_id from runs.run c"
                        + " where c.run_id = $").append(params.size()).append(')');
            } else {
                sql.append(" and rr.run_id < $").append(params.size());
            }
        }
    }

    /**
     * Whether the runs are ordered by execution date (newest first, then by run id): when a range of
     * execution dates is asked for. The order follows the job's execution-date index, so a page reads
     * no more than its runs wherever the range lies; ordered by run id instead, a range with few runs
     * (or none) among many newer ones read the whole job's history, or sorted every run of a wide range.
     */
    public boolean byExecutionDate() {
        return from != null || to != null;
    }

    /** The order of the runs: see {@link #byExecutionDate()}. */
    String orderBy() {
        return byExecutionDate() ? " order by rr.execution_date desc, rr.run_id desc" : " order by rr.run_id desc";
    }
}
