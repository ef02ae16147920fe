package io.jobplane.events.payload.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class DataLocationTest {

    @Test
    void theHostNamesTheConnectionAndThePathIsCleaned() {
        assertEquals(new DataLocation("fs", "landing", "sales/2024"), DataLocation.parse("fs://landing//sales/./2024/"));
        assertEquals(new DataLocation("obs", "logStore", "2023"), DataLocation.parse("OBS://logStore/2023"));
        assertEquals(new DataLocation("fs", "landing", ""), DataLocation.parse("fs://landing"));
        assertEquals("fs://landing/sales", DataLocation.parse("fs://landing/sales/").uri());
    }

    @Test
    void locationsThatClimbOutOrNameNothingAreRefused() {
        for (String bad : List.of("/data/sales", "landing/sales", "fs://", "fs:///etc", "fs://landing/../other",
                "fs://landing/a/../../b", "fs://a b/x", "fs://landing/a\\..\\b", "1fs://landing/x")) {
            assertThrows(IllegalArgumentException.class, () -> DataLocation.parse(bad), bad);
        }
    }
}
