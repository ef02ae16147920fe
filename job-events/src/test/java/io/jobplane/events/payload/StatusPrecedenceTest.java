package io.jobplane.events.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StatusPrecedenceTest {

    @Test
    void runStatusesRankFromQueuedToTheirEnds() {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (RunStatus status : RunStatus.values()) {
            ranks.put(status.name(), StatusPrecedence.runRank(status.name()));
        }
        assertEquals(Map.of("QUEUED", 0, "RUNNING", 1, "CANCELLING", 2, "SUCCESS", 3, "FAILED", 3, "STOPPED", 3), ranks);
    }

    @Test
    void taskStatusesRankSoThatAnInferredEndYieldsToTheTasksOwnOutcome() {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (TaskStatus status : TaskStatus.values()) {
            ranks.put(status.name(), StatusPrecedence.taskRank(status.name()));
        }
        assertEquals(Map.of("PENDING", 0, "RUNNING", 1, "SKIPPED", 2, "STOPPED", 3, "SUCCESS", 4, "FAILED", 4), ranks);
    }

    @Test
    void anUnknownWordOrNullRanksBelowEveryStatus() {
        assertEquals(StatusPrecedence.UNKNOWN, StatusPrecedence.runRank("DISPATCHED"));
        assertEquals(StatusPrecedence.UNKNOWN, StatusPrecedence.runRank(null));
        assertEquals(StatusPrecedence.UNKNOWN, StatusPrecedence.taskRank("queued"));
        assertEquals(StatusPrecedence.UNKNOWN, StatusPrecedence.taskRank(null));
        assertEquals(-1, StatusPrecedence.UNKNOWN);
    }

    @Test
    void aLaterRunStatusWinsOnlyWhenItRanksHigher() {
        assertEquals("RUNNING", StatusPrecedence.runWinner("QUEUED", "RUNNING"));
        assertEquals("RUNNING", StatusPrecedence.runWinner("RUNNING", "QUEUED"), "a late QUEUED does not undo a start");
        assertEquals("FAILED", StatusPrecedence.runWinner("FAILED", "SUCCESS"), "between two ends, the first stands");
        assertEquals("STOPPED", StatusPrecedence.runWinner("CANCELLING", "STOPPED"));
        assertEquals("QUEUED", StatusPrecedence.runWinner("QUEUED", "SOMETHING_NEW"));
        assertEquals("QUEUED", StatusPrecedence.runWinner(null, "QUEUED"));
    }

    @Test
    void aLaterTaskStatusWinsOnlyWhenItRanksHigher() {
        assertEquals("SUCCESS", StatusPrecedence.taskWinner("SKIPPED", "SUCCESS"), "the task's own end beats an inferred one");
        assertEquals("STOPPED", StatusPrecedence.taskWinner("SKIPPED", "STOPPED"));
        assertEquals("SUCCESS", StatusPrecedence.taskWinner("SUCCESS", "RUNNING"), "late progress does not reopen a task");
        assertEquals("FAILED", StatusPrecedence.taskWinner("FAILED", "STOPPED"));
        assertEquals("PENDING", StatusPrecedence.taskWinner("PENDING", null));
    }

    @Test
    void theEnumsCarryTheSameRanks() {
        for (RunStatus status : RunStatus.values()) {
            assertEquals(status.rank(), StatusPrecedence.runRank(status.name()), status.name());
            assertEquals(status.isTerminal(), status.rank() == 3, status.name() + " is an end exactly when it ranks 3");
        }
        for (TaskStatus status : TaskStatus.values()) {
            assertEquals(status.rank(), StatusPrecedence.taskRank(status.name()), status.name());
        }
    }
}
