package io.jobplane.api.dialect.cdata;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.error.ErrorBody;
import io.jobplane.api.job.JobRequest;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.JobUpdate;
import io.jobplane.api.job.JobView;
import io.jobplane.api.job.TaskChange;
import io.jobplane.api.job.settings.CdcEngineSettings;
import io.jobplane.api.job.settings.DeletionBehavior;
import io.jobplane.api.job.settings.Execution;
import io.jobplane.api.job.settings.IntervalUnit;
import io.jobplane.api.job.settings.Notifications;
import io.jobplane.api.job.settings.Replication;
import io.jobplane.api.job.settings.Schedule;
import io.jobplane.api.job.settings.Verbosity;
import io.jobplane.api.run.LaunchResult;
import io.jobplane.api.run.RunStatusView;

/**
 * CData Sync's words for jobplane's: parameter names, job types, run and task statuses, the error
 * shape, and the native requests a CData body stands for. Pure; the one place the CData adapter
 * translates (docs/dialects/cdata.md has the table).
 */
public final class CDataMapping {

    /** CData's job types and the native ones. */
    static final Map<String, JobType> TYPES = Map.of("Standard", JobType.STANDARD, "SyncAll", JobType.SYNC_ALL,
            "LoadFolder", JobType.LOAD_FOLDER, "ChangeDataCapture", JobType.CHANGE_DATA_CAPTURE, "ReverseETL",
            JobType.REVERSE_ETL);

    /** Run statuses: the native state and CData's word for it. */
    static final Map<String, String> STATUSES = Map.of("QUEUED", "Queued", "RUNNING", "Running", "CANCELLING", "Cancelling",
            "SUCCESS", "Success", "FAILED", "Failed", "STOPPED", "Cancelled", "NEVER_RUN", "Never Run", "PENDING", "Pending",
            "SKIPPED", "Skipped");

    /** The job parameters of Create, each key ({@link CDataBody#key}) with the name CData documents. */
    static final Map<String, String> CREATE = names("Name", "Type", "Source-Connection", "source_connection_id",
            "Destination-Connection", "destination_connection_id", "Schedule", "Cron", "Send_Email", "Email_To",
            "Email_Subject", "EmailErrorOnly", "Enable_Parallel_Processing", "Worker_Pool", "Verbosity", "Destination_Schema",
            "Table_Name_Prefix", "Use_GMT_DateTime", "History_Mode", "Truncate_Table_Data", "Drop_Table",
            "Auto_Truncate_Strings", "Continue_On_Error", "Deletion_Behavior", "Alter_Schema", "Replicate_Interval",
            "Replicate_Interval_Unit", "Replicate_Start_Date", "Batch_Size", "Pre_Job_Event", "Post_Job_Event",
            "CDC_Engine_Settings", "Labels", "Pipeline Id", "Queries");
    /** Update takes Create's parameters but the type (it cannot change) and the queries (tasks have their own operations). */
    static final Map<String, String> UPDATE = without(CREATE, "type", "queries");
    static final Map<String, String> SCHEDULE = names("Enabled", "Cron");
    static final Map<String, String> CDC = names("Name", "Schema");
    static final Map<String, String> EXECUTE = names("Tasks");
    static final Map<String, String> TASK_ADD = names("Query", "Is_Active", "Index");
    static final Map<String, String> TASK_UPDATE = TASK_ADD;
    static final Map<String, String> TASK_MOVE = names("From_Index", "To_Index");

    private static final Set<String> NOTIFICATIONS = Set.of("sendemail", "emailto", "emailsubject", "emailerroronly");
    private static final Set<String> EXECUTION = Set.of("enableparallelprocessing", "workerpool", "verbosity", "prejobevent",
            "postjobevent");
    private static final Set<String> REPLICATION = Set.of("destinationschema", "tablenameprefix", "usegmtdatetime",
            "historymode", "truncatetabledata", "droptable", "autotruncatestrings", "deletionbehavior", "alterschema",
            "replicateinterval", "replicateintervalunit", "replicatestartdate", "batchsize", "cdcenginesettings");

