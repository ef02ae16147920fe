package io.jobplane.api.stream;

import java.util.Arrays;

import io.jobplane.api.error.ApiException;

/**
 * Where a stream stands in {@code jobplane.run-events}: for every partition, the offset of the next
 * record it has not yet looked at. It is each event's SSE {@code id}, written
 * {@code <partition>:<offset>} per partition, comma-separated ({@code 0:42,1:17,2:0}), so a client that
 * reconnects with {@code Last-Event-ID} resumes exactly after the last event it got, whichever replica
 * it reaches: offsets are the broker's, not a replica's.
 */
public final class StreamPosition {

    /** Longest Last-Event-ID read: 1024 partitions of 20-digit offsets. */
    static final int MAX_LENGTH = 32 * 1024;

    private final long[] next;

    private StreamPosition(long[] next) {
        this.next = next;
    }

    /** A position over {@code partitions} partitions with the given next offsets (copied). */
    public static StreamPosition of(long[] next) {
        return new StreamPosition(next.clone());
    }

    /**
     * Reads a Last-Event-ID. Partitions it does not name are absent ({@code -1}): a resume reads them
     * from where the live stream stands. A malformed id is the client's mistake: 400.
     */
    public static StreamPosition parse(String id, int partitions) {
        long[] next = new long[partitions];
        Arrays.fill(next, -1);
        if (id == null || id.length() > MAX_LENGTH || id.isBlank()) {
            throw invalid();
        }
        for (String part : id.trim().split(",")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw invalid();
            }
            int partition;
            long offset;
            try {
                partition = Integer.parseInt(part.substring(0, colon));
                offset = Long.parseLong(part.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw invalid();
            }
            if (partition < 0 || offset < 0) {
                throw invalid();
            }
            if (partition < partitions) {
                next[partition] = offset;
            }
        }
        return new StreamPosition(next);
    }

    private static ApiException invalid() {
        return ApiException.badRequest("INVALID_LAST_EVENT_ID",
                "Last-Event-ID is not an event id of this stream",
                "Send back the id of the last event you received (e.g. 0:42,1:17), or no Last-Event-ID to start live.");
    }

    public int partitions() {
        return next.length;
    }

    /** The next offset of the partition, {@code -1} when the position does not name it. */
    public long next(int partition) {
        return partition < next.length ? next[partition] : -1;
    }

    /** Partition by partition the larger of this and {@code other}. */
    public StreamPosition max(StreamPosition other) {
        long[] out = new long[Math.max(next.length, other.next.length)];
        for (int p = 0; p < out.length; p++) {
            out[p] = Math.max(next(p), other.next(p));
        }
        return new StreamPosition(out);
    }

    /** This position after the record at {@code offset} of {@code partition} was looked at. */
    public StreamPosition after(int partition, long offset) {
        long[] out = Arrays.copyOf(next, Math.max(next.length, partition + 1));
        out[partition] = Math.max(out[partition], offset + 1);
        return new StreamPosition(out);
    }

    /** The SSE id: {@code <partition>:<offset>} for every partition it names. */
    public String id() {
        StringBuilder out = new StringBuilder(next.length * 8);
        for (int p = 0; p < next.length; p++) {
            if (next[p] < 0) {
                continue;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(p).append(':').append(next[p]);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamPosition other && Arrays.equals(next, other.next);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(next);
    }

    @Override
    public String toString() {
        return id();
    }
}
