package io.jobplane.api.run.hearing;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one replica's run supervision has heard of {@code jobplane.run-events}: up to when it has
 * recorded every event, and since when it has been able to hear without a break. Pure state; the
 * look at the broker is {@link SupervisionHearing}'s.
 * <p>
 * At each look, the time and the log end offsets of the partitions the replica follows are noted.
 * Once the replica has recorded every event up to those offsets, it has heard everything that
 * reached the broker before that time: that time is {@link State#heardUpTo()}. A look that fails
 * (the broker away) makes the replica deaf until the next look that succeeds, which starts a new
 * period of hearing ({@link State#hearingSince()}); so does a change of the partitions it follows,
 * because what it knew of newly assigned ones is stale.
 */
public final class Hearing {

    /** Looks kept while events are still being recorded; the oldest are let go beyond this (heardUpTo then lags: safe). */
    static final int MAX_PENDING = 4096;

    /** Per partition, the offset after the last event recorded. */
    private final Map<Integer, Long> recorded = new HashMap<>();
    private final ArrayDeque<Look> pending = new ArrayDeque<>();
    private Set<Integer> partitions = Set.of();
    private int partitionCount;
    private Instant hearingSince;
    private Instant heardUpTo;

    /** The events of a partition up to {@code nextOffset} (exclusive) are recorded. */
    public synchronized void recorded(int partition, long nextOffset) {
        recorded.merge(partition, nextOffset, Math::max);
    }

    /**
     * Of these partitions, those the look must ask the committed offsets of: new ones, and those behind
     * the last look's end (the committed offset, never ahead of what was recorded, may have passed what
     * this replica saw recorded: events recorded while it was assigned them).
     */
    public synchronized Set<Integer> unknown(Set<Integer> assigned) {
        Map<Integer, Long> lastEnds = pending.isEmpty() ? Map.of() : pending.peekLast().ends();
        Set<Integer> unknown = new TreeSet<>();
        for (Integer p : assigned) {
            Long at = recorded.get(p);
            if (!partitions.contains(p) || at == null || at < lastEnds.getOrDefault(p, 0L)) {
                unknown.add(p);
            }
        }
        return unknown;
    }

    /**
     * A look that succeeded, started at {@code at}: the topic's partition count, the log end offset of
     * each partition followed, and where recording starts for those {@link #unknown} asked about (their
     * committed offset, or the start of their log when none was committed).
     */
    public synchronized State looked(Instant at, int partitionCount, Map<Integer, Long> ends, Map<Integer, Long> startsAt) {
        this.partitionCount = partitionCount;
        if (!ends.keySet().equals(partitions)) {
            Set<Integer> added = new HashSet<>(ends.keySet());
            added.removeAll(partitions);
            recorded.keySet().removeIf(p -> added.contains(p) || !ends.containsKey(p));
            partitions = Set.copyOf(ends.keySet());
            pending.clear();
            heardUpTo = null;
            hearingSince = at;
        }
        startsAt.forEach((p, offset) -> {
            if (partitions.contains(p)) {
                recorded.merge(p, offset, Math::max);
            }
        });
        if (hearingSince == null) {
            hearingSince = at;
        }
        pending.addLast(new Look(at, Map.copyOf(ends)));
        if (pending.size() > MAX_PENDING) {
            pending.removeFirst();
        }
        return caughtUp();
    }

    /** A look that failed: deaf until one succeeds. */
    public synchronized State deaf() {
        hearingSince = null;
        return caughtUp();
    }

    /** Moves heardUpTo to the latest look whose offsets are all recorded. */
    public synchronized State caughtUp() {
        while (!pending.isEmpty() && covered(pending.peekFirst().ends())) {
            heardUpTo = pending.removeFirst().at();
        }
        return new State(partitions, partitionCount, heardUpTo, hearingSince);
    }

    private boolean covered(Map<Integer, Long> ends) {
        for (Map.Entry<Integer, Long> end : ends.entrySet()) {
            Long at = recorded.get(end.getKey());
            if (at == null || at < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private record Look(Instant at, Map<Integer, Long> ends) {
    }

    /**
     * One replica's hearing: the partitions it follows (of {@code partitionCount}), the time up to which
     * it recorded every event that reached them (null: not caught up since they were assigned), and
     * since when it has heard without a break (null: deaf now).
     */
    public record State(Set<Integer> partitions, int partitionCount, Instant heardUpTo, Instant hearingSince) {
    }
}
