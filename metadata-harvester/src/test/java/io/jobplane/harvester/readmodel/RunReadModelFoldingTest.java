package io.jobplane.harvester.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunQueued;
import io.jobplane.events.payload.RunStarted;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskProgress;
import io.jobplane.events.payload.TaskStarted;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.harvester.readmodel.RunReadModel.Changes;
import io.jobplane.harvester.readmodel.RunReadModel.RunRow;
import io.jobplane.harvester.readmodel.RunReadModel.TaskRow;

/** The folding of a batch's changes into one row per run and per task, as the upserts would leave them. */
class RunReadModelFoldingTest {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final String RUN = "run-1";

    @Test
    void duplicatedAndReorderedEventsFoldToTheRowsOfOrderedOnes() {
        Changes ordered = changes(lifecycle());
        for (int seed = 0; seed < 20; seed++) {
            List<Object> mixed = new ArrayList<>(lifecycle());
            mixed.addAll(lifecycle());
            Collections.shuffle(mixed, new Random(seed));
            Changes shuffled = changes(mixed);

            assertEquals(RunReadModel.runRows(ordered), RunReadModel.runRows(shuffled), "seed " + seed);
            assertEquals(new HashSet<>(RunReadModel.taskRows(ordered)), new HashSet<>(RunReadModel.taskRows(shuffled)),
                    "seed " + seed);
        }
        RunRow run = RunReadModel.runRows(ordered).get(0);
        assertEquals(List.of("FAILED", 1, "w1", T0, T0.plusSeconds(1), T0.plusSeconds(5), "TASK_FAILED", "nightly"),
                List.of(run.status, run.attempt, run.workerId, run.queuedAt, run.startedAt, run.finishedAt, run.errorCode,
                        run.jobName));
        assertEquals(Set.of(
                new TaskRow(RUN, "task-a", 0, 1, "SUCCESS", 7L, null, T0.plusSeconds(1), T0.plusSeconds(2), 7L, 70L),
                new TaskRow(RUN, "task-b", 1, 1, "FAILED", null, "boom", T0.plusSeconds(2), T0.plusSeconds(3), null, null),
                new TaskRow(RUN, "task-c", 2, 1, "PENDING", null, null, null, null, null, null)),
                new HashSet<>(RunReadModel.taskRows(ordered)));
    }

    @Test
    void tagsWhoLaunchedAndJobLabelsFillInOnceAndOlderEventsWithoutThemStillApply() {
        RunQueued first = new RunQueued(RUN, 1, "ws", "job-1", "nightly", "manual", List.of(), T0, T0,
                Map.of("team", "data", "env", "prod"), "alice", List.of("finance", "nightly"));
        // A retry's event carries no tags, and the job's labels of the moment: the run keeps the first ones.
        RunQueued retry = new RunQueued(RUN, 2, "ws", "job-1", "nightly", "retry", List.of(), T0.plusSeconds(60), T0,
                null, "alice", List.of("changed"));
        RunQueued older = new RunQueued(RUN, 1, "ws", "job-1", "nightly", "manual", List.of(), T0, T0);
        for (List<RunQueued> order : List.of(List.of(first, retry), List.of(retry, first), List.of(older, first, retry))) {
            RunRow run = fold(order.toArray());
            assertEquals("{\"env\":\"prod\",\"team\":\"data\"}", run.tags, order.toString());
            assertEquals("alice", run.requestedBy);
            assertEquals(order.get(0) == retry ? "[\"changed\"]" : "[\"finance\",\"nightly\"]", run.jobLabels, order.toString());
            assertEquals(2, run.attempt);
        }
        RunRow old = fold(older, new RunStarted(RUN, 1, "ws", "job-1", "w1", T0.plusSeconds(1)));
        assertNull(old.tags);
        assertNull(old.requestedBy);
        assertNull(old.jobLabels);
        assertEquals(List.of("RUNNING", T0), List.of(old.status, old.queuedAt));
    }

    @Test
    void theLastMarkOfARunInABatchIsTheOneApplied() {
        Changes first = new Changes();
        first.marked(new io.jobplane.events.payload.RunMarked(RUN, 1, "ws", "job", RunStatus.SUCCESS, "FAILED", "by hand",
                "ops", T0));
        first.marked(new io.jobplane.events.payload.RunMarked("run-2", 1, "ws", "job", RunStatus.SUCCESS, "FAILED", "x",
                "ops", T0));
        Changes later = new Changes();
        later.marked(new io.jobplane.events.payload.RunMarked(RUN, 1, "ws", "job", RunStatus.FAILED, "SUCCESS", "stale",
                "ops", T0.plusSeconds(1)));
        first.addAll(later);
        assertEquals(List.of(RUN + " FAILED", "run-2 SUCCESS"), RunReadModel.markRows(first).stream()
                .map(m -> m.runId() + " " + m.status()).toList());
        assertEquals(false, first.isEmpty());
        assertEquals(true, new Changes().isEmpty());
    }

    @Test
    void withinAnAttemptTheStatusOnlyMovesForwardAndEmptyFieldsFillIn() {
        RunRow row = fold(new RunFinished(RUN, 1, "ws", "job-1", RunStatus.SUCCESS, null, T0.plusSeconds(5), null, "w1"),
                new RunStarted(RUN, 1, "ws", "job-1", "w1", T0.plusSeconds(1)),
                queued(1, "manual", T0));

        assertEquals("SUCCESS", row.status, "a late start or queue does not undo the end");
        assertEquals(T0.plusSeconds(1), row.startedAt);
        assertEquals(T0, row.queuedAt);
        assertEquals("manual", row.trigger);
    }