    private CDataMapping() {
    }

    // --- names -----------------------------------------------------------------------------------

    /** CData's name of a native job type: its five types by their names, jobplane's others in the same style. */
    public static String typeName(JobType type) {
        for (Map.Entry<String, JobType> e : TYPES.entrySet()) {
            if (e.getValue() == type) {
                return e.getKey();
            }
        }
        StringBuilder out = new StringBuilder();
        for (String part : type.name().split("_")) {
            out.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    /** The native type of CData's {@code Type} (case ignored); an unknown one is a 400 listing CData's five. */
    public static JobType type(String cdata) {
        for (Map.Entry<String, JobType> e : TYPES.entrySet()) {
            if (CDataBody.key(e.getKey()).equals(CDataBody.key(cdata))) {
                return e.getValue();
            }
        }
        throw ApiException.badRequest("INVALID_ENUM_VALUE", "Type '" + cdata + "' is not a CData job type",
                "Use one of Standard, SyncAll, LoadFolder, ChangeDataCapture, ReverseETL.");
    }

    /** CData's word for a native run or task status ({@code STOPPED} is {@code Cancelled}). */
    public static String status(String nativeStatus) {
        if (nativeStatus == null) {
            return null;
        }
        return STATUSES.getOrDefault(nativeStatus, nativeStatus);
    }

    /** The error body on CData's paths: {@code {"error": {"code", "message", "solution", "request_id"}}}. */
    public static Map<String, Object> error(ErrorBody error) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", error.errorCode());
        inner.put("message", error.errorMsg());
        inner.put("solution", error.solutionMsg());
        inner.put("request_id", error.requestId());
        return Map.of("error", inner);
    }

    // --- requests ----------------------------------------------------------------------------------

    /** A connection named by a request: by id, by name, or both (then they must agree). */
    public record ConnectionRef(UUID id, String name) {
        @Override
        public String toString() {
            return id != null ? id.toString() : name;
        }
    }

    /** The connection {@code Source-Connection} (or {@code source_connection_id}) names; null when absent. */
    static ConnectionRef connection(CDataBody body, String end) {
        String object = end + "connection";
        String id = end + "connectionid";
        if (body.has(object) && body.has(id)) {
            throw ApiException.badRequest("DUPLICATE_FIELD", "Send " + body.name(object) + " or " + body.name(id) + ", not both",
                    "Name the connection once.");
        }
        if (body.has(id)) {
            return new ConnectionRef(uuid(body, id, body.text(id)), null);
        }
        JsonNode v = body.node(object);
        if (v == null) {
            return null;
        }
        if (v.isTextual()) {
            String text = v.textValue().trim();
            UUID asId = parseUuid(text);
            return asId != null ? new ConnectionRef(asId, null) : new ConnectionRef(null, nonBlank(body, object, text));
        }
        CDataBody ref = body.object(object, names("Id", "Name"));
        String refId = ref.text("id");
        String name = ref.text("name");
        if (refId == null && name == null) {
            throw ApiException.badRequest("MISSING_FIELD", body.name(object) + " needs its Id or its Name",
                    "Send e.g. {\"Id\": \"<connection id>\"} or {\"Name\": \"warehouse\"}.");
        }
        return new ConnectionRef(refId == null ? null : uuid(body, object, refId), name == null ? null : nonBlank(body, object, name));
    }

    /**
     * The native job a Create body stands for, with its connections already resolved to ids.
     * {@code Name} and {@code Type} are required.
     */
    static JobRequest jobRequest(CDataBody body, UUID source, UUID destination) {
        String name = body.text("name");
        if (name == null) {
            throw ApiException.badRequest("MISSING_FIELD", "Parameter Name is required", "Send the job's Name.");
        }
        String type = body.text("type");
        if (type == null) {
            throw ApiException.badRequest("MISSING_FIELD", "Parameter Type is required",
                    "Send Type: Standard, SyncAll, LoadFolder, ChangeDataCapture or ReverseETL.");
        }
        return new JobRequest(name, type(type), null, body.list("labels"), null, source, destination, body.text("pipelineid"),
                body.bool("continueonerror"), schedule(body, null), notifications(body, null), execution(body, null),
                replication(body, null), null, null, null, body.list("queries"), null);
    }

    /**
     * The native change an Update body stands for. A settings group the body touches is sent whole:
     * the job's current values with the body's over them (natively a group sent replaces the stored one).
     */
    static JobUpdate jobUpdate(CDataBody body, JobView current, UUID source, UUID destination) {
        return new JobUpdate(body.text("name"), null, body.list("labels"), null, source, destination, body.text("pipelineid"),
                body.bool("continueonerror"), schedule(body, current.schedule()), notifications(body, current.notifications()),
                execution(body, current.execution()), replication(body, current.replication()), null, null, null);
    }

    /** The job's Schedule: {@code Schedule} (an object with Enabled and Cron, or a boolean) and {@code Cron}. */
    static Schedule schedule(CDataBody body, Schedule current) {
        if (!body.has("schedule") && !body.has("cron")) {
            return null;
        }
        Boolean enabled = null;
        String cron = body.text("cron");
        if (body.has("schedule")) {
            JsonNode v = body.node("schedule");
            if (v.isObject()) {
                CDataBody s = body.object("schedule", SCHEDULE);
                enabled = s.bool("enabled");
                String nested = s.text("cron");
                if (nested != null && cron != null && !nested.equals(cron)) {
                    throw ApiException.badRequest("DUPLICATE_FIELD", "Cron is sent twice with two values",
                            "Send the cron once, in Schedule or as Cron.");
                }
                cron = cron != null ? cron : nested;
            } else {
                enabled = body.bool("schedule");
            }
        }
        Schedule base = current == null ? new Schedule(null, null, null, null) : current;
        return new Schedule(enabled != null ? enabled : base.enabled(), cron != null ? cron : base.cron(), base.timezone(),
                base.misfirePolicy(), base.overlapPolicy());
    }

    static Notifications notifications(CDataBody body, Notifications current) {
        if (!body.hasAny(NOTIFICATIONS)) {
            return null;
        }
        Notifications base = current == null ? new Notifications(null, null, null, null) : current;
        return new Notifications(or(body.bool("sendemail"), base.sendEmail()), or(body.list("emailto"), base.emailTo()),
                or(body.text("emailsubject"), base.emailSubject()), or(body.bool("emailerroronly"), base.emailErrorOnly()));
    }

    static Execution execution(CDataBody body, Execution current) {
        if (!body.hasAny(EXECUTION)) {
            return null;
        }
        Execution base = current == null ? new Execution(null, null, null, null, null, null, null, null, null) : current;
        return new Execution(or(body.bool("enableparallelprocessing"), base.enableParallelProcessing()),
                or(body.integer("workerpool"), base.workerPool()), or(verbosity(body), base.verbosity()),
                or(body.text("prejobevent"), base.preJobEvent()), or(body.text("postjobevent"), base.postJobEvent()),
                base.maxActiveRuns(), base.taskTimeoutSeconds(), base.runTimeoutSeconds(), base.retry())
                .withPool(base.pool(), base.poolSlots(), base.priority());
    }

    static Replication replication(CDataBody body, Replication current) {
        if (!body.hasAny(REPLICATION)) {
            return null;
        }
        Replication b = current == null
                ? new Replication(null, null, null, null, null, null, null, null, null, null, null, null, null, null)
                : current;
        return new Replication(or(body.text("destinationschema"), b.destinationSchema()),
                or(body.text("tablenameprefix"), b.tableNamePrefix()), or(body.bool("usegmtdatetime"), b.useGmtDatetime()),
                or(body.bool("historymode"), b.historyMode()), or(body.bool("truncatetabledata"), b.truncateTableData()),
                or(body.bool("droptable"), b.dropTable()), or(body.bool("autotruncatestrings"), b.autoTruncateStrings()),
                or(enumOf(body, "deletionbehavior", DeletionBehavior.class), b.deletionBehavior()),
                or(body.bool("alterschema"), b.alterSchema()), or(body.integer("replicateinterval"), b.replicateInterval()),
                or(enumOf(body, "replicateintervalunit", IntervalUnit.class), b.replicateIntervalUnit()),
                or(date(body, "replicatestartdate"), b.replicateStartDate()), or(body.integer("batchsize"), b.batchSize()),
                or(cdc(body), b.cdcEngineSettings()));
    }

    /** Execute's {@code Tasks}: task ids of the job; ids that cannot be one are refused like unknown ones. */
    static List<UUID> tasks(CDataBody body) {
        List<String> ids = body.has("tasks") && !body.node("tasks").isArray() ? null : body.list("tasks");
        if (body.has("tasks") && ids == null) {
            throw body.wrongType("tasks", "a list of task ids");
        }
        if (ids == null) {
            return null;
        }
        return ids.stream().map(id -> {
            UUID u = parseUuid(id);
            if (u == null) {
                throw ApiException.badRequest("UNKNOWN_TASK", "Task '" + id + "' is not a task of this job",
                        "Use the Id of a task from GET /api.rsc/v2/jobs/{job_id}/tasks, or leave Tasks out to run the active tasks.");
            }
            return u;
        }).toList();
    }

    static TaskChange.Add taskAdd(CDataBody body) {
        String query = body.text("query");
        if (query == null) {
            throw ApiException.badRequest("MISSING_FIELD", "Parameter Query is required", "Send the task's Query.");
        }
        return new TaskChange.Add(query, body.bool("isactive"), body.integer("index"));
    }

    static TaskChange.Update taskUpdate(CDataBody body) {
        return new TaskChange.Update(body.text("query"), body.bool("isactive"), body.integer("index"));
    }

    static TaskChange.Move taskMove(CDataBody body) {
        Integer from = body.integer("fromindex");
        Integer to = body.integer("toindex");
        if (from == null || to == null) {
            throw ApiException.badRequest("MISSING_FIELD", "Parameters From_Index and To_Index are required",
                    "Send the task's current index as From_Index and where it goes as To_Index.");
        }
        return new TaskChange.Move(from, to);
    }

    // --- answers -----------------------------------------------------------------------------------

    /** A job in CData's names; {@code connectionNames} gives each connection id its name. */
    static Map<String, Object> job(JobView j, Function<UUID, String> connectionNames) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", j.jobId().toString());
        out.put("Workspace_Id", j.workspace());
        out.put("Name", j.name());
        out.put("Type", typeName(j.type()));
        out.put("Status", j.status().name().charAt(0) + j.status().name().substring(1).toLowerCase(Locale.ROOT));
        out.put("Source-Connection", connectionRef(j.sourceConnectionId(), connectionNames));
        out.put("Destination-Connection", connectionRef(j.destinationConnectionId(), connectionNames));
        Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.put("Enabled", Boolean.TRUE.equals(j.schedule().enabled()));
        schedule.put("Cron", j.schedule().cron() == null ? "" : j.schedule().cron());
        out.put("Schedule", schedule);
        out.put("Cron", j.schedule().cron() == null ? "" : j.schedule().cron());
        out.put("Send_Email", j.notifications().sendEmail());
        out.put("Email_To", String.join(",", j.notifications().emailTo()));
        out.put("Email_Subject", j.notifications().emailSubject());
        out.put("Email_Error_Only", j.notifications().emailErrorOnly());
        out.put("Enable_Parallel_Processing", j.execution().enableParallelProcessing());
        out.put("Worker_Pool", j.execution().workerPool());
        out.put("Verbosity", j.execution().verbosity().level());
        out.put("Pre_Job_Event", j.execution().preJobEvent());
        out.put("Post_Job_Event", j.execution().postJobEvent());
        Replication r = j.replication();
        if (r != null) {
            out.put("Destination_Schema", r.destinationSchema());
            out.put("Table_Name_Prefix", r.tableNamePrefix());
            out.put("Use_GMT_DateTime", r.useGmtDatetime());
            out.put("History_Mode", r.historyMode());
            out.put("Truncate_Table_Data", r.truncateTableData());
            out.put("Drop_Table", r.dropTable());
            out.put("Auto_Truncate_Strings", r.autoTruncateStrings());
            out.put("Deletion_Behavior", r.deletionBehavior() == null ? null : pascal(r.deletionBehavior().name()));
            out.put("Alter_Schema", r.alterSchema());
            out.put("Replicate_Interval", r.replicateInterval());
            out.put("Replicate_Interval_Unit", r.replicateIntervalUnit() == null ? null
                    : r.replicateIntervalUnit().name().toLowerCase(Locale.ROOT));
            out.put("Replicate_Start_Date", r.replicateStartDate() == null ? null : r.replicateStartDate().toString());
            out.put("Batch_Size", r.batchSize());
            out.put("CDC_Engine_Settings", r.cdcEngineSettings() == null ? null
                    : Map.of("Name", r.cdcEngineSettings().name(), "Schema",
                            r.cdcEngineSettings().schema() == null ? "" : r.cdcEngineSettings().schema()));
        }
        out.put("Continue_On_Error", j.continueOnError());
        out.put("Labels", j.labels());
        out.put("Pipeline Id", j.pipelineId());
        out.put("Queries", j.tasks().stream().map(JobView.TaskView::query).toList());
        out.put("Tasks", j.tasks().stream().map(CDataMapping::task).toList());
        out.put("Created", time(j.createdAt()));
        out.put("Modified", time(j.updatedAt()));
        return out;
    }

