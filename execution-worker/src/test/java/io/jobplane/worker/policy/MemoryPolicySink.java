package io.jobplane.worker.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicySink;

/**
 * Keeps a run's policy changes in the order they were emitted, for unit tests of the engine. Completing the run
 * is the caller's part, never the engine's: {@link #complete} fails the test.
 */
class MemoryPolicySink implements PolicySink {

    static final PolicyChange.Run RUN = new PolicyChange.Run("ws1", "job-1", "run-1", 1, Instant.parse("2026-01-01T00:00:00Z"));
    static final String ORIGIN = "job/job-1/file";

    final List<Object> events = new ArrayList<>();

    @Override
    public void grants(PolicyChange.GrantsStaged staged) {
        events.add(staged);
    }

    @Override
    public void committed(PolicyChange.GrantsCommitted committed) {
        events.add(committed);
    }

    @Override
    public void report(PolicyChange.Report report) {
        events.add(report);
    }

    @Override
    public void complete(PolicyChange.Run run, String origin, long grants, long leftOut) {
        throw new AssertionError("the engine must not complete the run");
    }

    List<PolicyChange.Grant> grants() {
        List<PolicyChange.Grant> all = new ArrayList<>();
        for (Object e : events) {
            if (e instanceof PolicyChange.GrantsStaged s) {
                all.addAll(s.grants());
            }
        }
        return all;
    }

    List<PolicyChange.ReportEntry> entries() {
        List<PolicyChange.ReportEntry> all = new ArrayList<>();
        for (Object e : events) {
            if (e instanceof PolicyChange.Report r) {
                all.addAll(r.entries());
            }
        }
        return all;
    }

    Map<String, Long> kinds() {
        Map<String, Long> kinds = new TreeMap<>();
        for (PolicyChange.ReportEntry e : entries()) {
            kinds.merge(e.kind(), 1L, Long::sum);
        }
        return kinds;
    }

    PolicyChange.GrantsCommitted commit() {
        Object last = events.get(events.size() - 1);
        return (PolicyChange.GrantsCommitted) last;
    }

    /**
     * The vendored Ranger files: {@code -Djobplane.vendor.dir=/path/to/vendor} (holding {@code ranger/}), else the
     * first {@code shared/vendor} found walking up from the working directory (the repository's sibling
     * {@code ../shared/vendor}).
     */
    static Path vendor(String file) throws IOException {
        String dir = System.getProperty("jobplane.vendor.dir");
        if (dir != null) {
            return Path.of(dir, "ranger", file);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/vendor/ranger").resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IOException("vendored Ranger file " + file + " not found: pass -Djobplane.vendor.dir=<dir holding ranger/>");
    }
}