    @Test
    void aNewerAttemptStartsOverAndAnOlderOneChangesNothing() {
        RunRow row = fold(queued(1, "manual", T0),
                new RunStarted(RUN, 1, "ws", "job-1", "w1", T0.plusSeconds(1)),
                queued(2, "retry", T0.plusSeconds(60)),
                new RunFinished(RUN, 1, "ws", "job-1", RunStatus.FAILED, "boom", T0.plusSeconds(70), "TASK_FAILED", "w1"));

        assertEquals(List.of(2, "QUEUED", "retry"), List.of(row.attempt, row.status, row.trigger));
        assertNull(row.startedAt, "the first attempt's start is not the retry's");
        assertNull(row.workerId);
        assertNull(row.errorCode, "the first attempt's late end changes nothing");
        assertEquals(T0, row.queuedAt, "the run was first queued then");
    }

    @Test
    void aTasksOwnEndBeatsAnInferredOneAndItsProgressOnlyGrows() {
        Changes changes = changes(List.of(
                new TaskProgress(RUN, 1, "ws", "task-a", 0, 9, 90, T0.plusSeconds(2)),
                new TaskFinished(RUN, 1, "ws", "task-a", 0, TaskStatus.SKIPPED, null, null, null),
                new TaskProgress(RUN, 1, "ws", "task-a", 0, 3, 30, T0.plusSeconds(1)),
                new TaskFinished(RUN, 1, "ws", "task-a", 0, TaskStatus.SUCCESS, 9L, null, T0.plusSeconds(3)),
                new TaskStarted(RUN, 1, "ws", "task-a", 0, T0)));

        assertEquals(List.of(new TaskRow(RUN, "task-a", 0, 1, "SUCCESS", 9L, null, T0, T0.plusSeconds(3), 9L, 90L)),
                RunReadModel.taskRows(changes));
    }

    @Test
    void aTaskRowOfANewerAttemptReplacesTheOlderOnesWhicheverComesFirst() {
        TaskRow retry = new TaskRow(RUN, "task-a", 0, 2, "RUNNING", null, null, T0.plusSeconds(60), null, null, null);
        List<Object> events = List.of(
                new TaskFinished(RUN, 1, "ws", "task-a", 0, TaskStatus.FAILED, null, "boom", T0.plusSeconds(5)),
                new TaskStarted(RUN, 2, "ws", "task-a", 0, T0.plusSeconds(60)));

        assertEquals(List.of(retry), RunReadModel.taskRows(changes(events)));
        assertEquals(List.of(retry), RunReadModel.taskRows(changes(List.of(events.get(1), events.get(0)))));
    }

    @Test
    void aRunIsMadeToExistOnlyWhenNoRowOfTheBatchCreatesItAtThatAttempt() {
        RunLog line = new RunLog(RUN, 2, "ws", null, null, 1, "INFO", "hello", false, T0);
        RunRow ensured = fold(line, new RunStarted(RUN, 1, "ws", "job-1", "w1", T0));
        assertEquals(List.of(2, "QUEUED"), List.of(ensured.attempt, ensured.status),
                "attempt 2's log line makes its row; attempt 1's late start changes nothing");

        RunRow started = fold(line, new RunStarted(RUN, 2, "ws", "job-1", "w2", T0));
        assertEquals(List.of(2, "RUNNING", "w2"), List.of(started.attempt, started.status, started.workerId));
    }

    /** The one run row the events fold into. */
    private static RunRow fold(Object... events) {
        List<RunRow> rows = RunReadModel.runRows(changes(List.of(events)));
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    private static RunQueued queued(int attempt, String trigger, Instant at) {
        return new RunQueued(RUN, attempt, "ws", "job-1", "nightly", trigger,
                List.of(new RunQueued.TaskRef("task-a", 0)), at, T0);
    }

    private static List<Object> lifecycle() {
        Instant t1 = T0.plusSeconds(1);
        return List.of(
                new RunQueued(RUN, 1, "ws", "job-1", "nightly", "manual", List.of(new RunQueued.TaskRef("task-a", 0),
                        new RunQueued.TaskRef("task-b", 1), new RunQueued.TaskRef("task-c", 2)), T0, T0),
                new RunStarted(RUN, 1, "ws", "job-1", "w1", t1),
                new TaskStarted(RUN, 1, "ws", "task-a", 0, t1),
                new TaskProgress(RUN, 1, "ws", "task-a", 0, 3, 30, t1),
                new TaskProgress(RUN, 1, "ws", "task-a", 0, 7, 70, t1.plusMillis(500)),
                new TaskFinished(RUN, 1, "ws", "task-a", 0, TaskStatus.SUCCESS, 7L, null, t1.plusSeconds(1)),
                new TaskStarted(RUN, 1, "ws", "task-b", 1, t1.plusSeconds(1)),
                new TaskFinished(RUN, 1, "ws", "task-b", 1, TaskStatus.FAILED, null, "boom", t1.plusSeconds(2)),
                new RunFinished(RUN, 1, "ws", "job-1", RunStatus.FAILED, "task 1 failed: boom", T0.plusSeconds(5),
                        "TASK_FAILED", "w1"));
    }

    private static Changes changes(List<Object> events) {
        Changes changes = new Changes();
        for (Object event : events) {
            if (event instanceof RunQueued e) {
                changes.queued(e);
            } else if (event instanceof RunStarted e) {
                changes.started(e);
            } else if (event instanceof RunFinished e) {
                changes.finished(e);
            } else if (event instanceof TaskStarted e) {
                changes.taskStarted(e);
            } else if (event instanceof TaskFinished e) {
                changes.taskFinished(e);
            } else if (event instanceof TaskProgress e) {
                changes.taskProgress(e);
            } else {
                changes.log((RunLog) event);
            }
        }
        return changes;
    }
}
