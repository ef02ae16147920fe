package io.jobplane.worker.reverseetl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.jobplane.events.failure.FailureKind;
import io.jobplane.events.failure.Failures;
import io.jobplane.events.egress.EgressDeniedException;
import io.jobplane.events.payload.ReplicationSpec;
import io.jobplane.events.sql.ReverseEtlStatement;
import io.jobplane.worker.replication.SourceQuery;
import io.jobplane.worker.replication.TableReplication;
import io.jobplane.worker.replication.TableReplication.Refused;

/**
 * Sends the rows of one reverse ETL task to its receiver: the source's rows are read in key order
 * (one query, streamed with a fetch size, turned into JSON by the database) and POSTed in batches
 * of {@code batch_size} rows (a batch closes early at 8 MiB) as
 * {@code {"run_id": …, "task_id": …, "batch": n, "rows": [{…}, …]}} with
 * {@code Idempotency-Key: <run_id>:<task_id>:<n>}. The same rows make the same batches on every
 * try of the task and every attempt of the run, so a receiver that remembers keys takes each row
 * exactly once.
 * <ul>
 * <li>2xx: delivered. 408, 425, 429, 5xx and connection failures or timeouts are tried again
 * ({@code MaxRetries}) after {@code Retry-After} when the receiver sends one, else after a backoff
 * doubling from 1 s up to 60 s with jitter.</li>
 * <li>Any other 4xx refuses the batch: its rows are counted and named (by key) in an error line
 * and the task carries on with the next batch; the result says what was refused.</li>
 * <li>3xx, 401, 403, 404, 405, 410, 413 and 415 mean the receiver or its address is wrong, and
 * would refuse every batch: the task ends at once ({@link Refused}).</li>
 * </ul>
 * Requests (retries included) start at most {@code RateLimit} a second. {@link #abort()} stops a
 * request in flight; the source query is cancelled by the caller. Requests go through the worker's
 * egress-checked HTTP client: an address the egress policy refuses ends the task at once.
 */
public final class ReverseEtl {

