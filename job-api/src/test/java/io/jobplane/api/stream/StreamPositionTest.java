package io.jobplane.api.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;

class StreamPositionTest {

    @Test
    void anIdNamesEveryPartitionAndReadsBackTheSame() {
        StreamPosition p = StreamPosition.of(new long[] {42, 0, 17});
        assertEquals("0:42,1:0,2:17", p.id());
        assertEquals(p, StreamPosition.parse(p.id(), 3));
    }

    @Test
    void partitionsAnIdDoesNotNameAreAbsentAndPartitionsBeyondTheTopicAreIgnored() {
        StreamPosition p = StreamPosition.parse("2:5,7:99", 3);
        assertEquals(-1, p.next(0));
        assertEquals(-1, p.next(1));
        assertEquals(5, p.next(2));
        assertEquals("2:5", p.id());
    }

    @Test
    void maxAndAfterOnlyMoveForward() {
        StreamPosition a = StreamPosition.of(new long[] {10, 3, -1});
        StreamPosition b = StreamPosition.of(new long[] {8, 4, 6});
        assertEquals("0:10,1:4,2:6", a.max(b).id());
        assertEquals("0:10,1:3", a.after(0, 2).id());
        assertEquals("0:10,1:8", a.after(1, 7).id());
    }

    @Test
    void aMalformedIdIsTheClientsMistake() {
        for (String bad : new String[] {"", " ", "x", "0", "0:", ":5", "0:-1", "-1:3", "0:1;1:2", "a:b", "0:99999999999999999999"}) {
            ApiException e = assertThrows(ApiException.class, () -> StreamPosition.parse(bad, 12), bad);
            assertEquals("INVALID_LAST_EVENT_ID", e.code());
            assertEquals(400, e.status().getStatusCode());
        }
        assertThrows(ApiException.class, () -> StreamPosition.parse("0:1,".repeat(10_000), 12));
    }
}
