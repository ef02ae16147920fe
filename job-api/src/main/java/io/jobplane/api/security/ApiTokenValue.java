package io.jobplane.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The text of API tokens: {@code jpt_} followed by 256 random bits in unpadded base64url (47
 * characters in all). The prefix makes a leaked token recognisable (secret scanners, logs) and tells
 * it apart from a JWT without a lookup. Only {@link #hash(String) its SHA-256} is ever stored: the
 * value has 256 bits of entropy, so a fast unsalted hash is as strong as the value itself, and the
 * lookup by hash compares no secret byte by byte.
 */
public final class ApiTokenValue {

    public static final String PREFIX = "jpt_";
    private static final int RANDOM_BYTES = 32;
    private static final Pattern SHAPE = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private ApiTokenValue() {
    }

    /** A new token value, from the platform's cryptographically strong random source. */
    public static String generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + ENCODER.encodeToString(bytes);
    }

    /** Whether a presented credential is meant as an API token (rather than a JWT). */
    public static boolean claims(String credential) {
        return credential != null && credential.startsWith(PREFIX);
    }

    /** Whether {@code credential} has the exact shape of a token {@link #generate()} makes. */
    public static boolean wellFormed(String credential) {
        return credential != null && SHAPE.matcher(credential).matches()
                && Base64.getUrlDecoder().decode(credential.substring(PREFIX.length())).length == RANDOM_BYTES;
    }

    /** SHA-256 of the token's text (UTF-8): what is stored and looked up. */
    public static byte[] hash(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
