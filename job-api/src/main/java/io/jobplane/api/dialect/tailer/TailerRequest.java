package io.jobplane.api.dialect.tailer;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;


import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.jobplane.api.dialect.DialectBodies;
import io.jobplane.api.error.ApiException;

/**
 * One request of Tailer's DAG API, read from its body: the action, the configuration's identity and
 * the action's own fields. Strict like the native API: a field the action does not take, a missing
 * one or one of the wrong type is refused before anything is looked up, so a bad request changes
 * nothing.
 */
public record TailerRequest(
        String action,
        String account,
        String environment,
        String configurationType,
        String configurationId,
        String jobId,
        String runId,
        String executionDate,
        String status,
        Integer limit,
        Boolean activated,
        Boolean archived) {

    /** Bodies are small JSON objects; anything larger is refused unread. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 10;

    static final String LAUNCH_JOB = "launch_job";
    static final String CHECK_RUN_STATUS = "check_run_status";
    static final String GET_LAST_STATUS = "get_last_status";
    static final String RESET_WORKFLOW_STATUS = "reset_workflow_status";
    static final String SET_CONFIGURATION_STATUS = "set_configuration_status";

    private static final List<String> IDENTITY = List.of("account", "environment", "configuration_type", "configuration_id");
    /** Each action's fields beyond the identity: required ones, then optional ones. */
    private static final Map<String, List<List<String>>> FIELDS = Map.of(
            LAUNCH_JOB, List.of(List.of(), List.of("execution_date")),
            CHECK_RUN_STATUS, List.of(List.of("run_id"), List.of("job_id")),
            GET_LAST_STATUS, List.of(List.of(), List.of("job_id", "execution_date", "status", "limit")),
            RESET_WORKFLOW_STATUS, List.of(List.of(), List.of()),
            SET_CONFIGURATION_STATUS, List.of(List.of("activated", "archived"), List.of()));

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Reads the body of a request to an endpoint that serves {@code actions}. */
    public static TailerRequest parse(String body, Set<String> actions) {
        JsonNode root = DialectBodies.object(JSON, body, MAX_BODY_BYTES, true,
                "the action, the configuration's identity and the action's fields", "docs/dialects/tailer.md");
        String action = text(root, "action", true);
        if (!actions.contains(action)) {
            throw ApiException.badRequest("UNKNOWN_ACTION", "This endpoint has no action '" + action + "'",
                    "Use " + String.join(" or ", new TreeSet<>(actions)) + " here (see docs/dialects/tailer.md).");
        }
        List<List<String>> own = FIELDS.get(action);
        Set<String> known = new TreeSet<>(IDENTITY);
        known.add("action");
        known.addAll(own.get(0));
        known.addAll(own.get(1));
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest("UNKNOWN_FIELD", "Unknown field '" + name + "' for action " + action,
                        "Remove the field or check its spelling. Known fields: " + known);
            }
        }
        for (String name : own.get(0)) {
            if (!root.hasNonNull(name)) {
                throw missing(name);
            }
        }
        Integer limit = null;
        if (root.hasNonNull("limit")) {
            JsonNode l = root.get("limit");
            if (!l.isIntegralNumber() || !l.canConvertToInt() || l.intValue() < 1 || l.intValue() > MAX_LIMIT) {
                throw ApiException.badRequest("INVALID_LIMIT", "limit must be a whole number from 1 to " + MAX_LIMIT,
                        "Send e.g. \"limit\": 2, or leave it out for the last " + DEFAULT_LIMIT + " runs.");
            }
            limit = l.intValue();
        }
        String status = text(root, "status", false);
        if (status != null) {
            TailerMapping.nativeStatuses(status);
        }
        String executionDate = text(root, "execution_date", false);
        if (executionDate != null) {
            TailerMapping.executionDate(executionDate);
        }
        return new TailerRequest(action, text(root, "account", true), text(root, "environment", true),
                text(root, "configuration_type", true), text(root, "configuration_id", true), text(root, "job_id", false),
                text(root, "run_id", false), executionDate, status, limit, bool(root, "activated"), bool(root, "archived"));
    }

    /** The limit asked for, else the default. */
    public int limitOrDefault() {
        return limit == null ? DEFAULT_LIMIT : limit;
    }

    private static String text(JsonNode root, String name, boolean required) {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw missing(name);
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("INVALID_FIELD_TYPE", "Field '" + name + "' must be a string",
                    "Send " + name + " as a JSON string, e.g. \"" + name + "\": \"…\".");
        }
        String text = value.textValue();
        if (text.isBlank() || text.length() > 512) {
            throw ApiException.badRequest("VALIDATION_FAILED", "Field '" + name + "' must be 1 to 512 characters",
                    "Send a non-empty " + name + ".");
        }
        return text;
    }

    private static Boolean bool(JsonNode root, String name) {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("INVALID_FIELD_TYPE", "Field '" + name + "' must be true or false",
                    "Send " + name + " as a JSON boolean, e.g. \"" + name + "\": false.");
        }
        return value.booleanValue();
    }

    private static ApiException missing(String name) {
        return ApiException.badRequest("MISSING_FIELD", "Field '" + name + "' is required",
                "Send the action, the configuration's identity (account, environment, configuration_type, "
                        + "configuration_id) and the action's fields (see docs/dialects/tailer.md).");
    }
}
