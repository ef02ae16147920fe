package io.jobplane.api.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.jobplane.api.quota.QuotaLimits;
import io.jobplane.api.security.Role;

/** Workspaces as the API shows them, and how their settings are replaced. */
class WorkspaceViewTest {

    @Test
    void everyWorkspaceOfTheTokenIsListedWithTheRoleRegisteredOrNot() {
        Map<String, Role> mine = new TreeMap<>(Map.of("alpha", Role.ADMIN, "beta", Role.VIEWER));
        WorkspaceEntity beta = WorkspaceEntity.register(new WorkspaceRequest("beta", "Beta team", "ETL", 5, null), "bob");

        List<WorkspaceView> views = WorkspaceView.all(mine, List.of(beta));

        assertEquals(new WorkspaceView("alpha", "alpha", null, null, "admin", false, null, null, null), views.get(0));
        assertEquals(new WorkspaceView("beta", "Beta team", "ETL", 5, "viewer", true, beta.createdAt, 0, null), views.get(1));
        assertEquals(2, views.size());
    }

    @Test
    void aRegisteredWorkspaceIsStampedWithWhoRegisteredIt() {
        WorkspaceEntity e = WorkspaceEntity.register(new WorkspaceRequest("ws", "WS", null, null, null), "carol");
        assertEquals("carol", e.createdBy);
        assertEquals(e.createdAt, e.updatedAt);
        assertTrue(e.createdAt != null && !e.createdAt.isAfter(Instant.now()));
    }

    @Test
    void settingsAreReplacedAsAWholeAndTheAuditTrailRecordsNameAndCap() {
        WorkspaceEntity e = WorkspaceEntity.register(new WorkspaceRequest("ws", "Old", "old description", 3, null), "carol");
        Instant before = e.updatedAt;

        assertEquals(Map.of("display_name", "New", "max_active_runs", 9), e.replace(new WorkspaceUpdate("New", null, 9, null)));
        assertEquals("New", e.displayName);
        assertEquals(null, e.description);
        assertFalse(e.updatedAt.isBefore(before));

        assertEquals(Map.of("display_name", "New"), e.replace(new WorkspaceUpdate("New", "d", null, null)));
        assertEquals(null, e.maxActiveRuns, "a left-out cap removes the cap");

        QuotaLimits own = new QuotaLimits(10, null, null, null, 30, 5);
        assertEquals(Map.of("display_name", "New", "quotas", own), e.replace(new WorkspaceUpdate("New", null, null, own)));
        assertEquals(own, e.quotas());
        assertEquals("{\"max_tasks_per_job\":10,\"launches_per_minute\":30,\"launch_burst\":5}", e.quotas,
                "stored as given: only the fields set");
        assertEquals(own, WorkspaceView.of("ws", Role.ADMIN, e).quotas());
        e.replace(new WorkspaceUpdate("New", null, null, null));
        assertTrue(e.quotas().isEmpty(), "left-out quotas take the deployment's again");
    }
}
