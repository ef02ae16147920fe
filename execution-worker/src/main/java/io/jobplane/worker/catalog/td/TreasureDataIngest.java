package io.jobplane.worker.catalog.td;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogSink;

/**
 * Imports a Treasure Data account's own metadata into the catalog as platform records
 * ({@link CatalogChange.PlatformRecords}), one record per object: its id on TD and TD's JSON object for
 * it, as text. The kinds, their endpoints and how each is kept (docs/catalog/treasure-data.md):
 * <ul>
 * <li>{@code schedules} ({@code GET /v3/schedule/list}), {@code connections}
 * ({@code GET /v3/result/list}): replaced whole on every run;</li>
 * <li>{@code users} ({@code GET /v3/user/list}) and {@code access_control_users}
 * ({@code GET /v3/access_control/users/{id}} per user): replaced whole;</li>
 * <li>{@code databases} ({@code GET /v3/database/list}, then {@code GET /v3/database/show/{name}} per
 * database, whose object is the record): replaced whole;</li>
 * <li>{@code policies} ({@code GET /v3/access_control/policies}) with {@code policy_permissions},
 * {@code policy_column_permissions} and {@code policy_users} ({@code …/policies/{id}/permissions},
 * {@code …/column_permissions}, {@code …/users} per policy): replaced whole;</li>
 * <li>{@code jobs} ({@code GET /v3/job/list?from=&to=}, newest first): upserted, only those above the
 * run's lower job id ({@link IngestOptions.Mode}); jobs listed in {@code state.running_job_ids} are read
 * again ({@code GET /v3/job/show/{id}}) so their status moves on.</li>
 * </ul>
 * A replaced kind is emitted under a new generation (a UUID per run and kind) and closed by a
 * {@link CatalogChange.PlatformCommitted} with the exact count of distinct records, so readers see
 * the old content or the new, never a mix; an empty list replaces the kind by nothing. Jobs are
 * gathered newest first until the walk passes the lower id, then emitted oldest first, so a run that
 * fails midway leaves no gap below the catalog's highest job id. Events hold at most
 * {@link CatalogChange#MAX_PLATFORM_RECORDS_PER_EVENT} records and {@code maxEventBytes} of JSON.
 * <p>
 * The API key never reaches a record or the run log: every text leaving the run is scrubbed of it, and
 * a password in a connection's {@code url} ({@code scheme://user:password@host}) is replaced by
 * {@code ***}. The run does not call {@link CatalogSink#complete}: the executor does once it returns.
 */
public final class TreasureDataIngest {

    /** The catalog's highest imported job id, the lower bound of an incremental run's jobs. */
    public static final String STATE_MAX_JOB_ID = "max_job_id";
    /** Comma-separated ids of jobs the catalog holds as not yet finished, read again by id. */
    public static final String STATE_RUNNING_JOB_IDS = "running_job_ids";

