package io.jobplane.harvester.readmodel;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.jobplane.events.payload.RunCancelling;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunMarked;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.StatusPrecedence;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskProgress;
import io.jobplane.events.payload.TaskStarted;
import io.jobplane.events.payload.WorkspaceRetention;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes run events into {@code runs.run}, {@code runs.task_run} and {@code runs.run_log}. Every
 * write is an upsert that only moves a status forward (job-events' {@link StatusPrecedence}, which the
 * migration's rank functions repeat in SQL; {@code StatusRankFunctionsIT} keeps the two equal) and
 * only fills fields that are still empty, so duplicates and out-of-order delivery give the same rows.
 * A batch of events is written in one multi-row statement per table ({@link Changes}): the changes
 * a batch holds for one run (or task) are first folded into one row by the same rules the upserts
 * apply, so every row is written once per batch and ends as if its changes had come one by one.
 */
@ApplicationScoped
public class RunReadModel {

    /**
     * The run's identity (job, name, trigger, first queue time, tags, who launched it, the job's labels)
     * only fills in. Its progress follows
     * the latest attempt: a newer attempt starts over, an older one changes nothing, and the same
     * attempt only moves the status forward and fills fields that are still empty.
     */
    private static final String UPSERT_RUNS = """
            insert into runs.run as r (run_id, workspace, job_id, job_name, attempt, status, trigger, queued_at,
                                       started_at, finished_at, error_message, worker_id, execution_date, error_code,
                                       cancel_requested_by, tags, requested_by, job_labels, updated_at)
            select u.run_id, u.workspace, u.job_id, u.job_name, u.attempt, u.status, u.trigger, u.queued_at, u.started_at,
                   u.finished_at, u.error_message, u.worker_id, u.execution_date, u.error_code, u.cancel_requested_by,
                   u.tags::jsonb, u.requested_by, u.job_labels::jsonb, now()
              from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[],
                          $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[],
                          $13::timestamptz[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
                   as u (run_id, workspace, job_id, job_name, attempt, status, trigger, queued_at, started_at, finished_at,
                         error_message, worker_id, execution_date, error_code, cancel_requested_by, tags, requested_by,
                         job_labels)
            on conflict (run_id) do update set
                job_id        = coalesce(r.job_id, excluded.job_id),
                job_name      = coalesce(r.job_name, excluded.job_name),
                trigger       = case when excluded.attempt > r.attempt then coalesce(excluded.trigger, r.trigger)
                                     else coalesce(r.trigger, excluded.trigger) end,
                queued_at     = coalesce(r.queued_at, excluded.queued_at),
                execution_date = coalesce(r.execution_date, excluded.execution_date),
                error_code    = case when excluded.attempt > r.attempt then excluded.error_code
                                     when excluded.attempt < r.attempt then r.error_code
                                     else coalesce(r.error_code, excluded.error_code) end,
                cancel_requested_by = coalesce(r.cancel_requested_by, excluded.cancel_requested_by),
                tags          = coalesce(r.tags, excluded.tags),
                requested_by  = coalesce(r.requested_by, excluded.requested_by),
                job_labels    = coalesce(r.job_labels, excluded.job_labels),
                status        = case
                                    when excluded.attempt > r.attempt then excluded.status
                                    when excluded.attempt < r.attempt then r.status
                                    when runs.status_rank(excluded.status) > runs.status_rank(r.status) then excluded.status
                                    else r.status end,
                started_at    = case when excluded.attempt > r.attempt then excluded.started_at
                                     when excluded.attempt < r.attempt then r.started_at
                                     else coalesce(r.started_at, excluded.started_at) end,
                finished_at   = case when excluded.attempt > r.attempt then excluded.finished_at
                                     when excluded.attempt < r.attempt then r.finished_at
                                     else coalesce(r.finished_at, excluded.finished_at) end,
                error_message = case when excluded.attempt > r.attempt then excluded.error_message
                                     when excluded.attempt < r.attempt then r.error_message
                                     else coalesce(r.error_message, excluded.error_message) end,
                worker_id     = case when excluded.attempt > r.attempt then excluded.worker_id
                                     when excluded.attempt < r.attempt then r.worker_id
                                     else coalesce(r.worker_id, excluded.worker_id) end,
                attempt       = greatest(r.attempt, excluded.attempt),
                updated_at    = now()""";

    /**
     * A newer attempt replaces the task's row; an older one changes nothing; the same attempt only
     * moves the status forward, fills fields that are still empty and lets progress only grow.
     */
    private static final String UPSERT_TASKS = """
            insert into runs.task_run as t (run_id, task_id, task_index, attempt, status, rows_affected, error_message,
                                            started_at, finished_at, rows_processed, bytes_processed)
            select * from unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::bigint[], $7::text[],
                                 $8::timestamptz[], $9::timestamptz[], $10::bigint[], $11::bigint[])
            on conflict (run_id, task_id) do update set
                task_index    = excluded.task_index,
                status        = case
                                    when excluded.attempt > t.attempt then excluded.status
                                    when runs.task_status_rank(excluded.status) > runs.task_status_rank(t.status)
                                        then excluded.status
                                    else t.status end,
                rows_affected = case when excluded.attempt > t.attempt then excluded.rows_affected
                                     else coalesce(t.rows_affected, excluded.rows_affected) end,
                error_message = case when excluded.attempt > t.attempt then excluded.error_message
                                     else coalesce(t.error_message, excluded.error_message) end,
                started_at    = case when excluded.attempt > t.attempt then excluded.started_at
                                     else coalesce(t.started_at, excluded.started_at) end,
                finished_at   = case when excluded.attempt > t.attempt then excluded.finished_at
                                     else coalesce(t.finished_at, excluded.finished_at) end,
                rows_processed = case when excluded.attempt > t.attempt then excluded.rows_processed
                                      else greatest(t.rows_processed, excluded.rows_processed) end,
                bytes_processed = case when excluded.attempt > t.attempt then excluded.bytes_processed
                                       else greatest(t.bytes_processed, excluded.bytes_processed) end,
                attempt       = excluded.attempt
            where excluded.attempt >= t.attempt""";

    /**
     * Once a run has ended, its tasks that never reported an end did not run to one. Applied after
     * every batch that touched the run, because a task's or the queued event may arrive after the run's end.
     */
    private static final String CLOSE_OPEN_TASKS = """
            update runs.task_run t
               set status = case when r.status = 'STOPPED' and t.status = 'RUNNING' then 'STOPPED' else 'SKIPPED' end
              from runs.run r
             where r.run_id = any($1) and t.run_id = r.run_id and runs.status_rank(r.status) = 3
               and t.attempt <= r.attempt and t.status in ('PENDING', 'RUNNING')""";

    /**
     * An operator's mark sets the status of the run's attempt, whatever its rank: the run ended, and
     * the mark is the later word on it (docs/operating-runs.md).
     */
    private static final String APPLY_MARKS = """
            update runs.run r set status = u.status, updated_at = now()
              from unnest($1::text[], $2::int[], $3::text[]) as u (run_id, attempt, status)
             where r.run_id = u.run_id and r.attempt <= u.attempt""";

    /** Log lines; a redelivered one is already there. */
    private static final String INSERT_LOGS = """
            insert into runs.run_log (run_id, attempt, seq, task_id, task_index, level, message, truncated, at)
            select * from unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::int[], $6::text[], $7::text[],
                                 $8::boolean[], $9::timestamptz[])
            on conflict do nothing""";

    /** Writes the batch's changes: runs first (task rows and log lines refer to them), then tasks, logs, open tasks. */
    public Uni<Void> apply(SqlClient sql, Changes changes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        List<RunRow> runs = runRows(changes);
        if (!runs.isEmpty()) {
            chain = chain.chain(() -> sql.preparedQuery(UPSERT_RUNS).execute(runTuple(runs)).replaceWithVoid());
        }
        List<TaskRow> tasks = taskRows(changes);
        if (!tasks.isEmpty()) {
            chain = chain.chain(() -> sql.preparedQuery(UPSERT_TASKS).execute(taskTuple(tasks)).replaceWithVoid());
        }
        if (!changes.logs.isEmpty()) {
            chain = chain.chain(() -> sql.preparedQuery(INSERT_LOGS).execute(logTuple(changes.logs)).replaceWithVoid());
        }
        if (!changes.toClose.isEmpty()) {
            chain = chain.chain(() -> sql.preparedQuery(CLOSE_OPEN_TASKS)
                    .execute(Tuple.of(changes.toClose.toArray(String[]::new))).replaceWithVoid());
        }
        List<RunMarked> marks = markRows(changes);
        if (!marks.isEmpty()) {
            chain = chain.chain(() -> sql.preparedQuery(APPLY_MARKS).execute(Tuple.tuple()
                    .addArrayOfString(strings(marks, RunMarked::runId))
                    .addArrayOfInteger(marks.stream().map(RunMarked::attempt).toArray(Integer[]::new))
                    .addArrayOfString(strings(marks, m -> m.status().name()))).replaceWithVoid());
        }
        return chain;
    }

    /** The marks the batch applies: the last of each run's, in the order of the runs' first marks. */
    static List<RunMarked> markRows(Changes changes) {
        return new ArrayList<>(changes.marks.values());
    }

    /** The run rows the batch writes: one per run, its changes folded as {@code UPSERT_RUNS} would apply them. */
    static List<RunRow> runRows(Changes changes) {
        return folded(changes.runRows(), r -> r.runId, RunRow::then);
    }

    /** The task rows the batch writes: one per task of a run, folded as {@code UPSERT_TASKS} would apply them. */
    static List<TaskRow> taskRows(Changes changes) {
        return folded(changes.tasks, t -> t.runId() + '\n' + t.taskId(), TaskRow::then);
    }

    /** One row per key: each key's rows, in the order they were added, folded into the first. */
    private static <T> List<T> folded(List<T> rows, Function<T, String> key, BinaryOperator<T> then) {
        Map<String, T> byKey = new LinkedHashMap<>();
        rows.forEach(row -> byKey.merge(key.apply(row), row, then));
        return new ArrayList<>(byKey.values());
    }

    /** The later of two values of a field the same attempt fills only while empty, across attempts: the newer attempt's. */
    private static <V> V byAttempt(int earlier, V before, int later, V after) {
        return later > earlier ? after : later < earlier ? before : before != null ? before : after;
    }

    private static <V> V firstNonNull(V before, V after) {
        return before != null ? before : after;
    }

    private static Tuple runTuple(List<RunRow> rows) {
        return Tuple.tuple()
                .addArrayOfString(strings(rows, r -> r.runId))
                .addArrayOfString(strings(rows, r -> r.workspace))
                .addArrayOfString(strings(rows, r -> r.jobId))
                .addArrayOfString(strings(rows, r -> r.jobName))
                .addArrayOfInteger(rows.stream().map(r -> r.attempt).toArray(Integer[]::new))
                .addArrayOfString(strings(rows, r -> r.status))
                .addArrayOfString(strings(rows, r -> r.trigger))
                .addArrayOfOffsetDateTime(times(rows, r -> r.queuedAt))
                .addArrayOfOffsetDateTime(times(rows, r -> r.startedAt))
                .addArrayOfOffsetDateTime(times(rows, r -> r.finishedAt))
                .addArrayOfString(strings(rows, r -> r.error))
                .addArrayOfString(strings(rows, r -> r.workerId))
                .addArrayOfOffsetDateTime(times(rows, r -> r.executionDate))
                .addArrayOfString(strings(rows, r -> r.errorCode))
                .addArrayOfString(strings(rows, r -> r.cancelledBy))
                .addArrayOfString(strings(rows, r -> r.tags))
                .addArrayOfString(strings(rows, r -> r.requestedBy))
                .addArrayOfString(strings(rows, r -> r.jobLabels));
    }

    private static Tuple taskTuple(List<TaskRow> rows) {
        return Tuple.tuple()
                .addArrayOfString(strings(rows, TaskRow::runId))
                .addArrayOfString(strings(rows, TaskRow::taskId))
                .addArrayOfInteger(rows.stream().map(TaskRow::index).toArray(Integer[]::new))
                .addArrayOfInteger(rows.stream().map(TaskRow::attempt).toArray(Integer[]::new))
                .addArrayOfString(strings(rows, TaskRow::status))
                .addArrayOfLong(rows.stream().map(TaskRow::rows).toArray(Long[]::new))
                .addArrayOfString(strings(rows, TaskRow::error))
                .addArrayOfOffsetDateTime(times(rows, TaskRow::startedAt))
                .addArrayOfOffsetDateTime(times(rows, TaskRow::finishedAt))
                .addArrayOfLong(rows.stream().map(TaskRow::rowsProcessed).toArray(Long[]::new))
                .addArrayOfLong(rows.stream().map(TaskRow::bytesProcessed).toArray(Long[]::new));
    }

    private static Tuple logTuple(List<RunLog> logs) {
        return Tuple.tuple()
                .addArrayOfString(strings(logs, RunLog::runId))
                .addArrayOfInteger(logs.stream().map(RunLog::attempt).toArray(Integer[]::new))
                .addArrayOfLong(logs.stream().map(RunLog::seq).toArray(Long[]::new))
                .addArrayOfString(strings(logs, RunLog::taskId))
                .addArrayOfInteger(logs.stream().map(RunLog::taskIndex).toArray(Integer[]::new))
                .addArrayOfString(strings(logs, e -> e.level() == null ? "INFO" : e.level()))
                .addArrayOfString(strings(logs, e -> String.valueOf(e.message())))
                .addArrayOfBoolean(logs.stream().map(RunLog::truncated).toArray(Boolean[]::new))
                .addArrayOfOffsetDateTime(times(logs, e -> e.at() == null ? Instant.now() : e.at()));
    }

    private static <T> String[] strings(List<T> rows, Function<T, String> field) {
        return rows.stream().map(field).toArray(String[]::new);
    }

    private static <T> OffsetDateTime[] times(List<T> rows, Function<T, Instant> field) {
        return rows.stream().map(field).map(RunReadModel::ts).toArray(OffsetDateTime[]::new);
    }

    /**
     * What a batch of events changes, in event order. Run events become run rows; task events and
     * log lines also make sure their run's row exists (they may overtake the run's first event).
     */
    public static final class Changes {
        private final List<RunRow> runs = new ArrayList<>();
        /** Rows that only make sure a run exists: run id → the highest attempt asked for. */
        private final Map<String, RunRow> ensured = new LinkedHashMap<>();
        private final List<TaskRow> tasks = new ArrayList<>();
        private final List<RunLog> logs = new ArrayList<>();
        private final Set<String> toClose = new LinkedHashSet<>();
        /** The last mark of each run in the batch: run id → its event (the map keeps the run's first place). */
        private final Map<String, RunMarked> marks = new LinkedHashMap<>();
        /** The latest retention policy of each workspace in the batch ({@link RetentionPolicies}). */
        private final Map<String, WorkspaceRetention> policies = new LinkedHashMap<>();

        public void queued(RunQueued e) {
            runs.add(new RunRow(e.runId(), e.workspace(), e.attempt(), "QUEUED").job(e.jobId(), e.jobName())
                    .trigger(e.trigger()).queuedAt(e.queuedAt()).executionDate(e.executionDate())
                    .searchedBy(tagsJson(e.tags()), e.requestedBy(), labelsJson(e.jobLabels())));
            if (e.tasks() != null) {
                e.tasks().forEach(t -> tasks.add(new TaskRow(e.runId(), t.taskId(), t.index(), e.attempt(), "PENDING",
                        null, null, null, null)));
            }
            toClose.add(e.runId());
        }

        public void started(RunStarted e) {
            runs.add(new RunRow(e.runId(), e.workspace(), e.attempt(), "RUNNING").job(e.jobId(), null)
                    .startedAt(e.startedAt()).worker(e.workerId()));
        }

        public void cancelling(RunCancelling e) {
            runs.add(new RunRow(e.runId(), e.workspace(), e.attempt(), "CANCELLING").job(e.jobId(), null)
                    .cancelledBy(e.requestedBy()));
        }

        public void finished(RunFinished e) {
            runs.add(new RunRow(e.runId(), e.workspace(), e.attempt(), e.status().name()).job(e.jobId(), null)
                    .finishedAt(e.finishedAt()).error(e.errorMessage(), e.errorCode()).worker(e.workerId()));
            toClose.add(e.runId());
        }

        /** An operator set the ended run's status; applied after the batch's other run changes. */
        public void marked(RunMarked e) {
            Objects.requireNonNull(e.runId(), "runId");
            Objects.requireNonNull(e.status(), "status");
            marks.put(e.runId(), e);
        }

        public void log(RunLog e) {
            ensure(e.runId(), e.workspace(), e.attempt());
            logs.add(e);
        }

        public void taskStarted(TaskStarted e) {
            ensure(e.runId(), e.workspace(), e.attempt());
            tasks.add(new TaskRow(e.runId(), e.taskId(), e.index(), e.attempt(), "RUNNING", null, null, e.startedAt(), null));
            toClose.add(e.runId());
        }

        public void taskFinished(TaskFinished e) {
            ensure(e.runId(), e.workspace(), e.attempt());
            tasks.add(new TaskRow(e.runId(), e.taskId(), e.index(), e.attempt(), e.status().name(), e.rowsAffected(),
                    e.errorMessage(), null, e.finishedAt()));
        }

        /** Progress reads as a running task (a lower rank than any end) that has moved this far. */
        public void taskProgress(TaskProgress e) {
            ensure(e.runId(), e.workspace(), e.attempt());
            tasks.add(new TaskRow(e.runId(), e.taskId(), e.index(), e.attempt(), "RUNNING", null, null, null, null,
                    e.rowsProcessed(), e.bytesProcessed()));
            toClose.add(e.runId());
        }

        /** A workspace's retention policy; the one announced last wins. */
        public void retention(WorkspaceRetention e) {
            Objects.requireNonNull(e.workspace(), "workspace");
            Objects.requireNonNull(e.announcedAt(), "announcedAt");
            RetentionPolicies.check(e.logsDays(), e.runsDays());
            policies.merge(e.workspace(), e, (a, b) -> b.announcedAt().isBefore(a.announcedAt()) ? a : b);
        }

        /** The batch's retention policies, one per workspace. */
        public List<WorkspaceRetention> policies() {
            return new ArrayList<>(policies.values());
        }

        public boolean isEmpty() {
            return runs.isEmpty() && ensured.isEmpty() && tasks.isEmpty() && logs.isEmpty() && marks.isEmpty()
                    && policies.isEmpty();
        }

        /** Adds another batch's changes after these, as if its events had been added here. */
        public void addAll(Changes other) {
            runs.addAll(other.runs);
            other.ensured.values().forEach(this::ensure);
            tasks.addAll(other.tasks);
            logs.addAll(other.logs);
            toClose.addAll(other.toClose);
            other.marks.values().forEach(this::marked);
            other.policies.values().forEach(this::retention);
        }

        private void ensure(String runId, String workspace, int attempt) {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(workspace, "workspace");
            ensure(new RunRow(runId, workspace, attempt, "QUEUED"));
        }

        private void ensure(RunRow row) {
            ensured.merge(row.runId, row, (a, b) -> a.attempt >= b.attempt ? a : b);
        }

        /**
         * The run rows to write. A row that only makes sure a run exists is written first, and left
         * out when another row of the batch for the same run has at least its attempt: that row
         * creates the run as well (and a newer attempt starts over in any case).
         */
        List<RunRow> runRows() {
            Map<String, Integer> highest = new HashMap<>();
            runs.forEach(r -> highest.merge(r.runId, r.attempt, Math::max));
            List<RunRow> rows = new ArrayList<>();
            ensured.values().stream().filter(e -> highest.getOrDefault(e.runId, Integer.MIN_VALUE) < e.attempt)
                    .forEach(rows::add);
            rows.addAll(runs);
            return rows;
        }
    }

    /** One event's contribution to a task row; fields left null change nothing. */
    record TaskRow(String runId, String taskId, int index, int attempt, String status, Long rows, String error,
            Instant startedAt, Instant finishedAt, Long rowsProcessed, Long bytesProcessed) {

        TaskRow(String runId, String taskId, int index, int attempt, String status, Long rows, String error,
                Instant startedAt, Instant finishedAt) {
            this(runId, taskId, index, attempt, status, rows, error, startedAt, finishedAt, null, null);
        }

        /** This row followed by {@code later}, as {@code UPSERT_TASKS} would leave it. */
        TaskRow then(TaskRow later) {
            if (later.attempt > attempt) {
                return later;
            }
            if (later.attempt < attempt) {
                return this;
            }
            return new TaskRow(runId, taskId, later.index, attempt,
                    StatusPrecedence.taskWinner(status, later.status),
                    firstNonNull(rows, later.rows), firstNonNull(error, later.error),
                    firstNonNull(startedAt, later.startedAt), firstNonNull(finishedAt, later.finishedAt),
                    greatest(rowsProcessed, later.rowsProcessed), greatest(bytesProcessed, later.bytesProcessed));
        }

        private static Long greatest(Long a, Long b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            return Long.valueOf(Math.max(a, b));
        }
    }

    /** One event's contribution to a run row; fields left null change nothing. */
    static final class RunRow {
        final String runId;
        final String workspace;
        final int attempt;
        final String status;
        String jobId;
        String jobName;
        String trigger;
        Instant queuedAt;
        Instant startedAt;
        Instant finishedAt;
        Instant executionDate;
        String error;
        String errorCode;
        String workerId;
        String cancelledBy;
        /** JSON of the tags given at launch (an object) and of the job's labels (an array); null: not known. */
        String tags;
        String requestedBy;
        String jobLabels;

        RunRow(String runId, String workspace, int attempt, String status) {
            this.runId = runId;
            this.workspace = workspace;
            this.attempt = attempt;
            this.status = status;
        }

        RunRow job(String id, String name) {
            jobId = id;
            jobName = name;
            return this;
        }

        RunRow trigger(String value) {
            trigger = value;
            return this;
        }

        RunRow queuedAt(Instant at) {
            queuedAt = at;
            return this;
        }

        RunRow startedAt(Instant at) {
            startedAt = at;
            return this;
        }

        RunRow finishedAt(Instant at) {
            finishedAt = at;
            return this;
        }

        RunRow executionDate(Instant at) {
            executionDate = at;
            return this;
        }

        RunRow error(String message, String code) {
            error = message;
            errorCode = code;
            return this;
        }

        RunRow worker(String id) {
            workerId = id;
            return this;
        }

        RunRow cancelledBy(String who) {
            cancelledBy = who;
            return this;
        }

        RunRow searchedBy(String tagsJson, String launchedBy, String labelsJson) {
            tags = tagsJson;
            requestedBy = launchedBy;
            jobLabels = labelsJson;
            return this;
        }

        /** This row followed by {@code later}, as {@code UPSERT_RUNS} would leave it. */
        RunRow then(RunRow later) {
            int a = attempt;
            int b = later.attempt;
            String merged = b > a ? later.status : b < a ? status : StatusPrecedence.runWinner(status, later.status);
            RunRow row = new RunRow(runId, workspace, Math.max(a, b), merged)
                    .job(firstNonNull(jobId, later.jobId), firstNonNull(jobName, later.jobName))
                    .trigger(b > a ? firstNonNull(later.trigger, trigger) : firstNonNull(trigger, later.trigger))
                    .queuedAt(firstNonNull(queuedAt, later.queuedAt))
                    .executionDate(firstNonNull(executionDate, later.executionDate))
                    .cancelledBy(firstNonNull(cancelledBy, later.cancelledBy))
                    .searchedBy(firstNonNull(tags, later.tags), firstNonNull(requestedBy, later.requestedBy),
                            firstNonNull(jobLabels, later.jobLabels))
                    .startedAt(byAttempt(a, startedAt, b, later.startedAt))
                    .finishedAt(byAttempt(a, finishedAt, b, later.finishedAt))
                    .error(byAttempt(a, error, b, later.error), byAttempt(a, errorCode, b, later.errorCode))
                    .worker(byAttempt(a, workerId, b, later.workerId));
            return row;
        }

        private List<Object> fields() {
            return Arrays.asList(runId, workspace, attempt, status, jobId, jobName, trigger, queuedAt, startedAt, finishedAt,
                    executionDate, error, errorCode, workerId, cancelledBy, tags, requestedBy, jobLabels);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RunRow row && fields().equals(row.fields());
        }

        @Override
        public int hashCode() {
            return fields().hashCode();
        }

        @Override
        public String toString() {
            return "RunRow" + fields();
        }
    }

    /** The tags as a JSON object sorted by key; null when the event has none (an older event, or a retry's). */
    static String tagsJson(Map<String, String> tags) {
        return tags == null ? null : new JsonObject(new TreeMap<String, Object>(tags)).encode();
    }

    /** The labels as a JSON array; null when the event has none (an older event). */
    static String labelsJson(List<String> labels) {
        return labels == null ? null : new JsonArray(new ArrayList<Object>(labels)).encode();
    }

    private static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
