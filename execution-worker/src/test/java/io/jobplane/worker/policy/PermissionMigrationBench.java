package io.jobplane.worker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicySink;

/**
 * Throughput of {@link PermissionMigration#run} on a generated Ranger export of 100,000 Hive policies (parse,
 * bounds check, mapping, de-duplication, batching into a counting sink). Not part of the normal test run:
 * {@code ./mvnw -o -pl execution-worker -am test -Dtest=PermissionMigrationBench -Dgroups=bench -DexcludedGroups=
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class PermissionMigrationBench {

    private static final int POLICIES = 100_000;

    /** Counts what the engine sends, keeping nothing. */
    private static final class CountingSink implements PolicySink {
        long grants;
        long entries;
        long committed = -1;

        @Override
        public void grants(PolicyChange.GrantsStaged staged) {
            grants += staged.grants().size();
        }

        @Override
        public void committed(PolicyChange.GrantsCommitted c) {
            committed = c.expectedGrants();
        }

        @Override
        public void report(PolicyChange.Report report) {
            entries += report.entries().size();
        }

        @Override
        public void complete(PolicyChange.Run run, String origin, long grants, long leftOut) {
            throw new AssertionError();
        }
    }

    /*
     * Each policy: database db<i % 500>, table t<i>, column *; item 0: select × users u<i%1000>, u<(i+1)%1000>,
     * group g<i%50> (3 grants); item 1: update, create × group admins, delegateAdmin (2 grants); every 10th policy
     * also has a deny item (1 report entry), every 25th is disabled (1 entry, no grants).
     * Grants: 96,000 enabled policies × 5 = 480,000 (all distinct: each policy has its own table).
     * Report: deny items of the enabled policies 0, 10, 20, … (10,000 − the 2,000 that are multiples of 50, disabled)
     * = 8,000, plus 4,000 disabled policies = 12,000 entries.
     */
    static byte[] generate() {
        StringBuilder b = new StringBuilder(POLICIES * 520).append("{\"metaDataInfo\":{\"Exported by\":\"bench\"},\"policies\":[");
        for (int i = 0; i < POLICIES; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"id\":").append(i).append(",\"name\":\"p").append(i).append("\",\"service\":\"hive_prod\",\"serviceType\":\"hive\",")
                    .append("\"isEnabled\":").append(i % 25 != 0).append(",\"policyType\":0,\"resources\":{\"database\":{\"values\":[\"db")
                    .append(i % 500).append("\"]},\"table\":{\"values\":[\"t").append(i).append("\"]},\"column\":{\"values\":[\"*\"]}},")
                    .append("\"policyItems\":[{\"accesses\":[{\"type\":\"select\",\"isAllowed\":true}],\"users\":[\"u").append(i % 1000)
                    .append("\",\"u").append((i + 1) % 1000).append("\"],\"groups\":[\"g").append(i % 50).append("\"],\"delegateAdmin\":false},")
                    .append("{\"accesses\":[{\"type\":\"update\",\"isAllowed\":true},{\"type\":\"create\",\"isAllowed\":true}],\"users\":[],")
                    .append("\"groups\":[\"admins\"],\"delegateAdmin\":true}],\"denyPolicyItems\":[");
            if (i % 10 == 0) {
                b.append("{\"accesses\":[{\"type\":\"select\",\"isAllowed\":true}],\"users\":[\"intern\"]}");
            }
            b.append("],\"allowExceptions\":[],\"denyExceptions\":[]}");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void migratesOneHundredThousandPolicies() {
        byte[] file = generate();
        PrincipalMapping relas = new PrincipalMapping("IAM_USER", "acs:ram::1:user/", null, "IAM_GROUP", null, null, null, null, null);
        PermissionMigration engine = new PermissionMigration(CatalogLookup.UNKNOWN, PolicyBounds.defaults());
        double best = 0;
        for (int round = 0; round < 5; round++) {
            CountingSink sink = new CountingSink();
            long start = System.nanoTime();
            MigrationSummary s = engine.run(file, "bench.json", PermissionMigration.Options.ranger(relas),
                    MemoryPolicySink.RUN, MemoryPolicySink.ORIGIN, sink, l -> { });
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(480_000, s.grants());
            assertEquals(480_000, sink.grants);
            assertEquals(480_000, sink.committed);
            assertEquals(12_000, sink.entries);
            double rate = s.grants() / seconds;
            System.out.printf(Locale.ROOT, "round %d%s: %,d policies (%.1f MB) → %,d grants, %,d left out in %.2f s: %,.0f grants/s%n",
                    round, round < 2 ? " (warm-up)" : "", POLICIES, file.length / 1e6, s.grants(), s.leftOut(), seconds, rate);
            if (round >= 2) {
                best = Math.max(best, rate);
            }
        }
        System.out.printf(Locale.ROOT, "best: %,.0f grants/s%n", best);
    }
}
