package io.jobplane.api.notify;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook as the API shows it: never its secret. */
public record WebhookView(
        String webhookId,
        @Schema(description = "The job it belongs to; absent: every job of the workspace") String jobId,
        String url,
        @Schema(description = "Run statuses that trigger it; empty: every run end") List<String> events,
        @Schema(description = "Always true: the secret is set, and never shown") boolean secretSet,
        Instant createdAt,
        String createdBy) {

    static WebhookView of(WebhookEntity w) {
        return new WebhookView(w.id.toString(), w.jobId == null ? null : w.jobId.toString(), w.url,
                w.events == null ? List.of() : List.of(w.events), true, w.createdAt, w.createdBy);
    }
}
