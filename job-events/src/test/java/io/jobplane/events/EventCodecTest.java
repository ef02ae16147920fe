package io.jobplane.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskStatus;

class EventCodecTest {

    @Test
    void payloadSurvivesARoundTripInSnakeCase() {
        TaskFinished finished = new TaskFinished("run-1", 1, "acme", "task-1", 0, TaskStatus.SUCCESS, 42L, null,
                Instant.parse("2026-01-02T03:04:05.123Z"));
        CloudEvent event = CloudEvent.of("/jobplane/worker", EventTypes.TASK_FINISHED, "run-1", finished);

        String json = EventCodec.encode(event);
        CloudEvent back = EventCodec.decode(json);

        assertTrue(json.contains("\"rows_affected\":42"), json);
        assertTrue(json.contains("\"specversion\":\"1.0\""), json);
        assertEquals(finished, back.dataAs(TaskFinished.class));
        assertEquals("run-1", back.subject());
    }

    @Test
    void unknownFieldsAreIgnoredSoProducersCanAddFields() {
        String json = """
                {"specversion":"1.0","id":"e1","source":"/x","type":"jobplane.task.finished","subject":"r",
                 "data":{"run_id":"r","attempt":2,"status":"FAILED","index":3,"a_future_field":true}}""";
        TaskFinished finished = EventCodec.decode(json).dataAs(TaskFinished.class);
        assertEquals(TaskStatus.FAILED, finished.status());
        assertEquals(2, finished.attempt());
    }

    @Test
    void garbageIsReportedAsMalformed() {
        for (String bad : List.of("", "not json", "{\"specversion\":\"0.3\",\"source\":\"/x\",\"type\":\"t\",\"data\":{}}",
                "{\"specversion\":\"1.0\",\"source\":\"/x\",\"type\":\"t\"}", "[1,2]")) {
            assertThrows(MalformedEventException.class, () -> EventCodec.decode(bad), bad);
        }
    }

    @Test
    void wrongPayloadShapeIsMalformed() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/x\",\"type\":\"t\",\"data\":{\"attempt\":\"many\"}}";
        CloudEvent event = EventCodec.decode(json);
        assertThrows(MalformedEventException.class, () -> event.dataAs(TaskFinished.class));
    }

    @Test
    void theTypeIsReadWithoutDecodingTheRestWhereverItStands() {
        TaskFinished finished = new TaskFinished("run-1", 1, "acme", "task-1", 0, TaskStatus.SUCCESS, 42L, null,
                Instant.parse("2026-01-02T03:04:05.123Z"));
        assertEquals(EventTypes.TASK_FINISHED,
                EventCodec.type(EventCodec.encode(CloudEvent.of("/w", EventTypes.TASK_FINISHED, "run-1", finished))));
        assertEquals("t", EventCodec.type("{\"data\":{\"type\":\"inner\",\"x\":[1,{\"type\":2}]},\"type\":\"t\"}"));
        for (String unreadable : List.of("", "not json", "[1]", "{\"type\":3}", "{\"id\":\"e\"}", "{\"type\":")) {
            assertEquals(null, EventCodec.type(unreadable), unreadable);
        }
    }

    @Test
    void writingAnEventInOnePassGivesTheTextOfTheEnvelope() {
        TaskFinished finished = new TaskFinished("run-1", 1, "acme", "task-1", 0, TaskStatus.FAILED, null, "boom \"x\" ü",
                Instant.parse("2026-01-02T03:04:05.123Z"));
        CloudEvent viaTree = CloudEvent.of("/w", EventTypes.TASK_FINISHED, "run-1", finished);
        String direct = EventCodec.encode("/w", EventTypes.TASK_FINISHED, "run-1", finished);
        CloudEvent back = EventCodec.decode(direct);
        String normalised = EventCodec.encode(new CloudEvent(back.specversion(), viaTree.id(), back.source(), back.type(),
                back.subject(), viaTree.time(), back.datacontenttype(), back.data()));
        assertEquals(EventCodec.encode(viaTree), normalised);
        assertEquals(finished, back.dataAs(TaskFinished.class));
        assertTrue(!back.id().equals(viaTree.id()) && back.time() != null, direct);
    }
}
