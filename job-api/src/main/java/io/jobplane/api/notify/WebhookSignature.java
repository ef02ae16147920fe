package io.jobplane.api.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook POST is signed: {@code X-Jobplane-Signature: sha256=<hex HMAC-SHA256>} of
 * {@code <X-Jobplane-Timestamp>.<body>} under the webhook's secret. The timestamp (Unix seconds of
 * this try) is in the signed content, so a receiver that refuses old timestamps refuses replays.
 */
final class WebhookSignature {

    static final String SIGNATURE_HEADER = "X-Jobplane-Signature";
    static final String TIMESTAMP_HEADER = "X-Jobplane-Timestamp";

    private WebhookSignature() {
    }

    static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
