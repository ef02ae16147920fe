package io.jobplane.api.run;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.json.ListingCursor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The filters of a search over every run of a workspace, parsed from the query and checked: jobs,
 * statuses, triggers, job labels, run tags ({@code key:value}), who launched, and queued, started
 * and finished time ranges ({@code _after} inclusive, {@code _before} exclusive, RFC 3339). Values
 * of one filter are alternatives (any of them), different filters all apply; labels and tags must
 * all be present. The search reads the run read model ({@code runs.run}, metadata-harvester): runs
 * come newest first by queued time, then run id; the cursor holds the last run's pair. Whatever is
 * wrong answers 400 with a code.
 */
public record RunSearch(List<UUID> jobIds, List<String> statuses, List<String> triggers, List<String> labels,
        Map<String, String> tags, List<String> requestedBy, Range queued, Range started, Range finished, int limit,
        List<String> after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** How many values one filter takes at most. */
    public static final int MAX_VALUES = 100;
    static final String LISTING = "runs";
    static final List<String> TRIGGERS = List.of("manual", "schedule", "workflow", "backfill", "rerun", "retry");
    /** The statuses of runs not ended yet: a partial index of the read model holds only them. */
    static final Set<String> UNFINISHED = Set.of("QUEUED", "RUNNING", "CANCELLING");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?");
    private static final Pattern KEY = Pattern.compile(RunTags.KEY);
    private static final Pattern VALUE = Pattern.compile(RunTags.VALUE);

    /** A time range: {@code after} inclusive, {@code before} exclusive; either may be absent. */
    public record Range(Instant after, Instant before) {
    }

    /** The search a query asks for. */
    public static RunSearch parse(List<String> jobIds, List<String> statuses, List<String> triggers, List<String> labels,
            List<String> tags, List<String> requestedBy, String queuedAfter, String queuedBefore, String startedAfter,
            String startedBefore, String finishedAfter, String finishedBefore, String limit, String cursor) {
        List<String> after = ListingCursor.after(LISTING, cursor, 2);
        if (after != null) {
            try {
                after = List.of(Instant.parse(after.get(0)).toString(), UUID.fromString(after.get(1)).toString());
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw ApiException.badRequest("INVALID_CURSOR", "The cursor is not one this listing gave out",
                        "Pass next_cursor from the previous page of the same listing unchanged, or leave it out to start over.");
            }
        }
        return new RunSearch(jobs(jobIds), statuses(statuses), triggers(triggers), labels(labels), tags(tags),
                requestedBy(requestedBy), range("queued", queuedAfter, queuedBefore), range("started", startedAfter, startedBefore),
                range("finished", finishedAfter, finishedBefore), ListingCursor.limit(limit, DEFAULT_LIMIT, MAX_LIMIT), after);
    }

    /** The cursor that continues after a run queued at {@code queuedAt} with id {@code runId}. */
    static String cursor(Instant queuedAt, String runId) {
        return ListingCursor.of(LISTING, List.of(queuedAt.toString(), runId));
    }

    /** A statement and its values. */
    record Statement(String sql, List<Object> params) {
    }

    /**
     * The statement that reads one page (one row more than the limit, which tells whether a next page
     * exists) of {@code columns} of {@code runs.run rr} in the workspace. Several jobs, or else several
     * users, become one branch each, every branch walking its index in the page's order and stopping
     * at a page, merged: one {@code = any(...)} would read and sort every run of those jobs.
     */
    Statement statement(String workspace, String columns) {
        List<Object> params = new ArrayList<>();
        params.add(workspace);
        StringBuilder where = new StringBuilder();
        where(where, params);
        List<String> branches = new ArrayList<>();
        String splitColumn = null;
        List<?> splitValues = List.of();
        if (jobIds.size() > 1) {
            splitColumn = "rr.job_id";
            splitValues = jobIds.stream().map(UUID::toString).toList();
        } else if (requestedBy.size() > 1) {
            splitColumn = "rr.requested_by";
            splitValues = requestedBy;
        }
        params.add(limit + 1);
        String limitParam = "$" + params.size();
        String select = "select " + columns + " from runs.run rr where rr.workspace = $1 and rr.queued_at is not null" + where;
        String order = " order by rr.queued_at desc, rr.run_id desc limit " + limitParam;
        if (splitColumn == null) {
            return new Statement(select + order, params);
        }
        for (Object value : splitValues) {
            params.add(value);
            branches.add("(" + select + " and " + splitColumn + " = $" + params.size() + order + ")");
        }
        String sql = "select * from (" + String.join(" union all ", branches) + ") rr"
                + " order by rr.queued_at desc, rr.run_id desc limit " + limitParam;
        return new Statement(sql, params);
    }

    /**
     * Appends the search's conditions on {@code rr} (runs.run) to {@code sql}, adding their values to
     * {@code params}; several jobs or users are left to {@link #statement}. Statuses are written as
     * literals (they are checked against a fixed set), so the planner can use the partial index of
     * unfinished runs.
     */
    void where(StringBuilder sql, List<Object> params) {
        if (jobIds.size() == 1) {
            params.add(jobIds.get(0).toString());
            sql.append(" and rr.job_id = $").append(params.size());
        }
        if (statuses.size() == 1) {
            sql.append(" and rr.status = '").append(statuses.get(0)).append('\'');
        } else if (!statuses.isEmpty()) {
            sql.append(" and rr.status in (").append(String.join(", ", statuses.stream().map(s -> "'" + s + "'").toList())).append(')');
        }
        if (!triggers.isEmpty()) {
            params.add(triggers.toArray(String[]::new));
            sql.append(" and rr.trigger = any($").append(params.size()).append(')');
        }
        // JSON is sent as text and cast: the client would send a String bound to jsonb as a JSON string.
        if (!labels.isEmpty()) {
            params.add(new JsonArray(new ArrayList<Object>(labels)).encode());
            sql.append(" and rr.job_labels <> '[]' and rr.job_labels @> $").append(params.size()).append("::text::jsonb");
        }
        if (!tags.isEmpty()) {
            params.add(new JsonObject(new TreeMap<String, Object>(tags)).encode());
            sql.append(" and rr.tags <> '{}' and rr.tags @> $").append(params.size()).append("::text::jsonb");
        }
        if (requestedBy.size() == 1) {
            params.add(requestedBy.get(0));
            sql.append(" and rr.requested_by = $").append(params.size());
        }
        range(sql, params, "rr.queued_at", queued);
        range(sql, params, "rr.started_at", started);
        range(sql, params, "rr.finished_at", finished);
        if (after != null) {
            params.add(OffsetDateTime.ofInstant(Instant.parse(after.get(0)), ZoneOffset.UTC));
            params.add(after.get(1));
            sql.append(" and (rr.queued_at, rr.run_id) < ($").append(params.size() - 1).append(", $").append(params.size()).append(')');
        }
    }

    private static void range(StringBuilder sql, List<Object> params, String column, Range range) {
        if (range.after() != null) {
            params.add(OffsetDateTime.ofInstant(range.after(), ZoneOffset.UTC));
            sql.append(" and ").append(column).append(" >= $").append(params.size());
        }
        if (range.before() != null) {
            params.add(OffsetDateTime.ofInstant(range.before(), ZoneOffset.UTC));
            sql.append(" and ").append(column).append(" < $").append(params.size());
        }
    }

    // --- parsing --------------------------------------------------------------------------------

    private static List<String> values(String name, List<String> values) {
        if (values == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw ApiException.badRequest("INVALID_FILTER", name + " is empty",
                        "Give " + name + " a value, or leave it out.");
            }
            out.add(v.trim());
        }
        if (out.size() > MAX_VALUES) {
            throw ApiException.badRequest("INVALID_FILTER", "at most " + MAX_VALUES + " values of " + name,
                    "Narrow the search to " + MAX_VALUES + " values of " + name + " or fewer.");
        }
        return List.copyOf(out);
    }

    private static List<UUID> jobs(List<String> jobIds) {
        List<UUID> out = new ArrayList<>();
        for (String id : values("job_id", jobIds)) {
            try {
                out.add(UUID.fromString(id));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("INVALID_FILTER", "job_id '" + id + "' is not a job id",
                        "Send job ids (UUIDs) as the job listing shows them, e.g. job_id=0190f1b2-....");
            }
        }
        return List.copyOf(out);
    }

    private static List<String> statuses(List<String> statuses) {
        List<String> out = values("status", statuses).stream().map(s -> s.toUpperCase(Locale.ROOT)).distinct().toList();
        for (String s : out) {
            if (!RunFilter.STATUSES.contains(s)) {
                throw ApiException.badRequest("INVALID_STATUS", "'" + s + "' is not a run status",
                        "Use one or more of " + RunFilter.STATUSES + ", e.g. status=FAILED&status=STOPPED.");
            }
        }
        return out;
    }

    private static List<String> triggers(List<String> triggers) {
        List<String> out = values("trigger", triggers).stream().map(s -> s.toLowerCase(Locale.ROOT)).distinct().toList();
        for (String t : out) {
            if (!TRIGGERS.contains(t)) {
                throw ApiException.badRequest("INVALID_FILTER", "'" + t + "' is not a run trigger",
                        "Use one or more of " + TRIGGERS + ", e.g. trigger=schedule.");
            }
        }
        return out;
    }

    private static List<String> labels(List<String> labels) {
        List<String> out = values("label", labels);
        for (String l : out) {
            if (!LABEL.matcher(l).matches()) {
                throw ApiException.badRequest("INVALID_FILTER", "'" + l + "' is not a job label",
                        "Labels are 1 to 63 lower-case letters, digits, '_', '.', '-', starting and ending alphanumeric.");
            }
        }
        return out;
    }

    /** Tags as {@code key:value}, all of which a run must carry: key to value (one value per key). */
    private static Map<String, String> tags(List<String> tags) {
        Map<String, String> out = new TreeMap<>();
        for (String tag : values("tag", tags)) {
            int colon = tag.indexOf(':');
            String key = colon < 0 ? tag : tag.substring(0, colon);
            String value = colon < 0 ? null : tag.substring(colon + 1);
            if (value == null || !KEY.matcher(key).matches() || value.length() > RunTags.MAX_VALUE
                    || !VALUE.matcher(value).matches()) {
                throw ApiException.badRequest("INVALID_FILTER", "tag '" + tag + "' is not key:value",
                        "Send tag=key:value with the key (" + RunTags.KEY_RULE.replace("must be ", "")
                                + ") and the value given at launch, e.g. tag=team:finance.");
            }
            if (out.containsKey(key) && !out.get(key).equals(value)) {
                throw ApiException.badRequest("INVALID_FILTER", "tag " + key + " is given two values",
                        "A run has one value per tag key: send each key once, e.g. tag=team:finance.");
            }
            out.put(key, value);
        }
        return Map.copyOf(out);
    }

    private static List<String> requestedBy(List<String> requestedBy) {
        List<String> out = values("requested_by", requestedBy);
        for (String who : out) {
            if (who.length() > 255 || who.chars().anyMatch(Character::isISOControl)) {
                throw ApiException.badRequest("INVALID_FILTER", "requested_by is not a user or token subject",
                        "Send the subject a run shows as who launched it, at most 255 characters.");
            }
        }
        return out;
    }

    private static Range range(String name, String after, String before) {
        Range range = new Range(instant(name + "_after", after), instant(name + "_before", before));
        if (range.after() != null && range.before() != null && !range.after().isBefore(range.before())) {
            throw ApiException.badRequest("INVALID_RANGE", name + "_after must be before " + name + "_before",
                    "Send " + name + "_after < " + name + "_before (RFC 3339), e.g. " + name + "_after=2026-11-01T00:00:00Z.");
        }
        return range;
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_TIME", name + " '" + value + "' is not an RFC 3339 time",
                    "Send a time with its offset, e.g. " + name + "=2026-11-01T00:00:00Z.");
        }
    }
}
