package io.jobplane.api.notify;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.api.job.settings.JobSettings;
import io.jobplane.api.job.settings.Notifications;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.run.RunActivity;
import io.jobplane.events.payload.RunFinished;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Turns run ends into deliveries: the job's mail (notifications settings) and a POST to each
 * webhook of the workspace or the job whose events filter takes the run's status. Called by the
 * run supervisor once it has applied a batch of {@code jobplane.run.finished} events, so the run's
 * recorded end is the truth: an event of an attempt that is no longer current, or one that
 * disagrees with the recorded end (a late report from a worker presumed lost), adds nothing.
 * Deliveries are rows of {@code api.notification}, unique per run, attempt and target: a
 * redelivered event inserts nothing new. {@link NotificationSender} sends them.
 */
@ApplicationScoped
public class RunEndNotifier {

    private static final Logger LOG = Logger.getLogger(RunEndNotifier.class);

    private static final String RUN_SQL = """
            select r.workspace, r.attempt, r.state, r.trigger, r.requested_at, r.started_at, r.finished_at, r.error_code,
                   j.id as job_id, j.name as job_name, j.type as job_type, j.settings
              from api.run r join api.job j on j.id = r.job_id where r.id = $1""";
    /** Of these runs, those whose job mails on run end or that a webhook of the workspace or job may want. */
    private static final String WANTED_SQL = """
            select r.id from api.run r join api.job j on j.id = r.job_id
             where r.id = any($1)
               and ((j.settings::jsonb #>> '{notifications,send_email}') = 'true'
                    or exists (select 1 from api.webhook w
                                where w.workspace = r.workspace and (w.job_id is null or w.job_id = r.job_id)))""";
    private static final String WEBHOOKS_SQL = """
            select id, events from api.webhook where workspace = $1 and (job_id is null or job_id = $2) order by id""";
    private static final String TASKS_SQL = """
            select task_id, task_index, status, rows_affected, error_message from runs.task_run
             where run_id = $1 and attempt = $2 order by task_index""";
    private static final String INSERT_SQL = """
            insert into api.notification (workspace, run_id, run_attempt, job_id, channel, target, webhook_id, payload,
                                          next_attempt_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, now())
            on conflict on constraint notification_once do nothing""";

    static final String EMAIL = "EMAIL";
    static final String WEBHOOK = "WEBHOOK";

    private final Pool pool;

    public RunEndNotifier(Pool pool) {
        this.pool = pool;
    }

    /** Records the deliveries of these run ends; completes once they are stored. */
    public Uni<Void> runsEnded(List<RunFinished> ends) {
        if (ends.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // One query for the batch first: most runs notify no one, and they cost nothing more.
        UUID[] ids = ends.stream().map(e -> UUID.fromString(e.runId())).toArray(UUID[]::new);
        return pool.preparedQuery(WANTED_SQL).execute(Tuple.of(ids)).chain(rows -> {
            java.util.Set<UUID> wanted = new java.util.HashSet<>();
            rows.forEach(r -> wanted.add(r.getUUID("id")));
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (RunFinished end : ends) {
                if (wanted.contains(UUID.fromString(end.runId()))) {
                    chain = chain.chain(() -> runEnded(end));
                }
            }
            return chain;
        });
    }

    private Uni<Void> runEnded(RunFinished end) {
        UUID runId = UUID.fromString(end.runId());
        return pool.preparedQuery(RUN_SQL).execute(Tuple.of(runId)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().voidItem();
            }
            Row run = rows.iterator().next();
            if (run.getInteger("attempt") != end.attempt() || !run.getString("state").equals(end.status().name())) {
                return Uni.createFrom().voidItem();
            }
            return tasks(runId, end.attempt()).chain(tasks -> pool.preparedQuery(WEBHOOKS_SQL)
                    .execute(Tuple.of(run.getString("workspace"), run.getUUID("job_id")))
                    .chain(webhooks -> store(deliveries(end, run, tasks, webhooks))));
        });
    }

    private Uni<List<RunSummary.Task>> tasks(UUID runId, int attempt) {
        return pool.preparedQuery(TASKS_SQL).execute(Tuple.of(runId.toString(), attempt)).map(rows -> {
            List<RunSummary.Task> tasks = new ArrayList<>();
            for (Row t : rows) {
                tasks.add(new RunSummary.Task(t.getString("task_id"), t.getInteger("task_index"), t.getString("status"),
                        t.getLong("rows_affected"), t.getString("error_message")));
            }
            return tasks;
        }).onFailure(RunActivity::readModelMissing).recoverWithItem(List.of());
    }

    /** The rows to insert; a job whose settings cannot be read gets its webhooks but no mail. */
    private List<Tuple> deliveries(RunFinished end, Row run, List<RunSummary.Task> tasks, Iterable<Row> webhooks) {
        Instant started = instant(run, "started_at");
        Instant finished = instant(run, "finished_at");
        String status = run.getString("state");
        RunSummary summary = new RunSummary(RunSummary.RUN_FINISHED, end.runId(), end.attempt(), run.getString("workspace"),
                run.getUUID("job_id").toString(), run.getString("job_name"), status, run.getString("error_code"),
                end.errorMessage(), run.getString("trigger"), instant(run, "requested_at"), started, finished,
                RunSummary.millis(started, finished), tasks);
        String body = StoredJson.write(summary);
        List<Tuple> out = new ArrayList<>();
        for (Row w : webhooks) {
            String[] events = w.getArrayOfStrings("events");
            if (events == null || events.length == 0 || List.of(events).contains(status)) {
                UUID webhook = w.getUUID("id");
                out.add(row(run, end, WEBHOOK, webhook.toString(), webhook, body));
            }
        }
        try {
            Notifications n = StoredJson.read(run.getString("settings"), JobSettings.class)
                    .effective(false).notifications();
            if (n.sendEmail() && !n.emailTo().isEmpty() && (!n.emailErrorOnly() || "FAILED".equals(status))) {
                String subject = n.emailSubject() == null || n.emailSubject().isBlank() ? summary.defaultSubject()
                        : n.emailSubject();
                out.add(row(run, end, EMAIL, "email", null,
                        StoredJson.write(new MailMessage(n.emailTo(), subject, summary.mailText()))));
            }
        } catch (RuntimeException e) {
            LOG.warnf("run %s: the job's notification settings do not read (%s); no mail", end.runId(), e.getMessage());
        }
        return out;
    }

    private static Tuple row(Row run, RunFinished end, String channel, String target, UUID webhook, String payload) {
        return Tuple.from(new Object[] { run.getString("workspace"), UUID.fromString(end.runId()), end.attempt(),
                run.getUUID("job_id"), channel, target, webhook, payload });
    }

    private Uni<Void> store(List<Tuple> rows) {
        return rows.isEmpty() ? Uni.createFrom().voidItem() : pool.preparedQuery(INSERT_SQL).executeBatch(rows).replaceWithVoid();
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    /** A stored mail: recipients, subject and text. */
    record MailMessage(List<String> to, String subject, String text) {
    }
}
