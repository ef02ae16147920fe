package io.jobplane.api.run.launch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * When a waiting run may start, estimated without I/O from how long runs of each job took lately (the
 * median of their last ended runs). For one limit (a job's cap, the workspace's limit, a pool) it
 * plays the limit forward: the runs holding it end at their start plus their job's median (not before
 * now), and the runs waiting ahead of this one for the same limit take their turn, in order, each for
 * its job's median; this run starts once enough of the limit is free. An estimate, not a promise: runs
 * end earlier or later, are cancelled, or are launched ahead with a higher priority. Null when
 * unknown: a job involved has no ended run to learn from.
 */
public final class StartEstimate {

    /** How many of a job's latest ended runs its median duration is taken from. */
    public static final int SAMPLE = 20;

    private StartEstimate() {
    }

    /** A run holding part of a limit: how much, and when it is expected to end (null: unknown). */
    public record Holder(int units, Instant expectedEnd) {
    }

    /** A run waiting ahead for the same limit: how much it takes and how long it is expected to run (null: unknown). */
    public record Ahead(int units, Duration expected) {
    }

    /** The median of the durations; null when there are none. */
    public static Duration median(List<Duration> durations) {
        if (durations.isEmpty()) {
            return null;
        }
        List<Duration> sorted = new ArrayList<>(durations);
        sorted.sort(Comparator.naturalOrder());
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    /** When a run that started at {@code since} and usually takes {@code typical} is expected to end, not before now; null: unknown. */
    public static Instant expectedEnd(Instant now, Instant since, Duration typical) {
        if (typical == null) {
            return null;
        }
        Instant end = (since == null ? now : since).plus(typical);
        return end.isBefore(now) ? now : end;
    }

    /**
     * When {@code own} units of a limit of {@code capacity} are free for this run, after the holders end and the runs
     * ahead have had their turn; null when unknown, or when the run can never fit.
     */
    public static Instant freeAt(Instant now, int capacity, List<Holder> holders, List<Ahead> ahead, int own) {
        PriorityQueue<Holder> running = new PriorityQueue<>(Comparator.comparing(Holder::expectedEnd));
        int free = capacity;
        for (Holder h : holders) {
            if (h.expectedEnd() == null) {
                return null;
            }
            running.add(h);
            free -= h.units();
        }
        Instant at = now;
        List<Ahead> turns = new ArrayList<>(ahead);
        turns.add(new Ahead(own, null));
        for (int i = 0; i < turns.size(); i++) {
            Ahead next = turns.get(i);
            if (next.units() > capacity) {
                return null;
            }
            while (free < next.units()) {
                Holder ends = running.poll();
                if (ends == null) {
                    return null;
                }
                at = ends.expectedEnd().isAfter(at) ? ends.expectedEnd() : at;
                free += ends.units();
            }
            if (i == turns.size() - 1) {
                return at;
            }
            if (next.expected() == null) {
                return null;
            }
            free -= next.units();
            running.add(new Holder(next.units(), at.plus(next.expected())));
        }
        return at;
    }

    /** The latest of the estimates, each for one reason the run waits; null when any is unknown. */
    public static Instant latest(List<Instant> estimates) {
        Instant latest = null;
        for (Instant at : estimates) {
            if (at == null) {
                return null;
            }
            latest = latest == null || at.isAfter(latest) ? at : latest;
        }
        return latest;
    }
}
