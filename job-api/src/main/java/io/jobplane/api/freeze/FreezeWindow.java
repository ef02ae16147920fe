package io.jobplane.api.freeze;

import java.time.Duration;
import java.time.Instant;

import io.jobplane.api.error.ApiException;

/**
 * A freeze of a workspace from {@code from} until {@code until}: no new run is admitted meanwhile.
 * {@link Mode#WAIT} keeps launches QUEUED until the end, {@link Mode#REFUSE} refuses them
 * ({@code 409 WORKSPACE_FROZEN}). Runs already running finish.
 */
public record FreezeWindow(Instant from, Instant until, Mode mode, String reason) {

    /** The longest freeze. */
    public static final Duration MAX_LENGTH = Duration.ofDays(30);
    public static final int MAX_REASON = 500;

    public enum Mode {
        WAIT, REFUSE
    }

    /** Whether the workspace is frozen at {@code at}: from {@code from} (included) until {@code until} (excluded). */
    public boolean activeAt(Instant at) {
        return !at.isBefore(from) && at.isBefore(until);
    }

    /** Whether a launch at {@code at} is refused. */
    public boolean refuses(Instant at) {
        return mode == Mode.REFUSE && activeAt(at);
    }

    /** Whether a launch at {@code at} is accepted but held QUEUED. */
    public boolean holds(Instant at) {
        return activeAt(at);
    }

    /** The refusal of a launch during a REFUSE freeze. */
    public ApiException refusal(String workspace) {
        return ApiException.conflict("WORKSPACE_FROZEN",
                "Workspace '" + workspace + "' is frozen until " + until + ": " + reason,
                "Launch again after " + until + ", or ask an admin of the workspace to end the freeze"
                        + " (DELETE /api/v1/workspaces/" + workspace + "/freeze).");
    }

    /**
     * A window as a request gives it, checked against {@code now}: all fields present, {@code until}
     * after {@code from} and in the future, at most {@link #MAX_LENGTH} long, a reason of at most
     * {@link #MAX_REASON} characters. {@code from} absent: now.
     */
    public static FreezeWindow of(FreezeRequest request, Instant now) {
        if (request.until() == null || request.mode() == null || request.reason() == null || request.reason().isBlank()) {
            throw ApiException.badRequest("VALIDATION_FAILED", "A freeze needs until, mode and reason",
                    "Send {\"from\": \"2026-12-24T00:00:00Z\", \"until\": \"2026-12-27T00:00:00Z\", \"mode\": \"WAIT\","
                            + " \"reason\": \"…\"}; from defaults to now, mode is WAIT or REFUSE.");
        }
        Instant from = request.from() == null ? now : request.from();
        if (!request.until().isAfter(from) || !request.until().isAfter(now)) {
            throw ApiException.badRequest("INVALID_FREEZE_WINDOW",
                    "until (" + request.until() + ") must be after from (" + from + ") and in the future",
                    "Give an until later than both from and now.");
        }
        if (Duration.between(from, request.until()).compareTo(MAX_LENGTH) > 0) {
            throw ApiException.badRequest("INVALID_FREEZE_WINDOW", "A freeze may last at most 30 days",
                    "Give an until at most 30 days after from; freeze again when it ends if need be.");
        }
        if (request.reason().length() > MAX_REASON) {
            throw ApiException.badRequest("VALIDATION_FAILED", "reason is longer than " + MAX_REASON + " characters",
                    "Shorten the reason.");
        }
        return new FreezeWindow(from, request.until(), request.mode(), request.reason().strip());
    }
}