    private static final int MAX_WARNINGS = 100;
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/@:\\s]*):[^/@\\s]*@");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

    private final IngestOptions options;

    public TreasureDataIngest(IngestOptions options) {
        this.options = options;
    }

    /**
     * Runs the import: every kind {@code options} names, in the order of {@link IngestOptions#KINDS}.
     *
     * @param state what the catalog already holds ({@code max_job_id}, {@code running_job_ids}); may be empty
     * @param runLog the run's log: one line per step, never a secret
     * @throws TdException when TD refuses the key, keeps failing, answers what cannot be read, or a
     *         limit is reached; kinds committed before stay committed, a kind under way is not committed
     * @throws InterruptedException when the run is cancelled (checked between requests and pages)
     */
    public IngestReport run(TdApi api, CatalogChange.Origin origin, CatalogSink sink, Map<String, String> state,
            Consumer<String> runLog) throws IOException, InterruptedException {
        return new Run(api, origin, sink, state == null ? Map.of() : state, runLog == null ? line -> {
        } : runLog).execute();
    }

    private final class Run {

        private final TdApi api;
        private final CatalogChange.Origin origin;
        private final CatalogSink sink;
        private final Map<String, String> state;
        private final Consumer<String> runLog;
        private final IngestOptions.Limits limits = options.limits();
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final Map<String, String> generations = new LinkedHashMap<>();
        private final List<String> warnings = new ArrayList<>();
        private long emitted;
        private int warningsLeftOut;
        private Long lowerJobId;
        private Long maxJobId;

        Run(TdApi api, CatalogChange.Origin origin, CatalogSink sink, Map<String, String> state, Consumer<String> runLog) {
            this.api = api;
            this.origin = origin;
            this.sink = sink;
            this.state = state;
            this.runLog = runLog;
        }

        IngestReport execute() throws IOException, InterruptedException {
            api.logTo(this::log);
            List<String> kinds = IngestOptions.KINDS.stream().filter(options::imports).toList();
            log("Treasure Data ingest (" + options.mode() + ") from " + api.endpoint() + ": " + String.join(", ", kinds));
            for (String kind : kinds) {
                checkCancelled();
                switch (kind) {
                    case "schedules" -> listed("schedules", "/v3/schedule/list", "schedules", false, "id", "name");
                    case "connections" -> listed("connections", "/v3/result/list", "results", true, "id", "name");
                    case "users" -> users();
                    case "databases" -> databases();
                    case "policies" -> policies();
                    case "jobs" -> jobs();
                    default -> throw new IllegalStateException(kind);
                }
            }
            if (warningsLeftOut > 0) {
                warnings.add("… and " + warningsLeftOut + " more warnings");
            }
            log("done: " + emitted + " records " + counts + ", " + api.requests() + " requests, " + api.retries() + " retries"
                    + (maxJobId == null ? "" : ", highest job id " + maxJobId));
            return new IngestReport(counts, generations, lowerJobId, maxJobId, api.requests(), api.retries(), warnings);
        }

        /** A kind TD lists in one answer, {@code {"<member>": [...]}}, replaced whole. */
        private void listed(String kind, String path, String member, boolean redactUrls, String... idFields)
                throws IOException, InterruptedException {
            Emitter out = new Emitter(kind, true);
            for (JsonNode item : array(api.get(path), member, path)) {
                if (redactUrls) {
                    redactUrlPasswords(item);
                }
                out.add(idOf(kind, item, idFields), item);
            }
            out.commit();
        }

        private void users() throws IOException, InterruptedException {
            Emitter users = new Emitter("users", true);
            Emitter access = new Emitter("access_control_users", true);
            List<String> ids = new ArrayList<>();
            for (JsonNode user : array(api.get("/v3/user/list"), "users", "/v3/user/list")) {
                String id = idOf("users", user, "id");
                if (users.add(id, user) && numeric("users", id)) {
                    ids.add(id);
                }
            }
            for (String id : ids) {
                checkCancelled();
                JsonNode acl = api.getIfPresent("/v3/access_control/users/" + TdApi.segment(id));
                if (acl == null) {
                    warn("access_control_users " + id + ": TD answered 404 (the user went away since it was listed)");
                } else if (!empty(acl)) {
                    access.add(id, acl);
                }
            }
            users.commit();
            access.commit();
        }

        private void databases() throws IOException, InterruptedException {
            Emitter out = new Emitter("databases", true);
            for (JsonNode listed : array(api.get("/v3/database/list"), "databases", "/v3/database/list")) {
                checkCancelled();
                JsonNode name = listed.get("name");
                if (name == null || !name.isTextual() || name.asText().isEmpty()) {
                    warn("databases: an entry of /v3/database/list has no name; left out");
                    continue;
                }
                JsonNode shown = api.getIfPresent("/v3/database/show/" + TdApi.segment(name.asText()));
                if (shown == null) {
                    warn("databases " + name.asText() + ": TD answered 404 (the database went away since it was listed)");
                } else if (!shown.isObject()) {
                    throw invalid("/v3/database/show/{name}", "an object");
                } else {
                    out.add(idOf("databases", shown, "id", "name"), shown);
                }
            }
            out.commit();
        }

        private void policies() throws IOException, InterruptedException {
            String path = "/v3/access_control/policies";
            Emitter policies = new Emitter("policies", true);
            Emitter permissions = new Emitter("policy_permissions", true);
            Emitter columns = new Emitter("policy_column_permissions", true);
            Emitter users = new Emitter("policy_users", true);
            JsonNode body = api.get(path);
            List<String> ids = new ArrayList<>();
            for (JsonNode policy : body.isArray() ? arrayOf(body) : array(body, "policies", path)) {
                String id = idOf("policies", policy, "id");
                if (policies.add(id, policy) && numeric("policies", id)) {
                    ids.add(id);
                }
            }
            for (String id : ids) {
                checkCancelled();
                String base = path + "/" + TdApi.segment(id);
                sub(permissions, id, base + "/permissions");
                sub(columns, id, base + "/column_permissions");
                sub(users, id, base + "/users");
            }
            policies.commit();
            permissions.commit();
            columns.commit();
            users.commit();
        }

        /** One policy's permissions, column permissions or users: a record under the policy's id unless empty. */
        private void sub(Emitter out, String policyId, String path) throws IOException, InterruptedException {
            JsonNode answer = api.getIfPresent(path);
            if (answer == null) {
                warn(out.kind + " " + policyId + ": TD answered 404 (the policy went away since it was listed)");
            } else if (!empty(answer)) {
                out.add(policyId, answer);
            }
        }

        private void jobs() throws IOException, InterruptedException {
            Long stateMax = stateLong(STATE_MAX_JOB_ID);
            Long lower = options.mode() == IngestOptions.Mode.INITIAL
                    ? (options.lowerJobId() != null ? options.lowerJobId() : stateMax)
                    : (stateMax != null ? stateMax : options.lowerJobId());
            lowerJobId = lower;
            long floor = lower == null ? Long.MIN_VALUE : lower;
            log("jobs: above " + (lower == null ? "none (every job TD lists)" : "job id " + lower));

            // Newest first, page by page, until a page ends at or below the lower id or the list ends.
            TreeMap<Long, String> found = new TreeMap<>();
            long heldBytes = 0;
            long listed = 0;
            int size = limits.pageSize();
            for (long from = 0;; from += size) {
                checkCancelled();
                String path = "/v3/job/list?from=" + from + "&to=" + (from + size - 1);
                List<JsonNode> page = array(api.get(path), "jobs", "/v3/job/list");
                long lowest = Long.MAX_VALUE;
                int added = 0;
                for (JsonNode job : page) {
                    Long id = jobId(job);
                    if (id == null) {
                        continue;
                    }
                    lowest = Math.min(lowest, id);
                    if (id > floor && !found.containsKey(id)) {
                        String text = text(job);
                        heldBytes += text.length();
                        found.put(id, text);
                        added++;
                    }
                }
                listed += page.size();
                log("jobs: " + path + ": " + page.size() + " listed, " + added + " new");
                if (emitted + found.size() > limits.maxRecords() || heldBytes > limits.maxJobBytes()) {
                    throw new TdException(TdException.LIMIT_EXCEEDED, "more jobs above " + (lower == null ? "the oldest"
                            : "job id " + lower) + " than one run may import (" + found.size() + " jobs, " + heldBytes
                            + " characters so far; limits " + limits.maxRecords() + " records, " + limits.maxJobBytes()
                            + " characters): set lower_job_id closer to today's jobs or raise the limit");
                }
                if (page.size() < size || lowest <= floor) {
                    break;
                }
                if (listed > limits.maxRecords() + 2L * size) {
                    throw new TdException(TdException.LIMIT_EXCEEDED, "the job list did not reach "
                            + (lower == null ? "its end" : "job id " + lower) + " within " + listed + " entries");
                }
            }

            Set<Long> walked = new HashSet<>(found.keySet());
            maxJobId = found.isEmpty() ? null : found.lastKey();
            Emitter out = new Emitter("jobs", false);
            for (Iterator<Map.Entry<Long, String>> it = found.entrySet().iterator(); it.hasNext();) {
                Map.Entry<Long, String> e = it.next();
                out.addText(Long.toString(e.getKey()), e.getValue());
                it.remove(); // hand the text over: memory goes down as events go out
            }
            refreshRunning(out, walked);
            out.commit();
        }

        /** Jobs the catalog holds as unfinished, read again by id (upserted over the old record). */
        private void refreshRunning(Emitter out, Set<Long> walked) throws IOException, InterruptedException {
            String text = state.get(STATE_RUNNING_JOB_IDS);
            if (text == null || text.isBlank()) {
                return;
            }
            int done = 0;
            for (String part : text.split(",")) {
                String id = part.strip();
                if (id.isEmpty()) {
                    continue;
                }
                if (!DIGITS.matcher(id).matches()) {
                    warn("state " + STATE_RUNNING_JOB_IDS + ": '" + api.scrub(cut(id)) + "' is not a job id; left out");
                    continue;
                }
                if (walked.contains(Long.valueOf(id))) {
                    continue;
                }
                if (done == limits.maxRefreshedJobs()) {
                    warn("jobs: more than " + limits.maxRefreshedJobs() + " unfinished jobs to read again; the rest wait for the"
                            + " next run");
                    break;
                }
                checkCancelled();
                done++;
                JsonNode job = api.getIfPresent("/v3/job/show/" + id);
                if (job == null) {
                    warn("jobs " + id + ": TD answered 404 when it was read again (deleted); its record stays as it was");
                } else if (job.isObject()) {
                    out.add(id, job);
                }
            }
            log("jobs: " + done + " unfinished jobs read again");
        }

        // ---- records ------------------------------------------------------------------------------

        /** The records of one record kind: batched into events, counted, committed when replaced. */
        private final class Emitter {
            final String kind;
            final String generation;
            final Set<String> ids = new HashSet<>();
            final List<CatalogChange.PlatformRecord> batch = new ArrayList<>();
            long batchBytes;
            long count;

            Emitter(String kind, boolean replace) {
                this.kind = kind;
                this.generation = replace ? UUID.randomUUID().toString() : null;
            }

            boolean add(String id, JsonNode record) throws TdException {
                return id != null && addText(id, text(record));
            }

            /** Adds the record unless it is too large or its id came already; false when left out. */
            boolean addText(String id, String json) throws TdException {
                String text = api.scrub(json);
                String key = api.scrub(id);
                long bytes = text.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > limits.maxRecordBytes()) {
                    warn(kind + " " + cut(key) + ": its JSON is " + bytes + " bytes, more than the limit of "
                            + limits.maxRecordBytes() + "; left out");
                    return false;
                }
                if (!ids.add(key)) {
                    warn(kind + " " + cut(key) + ": listed twice; the first kept");
                    return false;
                }
                if (emitted >= limits.maxRecords()) {
                    throw new TdException(TdException.LIMIT_EXCEEDED, "the run reached its limit of " + limits.maxRecords()
                            + " records while reading " + kind + "; narrow kinds or raise the limit");
                }
                if (batch.size() >= CatalogChange.MAX_PLATFORM_RECORDS_PER_EVENT || batchBytes + bytes > limits.maxEventBytes()) {
                    flush();
                }
                batch.add(new CatalogChange.PlatformRecord(key, text));
                batchBytes += bytes;
                count++;
                emitted++;
                return true;
            }

            void flush() {
                if (!batch.isEmpty()) {
                    sink.platformRecords(new CatalogChange.PlatformRecords(origin, options.source(), kind, generation,
                            List.copyOf(batch)));
                    batch.clear();
                    batchBytes = 0;
                }
            }

            void commit() {
                flush();
                counts.put(kind, count);
                if (generation != null) {
                    sink.platformCommitted(new CatalogChange.PlatformCommitted(origin, options.source(), kind, generation, count));
                    generations.put(kind, generation);
                    log(kind + ": " + count + " records, replaced (generation " + generation + ")");
                } else {
                    log(kind + ": " + count + " records upserted");
                }
            }
        }

        // ---- reading TD's answers -----------------------------------------------------------------

        private List<JsonNode> array(JsonNode body, String member, String path) throws TdException {
            JsonNode list = body == null ? null : body.get(member);
            if (list == null || !list.isArray()) {
                throw invalid(path, "an object with the list '" + member + "'");
            }
            return arrayOf(list);
        }

        private List<JsonNode> arrayOf(JsonNode list) {
            List<JsonNode> items = new ArrayList<>(list.size());
            for (JsonNode item : list) {
                if (item.isObject()) {
                    items.add(item);
                } else {
                    warn("an entry that is not an object was left out");
                }
            }
            return items;
        }

        private TdException invalid(String path, String expected) {
            return new TdException(TdException.INVALID_RESPONSE, "GET " + path + " did not answer " + expected
                    + " as TD's API documents; is base_url TD's API endpoint?");
        }

        /** The record's id: the first of {@code fields} it has as a number or a non-empty text; null (and a warning) when none. */
        private String idOf(String kind, JsonNode item, String... fields) {
            for (String field : fields) {
                JsonNode v = item.get(field);
                if (v != null && (v.isIntegralNumber() || (v.isTextual() && !v.asText().isEmpty()))) {
                    return v.asText();
                }
            }
            warn(kind + ": an entry without " + String.join(" or ", fields) + " was left out");
            return null;
        }

        private boolean numeric(String kind, String id) {
            if (DIGITS.matcher(id).matches()) {
                return true;
            }
            warn(kind + " " + cut(api.scrub(id)) + ": the id is not a number; its details are not read");
            return false;
        }

        private Long jobId(JsonNode job) {
            JsonNode v = job.get("job_id");
            String id = v == null ? null : v.asText();
            if (id == null || !DIGITS.matcher(id).matches()) {
                warn("jobs: an entry without a numeric job_id was left out");
                return null;
            }
            try {
                return Long.valueOf(id);
            } catch (NumberFormatException e) {
                warn("jobs: job_id " + id + " is out of range; left out");
                return null;
            }
        }

        private Long stateLong(String name) {
            String v = state.get(name);
            if (v == null || v.isBlank()) {
                return null;
            }
            if (!DIGITS.matcher(v.strip()).matches()) {
                throw new IllegalArgumentException("state " + name + " is not a job id");
            }
            return Long.valueOf(v.strip());
        }

        /** The record's text: TD's JSON as parsed, every string value scrubbed of the key. */
        private String text(JsonNode node) {
            scrubStrings(node);
            return node.toString();
        }

        private void scrubStrings(JsonNode node) {
            if (node instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                for (String name : names) {
                    JsonNode v = object.get(name);
                    if (v.isTextual()) {
                        String clean = api.scrub(v.asText());
                        if (!clean.equals(v.asText())) {
                            object.set(name, TextNode.valueOf(clean));
                        }
                    } else {
                        scrubStrings(v);
                    }
                }
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    JsonNode v = array.get(i);
                    if (v.isTextual()) {
                        array.set(i, TextNode.valueOf(api.scrub(v.asText())));
                    } else {
                        scrubStrings(v);
                    }
                }
            }
        }

        /** A connection's URL may carry a password ({@code mysql://user:secret@host/db}): it becomes {@code ***}. */
        private void redactUrlPasswords(JsonNode node) {
            if (node instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                for (String name : names) {
                    JsonNode v = object.get(name);
                    if (v.isTextual()) {
                        Matcher m = URL_PASSWORD.matcher(v.asText());
                        if (m.find()) {
                            object.set(name, TextNode.valueOf(m.replaceAll("$1:***@")));
                        }
                    } else {
                        redactUrlPasswords(v);
                    }
                }
            } else if (node instanceof ArrayNode array) {
                array.forEach(this::redactUrlPasswords);
            }
        }

        private boolean empty(JsonNode node) {
            return node.isNull() || ((node.isArray() || node.isObject()) && node.isEmpty());
        }

        private void checkCancelled() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException("the run was cancelled");
            }
        }

        private void warn(String text) {
            if (warnings.size() < MAX_WARNINGS) {
                warnings.add(api.scrub(text));
            } else {
                warningsLeftOut++;
            }
            log("warning: " + text);
        }

        private void log(String line) {
            runLog.accept(api.scrub(line));
        }

        private String cut(String text) {
            return text.length() <= 80 ? text : text.substring(0, 80) + "…";
        }
    }
}
