package io.jobplane.api.dialect.tailer;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.TailerIdentity;

/**
 * Tailer's words for jobplane's: run statuses, run ids, durations, dates, configuration ids and job
 * ids. Pure; the one place the Tailer adapter translates (docs/dialects/tailer.md has the table).
 */
public final class TailerMapping {

    /** Tailer's status words, each with the native run states it stands for. */
    public static final Map<String, List<String>> STATUSES = Map.of(
            "WAITING", List.of("QUEUED"),
            "RUNNING", List.of("RUNNING", "CANCELLING"),
            "SUCCESS", List.of("SUCCESS"),
            "FAILED", List.of("FAILED", "STOPPED"));

    private static final DateTimeFormatter RUN_ID_PREFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile(
            "(?:(\\d{8}-\\d{6})-)?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private TailerMapping() {
    }

    /** The Tailer status of a native run status: QUEUED is WAITING, CANCELLING still RUNNING, STOPPED FAILED. */
    public static String status(String nativeStatus) {
        if (nativeStatus == null) {
            return "WAITING";
        }
        for (Map.Entry<String, List<String>> e : STATUSES.entrySet()) {
            if (e.getValue().contains(nativeStatus)) {
                return e.getKey();
            }
        }
        return "FAILED";
    }

    /** The native run states a Tailer status filter stands for; an unknown word is a 400. */
    public static List<String> nativeStatuses(String tailerStatus) {
        List<String> states = STATUSES.get(tailerStatus);
        if (states == null) {
            throw ApiException.badRequest("INVALID_STATUS", "'" + tailerStatus + "' is not a Tailer run status",
                    "Use one of " + new java.util.TreeSet<>(STATUSES.keySet()) + ".");
        }
        return states;
    }

    /** A duration as Tailer writes it (Python's timedelta, always with microseconds): {@code 0:01:24.002519}. */
    public static String duration(Duration d) {
        if (d == null || d.isNegative()) {
            d = Duration.ZERO;
        }
        long micros = d.getNano() / 1000;
        long seconds = d.getSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d.%06d", seconds / 3600, (seconds % 3600) / 60, seconds % 60, micros);
    }

    /**
     * A time as Tailer writes it (Python's isoformat in UTC): {@code 2020-12-30T11:28:43.861340+00:00},
     * microseconds left out when there are none ({@code 2020-12-09T17:17:23+00:00}); null stays null.
     */
    public static String date(Instant at) {
        if (at == null) {
            return null;
        }
        int micros = at.getNano() / 1000;
        return SECONDS.format(at) + (micros == 0 ? "" : String.format(Locale.ROOT, ".%06d", micros)) + "+00:00";
    }

    /**
     * The Tailer form of a run id: the launch time in UTC then the run's id, as Tailer's own run ids
     * ({@code 20201230-113940-<uuid>}). jobplane's run ids are UUIDv7, so the time is the id's own.
     */
    public static String runId(UUID runId) {
        if (runId.version() != 7) {
            return runId.toString();
        }
        return RUN_ID_PREFIX.format(Instant.ofEpochMilli(runId.getMostSignificantBits() >>> 16)) + "-" + runId;
    }

    /** The native run id in a Tailer run id (its form above, or the bare id); null when it is neither. */
    public static UUID parseRunId(String tailerRunId) {
        if (tailerRunId == null) {
            return null;
        }
        Matcher m = RUN_ID.matcher(tailerRunId);
        if (!m.matches()) {
            return null;
        }
        UUID id = UUID.fromString(m.group(2));
        if (m.group(1) != null && !runId(id).equals(tailerRunId.toLowerCase(Locale.ROOT))) {
            return null; // a time that is not the run's: not one of our run ids
        }
        return id;
    }

    /** The configuration id a request names the job by: table-to-table ids carry {@code _<ENV>}. */
    public static String requestConfigurationId(TailerIdentity identity) {
        return TailerIdentity.TABLE_TO_TABLE.equals(identity.configurationType())
                ? identity.configurationId() + "_" + identity.environment()
                : identity.configurationId();
    }

    /**
     * The stored configuration id a request's names: a table-to-table request's id must end with
     * {@code _<ENV>} (Tailer's rule), which is taken off.
     */
    public static String storedConfigurationId(String configurationType, String environment, String requestId) {
        if (!TailerIdentity.TABLE_TO_TABLE.equals(configurationType)) {
            return requestId;
        }
        String suffix = "_" + environment;
        if (!requestId.endsWith(suffix) || requestId.length() == suffix.length()) {
            throw ApiException.badRequest("ENVIRONMENT_SUFFIX_MISSING",
                    "A table-to-table configuration_id must end with the environment: '" + requestId + suffix + "'",
                    "Append '" + suffix + "' to the configuration id of your configuration file.");
        }
        return requestId.substring(0, requestId.length() - suffix.length());
    }

    /**
     * The job id Tailer shows for a configuration: {@code gbq-to-gbq|<id>_<ENV>} for a table-to-table
     * one, {@code storage-to-storage|<account>|<id>|<ENV>|<file name template>} for a file copy (the
     * template of its first active task's source), {@code <type>|<id>} for the others.
     */
    public static String jobId(TailerIdentity identity, String fileTemplate) {
        return switch (identity.configurationType()) {
            case TailerIdentity.TABLE_TO_TABLE -> "gbq-to-gbq|" + requestConfigurationId(identity);
            case "storage-to-storage" -> "storage-to-storage|" + identity.account() + "|" + identity.configurationId() + "|"
                    + identity.environment() + (fileTemplate == null ? "" : "|" + fileTemplate);
            default -> identity.configurationType() + "|" + identity.configurationId();
        };
    }

    /**
     * A launch's or a filter's execution date: a day ({@code 2020-12-09}, midnight UTC), a time in
     * UTC ({@code 2020-12-09T17:17:23}) or with an offset ({@code 2020-12-09T17:17:23+00:00}).
     */
    public static Instant executionDate(String value) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_EXECUTION_DATE", "execution_date '" + value + "' is not a date",
                    "Send a day (2020-12-09) or a time (2020-12-09T17:17:23, UTC, or with an offset).");
        }
    }

    /** True when {@code value} names a whole day (a filter over that day) rather than a time. */
    public static boolean isDay(String value) {
        return value.length() == 10;
    }
}
