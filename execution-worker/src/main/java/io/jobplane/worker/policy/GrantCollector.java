package io.jobplane.worker.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicySink;

/**
 * Collects one run's grants and report entries and sends them in batches: grants de-duplicated (principal,
 * resource, privilege, grant option; the first provenance kept) under one generation, then the commit.
 */
final class GrantCollector {

    private record Key(PolicyChange.Principal principal, PolicyChange.Resource resource, String privilege, boolean grantOption) {
    }

    private final PolicyChange.Run run;
    private final String origin;
    private final PolicySink sink;
    private final PolicyBounds bounds;
    private final String generation = UUID.randomUUID().toString();
    private final Set<Key> seen = new HashSet<>();
    private final List<PolicyChange.Grant> grants = new ArrayList<>();
    private final List<PolicyChange.ReportEntry> entries = new ArrayList<>();
    private final Map<String, Long> byReason = new TreeMap<>();
    private long candidates;
    private long leftOut;

    GrantCollector(PolicyChange.Run run, String origin, PolicySink sink, PolicyBounds bounds) {
        this.run = run;
        this.origin = origin;
        this.sink = sink;
        this.bounds = bounds;
    }

    void grant(PolicyChange.Principal principal, PolicyChange.Resource resource, String privilege, boolean grantOption,
            PolicyChange.Provenance provenance) {
        if (++candidates > bounds.maxCandidates()) {
            throw new PolicyFileException("TOO_MANY_GRANTS",
                    "the policy file expands to more than " + bounds.maxCandidates() + " grants to examine");
        }
        if (!seen.add(new Key(principal, resource, privilege, grantOption))) {
            return;
        }
        if (seen.size() > bounds.maxGrants()) {
            throw new PolicyFileException("TOO_MANY_GRANTS",
                    "the policy file expands to more than " + bounds.maxGrants() + " distinct grants");
        }
        grants.add(new PolicyChange.Grant(principal, resource, privilege, grantOption, provenance));
        if (grants.size() == PolicyChange.MAX_GRANTS_PER_EVENT) {
            flushGrants();
        }
    }

    void leaveOut(PolicyChange.Provenance provenance, String kind, String reason) {
        leftOut++;
        byReason.merge(kind, 1L, Long::sum);
        entries.add(new PolicyChange.ReportEntry(provenance, kind, reason));
        if (entries.size() == PolicyChange.MAX_REPORT_ENTRIES_PER_EVENT) {
            flushReport();
        }
    }

    MigrationSummary commit() {
        flushGrants();
        flushReport();
        sink.committed(new PolicyChange.GrantsCommitted(run, origin, generation, seen.size()));
        return new MigrationSummary(generation, seen.size(), leftOut, Map.copyOf(byReason));
    }

    private void flushGrants() {
        if (!grants.isEmpty()) {
            sink.grants(new PolicyChange.GrantsStaged(run, origin, generation, List.copyOf(grants)));
            grants.clear();
        }
    }

    private void flushReport() {
        if (!entries.isEmpty()) {
            sink.report(new PolicyChange.Report(run, origin, List.copyOf(entries)));
            entries.clear();
        }
    }
}
