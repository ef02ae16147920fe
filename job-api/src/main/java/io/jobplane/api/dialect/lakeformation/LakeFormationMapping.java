package io.jobplane.api.dialect.lakeformation;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.Response.Status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.jobplane.api.dialect.DialectBodies;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.error.ErrorBody;
import io.jobplane.api.job.JobRequest;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.JobUpdate;
import io.jobplane.api.job.JobView;
import io.jobplane.api.job.lakeformation.JobParameter;
import io.jobplane.api.job.lakeformation.LakeFormationRules;
import io.jobplane.api.job.lakeformation.MetadataDiscoveryParameter;
import io.jobplane.api.job.lakeformation.MetadataMigrationParameter;
import io.jobplane.api.job.lakeformation.PermissionMigrationParameter;

/**
 * LakeFormation's words for jobplane's: the tenant (project + instance → workspace), lf-job bodies
 * (read into the native job model, answered as table 12), status words and the error shape. Pure;
 * the one place the LakeFormation adapter translates (docs/dialects/lakeformation.md has the table).
 * Rules are the native ones: the job model's annotations and {@link LakeFormationRules}.
 */
public final class LakeFormationMapping {

    /** Bodies are small JSON objects; anything larger is refused unread. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 1000;

    /** LakeFormation's job statuses, each with the native run statuses it stands for (CREATED: no run yet). */
    public static final Map<String, List<String>> STATUSES;
    static {
        Map<String, List<String>> s = new LinkedHashMap<>();
        s.put("CREATED", List.of());
        s.put("SUBMITTED", List.of("QUEUED"));
        s.put("RUNNING", List.of("RUNNING", "CANCELLING"));
        s.put("SUCCESS", List.of("SUCCESS"));
        s.put("FAILED", List.of("FAILED"));
        s.put("STOPPED", List.of("STOPPED"));
        STATUSES = java.util.Collections.unmodifiableMap(s);
    }

    /** The lf-job types, in LakeFormation's words (the native type names are the same). */
    public static final List<String> TYPES = List.of("METADATA_MIGRATION", "PERMISSION_MIGRATION", "METADATA_DISCOVERY");

    /** A project or instance id: letters, digits, '_' and '-' (Huawei's are 32 hex characters and a UUID). */
    private static final Pattern TENANT_PART = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> FIELDS = Set.of("name", "description", "type", "parameter");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private LakeFormationMapping() {
    }

    // --- tenant -------------------------------------------------------------------------------

    /**
     * The workspace of a LakeFormation project and instance: {@code <project_id>.<instance_id>}. Neither
     * part may hold a '.', so the name is one workspace name and no two pairs share it; a pair that
     * cannot name a workspace answers 404, like a workspace the token does not hold.
     */
    public static String workspace(String projectId, String instanceId) {
        if (projectId == null || instanceId == null || !TENANT_PART.matcher(projectId).matches()
                || !TENANT_PART.matcher(instanceId).matches()) {
            throw new ApiException(Status.NOT_FOUND, "WORKSPACE_NOT_FOUND",
                    "No LakeFormation instance '" + instanceId + "' in project '" + projectId + "'",
                    "Check project_id and instance_id; your token must name the workspace <project_id>.<instance_id>.");
        }
        return projectId + "." + instanceId;
    }

