package io.jobplane.policy.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.MalformedEventException;
import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicyChange.Grant;
import io.jobplane.events.payload.policy.PolicyChange.Principal;
import io.jobplane.events.payload.policy.PolicyChange.Provenance;
import io.jobplane.events.payload.policy.PolicyChange.Resource;

class PolicyEventTest {

    private static final PolicyChange.Run RUN = new PolicyChange.Run("ws", "job", "run-1", 1, Instant.parse("2026-12-01T00:00:00Z"));

    private static Grant grant(String principal, String table, String privilege) {
        return new Grant(new Principal("iam_user", "user", principal), new Resource("hive", "sales", table, null, null, false),
                privilege, false, new Provenance("p.json", "7", "sales", "0"));
    }

    private static PolicyEvent roundTrip(String type, Object payload) {
        return PolicyEvent.read(EventCodec.decode(EventCodec.encode(CloudEvent.of("/test", type, "k", payload))));
    }

    @Test
    void aStagedBatchIsReadNormalisedAndMadeDistinct() {
        PolicyEvent e = roundTrip(EventTypes.POLICY_GRANTS_STAGED, new PolicyChange.GrantsStaged(RUN, "file:p.json", "g1",
                List.of(grant("alice", "orders", "select"), grant("alice", "orders", "SELECT"), grant("bob", "orders", "SELECT"))));
        PolicyChange.GrantsStaged s = (PolicyChange.GrantsStaged) e.change();
        assertEquals(2, s.grants().size(), "the same grant twice is one grant");
        assertEquals("SELECT", s.grants().get(0).privilege());
        assertEquals("IAM_USER", s.grants().get(0).principal().type());
        assertEquals("USER", s.grants().get(0).principal().source());
        assertEquals("file:p.json", e.origin());
        assertEquals(new PolicyEvent.RunKey("ws", "run-1", 1), e.runKey());
    }

    @Test
    void theGrantKeyTellsEveryFieldApartAndIsStable() {
        Grant a = PolicyEvent.grant(grant("alice", "orders", "SELECT"));
        assertEquals(PolicyEvent.key(a), PolicyEvent.key(PolicyEvent.grant(grant("alice", "orders", "select"))));
        assertEquals(64, PolicyEvent.key(a).length());
        List<Grant> others = new ArrayList<>(List.of(
                PolicyEvent.grant(grant("bob", "orders", "SELECT")),
                PolicyEvent.grant(grant("alice", "orders", "INSERT")),
                PolicyEvent.grant(grant("alice", "order", "SELECT")),
                new Grant(a.principal(), a.resource(), a.privilege(), true, a.provenance()),
                new Grant(a.principal(), new Resource("hive", "sales", "orders", null, null, true), a.privilege(), false, a.provenance()),
                new Grant(a.principal(), a.resource(), a.privilege(), false, new Provenance("p.json", "8", "sales", "0"))));
        for (Grant other : others) {
            assertNotEquals(PolicyEvent.key(a), PolicyEvent.key(other), other.toString());
        }
        // Length prefixes: moving a character from one field to the next changes the key.
        Grant x = new Grant(new Principal("A", "B", "cd"), a.resource(), "SELECT", false, new Provenance(null, null, null, null));
        Grant y = new Grant(new Principal("A", "Bc", "d"), a.resource(), "SELECT", false, new Provenance(null, null, null, null));
        assertNotEquals(PolicyEvent.key(x), PolicyEvent.key(y));
    }

    @Test
    void malformedChangesAreRefusedWithAReason() {
        assertThrows(MalformedEventException.class, () -> PolicyEvent.grant(new Grant(null, null, "SELECT", false, null)));
        assertThrows(MalformedEventException.class, () -> PolicyEvent.resource(new Resource(null, null, null, null, null, false)));
        assertThrows(MalformedEventException.class, () -> PolicyEvent.resource(new Resource("hive", null, "t", null, null, false)));
        assertThrows(MalformedEventException.class, () -> PolicyEvent.resource(new Resource("hive", null, null, null, "s3://b", false)));
        assertThrows(MalformedEventException.class, () -> PolicyEvent.grant(new Grant(new Principal("ROLE", "ROLE", "a\u0000b"),
                new Resource("hive", null, null, null, null, false), "ALL", false, null)));
        assertThrows(MalformedEventException.class, () -> PolicyEvent.committed(new PolicyChange.GrantsCommitted(RUN, "o", "g", -1)));
        assertThrows(MalformedEventException.class, () -> PolicyEvent.committed(new PolicyChange.GrantsCommitted(null, "o", "g", 1)));
        assertThrows(MalformedEventException.class, () -> PolicyEvent.staged(new PolicyChange.GrantsStaged(RUN, "o", "g", null)));
        List<Grant> tooMany = new ArrayList<>();
        for (int i = 0; i <= PolicyChange.MAX_GRANTS_PER_EVENT; i++) {
            tooMany.add(grant("u" + i, "t", "SELECT"));
        }
        assertThrows(MalformedEventException.class, () -> PolicyEvent.staged(new PolicyChange.GrantsStaged(RUN, "o", "g", tooMany)));
        assertThrows(MalformedEventException.class, () -> PolicyEvent.report(new PolicyChange.Report(RUN, "o",
                List.of(new PolicyChange.ReportEntry(null, "DENY_ITEM", null)))));
        assertThrows(MalformedEventException.class, () -> PolicyEvent.name("origin", "x".repeat(PolicyEvent.MAX_NAME + 1)));
    }

    @Test
    void otherTypesAreIgnoredAndUnknownPolicyTypesCarryNoChange() {
        assertNull(roundTrip("jobplane.run.queued", Map.of("a", 1)));
        PolicyEvent unknown = roundTrip("jobplane.policy.something-new", Map.of("a", 1));
        assertNull(unknown.change());
        assertEquals("jobplane.policy.something-new", unknown.type());
    }
}