    static Map<String, Object> task(JobView.TaskView t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", t.taskId().toString());
        out.put("Index", t.index());
        out.put("Query", t.query());
        out.put("Is_Active", t.isActive());
        return out;
    }

    /** A run as a history entry; with its tasks when the view has them. */
    static Map<String, Object> history(RunStatusView r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", r.runId());
        out.put("Job_Id", r.jobId());
        out.put("Job_Name", r.jobName());
        out.put("Status", status(r.status()));
        out.put("Attempt", r.attempt());
        out.put("Trigger", r.trigger());
        out.put("Execution_Date", time(r.executionDate()));
        out.put("Queued_Date", time(r.queuedAt()));
        out.put("Run_Start_Date", time(r.startedAt()));
        out.put("Run_End_Date", time(r.finishedAt()));
        out.put("Duration_Ms", r.durationMs());
        Long records = null;
        if (r.tasks() != null) {
            for (RunStatusView.TaskRunView t : r.tasks()) {
                if (t.rowsAffected() != null) {
                    records = (records == null ? 0 : records) + t.rowsAffected();
                }
            }
        }
        out.put("Records_Affected", records);
        out.put("Error_Code", r.errorCode());
        out.put("Error_Message", r.errorMessage());
        if (r.tasks() != null) {
            out.put("Tasks", r.tasks().stream().map(CDataMapping::taskRun).toList());
        }
        return out;
    }

