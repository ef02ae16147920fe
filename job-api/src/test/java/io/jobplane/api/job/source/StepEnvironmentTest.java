package io.jobplane.api.job.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.events.secret.SecretKeyring;
import io.jobplane.events.secret.SecretOwner;

/** The rules of a STEPS job's properties and secrets on their own; the endpoints are in JobSourcesIT. */
class StepEnvironmentTest {

    private static final SecretKeyring KEYRING = new SecretKeyring("k1", Map.of("k1", key()));
    private static final UUID JOB = UUID.randomUUID();
    private static final SecretOwner OWNER = SecretOwner.jobSteps("ws", JOB);

    @Test
    void propertiesAreStoredSortedByName() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("REGION", "eu");
        given.put("_batch2", "7");
        assertEquals(List.of("REGION", "_batch2"), List.copyOf(StepEnvironment.properties(given).keySet()));
        assertEquals(Map.of(), StepEnvironment.properties(Map.of()));
    }

    @Test
    void namesMustBeEnvironmentVariableNames() {
        for (String name : List.of("not-a-name", "1ST", "", "A B", "X".repeat(129))) {
            assertRefused(() -> StepEnvironment.properties(Map.of(name, "v")), "is not an environment variable name");
            assertRefused(() -> StepEnvironment.checkSecrets(Map.of(name, "v")), "is not an environment variable name");
        }
        StepEnvironment.properties(Map.of("X".repeat(128), "v"));
    }

    @Test
    void namesTheWorkerSetsOrThatChangeHowStepsRunAreReserved() {
        for (String name : List.of("PATH", "HOME", "PYTHONPATH", "BASH_ENV", "JOBPLANE_RUN_ID", "LD_PRELOAD", "PGPASSWORD")) {
            assertRefused(() -> StepEnvironment.properties(Map.of(name, "v")), "is reserved");
            assertRefused(() -> StepEnvironment.checkSecrets(Map.of(name, "v")), "is reserved");
        }
        StepEnvironment.properties(Map.of("MY_PATH", "v", "PAGE", "v"));
    }

    @Test
    void sizesAreBounded() {
        assertRefused(() -> StepEnvironment.properties(Map.of("BIG", "x".repeat(StepEnvironment.MAX_VALUE + 1))), "longer than");
        StepEnvironment.properties(Map.of("BIG", "x".repeat(StepEnvironment.MAX_VALUE)));
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= StepEnvironment.MAX_ENTRIES; i++) {
            many.put("P" + i, "v");
        }
        assertRefused(() -> StepEnvironment.properties(many), "at most " + StepEnvironment.MAX_ENTRIES + " property entries");
        assertRefused(() -> StepEnvironment.checkSecrets(many), "at most " + StepEnvironment.MAX_ENTRIES + " secret entries");
    }

    @Test
    void aPropertyNeedsAValueWhileASecretWithoutOneKeepsItsStoredValue() {
        Map<String, String> noValue = new HashMap<>();
        noValue.put("REGION", null);
        assertRefused(() -> StepEnvironment.properties(noValue), "has no value");
        StepEnvironment.checkSecrets(noValue);

        SealedFields sealed = sealed(Map.of("TOKEN", "t1"));
        Map<String, String> keep = new HashMap<>();
        keep.put("TOKEN", null);
        assertEquals(List.of(), StepEnvironment.updateSecrets(sealed, keep, List.of(), Set.of(), KEYRING, OWNER));
        assertEquals("t1", KEYRING.open(sealed.get("TOKEN"), OWNER, "TOKEN"));
    }

    @Test
    void aNameIsEitherAPropertyOrASecret() {
        assertRefused(() -> StepEnvironment.requireNoSecretNamed(Set.of("REGION", "TOKEN"), List.of("TOKEN")),
                "name(s) [TOKEN] are already secret names");
        StepEnvironment.requireNoSecretNamed(Set.of("REGION"), List.of("TOKEN"));
        assertRefused(() -> StepEnvironment.updateSecrets(sealed(Map.of()), Map.of("REGION", "x"), List.of(), Set.of("REGION"),
                KEYRING, OWNER), "name(s) [REGION] are already property names");
    }

    @Test
    void secretsAreSealedSetAndRemovedAndOnlyHeldOnesCanBeRemoved() {
        SealedFields sealed = sealed(Map.of("OLD", "o", "KEEP", "k"));
        List<String> changed = StepEnvironment.updateSecrets(sealed, Map.of("NEW", "n"), List.of("OLD"), Set.of(), KEYRING, OWNER);
        assertEquals(List.of("OLD", "NEW"), changed);
        assertEquals(List.of("KEEP", "NEW"), sealed.names().stream().sorted().toList());
        assertEquals("n", KEYRING.open(sealed.get("NEW"), OWNER, "NEW"));
        assertTrue(!sealed.json().contains("\"n\""), "stored sealed");

        ApiException e = assertThrows(ApiException.class, () -> StepEnvironment.updateSecrets(sealed, Map.of(), List.of("NOPE"),
                Set.of(), KEYRING, OWNER));
        assertEquals("UNKNOWN_SECRET", e.code());
        assertTrue(e.solution().contains(JOB.toString()), e.solution());
    }

    @Test
    void aJobHoldsABoundedNumberOfSecrets() {
        Map<String, String> full = new HashMap<>();
        for (int i = 0; i < StepEnvironment.MAX_ENTRIES; i++) {
            full.put("S" + i, "v");
        }
        SealedFields sealed = sealed(full);
        assertRefused(() -> StepEnvironment.updateSecrets(sealed, Map.of("ONE_MORE", "v"), List.of(), Set.of(), KEYRING, OWNER),
                "at most " + StepEnvironment.MAX_ENTRIES + " secrets");
        assertEquals(List.of("S0", "ONE_MORE"), StepEnvironment.updateSecrets(sealed(full), Map.of("ONE_MORE", "v"), List.of("S0"),
                Set.of(), KEYRING, OWNER));
    }

    private static SealedFields sealed(Map<String, String> clear) {
        SealedFields sealed = SealedFields.read("{}");
        sealed.merge(clear, List.of(), KEYRING, OWNER);
        return sealed;
    }

    private static void assertRefused(Executable check, String problem) {
        ApiException e = assertThrows(ApiException.class, check);
        assertEquals("INVALID_ENVIRONMENT", e.code());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    private static String key() {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) 7);
        return Base64.getEncoder().encodeToString(raw);
    }
}
