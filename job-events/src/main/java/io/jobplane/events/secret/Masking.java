package io.jobplane.events.secret;

import java.util.Collection;

/** Keeps secret values out of text that is shown or logged. */
public final class Masking {

    private Masking() {
    }

    /**
     * Replaces every secret value found in {@code text} by {@code ***}. Values shorter than three
     * characters are left alone: masking every "a" would make output unreadable without hiding anything.
     */
    public static String mask(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 3) {
                masked = masked.replace(secret, "***");
            }
        }
        return masked;
    }
}