    static Map<String, Object> taskRun(RunStatusView.TaskRunView t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Task_Id", t.taskId());
        out.put("Index", t.index());
        out.put("Status", status(t.status()));
        out.put("Records_Affected", t.rowsAffected());
        out.put("Run_Start_Date", time(t.startedAt()));
        out.put("Run_End_Date", time(t.finishedAt()));
        out.put("Duration_Ms", t.durationMs());
        out.put("Error_Message", t.errorMessage());
        return out;
    }

    /** One task's run (task history, last run of all tasks): the task's run and the run it belongs to. */
    static Map<String, Object> taskHistory(RunStatusView.TaskHistoryEntry e) {
        Map<String, Object> out = taskRun(e.task());
        out.put("History_Id", e.runId());
        out.put("Attempt", e.attempt());
        out.put("Job_Status", status(e.runStatus()));
        out.put("Execution_Date", time(e.executionDate()));
        return out;
    }

    static Map<String, Object> jobStatus(RunStatusView.JobStatusView s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Job_Id", s.jobId());
        out.put("Status", status(s.status()));
        out.put("Active_Runs", s.activeRuns());
        out.put("Queued_Runs", s.queuedRuns());
        out.put("Last_Run", s.lastRun() == null ? null : history(s.lastRun()));
        return out;
    }

