package io.jobplane.harvester.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.WorkspaceRetention;
import io.jobplane.harvester.readmodel.RunReadModel.Changes;

class RetentionPolicyFoldingTest {

    private static final Instant T = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void theLatestAnnouncementOfAWorkspaceWinsWhateverTheOrder() {
        Changes a = new Changes();
        a.retention(new WorkspaceRetention("finance", 30, 60, WorkspaceRetention.WORKSPACE, T.plusSeconds(10)));
        a.retention(new WorkspaceRetention("finance", 90, 400, WorkspaceRetention.DEFAULT, T));
        a.retention(new WorkspaceRetention("ops", 7, 7, WorkspaceRetention.WORKSPACE, T));
        Changes b = new Changes();
        b.retention(new WorkspaceRetention("ops", 14, 14, WorkspaceRetention.WORKSPACE, T.plusSeconds(1)));
        a.addAll(b);
        assertFalse(a.isEmpty());
        List<WorkspaceRetention> policies = a.policies();
        assertEquals(2, policies.size());
        assertEquals(30, policies.get(0).logsDays(), "the older DEFAULT announcement does not undo the newer policy");
        assertEquals(14, policies.get(1).logsDays());
    }

    @Test
    void daysOutsideTheBoundsAreRefused() {
        Changes c = new Changes();
        assertThrows(IllegalArgumentException.class,
                () -> c.retention(new WorkspaceRetention("finance", 0, 400, WorkspaceRetention.WORKSPACE, T)));
        assertThrows(IllegalArgumentException.class,
                () -> c.retention(new WorkspaceRetention("finance", 90, 30, WorkspaceRetention.WORKSPACE, T)));
        assertThrows(IllegalArgumentException.class,
                () -> c.retention(new WorkspaceRetention("finance", 90, 3651, WorkspaceRetention.WORKSPACE, T)));
        assertThrows(NullPointerException.class,
                () -> c.retention(new WorkspaceRetention("finance", 90, 400, WorkspaceRetention.WORKSPACE, null)));
    }
}
