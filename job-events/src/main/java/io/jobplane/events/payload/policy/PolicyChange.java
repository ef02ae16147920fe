package io.jobplane.events.payload.policy;

import java.time.Instant;
import java.util.List;

/**
 * The changes a permission migration run ({@code PERMISSION_MIGRATION}) emits on {@code jobplane.policy-changes}
 * and policy-migrator materialises into its {@code policy} schema (docs/events.md, "Policy changes"). Grants
 * belong to an <em>origin</em>: where they came from (a policy file of a job, or a discovery job's
 * {@code principals}). A run sends the whole set of its origin's grants as a generation, in batches, then a
 * commit: policy-migrator then makes that set the origin's grants in one transaction, applying only the
 * difference (grants no longer there are revoked, new ones granted, the rest untouched), so running the same
 * file again changes nothing and readers never see half a set.
 */
public final class PolicyChange {

    private PolicyChange() {
    }

    /** Grants in one event at most. */
    public static final int MAX_GRANTS_PER_EVENT = 500;
    /** Report entries in one event at most. */
    public static final int MAX_REPORT_ENTRIES_PER_EVENT = 500;

    /** The run that sent a change: its workspace, job, run id and attempt. */
    public record Run(String workspace, String jobId, String runId, int attempt, Instant observedAt) {
    }

    /**
     * Who is granted: {@code type} as mapped ({@code IAM_USER}, {@code IAM_GROUP}, {@code ROLE}, or for a
     * discovery's principals {@code USER}, {@code GROUP}, {@code ROLE}, {@code SHARE}, {@code OTHER}), the
     * {@code source} kind the name had before mapping ({@code USER}, {@code GROUP}, {@code ROLE} of a Ranger
     * policy; {@code IAM}, {@code LDAP}, … of a discovery principal) and the {@code name} (prefix and suffix
     * applied).
     */
    public record Principal(String type, String source, String name) {
    }

    /**
     * What is granted on: a catalog object ({@code catalog}, {@code database}, {@code table}, {@code column};
     * null below the level granted) or a storage {@code location}. {@code pattern} is true when a name is a
     * pattern the catalog did not expand ({@code *}, {@code sales_*}); it is then matched, not named.
     */
    public record Resource(String catalog, String database, String table, String column, String location, boolean pattern) {
    }

    /** Where one grant came from: the file, the policy's id and name, and the item of the policy. */
    public record Provenance(String file, String policyId, String policyName, String item) {
    }

    /** One grant: principal, resource, privilege ({@code SELECT}, {@code INSERT}, {@code ALTER}, …), grant option. */
    public record Grant(Principal principal, Resource resource, String privilege, boolean grantOption, Provenance provenance) {
    }

    /**
     * A batch of an origin's grants in generation {@code generation}. Event {@code jobplane.policy.grants.staged}.
     * The Kafka key is {@link #key(String, String)}, so an origin's events stay in order.
     */
    public record GrantsStaged(Run run, String origin, String generation, List<Grant> grants) {
    }

    /**
     * Closes a generation: once all {@code expectedGrants} distinct grants are staged, they become the origin's
     * whole set of grants. Event {@code jobplane.policy.grants.committed}.
     */
    public record GrantsCommitted(Run run, String origin, String generation, long expectedGrants) {
    }

    /**
     * What a run could not express as a grant, each with the reason (a deny item, an exception, a condition, a
     * masking or row-filter policy, a disabled policy, an unknown access type, a resource of another service…).
     * Event {@code jobplane.policy.report}.
     */
    public record Report(Run run, String origin, List<ReportEntry> entries) {
    }

    /** One item left out: where it is ({@link Provenance}), what kind of item, and why. */
    public record ReportEntry(Provenance provenance, String kind, String reason) {
    }

    /** The last change of a run: how many grants it found and items it left out. Event {@code jobplane.policy.run.completed}. */
    public record RunCompleted(Run run, String origin, long grants, long leftOut) {
    }

    /** The Kafka key of an origin's changes. */
    public static String key(String workspace, String origin) {
        return workspace + "/" + origin;
    }
}