    /** The answer to Execute and, per run, to Cancel. */
    static Map<String, Object> launched(LaunchResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Job_Id", r.jobId().toString());
        out.put("History_Id", r.runId().toString());
        out.put("Status", status(r.status()));
        out.put("Attempt", r.attempt());
        out.put("Trigger", r.trigger());
        out.put("Queued_Date", time(r.queuedAt()));
        return out;
    }

    /** A list answer: {@code {"value": [...]}}. */
    static Map<String, Object> value(List<?> items) {
        return Map.of("value", items);
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static Map<String, Object> connectionRef(UUID id, Function<UUID, String> names) {
        if (id == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", id.toString());
        out.put("Name", names.apply(id));
        return out;
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }

    private static String pascal(String upperSnake) {
        StringBuilder out = new StringBuilder();
        for (String part : upperSnake.split("_")) {
            out.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    private static Verbosity verbosity(CDataBody body) {
        Integer level = body.integer("verbosity");
        if (level == null) {
            return null;
        }
        try {
            return Verbosity.of(level);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_ENUM_VALUE", "Verbosity " + level + " is not a level",
                    "Use 1, 2, 3 or 5.");
        }
    }

    /** An enum value in any spelling: {@code HardDelete}, {@code hard_delete}, {@code HARD_DELETE}; {@code minutes}. */
    private static <E extends Enum<E>> E enumOf(CDataBody body, String key, Class<E> type) {
        String v = body.text(key);
        if (v == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (CDataBody.key(e.name()).equals(CDataBody.key(v))) {
                return e;
            }
        }
        Set<String> allowed = new TreeSet<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(type == IntervalUnit.class ? e.name().toLowerCase(Locale.ROOT) : pascal(e.name()));
        }
        throw ApiException.badRequest("INVALID_ENUM_VALUE", body.name(key) + " '" + v + "' is not one of " + allowed,
                "Use one of " + allowed + ".");
    }

    private static LocalDate date(CDataBody body, String key) {
        String v = body.text(key);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("VALIDATION_FAILED", body.name(key) + " '" + v + "' is not a date",
                    "Send it as yyyy-MM-dd, e.g. 2024-01-31.");
        }
    }

    private static CdcEngineSettings cdc(CDataBody body) {
        CDataBody c = body.object("cdcenginesettings", CDC);
        return c == null ? null : new CdcEngineSettings(c.text("name"), c.text("schema"));
    }

    private static UUID uuid(CDataBody body, String key, String value) {
        UUID id = parseUuid(value);
        if (id == null) {
            throw ApiException.badRequest("UNKNOWN_CONNECTION", body.name(key) + " '" + value + "' is not a connection id",
                    "Send the Id of a connection of the workspace, or its name as Source-Connection / Destination-Connection.");
        }
        return id;
    }

    private static String nonBlank(CDataBody body, String key, String value) {
        if (value.isBlank()) {
            throw ApiException.badRequest("VALIDATION_FAILED", body.name(key) + " must not be blank",
                    "Send the connection's Id or Name.");
        }
        return value;
    }

    static UUID parseUuid(String text) {
        if (text == null || !text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            return null;
        }
        return UUID.fromString(text);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Map<String, String> names(String... documented) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : documented) {
            out.put(CDataBody.key(n), n);
        }
        return Map.copyOf(out);
    }

    private static Map<String, String> without(Map<String, String> names, String... keys) {
        Map<String, String> out = new LinkedHashMap<>(names);
        for (String k : keys) {
            out.remove(k);
        }
        return Map.copyOf(out);
    }
}