    /** A batch is closed early when its rows reach this size, whatever {@code batch_size} says. */
    static final int MAX_BATCH_BYTES = 8 << 20;
    private static final long PROGRESS_NANOS = 1_000_000_000L;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    private static final int ANSWER_BYTES = 2048;
    /** An answer's body is read (and dropped) up to this size to reuse the connection; a longer one closes it. */
    private static final int DRAIN_BYTES = 64 << 10;
    /** Ends requests that outlive their timeout: a slow trickle of bytes does not keep one open. */
    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reverse-etl-timeouts");
        t.setDaemon(true);
        return t;
    });
    private static final int EXCERPT = 300;
    private static final int NAMED_KEYS_CHARS = 3000;
    private static final String ROW = "jobplane_row";

    /** Where the task reports, and learns that it must stop. */
    public interface Listener {
        void progress(long rows, long bytes);

        void log(String level, String message);

        boolean cancelled();

        /** Waits {@code duration}; true when the run was cancelled meanwhile. */
        boolean sleep(Duration duration);
    }

    /** The run was cancelled. */
    public static final class Cancelled extends Exception {
        Cancelled(String message) {
            super(message, null, false, false);
        }
    }

    /** A batch could not be delivered in the tries it had (or in the task's time); another try of the task may. */
    public static final class Undelivered extends Exception {
        Undelivered(String message) {
            super(message, null, false, false);
        }
    }

    /** A batch the receiver refused: its number, rows, the answer and the keys of its first and last row. */
    public record RefusedBatch(long batch, int rows, int status, String firstKey, String lastKey) {
    }

    /** What the task did: rows, bytes and batches delivered, tries beyond the first, what was refused. */
    public record Result(long rows, long bytes, long batches, long retries, List<RefusedBatch> refused, String keyLabel) {
        public long refusedRows() {
            return refused.stream().mapToLong(RefusedBatch::rows).sum();
        }
    }

    private final CloseableHttpClient http;
    private final HttpReceiver receiver;
    private final Connection source;
    private final ReplicationSpec spec;
    private final String runId;
    private final String taskId;
    private final Long deadline;
    private final Duration taskTimeout;
    private final Listener listener;
    private volatile HttpPost inFlight;
    private long rows;
    private long bytes;
    private long batches;
    private long retries;
    private final List<RefusedBatch> refused = new ArrayList<>();
    private long lastReport = System.nanoTime();

    /** {@code taskTimeout} null: the task may take as long as it needs. */
    public ReverseEtl(CloseableHttpClient http, HttpReceiver receiver, Connection source, ReplicationSpec spec, String runId, String taskId,
            Duration taskTimeout, Listener listener) {
        this.http = http;
        this.receiver = receiver;
        this.source = source;
        this.spec = spec;
        this.runId = runId;
        this.taskId = taskId;
        this.taskTimeout = taskTimeout;
        this.deadline = taskTimeout == null ? null : System.nanoTime() + taskTimeout.toNanos();
        this.listener = listener;
    }

    /** Stops the request in flight, if any (the run was cancelled). */
    public void abort() {
        HttpPost request = inFlight;
        if (request != null) {
            request.cancel();
        }
    }

    /** Rows and bytes delivered so far. */
    public long rows() {
        return rows;
    }

    public long bytes() {
        return bytes;
    }

    /** Reads the task's rows and sends them; see the class comment for what each answer does. */
    public Result send(ReverseEtlStatement task) throws SQLException, Refused, Cancelled, Undelivered {
        if (spec.useGmtDatetime()) {
            try (Statement st = source.createStatement()) {
                st.execute("set time zone 'UTC'");
            }
        }
        SourceQuery src = SourceQuery.describe(source, task.statement());
        List<String> key = keyOf(src, task);
        String keyLabel = key.size() == 1 ? key.get(0) : "(" + String.join(", ", key) + ")";
        String columns = key.stream().map(k -> ROW + "." + TableReplication.quote(k)).collect(Collectors.joining(", "));
        String sql = "select row_to_json(" + ROW + ")::text, " + (key.size() == 1 ? columns + "::text" : "row(" + columns + ")::text")
                + " from (" + src.select() + ") as " + ROW + " order by " + columns
                + (task.keyColumns().isEmpty() ? "" : ", 1");
        URI target = receiver.target(task.path());
        int batchSize = Math.max(1, spec.batchSize());
        listener.log("INFO", "sending rows in batches of " + batchSize + " to POST " + HttpReceiver.display(target) + ", in order of "
                + keyLabel + (task.rateLimit() == null ? "" : ", at most " + task.rateLimit().toPlainString() + " requests a second"));
        Pacer pacer = new Pacer(task.rateLimit());
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (Statement st = source.createStatement()) {
            st.setFetchSize(Math.min(batchSize, 1000));
            try (ResultSet rs = st.executeQuery(sql)) {
                Batch batch = new Batch(1);
                while (rs.next()) {
                    if (listener.cancelled()) {
                        throw new Cancelled("cancelled while reading the source");
                    }
                    batch.add(rs.getString(1), rs.getString(2));
                    if (batch.rows == batchSize || batch.json.size() >= MAX_BATCH_BYTES) {
                        deliver(batch, target, task, pacer, keyLabel);
                        batch = new Batch(batch.number + 1);
                    }
                }
                if (batch.rows > 0) {
                    deliver(batch, target, task, pacer, keyLabel);
                }
            }
        } finally {
            inFlight = null;
            try {
                source.rollback();
                source.setAutoCommit(autoCommit);
            } catch (SQLException e) {
                // The session is given up by the caller when the task did not end normally.
            }
        }
        listener.progress(rows, bytes);
        return new Result(rows, bytes, batches, retries, List.copyOf(refused), keyLabel);
    }

    private static List<String> keyOf(SourceQuery src, ReverseEtlStatement task) throws Refused {
        if (task.keyColumns().isEmpty()) {
            if (src.primaryKey().isEmpty()) {
                throw new Refused("the source has no primary key to read its rows in a stable order by: name its unique column(s)"
                        + " with KeyColumn='id' (rows are read in that order on every try, so each batch holds the same rows"
                        + " and keeps its Idempotency-Key)");
            }
            return src.primaryKey();
        }
        List<String> names = src.columnNames();
        List<String> key = new ArrayList<>();
        for (String wanted : task.keyColumns()) {
            String found = names.contains(wanted) ? wanted : null;
            if (found == null) {
                List<String> folded = names.stream().filter(n -> n.equalsIgnoreCase(wanted)).toList();
                found = folded.size() == 1 ? folded.get(0) : null;
            }
            if (found == null) {
                throw new Refused("KeyColumn '" + wanted + "' is not a column of the source; its columns are " + names);
            }
            key.add(found);
        }
        return key;
    }

    /** The rows of one batch as JSON, with their keys. */
    private static final class Batch {
        final long number;
        final ByteArrayOutputStream json = new ByteArrayOutputStream();
        final List<String> keys = new ArrayList<>();
        int rows;

        Batch(long number) {
            this.number = number;
        }

        void add(String row, String key) {
            if (rows > 0) {
                json.write(',');
            }
            json.writeBytes(row.getBytes(StandardCharsets.UTF_8));
            keys.add(key == null ? "null" : key);
            rows++;
        }

        byte[] body(String runId, String taskId) {
            String head = "{\"run_id\":\"" + escape(runId) + "\",\"task_id\":\"" + escape(taskId) + "\",\"batch\":" + number + ",\"rows\":[";
            ByteArrayOutputStream out = new ByteArrayOutputStream(json.size() + head.length() + 2);
            out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(json.toByteArray());
            out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }

        private static String escape(String s) {
            return new String(JsonStringEncoder.getInstance().quoteAsString(s));
        }
    }

    /** One answer of the receiver, or why there was none. */
    private record Answer(int status, String body, Duration retryAfter, String location, String failure, boolean denied) {
    }

    private void deliver(Batch batch, URI target, ReverseEtlStatement task, Pacer pacer, String keyLabel)
            throws Cancelled, Undelivered, Refused {
        byte[] body = batch.body(runId, taskId);
        Map<String, String> own = Map.of("Content-Type", "application/json",
                "Idempotency-Key", runId + ":" + taskId + ":" + batch.number,
                "Content-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(sha256(body)) + ":");
        String what = "batch " + batch.number + " (" + batch.rows + " rows, " + keyLabel + " " + batch.keys.get(0)
                + (batch.rows > 1 ? " … " + batch.keys.get(batch.rows - 1) : "") + ")";
        int tries = 1 + task.maxRetries();
        for (int attempt = 1;; attempt++) {
            if (listener.cancelled()) {
                throw new Cancelled("cancelled while sending " + what);
            }
            Duration pace = pacer.delay(System.nanoTime());
            if (!pace.isZero()) {
                checkTime(pace, what);
                if (listener.sleep(pace)) {
                    throw new Cancelled("cancelled while sending " + what);
                }
            }
            Duration timeout = Duration.ofSeconds(task.requestTimeoutSeconds());
            if (deadline != null) {
                long left = deadline - System.nanoTime();
                checkTime(Duration.ZERO, what);
                timeout = timeout.toNanos() > left ? Duration.ofNanos(Math.max(left, 1_000_000)) : timeout;
            }
            pacer.started(System.nanoTime());
            Answer answer = exchange(receiver.post(target, body, own), timeout, task, what);
            if (answer.denied) {
                throw new Refused("POST " + HttpReceiver.display(target) + " was not sent: " + answer.failure);
            }
            int status = answer.status;
            if (status >= 200 && status < 300) {
                rows += batch.rows;
                bytes += body.length;
                batches++;
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_NANOS) {
                    lastReport = now;
                    listener.progress(rows, bytes);
                }
                return;
            }
            String reason = answer.failure != null ? answer.failure : "HTTP " + status + excerpt(answer.body);
            if (answer.failure == null && status < 500 && Failures.byHttpStatus(status) != FailureKind.RETRIABLE) {
                refuseOrEnd(batch, status, answer, what, body.length, keyLabel, target);
                return;
            }
            if (attempt >= tries) {
                throw new Undelivered(what + " was not delivered in " + tries + " tries (MaxRetries='" + task.maxRetries() + "'): "
                        + reason + "; " + rows + " rows in " + batches + " batches were delivered before it (trying again"
                        + " sends them again with the same Idempotency-Key)");
            }
            Duration wait = answer.retryAfter != null ? answer.retryAfter : backoff(attempt);
            if (wait.compareTo(MAX_RETRY_AFTER) > 0) {
                throw new Undelivered(what + ": the receiver asks to wait " + wait.toSeconds() + " s (Retry-After), more than "
                        + MAX_RETRY_AFTER.toSeconds() + " s; " + rows + " rows in " + batches + " batches were delivered before it");
            }
            checkTime(wait, what);
            retries++;
            listener.log("WARN", what + " not delivered (try " + attempt + " of " + tries + "): " + reason + "; trying again in "
                    + seconds(wait) + (answer.retryAfter != null ? " (Retry-After)" : ""));
            if (listener.sleep(wait)) {
                throw new Cancelled("cancelled while waiting to send " + what + " again");
            }
        }
    }

    /** A 3xx or 4xx: the batch is refused, or (when every batch would be) the task ends. */
    private void refuseOrEnd(Batch batch, int status, Answer answer, String what, int size, String keyLabel, URI target)
            throws Refused {
        String said = "HTTP " + status + excerpt(answer.body);
        String post = "POST " + HttpReceiver.display(target);
        if (status >= 300 && status < 400) {
            throw new Refused(post + " was answered with a redirect (" + said
                    + (answer.location == null ? "" : ", to " + receiver.scrub(answer.location)) + "); set the connection's"
                    + " base_url to the address that takes the rows (redirects are not followed)");
        }
        switch (status) {
            case 401, 403 -> throw new Refused(post + " refused the connection's credentials (" + said + "); check its auth_token,"
                    + " secret_headers or username/password");
            case 404, 405, 410 -> throw new Refused(post + " answered " + said + "; check the connection's base_url and the"
                    + " task's [path]");
            case 413 -> throw new Refused(what + ", " + size + " bytes, is too large for the receiver (" + said + "); lower the"
                    + " job's replication.batch_size");
            case 415 -> throw new Refused(post + " does not take application/json (" + said + ")");
            default -> {
                // The rows of this batch are refused; the rest go on.
            }
        }
        refused.add(new RefusedBatch(batch.number, batch.rows, status, batch.keys.get(0), batch.keys.get(batch.rows - 1)));
        listener.log("ERROR", what + " refused by the receiver (" + said + "); its " + batch.rows + " rows were not delivered, "
                + keyLabel + ": " + named(batch.keys));
    }

    private Answer exchange(HttpPost request, Duration timeout, ReverseEtlStatement task, String what) throws Cancelled {
        inFlight = request;
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timer = TIMEOUTS.schedule(() -> {
            timedOut.set(true);
            request.cancel();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            if (listener.cancelled()) {
                throw new Cancelled("cancelled while sending " + what);
            }
            try (ClassicHttpResponse response = http.executeOpen(null, request, null)) {
                String body = read(request, response.getEntity());
                return new Answer(response.getCode(), body, retryAfter(value(response.getFirstHeader("Retry-After"))),
                        value(response.getFirstHeader("Location")), null, false);
            }
        } catch (IOException | RuntimeException e) {
            if (listener.cancelled()) {
                throw new Cancelled("cancelled while sending " + what);
            }
            EgressDeniedException denied = EgressDeniedException.in(e);
            if (denied != null) {
                return new Answer(0, "", null, null, denied.getMessage(), true);
            }
            String failure;
            if (e instanceof ConnectTimeoutException) {
                failure = "no answer in " + seconds(timeout) + " (connecting)";
            } else if (timedOut.get() || e instanceof SocketTimeoutException) {
                failure = "no answer in " + seconds(timeout) + " (RequestTimeout='" + task.requestTimeoutSeconds() + "')";
            } else if (e instanceof IOException) {
                failure = "no answer: " + describe(e);
            } else {
                failure = "request failed: " + describe(e);
            }
            return new Answer(0, "", null, null, failure, false);
        } finally {
            timer.cancel(false);
            inFlight = null;
        }
    }

    /**
     * The first {@link #ANSWER_BYTES} of an answer's body. The rest is read and dropped up to
     * {@link #DRAIN_BYTES} so the connection serves again; a longer answer closes it instead.
     */
    private static String read(HttpPost request, HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        try (InputStream in = entity.getContent()) {
            if (in == null) {
                return "";
            }
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                kept.write(buffer, 0, (int) Math.max(0, Math.min(ANSWER_BYTES - kept.size(), n)));
                total += n;
                if (total > DRAIN_BYTES) {
                    request.cancel();
                    break;
                }
            }
        }
        return kept.toString(StandardCharsets.UTF_8);
    }

    private static String value(Header header) {
        return header == null ? null : header.getValue();
    }

    private String describe(Throwable cause) {
        String message = cause.getMessage();
        String text = cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
        return receiver.scrub(text);
    }

    private void checkTime(Duration wait, String what) throws Undelivered {
        if (deadline != null && System.nanoTime() + wait.toNanos() - deadline > 0) {
            throw new Undelivered("timed out after " + taskTimeout.toSeconds() + " s (task_timeout_seconds) while sending " + what
                    + "; " + rows + " rows in " + batches + " batches were delivered before it");
        }
    }

    /** A backoff doubling from 1 s up to 60 s, between half and all of it (jitter spreads retries out). */
    static Duration backoff(int attempt) {
        long full = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    /** The start of an answer's body on one line, scrubbed of secrets; empty when there is none. */
    private String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = receiver.scrub(body).replaceAll("\\s+", " ").strip();
        return ": " + (line.length() > EXCERPT ? line.substring(0, EXCERPT) + "…" : line);
    }

    /** The keys of a batch's rows, as many as fit in a log line. */
    private static String named(List<String> keys) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            String next = (i == 0 ? "" : ", ") + keys.get(i);
            if (out.length() + next.length() > NAMED_KEYS_CHARS) {
                return out + " … and " + (keys.size() - i) + " more, up to " + keys.get(keys.size() - 1);
            }
            out.append(next);
        }
        return out.toString();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
