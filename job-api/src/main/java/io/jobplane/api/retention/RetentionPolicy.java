package io.jobplane.api.retention;

import java.time.Duration;
import java.time.Instant;

import io.jobplane.api.error.ApiException;

/**
 * How long a workspace keeps what its runs leave: log lines {@code logsDays} days after their run
 * ended, ended runs (their launch records, task runs and notifications) {@code runsDays} days. Both
 * lie in {@value #MIN_DAYS}..{@value #MAX_DAYS}, and a run is kept at least as long as its logs (a
 * run without its logs is history; logs without their run are nobody's).
 */
public record RetentionPolicy(int logsDays, int runsDays) {

    public static final int MIN_DAYS = 1;
    /** Ten years. */
    public static final int MAX_DAYS = 3650;

    public RetentionPolicy {
        String problem = problem(logsDays, runsDays);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** A policy as a request gives it: both fields present and within bounds, or 400 with how to fix it. */
    public static RetentionPolicy of(RetentionRequest request) {
        if (request == null || request.logsDays() == null || request.runsDays() == null) {
            throw ApiException.badRequest("VALIDATION_FAILED", "A retention policy needs logs_days and runs_days",
                    "Send {\"logs_days\": 90, \"runs_days\": 400}.");
        }
        String problem = problem(request.logsDays(), request.runsDays());
        if (problem != null) {
            throw ApiException.badRequest("INVALID_RETENTION", problem, "Give logs_days and runs_days between " + MIN_DAYS
                    + " and " + MAX_DAYS + ", with runs_days at least logs_days.");
        }
        return new RetentionPolicy(request.logsDays(), request.runsDays());
    }

    /** What is wrong with these days, or null when nothing is. */
    static String problem(int logsDays, int runsDays) {
        if (logsDays < MIN_DAYS || logsDays > MAX_DAYS) {
            return "logs_days (" + logsDays + ") must be between " + MIN_DAYS + " and " + MAX_DAYS;
        }
        if (runsDays < MIN_DAYS || runsDays > MAX_DAYS) {
            return "runs_days (" + runsDays + ") must be between " + MIN_DAYS + " and " + MAX_DAYS;
        }
        if (runsDays < logsDays) {
            return "runs_days (" + runsDays + ") must be at least logs_days (" + logsDays + "): a run is kept as long as its logs";
        }
        return null;
    }

    /** Runs that ended before this instant are purged. */
    public Instant runsCutoff(Instant now) {
        return now.minus(Duration.ofDays(runsDays));
    }

    /** Log lines of runs that ended before this instant are purged. */
    public Instant logsCutoff(Instant now) {
        return now.minus(Duration.ofDays(logsDays));
    }
}