    /** The job id of a path; anything that is not a UUID names no job. */
    public static UUID jobId(String jobId) {
        try {
            return UUID.fromString(jobId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw jobNotFound(jobId);
        }
    }

    public static ApiException jobNotFound(Object jobId) {
        return new ApiException(Status.NOT_FOUND, "JOB_NOT_FOUND", "No lf-job '" + jobId + "' in this instance",
                "Check the job id; GET .../lf-jobs lists the instance's jobs.");
    }

    // --- statuses -----------------------------------------------------------------------------

    /** The LakeFormation status of a job whose latest run has {@code nativeStatus} (null: never launched). */
    public static String status(String nativeStatus) {
        if (nativeStatus == null) {
            return "CREATED";
        }
        for (Map.Entry<String, List<String>> e : STATUSES.entrySet()) {
            if (e.getValue().contains(nativeStatus)) {
                return e.getKey();
            }
        }
        return "FAILED";
    }

    /** A status filter of the list, checked: one of LakeFormation's words. */
    public static String statusFilter(String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        if (!STATUSES.containsKey(status)) {
            throw ApiException.badRequest("INVALID_ENUM_VALUE", "status '" + status + "' is not a LakeFormation job status",
                    "Use one of " + STATUSES.keySet() + ".");
        }
        return status;
    }

    /** A type filter or field, checked: one of the lf-job types. */
    public static JobType type(String type, String field) {
        if (!TYPES.contains(type)) {
            throw ApiException.badRequest("INVALID_ENUM_VALUE", field + " '" + type + "' is not an lf-job type",
                    "Use one of " + TYPES + ".");
        }
        return JobType.valueOf(type);
    }

    /** offset (0 or more) and limit (1 to 1000, default 10) of a list, from their query text. */
    public static int[] page(String offset, String limit) {
        int o = number("offset", offset, 0, Integer.MAX_VALUE, 0);
        int l = number("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
        return new int[] { o, l };
    }

    private static int number(String field, String text, int min, int max, int otherwise) {
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("VALIDATION_FAILED", field + " must be a whole number from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ", not '" + text + "'",
                "Send e.g. " + field + "=" + otherwise + ", or leave it out.");
    }

    /** name_pattern: a case-insensitive part of the name, where '*' stands for any characters and '?' for one. */
    public static boolean nameMatches(String pattern, String name) {
        if (pattern == null || pattern.isEmpty()) {
            return true;
        }
        StringBuilder regex = new StringBuilder(".*");
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        regex.append(".*");
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matcher(name).matches();
    }

    // --- answers ------------------------------------------------------------------------------

    /** A native job as an lf-job (table 12); the parameter never carries the data source's secrets. */
    public static LakeFormationJob job(JobView job, String lastRunStatus, Instant lastRunStart) {
        return new LakeFormationJob(job.jobId().toString(), job.name(), job.description(), job.type().name(),
                LakeFormationRules.withoutSecrets(job.parameter()), time(job.createdAt()), time(lastRunStart),
                status(lastRunStatus));
    }

    /** One page of lf-jobs, newest first, after the status filter. */
    public static LakeFormationJob.Page page(List<LakeFormationJob> jobs, String status, int offset, int limit) {
        List<LakeFormationJob> matching = jobs.stream()
                .filter(j -> status == null || status.equals(j.status()))
                .sorted(Comparator.comparing(LakeFormationJob::createTime, Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(LakeFormationJob::id, Comparator.reverseOrder()))
                .toList();
        List<LakeFormationJob> shown = offset >= matching.size() ? List.of()
                : matching.subList(offset, Math.min(matching.size(), offset + limit));
        return new LakeFormationJob.Page(shown, matching.size());
    }

    /** A time as ISO 8601 in UTC, to the microsecond the database keeps (a job just created reads back the same). */
    static String time(Instant at) {
        return at == null ? null : TIME.format(at.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    // --- errors -------------------------------------------------------------------------------

    /** LakeFormation's error_code for an HTTP status, as the reference prints them. */
    public static String errorCode(int status) {
        return switch (status) {
            case 400, 404 -> "common.01000001";
            case 401 -> "APIG.1002";
            case 403 -> "403";
            default -> String.format(Locale.ROOT, "common.%08d", status);
        };
    }

    /** A native error in LakeFormation's shape; jobplane's own code stays readable as common_error_code. */
    public static LakeFormationError error(int status, ErrorBody error) {
        String code = errorCode(status);
        if (status == 403) {
            return new LakeFormationError(new LakeFormationError.Forbidden("403", error.errorMsg(), null, null, "Forbidden"),
                    code, error.errorMsg(), error.errorCode(), error.solutionMsg(), error.requestId(), "Forbidden");
        }
        return new LakeFormationError(null, code, error.errorMsg(), error.errorCode(), error.solutionMsg(), error.requestId(),
                null);
    }

    // --- requests -----------------------------------------------------------------------------

    /** An lf-job body: the fields sent (null when left out), the parameter reduced to the member of the type. */
    public record Body(String name, String description, JobType type, JobParameter parameter, Set<String> sent) {
    }

    /**
     * Reads a create body ({@code create}: name, type and parameter required) or an update body (the
     * job's {@code type} given, sent again or left out). The parameter object holds the member of the
     * job's type; members of the other types are ignored (the reference's example sends all three and
     * says the system determines the parameter by the type). Shapes and enum values are checked here,
     * the job model's rules by {@link #request} and {@link #update}.
     */
    public static Body body(String text, JobType typeOfJob) {
        JsonNode root = root(text);
        Set<String> sent = new java.util.TreeSet<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("UNKNOWN_FIELD", "Unknown field '" + name + "'",
                        "Remove the field or check its spelling. Known fields: " + new java.util.TreeSet<>(FIELDS));
            }
            if (!root.get(name).isNull()) {
                sent.add(name);
            }
        }
        boolean create = typeOfJob == null;
        if (create) {
            for (String required : List.of("name", "type", "parameter")) {
                if (!sent.contains(required)) {
                    throw ApiException.badRequest("MISSING_FIELD", "Field '" + required + "' is required",
                            "Send name, type and parameter (description is optional).");
                }
            }
        }
        String name = text(root, "name");
        String description = text(root, "description");
        String typeText = text(root, "type");
        JobType type = typeText == null ? typeOfJob : type(typeText, "type");
        if (!create && typeText != null && type != typeOfJob) {
            throw ApiException.badRequest("TYPE_CANNOT_CHANGE", "The job is a " + typeOfJob + " job; its type cannot change",
                    "Send \"type\": \"" + typeOfJob + "\" or leave type out; create a new job for another type.");
        }
        JobParameter parameter = null;
        if (sent.contains("parameter")) {
            JsonNode p = root.get("parameter");
            if (!p.isObject()) {
                throw fieldType("parameter", "an object");
            }
            parameter = member(p, type);
        }
        return new Body(name, description, type, parameter, sent);
    }

    /** A create body as a native job request, checked against the job model's rules (nothing stored yet). */
    public static JobRequest request(Body body, Validator validator) {
        JobRequest request = new JobRequest(body.name(), body.type(), body.description(), null, null, null, null, null, null,
                null, null, null, null, body.parameter(), null, null, null, null);
        validate(validator, request);
        LakeFormationRules.checkName(request.name());
        LakeFormationRules.check(request.type(), request.parameter());
        return request;
    }

    /** An update body as a native job change, checked against the job model's rules. */
    public static JobUpdate update(Body body, Validator validator) {
        JobUpdate change = new JobUpdate(body.name(), body.description(), null, null, null, null, null, null, null, null, null,
                null, body.parameter(), null, null);
        validate(validator, change);
        if (body.name() != null) {
            LakeFormationRules.checkName(body.name());
        }
        if (body.parameter() != null) {
            LakeFormationRules.check(body.type(), body.parameter());
        }
        return change;
    }

    private static JobParameter member(JsonNode parameter, JobType type) {
        String member = switch (type) {
            case METADATA_MIGRATION -> "metadata_migration_parameter";
            case PERMISSION_MIGRATION -> "permission_migration_parameter";
            case METADATA_DISCOVERY -> "metadata_discovery_parameter";
            default -> throw new IllegalArgumentException(type.name());
        };
        JsonNode node = parameter.get(member);
        if (node == null || node.isNull()) {
            return new JobParameter(null, null, null);
        }
        if (!node.isObject()) {
            throw fieldType("parameter." + member, "an object");
        }
        String at = "parameter." + member;
        return switch (type) {
            case METADATA_MIGRATION -> new JobParameter(read(node, MetadataMigrationParameter.class, at), null, null);
            case PERMISSION_MIGRATION -> new JobParameter(null, read(node, PermissionMigrationParameter.class, at), null);
            default -> new JobParameter(null, null, read(node, MetadataDiscoveryParameter.class, at));
        };
    }

    private static <T> T read(JsonNode node, Class<T> type, String at) {
        try {
            return JSON.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("UNKNOWN_FIELD", "Unknown field '" + path(at, e) + "'",
                    "Remove the field or check its spelling. Known fields: " + e.getKnownPropertyIds());
        } catch (InvalidFormatException e) {
            if (e.getTargetType() != null && e.getTargetType().isEnum()) {
                throw ApiException.badRequest("INVALID_ENUM_VALUE",
                        "Field '" + path(at, e) + "' has the unknown value '" + e.getValue() + "'",
                        "Use one of " + Arrays.toString(e.getTargetType().getEnumConstants()) + ".");
            }
            throw fieldType(path(at, e), describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw fieldType(path(at, e), "of the documented type");
        } catch (JsonProcessingException e) {
            throw malformed();
        }
    }

    private static JsonNode root(String text) {
        return DialectBodies.object(JSON, text, MAX_BODY_BYTES, true, "the job's fields", "docs/dialects/lakeformation.md");
    }

    private static String text(JsonNode root, String name) {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw fieldType(name, "a string");
        }
        return value.textValue();
    }

    /** The job model's annotations, answered as one VALIDATION_FAILED naming every field by its path. */
    static void validate(Validator validator, Object value) {
        Set<? extends ConstraintViolation<?>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            String detail = violations.stream()
                    .map(v -> snake(v.getPropertyPath().toString()) + " " + v.getMessage())
                    .sorted().collect(Collectors.joining("; "));
            throw ApiException.badRequest("VALIDATION_FAILED", "The request is invalid: " + detail,
                    "Correct the named fields and send the request again (docs/dialects/lakeformation.md lists the rules).");
        }
    }

    private static String path(String at, JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            parts.add(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
        }
        return at + String.join("", parts);
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of the documented type";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return type == String.class ? "a string" : "of the documented type";
    }

    private static ApiException fieldType(String field, String type) {
        return ApiException.badRequest("INVALID_FIELD_TYPE", "Field '" + field + "' must be " + type + " (type mismatch)",
                "Send the fields with the types of the LakeFormation reference.");
    }

    private static ApiException malformed() {
        return ApiException.badRequest("MALFORMED_JSON", "The body is not valid JSON",
                "Send a well-formed JSON object with Content-Type: application/json.");
    }

    private static String snake(String path) {
        return path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT).replaceAll("\\.<[^>]*>", "");
    }
}
