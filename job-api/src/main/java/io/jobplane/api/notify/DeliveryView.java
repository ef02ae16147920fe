package io.jobplane.api.notify;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One notification of a run's end (a mail or a webhook POST) and every try to deliver it. */
public record DeliveryView(
        @Schema(description = "Also sent as X-Jobplane-Delivery; the same on every try") long deliveryId,
        String runId,
        int runAttempt,
        String jobId,
        @Schema(description = "EMAIL or WEBHOOK") String channel,
        String webhookId,
        @Schema(description = "Mail recipients (EMAIL only)") List<String> recipients,
        @Schema(description = "PENDING (tried again at next_attempt_at), DELIVERED or FAILED") String status,
        Instant nextAttemptAt,
        Instant createdAt,
        List<Attempt> attempts) {

    /** One try. */
    public record Attempt(
            int attempt,
            Instant at,
            @Schema(description = "The receiver's HTTP status; absent for mails and when no answer came") Integer responseCode,
            @Schema(description = "Why the try failed; absent when it delivered") String error,
            @Schema(description = "DELIVERED, RETRY or FAILED") String outcome,
            Instant nextAttemptAt) {
    }
}
