package io.jobplane.api.grant;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the grant queries answer (docs/api.md, "Grants"). */
public final class GrantViews {

    private GrantViews() {
    }

    /** Who is granted: the mapped type, the kind of name before mapping, and the name. */
    public record PrincipalRef(String type, String source, String name) {
    }

    /** A catalog object (null below the level granted) or a storage location; {@code pattern}: names are wildcards. */
    public record ResourceView(String catalog, String database, String table, String column, String location, boolean pattern) {
    }

    /** Where a grant came from. */
    public record ProvenanceView(String file, String policyId, String policyName, String item) {
    }

    /** One grant of an origin. */
    public record GrantView(String origin, PrincipalRef principal, ResourceView resource, String privilege, boolean grantOption,
            ProvenanceView provenance, Instant grantedAt, String runId) {
    }

    public record GrantPage(List<GrantView> grants, String nextCursor) {
    }

    public record PrincipalView(String type, String source, String name, long grants, Instant firstSeenAt) {
    }

    public record PrincipalPage(List<PrincipalView> principals, String nextCursor) {
    }

    /** Whether the principal holds the privilege on the resource, and the grants that give it. */
    public record CheckResult(boolean allowed, PrincipalRef principal, String privilege, ResourceView resource,
            List<GrantView> grants) {
    }

    /** One item a run left out. */
    public record ReportEntryView(ProvenanceView provenance, String kind, String reason) {
    }

    /**
     * What a permission migration run did: grants added, revoked and left unchanged, the items it left out
     * by kind and (paged) one by one, and its own counts once it completed.
     */
    public record PermissionReport(String runId, Integer attempt, String origin, boolean complete, long grantsAdded,
            long grantsRevoked, long grantsUnchanged, Long reportedGrants, Long reportedLeftOut, Map<String, Long> leftOutByKind,
            List<ReportEntryView> entries, String nextCursor) {
    }
}
