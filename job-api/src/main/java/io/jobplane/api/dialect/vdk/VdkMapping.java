package io.jobplane.api.dialect.vdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.api.dialect.vdk.VdkBodies.DataJobContacts;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.error.ErrorBody;

/**
 * VDK's words for jobplane's, and the rules VDK sets on what it is sent: pure functions, no state.
 */
public final class VdkMapping {

    /** VDK's data job names: a letter first, then lower-case letters, digits and dashes, 5 to 50 in all. */
    static final Pattern JOB_NAME = Pattern.compile("[a-z][a-z0-9-]{4,49}");
    static final Set<String> MODES = Set.of("testing", "release");
    /**
     * Failure codes that are the job's own doing (its SQL, its exit code, its events, its package): VDK's
     * {@code user_error}. Every other failure (a lost worker, an unreachable connection or package, a
     * sandbox or secret the worker could not set up, an internal error) is {@code platform_error}.
     */
    static final Set<String> USER_ERRORS = Set.of("TASK_FAILED", "TASK_TIMEOUT", "RUN_TIMEOUT", "PRE_JOB_EVENT_FAILED",
            "POST_JOB_EVENT_FAILED", "STEP_PACKAGE_INVALID", "COMMAND_TOO_LARGE", "INVALID_TASK", "UNKNOWN_TEMPLATE_VALUE");
    /** VDK's execution statuses, in the order its document lists them. */
    static final List<String> STATUSES = List.of("submitted", "running", "succeeded", "cancelled", "skipped", "user_error",
            "platform_error");
    /** What a launch takes as parameters (as natively: 100 of at most 4,096 characters). */
    static final int MAX_ARGS = 100;
    static final int MAX_ARG_LENGTH = 4096;
    /** Strings VDK's clients name things with (deployment id, VDK version, contacts): bounded like native names. */
    static final int MAX_TEXT = 255;
    static final int MAX_CONTACTS = 100;
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private VdkMapping() {
    }

    /** The name, if VDK would accept it for a new data job; else 400 {@code INVALID_JOB_NAME}. */
    static String jobName(String name) {
        if (name == null || !JOB_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("INVALID_JOB_NAME", "'" + (name == null ? "" : shorten(name))
                    + "' is not a valid data job name",
                    "Use 5 to 50 characters: lower-case letters, digits and '-', starting with a letter (e.g. 'daily-load').");
        }
        return name;
    }

    /** A run's state as job-api supervises it (and its failure code) in VDK's words. */
    static String executionStatus(String runState, String errorCode) {
        return switch (runState) {
            case "QUEUED", "DISPATCHED" -> "submitted";
            case "RUNNING", "CANCELLING" -> "running";
            case "SUCCESS" -> "succeeded";
            case "STOPPED" -> "cancelled";
            case "FAILED" -> errorCode != null && USER_ERRORS.contains(errorCode) ? "user_error" : "platform_error";
            case "UNKNOWN" -> "platform_error";
            default -> throw new IllegalArgumentException("unknown run state " + runState);
        };
    }

    /** The run states a VDK status filter names (user_error and platform_error both name FAILED, told apart after). */
    static List<String> runStates(List<String> statuses) {
        List<String> states = new ArrayList<>();
        for (String given : statuses) {
            for (String status : given.split(",")) {
                String s = status.trim().toLowerCase();
                if (s.isEmpty()) {
                    continue;
                }
                switch (s) {
                    case "submitted" -> states.addAll(List.of("QUEUED", "DISPATCHED"));
                    case "running" -> states.addAll(List.of("RUNNING", "CANCELLING"));
                    case "succeeded", "finished" -> states.add("SUCCESS");
                    case "cancelled" -> states.add("STOPPED");
                    case "user_error", "failed" -> states.add("FAILED");
                    case "platform_error" -> states.addAll(List.of("FAILED", "UNKNOWN"));
                    case "skipped" -> {
                        // jobplane never skips an execution: nothing matches.
                    }
                    default -> throw ApiException.badRequest("INVALID_EXECUTION_STATUS",
                            "'" + shorten(status) + "' is not an execution status", "Use one or more of " + STATUSES + ".");
                }
            }
        }
        return states;
    }

