package io.jobplane.events.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The short-lived token a worker shows job-api to fetch a run's step package by its hash
 * ({@code GET /internal/v1/step-packages/{sha256}}). Both services hold the secrets keyring; the
 * worker makes a token from it and job-api checks it, so no other credential is shared.
 *
 * <p>A token is {@code v1.<key id, base64url>.<run id>.<expiry, epoch seconds>.<MAC, base64url>}.
 * The MAC is HMAC-SHA256 over the version, the key id, the package's sha256, the run id and the
 * expiry, under a key derived from the keyring's key of that id with a fixed label
 * ({@link SecretKeyring#derive}): the key that seals secrets is never used as it is. It names one
 * package and one run: job-api gives the bytes only when the MAC matches (compared in constant
 * time), the token has not expired and lives at most {@link #MAX_LIFETIME}, and the run is active
 * and pinned to a package of that hash. A token taken from a worker thus opens one package, which
 * its run already may read, for minutes.
 */
public final class StepPackageTokens {

    /** The request header a worker sends its token in. */
    public static final String HEADER = "X-Jobplane-Package-Token";
    /** job-api's internal endpoint, followed by the package's sha256. */
    public static final String PATH = "/internal/v1/step-packages/";
    /** The longest a token may live; job-api refuses one whose expiry is further away. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** What a worker gives its tokens: a fetch and its retries fit, with room for clock skew. */
    public static final Duration LIFETIME = Duration.ofMinutes(2);
    /** The label the MAC key is derived with. */
    static final String LABEL = "jobplane step package token v1";
    private static final String VERSION = "v1";
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,12}");
    private static final int MAX_TOKEN_CHARS = 512;

    private final SecretKeyring keyring;
    private final Map<String, byte[]> macKeys = new ConcurrentHashMap<>();

    public StepPackageTokens(SecretKeyring keyring) {
        this.keyring = keyring;
    }

    /** Why a token is refused. */
    public enum Reason {
        MALFORMED("the token is not a step package token"),
        UNKNOWN_KEY("the token was made with a key this keyring does not hold"),
        BAD_SIGNATURE("the token's signature does not match (another package or run, or not made with the platform's keyring)"),
        EXPIRED("the token has expired"),
        TOO_LONG_LIVED("the token's expiry is further away than " + MAX_LIFETIME.toMinutes() + " minutes");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** A token that does not pass, and why. */
    public static final class Refused extends Exception {
        private final Reason reason;

        Refused(Reason reason) {
            super(reason.text(), null, false, false);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** A token for the package {@code sha256} of run {@code runId}, with the keyring's active key, valid until {@code expires}. */
    public String mint(String sha256, String runId, Instant expires) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha256 in lower-case hex: " + sha256);
        }
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        String keyId = keyring.activeKeyId();
        long expiry = expires.getEpochSecond();
        return VERSION + "." + b64(keyId.getBytes(StandardCharsets.UTF_8)) + "." + runId + "." + expiry + "."
                + b64(mac(keyId, sha256, runId, expiry));
    }

    /**
     * Checks {@code token} for the package {@code sha256} at {@code now}; returns the run id it was
     * made for, which the caller must still find active and pinned to that package.
     */
    public String verify(String token, String sha256, Instant now) throws Refused {
        if (token == null || token.length() > MAX_TOKEN_CHARS || sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new Refused(Reason.MALFORMED);
        }
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 5 || !VERSION.equals(parts[0]) || !RUN_ID.matcher(parts[2]).matches()
                || !DIGITS.matcher(parts[3]).matches()) {
            throw new Refused(Reason.MALFORMED);
        }
        String keyId;
        byte[] given;
        try {
            keyId = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            given = Base64.getUrlDecoder().decode(parts[4]);
        } catch (IllegalArgumentException e) {
            throw new Refused(Reason.MALFORMED);
        }
        if (!keyring.hasKey(keyId)) {
            throw new Refused(Reason.UNKNOWN_KEY);
        }
        String runId = parts[2];
        long expiry = Long.parseLong(parts[3]);
        if (!MessageDigest.isEqual(mac(keyId, sha256, runId, expiry), given)) {
            throw new Refused(Reason.BAD_SIGNATURE);
        }
        if (expiry <= now.getEpochSecond()) {
            throw new Refused(Reason.EXPIRED);
        }
        if (expiry > now.plus(MAX_LIFETIME).getEpochSecond()) {
            throw new Refused(Reason.TOO_LONG_LIVED);
        }
        return runId;
    }

    private byte[] mac(String keyId, String sha256, String runId, long expiry) {
        byte[] key = macKeys.computeIfAbsent(keyId, id -> keyring.derive(id, LABEL));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            // NUL never occurs in any part: the parts cannot be shifted into one another.
            String signed = String.join("\0", VERSION, keyId, sha256, runId, Long.toString(expiry));
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
