package io.jobplane.api.run.hearing;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a run's worker may be judged lost: a run last heard from before the cutoff was silent for
 * {@code worker-lost-after} while supervision could hear it. Silence is only evidence while every
 * partition of the run events is followed by a replica that is caught up and has been hearing
 * for the whole window; otherwise nobody is judged (the reason says why).
 * <p>
 * A replica that heard everything that reached the broker up to {@code heardUpTo}, and has heard
 * without a break since {@code hearingSince <= heardUpTo - lostAfter}, saw no heartbeat of a run
 * reach the broker in {@code [heardUpTo - lostAfter, heardUpTo)} if the run was last seen before
 * {@code heardUpTo - lostAfter} (an event is recorded after it reached the broker). The cutoff is
 * the earliest of those over the replicas.
 */
public final class LostCutoff {

    private LostCutoff() {
    }

    /** The cutoff, or null with the reason nobody may be judged now. */
    public record Verdict(Instant cutoff, String withheldBecause) {

        static Verdict withheld(String why) {
            return new Verdict(null, why);
        }
    }

    /** The verdict over the replicas that reported recently (dead ones left out). */
    public static Verdict of(Collection<Hearing.State> live, Duration lostAfter) {
        if (live.isEmpty()) {
            return Verdict.withheld("no job-api replica follows the run events");
        }
        int count = live.stream().mapToInt(Hearing.State::partitionCount).max().orElse(0);
        Set<Integer> unfollowed = new TreeSet<>();
        for (int p = 0; p < count; p++) {
            unfollowed.add(p);
        }
        live.forEach(state -> unfollowed.removeAll(state.partitions()));
        if (count == 0 || !unfollowed.isEmpty()) {
            return Verdict.withheld("no replica follows run-event partitions " + (count == 0 ? "(none known yet)" : unfollowed));
        }
        Instant cutoff = null;
        for (Hearing.State state : live) {
            if (state.partitions().isEmpty()) {
                continue;
            }
            if (state.hearingSince() == null) {
                return Verdict.withheld("a replica cannot reach the broker");
            }
            if (state.heardUpTo() == null) {
                return Verdict.withheld("a replica has not caught up with its partitions yet");
            }
            Instant from = state.heardUpTo().minus(lostAfter);
            if (state.hearingSince().isAfter(from)) {
                return Verdict.withheld("a replica has been hearing only since " + state.hearingSince());
            }
            cutoff = cutoff == null || from.isBefore(cutoff) ? from : cutoff;
        }
        return new Verdict(cutoff, null);
    }
}
