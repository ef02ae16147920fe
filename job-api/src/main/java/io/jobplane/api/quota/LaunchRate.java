package io.jobplane.api.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per workspace: {@code burst} launches at once, refilled at {@code perMinute}
 * evenly. Each job-api replica keeps its own buckets, so a deployment of n replicas admits up to n
 * times the rate; a launch refused is told when the next token is due.
 */
public final class LaunchRate {

    private static final long NANOS_PER_MINUTE = 60_000_000_000L;
    /** Buckets idle this long are full again and are dropped, so the map holds only busy workspaces. */
    private static final int PRUNE_AT = 10_000;

    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public LaunchRate(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one token of the workspace's bucket. Returns 0 when the launch may go, else the whole
     * seconds (at least 1) until a token is due.
     */
    public long acquire(String workspace, int perMinute, int burst) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > PRUNE_AT) {
            buckets.values().removeIf(b -> b.fullAt(now));
        }
        return buckets.computeIfAbsent(workspace, w -> new Bucket(now, burst)).take(now, perMinute, burst);
    }

    private static final class Bucket {
        private long updatedAt;
        private double tokens;
        private double lastPerNano;
        private int lastBurst;

        Bucket(long now, int burst) {
            this.updatedAt = now;
            this.tokens = burst;
        }

        synchronized long take(long now, int perMinute, int burst) {
            double perNano = (double) perMinute / NANOS_PER_MINUTE;
            tokens = Math.min(burst, tokens + (now - updatedAt) * perNano);
            updatedAt = now;
            lastPerNano = perNano;
            lastBurst = burst;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double nanos = (1 - tokens) / perNano;
            return Math.max(1, (long) Math.ceil(nanos / 1_000_000_000d));
        }

        synchronized boolean fullAt(long now) {
            return lastPerNano > 0 && tokens + (now - updatedAt) * lastPerNano >= lastBurst;
        }
    }
}
