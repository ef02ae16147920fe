package io.jobplane.events;

/**
 * The W3C trace context a CloudEvent carries in the CloudEvents Distributed Tracing extension's
 * attributes {@code traceparent} and {@code tracestate}. Only a well-formed {@code traceparent} makes
 * one: anything else reads as no trace context at all, never as a failure, so an event is never refused
 * for its trace attributes. A {@code tracestate} that is not well-formed is dropped on its own.
 */
public record TraceContext(String traceparent, String tracestate) {

    /** The W3C limits: a tracestate of at most 32 list members and 512 characters. */
    private static final int MAX_TRACESTATE_CHARS = 512;
    private static final int MAX_TRACESTATE_MEMBERS = 32;

    public TraceContext {
        if (!validTraceparent(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent");
        }
        if (!validTracestate(tracestate)) {
            tracestate = null;
        }
    }

    /** The trace context of these attributes, or null when {@code traceparent} is absent or malformed. */
    public static TraceContext of(String traceparent, String tracestate) {
        return validTraceparent(traceparent) ? new TraceContext(traceparent, tracestate) : null;
    }

    /** The trace id, 32 lower-case hex digits. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /** The id of the span the event was sent from, 16 lower-case hex digits. */
    public String spanId() {
        return traceparent.substring(36, 52);
    }

    /** Whether the sender recorded its span (the {@code sampled} flag). */
    public boolean sampled() {
        return (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
    }

    /**
     * Version {@code 00}: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}, lower case, ids
     * not all zeros. Later versions are read by their version-00 prefix, as the W3C recommendation says.
     */
    static boolean validTraceparent(String value) {
        if (value == null || value.length() < 55) {
            return false;
        }
        String version = value.substring(0, 2);
        if (!hex(value, 0, 2) || "ff".equals(version) || ("00".equals(version) && value.length() != 55)
                || (value.length() > 55 && value.charAt(55) != '-')) {
            return false;
        }
        return value.charAt(2) == '-' && value.charAt(35) == '-' && value.charAt(52) == '-'
                && hex(value, 3, 35) && !zeros(value, 3, 35) && hex(value, 36, 52) && !zeros(value, 36, 52)
                && hex(value, 53, 55);
    }

    /** Printable ASCII, comma-separated {@code key=value} members, within the W3C limits. */
    static boolean validTracestate(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_TRACESTATE_CHARS) {
            return false;
        }
        int members = 0;
        for (String member : value.split(",", -1)) {
            String m = member.strip();
            if (m.isEmpty()) {
                continue;
            }
            int eq = m.indexOf('=');
            if (eq <= 0 || eq == m.length() - 1 || ++members > MAX_TRACESTATE_MEMBERS) {
                return false;
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return members > 0;
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
