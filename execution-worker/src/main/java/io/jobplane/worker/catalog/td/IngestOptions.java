package io.jobplane.worker.catalog.td;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one Treasure Data ingest run imports (docs/catalog/treasure-data.md):
 * <ul>
 * <li>{@code source} — the connection's name or id, written as the records' {@code source};</li>
 * <li>{@code mode} — {@link Mode#INITIAL} or {@link Mode#INCREMENTAL}: where the jobs start;</li>
 * <li>{@code lowerJobId} — jobs with a higher id are imported (see {@link Mode}); null: none given;</li>
 * <li>{@code kinds} — which of {@link #KINDS} to import; empty or null: all of them;</li>
 * <li>{@code limits} — the run's bounds; null: {@link Limits#defaults()}.</li>
 * </ul>
 */
public record IngestOptions(String source, Mode mode, Long lowerJobId, Set<String> kinds, Limits limits) {

    /** The kinds a run may be told to import, in the order a run imports them. */
    public static final List<String> KINDS = List.of("schedules", "connections", "users", "databases", "policies", "jobs");

    /** Where a run's jobs start; every other kind is replaced whole in both modes. */
    public enum Mode {
        /**
         * The first import: jobs above {@code lower_job_id} when given, else above the catalog's
         * {@code max_job_id}, else every job TD lists (within the limits).
         */
        INITIAL,
        /**
         * The daily import: jobs above the catalog's {@code max_job_id}, else above
         * {@code lower_job_id}, else every job TD lists (within the limits).
         */
        INCREMENTAL
    }

    /**
     * The bounds of one run.
     *
     * @param pageSize jobs asked for per page of {@code /v3/job/list} (TD's {@code from}/{@code to})
     * @param maxRecords records a run emits at most, all kinds together; more fails the run
     * @param maxResponseBytes bytes of one response body at most (after decompression); more fails the run
     * @param maxRecordBytes bytes of one record's JSON at most; a larger record is left out with a warning
     * @param maxEventBytes bytes of records' JSON in one event at most (besides the 200 records of
     *        {@code CatalogChange.MAX_PLATFORM_RECORDS_PER_EVENT}), so an event stays under Kafka's bound
     * @param maxAttempts tries of one request at most (transient errors and 429)
     * @param initialBackoff the first wait before a retry; doubled each try
     * @param maxBackoff the longest wait between tries, a {@code Retry-After} included
     * @param connectTimeout how long a connection may take
     * @param readTimeout how long the server may stay silent during a response
     * @param maxRefreshedJobs jobs re-read by id at most ({@code state.running_job_ids})
     * @param maxJobBytes characters of job JSON a run holds at most (bytes, for TD's ASCII JSON): jobs
     *        are gathered newest first and emitted oldest first once the walk reached the lower bound;
     *        more fails the run
     */
    public record Limits(int pageSize, long maxRecords, int maxResponseBytes, int maxRecordBytes, int maxEventBytes,
            int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration connectTimeout, Duration readTimeout,
            int maxRefreshedJobs, long maxJobBytes) {

        public Limits {
            if (pageSize < 1 || pageSize > 10_000 || maxRecords < 1 || maxResponseBytes < 1024 || maxRecordBytes < 1
                    || maxEventBytes < maxRecordBytes || maxAttempts < 1 || maxRefreshedJobs < 0 || maxJobBytes < 1
                    || initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null
                    || maxBackoff.compareTo(initialBackoff) < 0 || connectTimeout == null || readTimeout == null) {
                throw new IllegalArgumentException("limits out of range");
            }
        }

        public static Limits defaults() {
            return new Limits(1000, 500_000, 64 * 1024 * 1024, 192 * 1024, 384 * 1024, 6, Duration.ofSeconds(1),
                    Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(120), 1000, 256L * 1024 * 1024);
        }

        /** These limits with another page size (tests page through small lists). */
        public Limits withPageSize(int size) {
            return new Limits(size, maxRecords, maxResponseBytes, maxRecordBytes, maxEventBytes, maxAttempts, initialBackoff,
                    maxBackoff, connectTimeout, readTimeout, maxRefreshedJobs, maxJobBytes);
        }

        /** These limits with another record bound. */
        public Limits withMaxRecords(long max) {
            return new Limits(pageSize, max, maxResponseBytes, maxRecordBytes, maxEventBytes, maxAttempts, initialBackoff,
                    maxBackoff, connectTimeout, readTimeout, maxRefreshedJobs, maxJobBytes);
        }

        /** These limits with another response bound. */
        public Limits withMaxResponseBytes(int max) {
            return new Limits(pageSize, maxRecords, max, maxRecordBytes, maxEventBytes, maxAttempts, initialBackoff,
                    maxBackoff, connectTimeout, readTimeout, maxRefreshedJobs, maxJobBytes);
        }
    }

    public IngestOptions {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("an ingest needs its source connection");
        }
        mode = mode == null ? Mode.INITIAL : mode;
        if (lowerJobId != null && lowerJobId < 0) {
            throw new IllegalArgumentException("lower_job_id must not be negative");
        }
        Set<String> chosen = new LinkedHashSet<>();
        if (kinds != null) {
            for (String kind : kinds) {
                String k = kind == null ? "" : kind.strip().toLowerCase(Locale.ROOT);
                if (!KINDS.contains(k)) {
                    throw new IllegalArgumentException("unknown kind '" + kind + "'; kinds are " + KINDS);
                }
                chosen.add(k);
            }
        }
        // A run imports them in the order of KINDS, whatever order they were given in.
        kinds = Set.copyOf(chosen.isEmpty() ? KINDS : chosen);
        limits = limits == null ? Limits.defaults() : limits;
    }

    /** Whether this run imports {@code kind} (one of {@link #KINDS}). */
    public boolean imports(String kind) {
        return kinds.contains(kind);
    }

    /**
     * The options a job's {@code parameter} gives ({@code MetadataSpec.parameter()}):
     * {@code {"metadata_ingest_parameter": {"mode": "INCREMENTAL", "lower_job_id": 1675368283,
     * "kinds": ["jobs", "schedules"]}}}; the member object alone is read too, and a missing or null
     * parameter means an initial import of everything.
     *
     * @throws IllegalArgumentException with a message fit for the run's error when a value is wrong
     */
    public static IngestOptions fromParameter(JsonNode parameter, String source) {
        JsonNode p = parameter == null || parameter.isNull() ? null
                : parameter.has("metadata_ingest_parameter") ? parameter.get("metadata_ingest_parameter") : parameter;
        if (p == null || p.isNull() || p.isMissingNode()) {
            return new IngestOptions(source, Mode.INITIAL, null, null, null);
        }
        if (!p.isObject()) {
            throw new IllegalArgumentException("metadata_ingest_parameter must be an object");
        }
        Mode mode = Mode.INITIAL;
        JsonNode m = p.get("mode");
        if (m != null && !m.isNull()) {
            try {
                mode = Mode.valueOf(m.asText().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mode must be INITIAL or INCREMENTAL, not '" + m.asText() + "'");
            }
        }
        Long lower = null;
        JsonNode l = p.get("lower_job_id");
        if (l != null && !l.isNull()) {
            if (l.canConvertToLong() && l.isIntegralNumber()) {
                lower = l.asLong();
            } else if (l.isTextual() && l.asText().strip().matches("[0-9]{1,18}")) {
                lower = Long.parseLong(l.asText().strip());
            } else {
                throw new IllegalArgumentException("lower_job_id must be a job id (a whole number)");
            }
        }
        Set<String> kinds = new LinkedHashSet<>();
        JsonNode k = p.get("kinds");
        if (k != null && !k.isNull()) {
            if (!k.isArray() || k.size() > KINDS.size() * 2) {
                throw new IllegalArgumentException("kinds must be a list of " + KINDS);
            }
            k.forEach(v -> kinds.add(v.asText()));
        }
        return new IngestOptions(source, mode, lower, kinds, null);
    }
}