    /** VDK's execution type of a run's trigger. */
    static String executionType(String trigger) {
        return "schedule".equals(trigger) ? "scheduled" : "manual";
    }

    /** VDK's deployment mode, release by default. */
    static String mode(String mode) {
        if (mode == null) {
            return "release";
        }
        if (!MODES.contains(mode)) {
            throw ApiException.badRequest("INVALID_ENUM_VALUE", "'" + shorten(mode) + "' is not a deployment mode",
                    "Use one of " + MODES + ".");
        }
        return mode;
    }

    /** An execution's args as the run's parameters: names the steps can read, values as text (JSON for non-strings). */
    static Map<String, String> parameters(Map<String, Object> args, ObjectMapper json) {
        if (args == null || args.isEmpty()) {
            return null;
        }
        if (args.size() > MAX_ARGS) {
            throw ApiException.badRequest("INVALID_ARGUMENT", "An execution takes at most " + MAX_ARGS + " args",
                    "Send fewer args; keep data in tables the steps read.");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, Object> arg : args.entrySet()) {
            if (!PARAMETER.matcher(arg.getKey()).matches()) {
                throw ApiException.badRequest("INVALID_ARGUMENT", "Argument '" + shorten(arg.getKey()) + "' cannot be named so",
                        "Name arguments with letters, digits and '_' (at most 64, not starting with a digit).");
            }
            Object value = arg.getValue();
            try {
                String text = value instanceof String s ? s : json.writeValueAsString(value);
                if (text.length() > MAX_ARG_LENGTH) {
                    throw ApiException.badRequest("INVALID_ARGUMENT", "Argument '" + arg.getKey() + "' is longer than "
                            + MAX_ARG_LENGTH + " characters", "Send shorter values; keep data in tables the steps read.");
                }
                parameters.put(arg.getKey(), text);
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest("INVALID_ARGUMENT", "Argument '" + arg.getKey() + "' cannot be written as JSON",
                        "Send plain JSON values.");
            }
        }
        return parameters;
    }

    /** jobplane's error as VDK's {@code messages}: the code with the message, how to fix it, the request id. */
    static VdkBodies.Error error(ErrorBody error) {
        List<String> messages = new ArrayList<>();
        messages.add(error.errorCode() + ": " + error.errorMsg());
        if (error.solutionMsg() != null) {
            messages.add("How to fix it: " + error.solutionMsg());
        }
        if (error.requestId() != null) {
            messages.add("Request id: " + error.requestId());
        }
        return new VdkBodies.Error(messages);
    }

    /** Refuses a text field longer than {@link #MAX_TEXT}. */
    static String bounded(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw ApiException.badRequest("VALIDATION_FAILED", field + " is longer than " + MAX_TEXT + " characters",
                    "Send a shorter " + field + ".");
        }
        return value;
    }

    /** Refuses contact lists longer than {@link #MAX_CONTACTS} or holding addresses longer than {@link #MAX_TEXT}. */
    static void checkContacts(DataJobContacts c) {
        if (c == null) {
            return;
        }
        for (List<String> list : java.util.Arrays.asList(c.notifiedOnJobFailureUserError(), c.notifiedOnJobFailurePlatformError(),
                c.notifiedOnJobSuccess(), c.notifiedOnJobDeploy())) {
            if (list == null) {
                continue;
            }
            if (list.size() > MAX_CONTACTS) {
                throw ApiException.badRequest("VALIDATION_FAILED", "A contact list holds more than " + MAX_CONTACTS + " addresses",
                        "Send at most " + MAX_CONTACTS + " addresses per list; use a mailing list for more people.");
            }
            list.forEach(address -> bounded("a contact address", address));
        }
    }

    /** The contacts as the GraphQL view holds them (lists, never null). */
    static VdkJobView.Contacts contacts(DataJobContacts c) {
        if (c == null) {
            return VdkJobView.Contacts.NONE;
        }
        return new VdkJobView.Contacts(list(c.notifiedOnJobFailureUserError()), list(c.notifiedOnJobFailurePlatformError()),
                list(c.notifiedOnJobSuccess()), list(c.notifiedOnJobDeploy()));
    }

    private static List<String> list(List<String> l) {
        return l == null ? List.of() : l;
    }

    static String shorten(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }
}
