package io.jobplane.api.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Run-end mails and webhooks: {@code jobplane.notifications.*}. */
@ConfigMapping(prefix = "jobplane.notifications")
public interface NotificationsConfig {

    /** Whether mails are sent (through {@code quarkus.mailer.*}); when off, a job's mail is recorded FAILED saying so. */
    @WithDefault("false")
    boolean mailEnabled();

    /** How often due deliveries are looked for. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Wait before the second try of a delivery; it doubles after each failed try. */
    @WithDefault("10s")
    Duration retryInitial();

    /** The longest wait between two tries. */
    @WithDefault("10m")
    Duration retryMax();

    /** Tries of one delivery before it is given up (FAILED). */
    @WithDefault("8")
    int maxAttempts();

    /** How long a webhook receiver may take to answer; longer counts as a failed try. */
    @WithDefault("10s")
    Duration webhookTimeout();
}
