package io.jobplane.events.payload;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The one precedence of run and task statuses, so duplicated or reordered events converge on the
 * same status wherever they are folded: the harvester's read model (in Java and in its SQL functions
 * {@code runs.status_rank} / {@code runs.task_status_rank}, which a test ties to these ranks) and
 * job-api's status answer. Within one attempt a status only gives way to a higher-ranked one; a word
 * that is no known status ranks {@value #UNKNOWN}, below every status.
 */
public final class StatusPrecedence {

    /** The rank of a word that is no known status (or null). */
    public static final int UNKNOWN = -1;

    private static final Map<String, Integer> RUN_RANKS = ranks(RunStatus.values(), RunStatus::rank);
    private static final Map<String, Integer> TASK_RANKS = ranks(TaskStatus.values(), TaskStatus::rank);

    private StatusPrecedence() {
    }

    /** The rank of a run status by name: QUEUED 0, RUNNING 1, CANCELLING 2, ends 3, unknown −1. */
    public static int runRank(String status) {
        return rank(RUN_RANKS, status);
    }

    /** The rank of a task status by name: PENDING 0, RUNNING 1, SKIPPED 2, STOPPED 3, SUCCESS and FAILED 4, unknown −1. */
    public static int taskRank(String status) {
        return rank(TASK_RANKS, status);
    }

    /** Which run status stands once {@code later} arrives after {@code current}: the later only if it ranks higher. */
    public static String runWinner(String current, String later) {
        return runRank(later) > runRank(current) ? later : current;
    }

    /** Which task status stands once {@code later} arrives after {@code current}: the later only if it ranks higher. */
    public static String taskWinner(String current, String later) {
        return taskRank(later) > taskRank(current) ? later : current;
    }

    private static int rank(Map<String, Integer> ranks, String status) {
        return status == null ? UNKNOWN : ranks.getOrDefault(status, UNKNOWN);
    }

    private static <S extends Enum<S>> Map<String, Integer> ranks(S[] statuses, ToIntFunction<S> rank) {
        Map<String, Integer> ranks = new HashMap<>();
        for (S status : statuses) {
            ranks.put(status.name(), rank.applyAsInt(status));
        }
        return Map.copyOf(ranks);
    }
}
