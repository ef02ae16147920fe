package io.jobplane.worker.executor;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.secret.SecretKeyring;

/**
 * The job's pre- and post-job events (CData's {@code Pre_Job_Event}, {@code Post_Job_Event}): SQL
 * that runs as one script on the job's database connection — its destination, or its source when
 * the destination is not a database (reverse ETL) — before the first task and after the last.
 * Bounded by {@code task_timeout_seconds}; a cancel stops the statement in the database. The
 * database's notices become run log lines. A failed pre-job event fails the run
 * ({@code PRE_JOB_EVENT_FAILED}) without running any task; a failed post-job event fails a run whose
 * tasks succeeded ({@code POST_JOB_EVENT_FAILED}) and is logged otherwise.
 */
@ApplicationScoped
public class JobEvents {

    public static final String PRE = "pre_job_event";
    public static final String POST = "post_job_event";

    private final SecretKeyring keyring;
    private final SessionPool sessions;

    public JobEvents(SecretKeyring keyring, SessionPool sessions) {
        this.keyring = keyring;
        this.sessions = sessions;
    }

    /** The code of event {@code which} ({@link #PRE} or {@link #POST}), null when the job has none. */
    public static String code(LaunchCommand run, String which) {
        RunSettings settings = run.settingsOrDefault();
        String code = PRE.equals(which) ? settings.preJobEvent() : settings.postJobEvent();
        return code == null || code.isBlank() ? null : code;
    }

    /**
     * Runs event {@code which} of the run; null when it succeeded or the job has none, else how the
     * run ends because of it (failed with {@code failureCode}, or stopped by a cancel).
     */
    public RunOutcome run(LaunchCommand run, RunControl control, String which, String failureCode) {
        String code = code(run, which);
        if (code == null) {
            return null;
        }
        if (control.isCancelled()) {
            return RunOutcome.stopped();
        }
        ConnectionSpec db = database(run);
        if (db == null) {
            return failed(which, failureCode, "the job has no database connection to run its " + which + " on");
        }
        Endpoint endpoint;
        Connection connection;
        try {
            endpoint = Endpoint.open("database", db, run.workspace(), keyring);
            connection = endpoint.borrow(sessions, "jobplane run " + run.runId());
        } catch (Endpoint.Unavailable e) {
            return failed(which, failureCode, e.getMessage());
        }
        control.progress(null, which + " started");
        boolean clean = false;
        SQLException failure = null;
        try (Statement statement = connection.createStatement()) {
            Integer timeout = run.settingsOrDefault().taskTimeoutSeconds();
            if (timeout != null) {
                statement.setQueryTimeout(timeout);
            }
            control.interruptWith(which, statement::cancel);
            if (control.isCancelled()) {
                return RunOutcome.stopped();
            }
            for (boolean result = statement.execute(code); result || statement.getUpdateCount() != -1;) {
                result = statement.getMoreResults();
            }
            logNotices(control, which, endpoint, statement.getWarnings());
            clean = true;
            control.progress(null, which + " succeeded");
            return null;
        } catch (SQLException e) {
            failure = e;
            if (control.isCancelled()) {
                control.log(null, "WARN", which + " stopped by a cancel");
                return RunOutcome.stopped();
            }
            return failed(which, failureCode, endpoint.scrub(e.getMessage()));
        } finally {
            control.interruptWith(which, null);
            if (failure != null) {
                endpoint.discard(sessions, connection, failure);
            } else {
                endpoint.release(sessions, connection, clean);
            }
        }
    }

    private static ConnectionSpec database(LaunchCommand run) {
        for (ConnectionSpec c : new ConnectionSpec[] { run.destination(), run.source() }) {
            if (c != null && c.jdbcUrl() != null) {
                return c;
            }
        }
        return null;
    }

    private static RunOutcome failed(String which, String code, String why) {
        return RunOutcome.failed(code, which + " failed: " + why);
    }

    private static void logNotices(RunControl control, String which, Endpoint endpoint, SQLWarning warning) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            control.log(null, "INFO", which + ": " + endpoint.scrub(w.getMessage()));
        }
    }
}
