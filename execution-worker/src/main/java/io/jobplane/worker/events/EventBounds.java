package io.jobplane.worker.events;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Fits an end event under the size limit of its topic, pure: when the event's JSON is too large, its
 * error text (the only part a tenant's work makes arbitrarily long: a database's or a step's own message)
 * is cut at a character boundary and ends with a marker saying how much was kept.
 */
public final class EventBounds {

    /** Room left for the marker and JSON escaping when a text is cut. */
    static final int SLACK = 256;

    private EventBounds() {
    }

    public static long bytes(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The event's JSON, made by {@code encode} from {@code error} (which may be null), with the error
     * cut until the JSON is at most {@code limit} bytes; as it is when it fits already.
     */
    public static String fit(Function<String, String> encode, String error, long limit) {
        String json = encode.apply(error);
        long size = bytes(json);
        if (size <= limit || error == null) {
            return json;
        }
        long keep = bytes(error) - (size - limit) - SLACK;
        while (true) {
            String cut = cut(error, Math.max(0, keep));
            json = encode.apply(cut);
            if (bytes(json) <= limit || keep <= 0) {
                return json;
            }
            keep /= 2; // escaping made the text longer in JSON than in UTF-8
        }
    }

    /** The first at most {@code keepBytes} bytes of {@code text} (whole characters), and the marker. */
    public static String cut(String text, long keepBytes) {
        long total = bytes(text);
        if (total <= keepBytes) {
            return text;
        }
        int end = 0;
        long kept = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (kept + size > keepBytes) {
                break;
            }
            kept += size;
            end += Character.charCount(cp);
        }
        return text.substring(0, end) + marker(kept, total);
    }

    static String marker(long kept, long total) {
        return " … [truncated: " + kept + " of " + total + " bytes kept to fit the event size limit]";
    }
}
