package io.jobplane.api.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.api.error.ApiException;

/** Which tasks a rerun selects from the original's outcomes, and how its {@code from} is read. */
class RerunSelectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final UUID C = UUID.randomUUID();
    private static final UUID D = UUID.randomUUID();

    private static LinkedHashMap<String, String> outcomes(String... statuses) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        List<UUID> ids = List.of(A, B, C, D);
        for (int i = 0; i < statuses.length; i++) {
            out.put(ids.get(i).toString(), statuses[i]);
        }
        return out;
    }

    @Test
    void failedRerunsTheFailedTaskAndEveryTaskAfterIt() {
        RunOperations.From failed = new RunOperations.Failed();
        assertEquals(List.of(B, C), RunOperations.select(failed, outcomes("SUCCESS", "FAILED", "SKIPPED")));
        // With continue-on-error a later task may have succeeded: it comes after the first failure, so it runs again.
        assertEquals(List.of(B, C, D), RunOperations.select(failed, outcomes("SUCCESS", "FAILED", "SUCCESS", "FAILED")));
        assertEquals(List.of(C), RunOperations.select(failed, outcomes("SUCCESS", "SUCCESS", "STOPPED")));
        assertEquals(List.of(), RunOperations.select(failed, outcomes("SUCCESS", "SUCCESS")));
    }

    @Test
    void allRerunsEveryTaskTheOriginalRan() {
        assertEquals(List.of(A, B, C), RunOperations.select(new RunOperations.All(), outcomes("SUCCESS", "FAILED", "SKIPPED")));
    }

    @Test
    void fromIsFailedAllOrAListOfTaskIds() throws Exception {
        assertInstanceOf(RunOperations.Failed.class, RunOperations.from(null));
        assertInstanceOf(RunOperations.Failed.class, RunOperations.from(node("\"FAILED\"")));
        assertInstanceOf(RunOperations.All.class, RunOperations.from(node("\"ALL\"")));
        assertEquals(new RunOperations.Listed(List.of(A, B)), RunOperations.from(node("[\"" + A + "\", \"" + B + "\"]")));
        for (String bad : List.of("\"failed\"", "\"SOME\"", "[]", "[1]", "[\"not-a-uuid\"]", "{}", "3")) {
            ApiException refused = assertThrows(ApiException.class, () -> RunOperations.from(node(bad)), bad);
            assertEquals("INVALID_RERUN_FROM", refused.code());
        }
    }

    private static JsonNode node(String json) throws Exception {
        return JSON.readTree(json);
    }
}
