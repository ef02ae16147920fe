package io.jobplane.worker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.policy.PolicyChange;

/** Migrates Ranger's own files (vendored, read in place) and checks the grants counted by hand from them. */
class RangerFilesTest {

    private static final PrincipalMapping RELAS = new PrincipalMapping("IAM_USER", "acs:ram::1:user/", null,
            "IAM_GROUP", "g_", "_x", null, null, null);

    private static MemoryPolicySink migrate(String file, PrincipalMapping relas) throws Exception {
        MemoryPolicySink sink = new MemoryPolicySink();
        List<String> log = new ArrayList<>();
        byte[] data = Files.readAllBytes(MemoryPolicySink.vendor(file));
        MigrationSummary s = new PermissionMigration(CatalogLookup.UNKNOWN, PolicyBounds.defaults()).run(data, file,
                PermissionMigration.Options.ranger(relas), MemoryPolicySink.RUN, MemoryPolicySink.ORIGIN, sink, log::add);
        assertEquals(sink.grants().size(), s.grants());
        assertEquals(sink.entries().size(), s.leftOut());
        assertEquals(sink.kinds(), new TreeMap<>(s.byReason()));
        assertEquals(s.grants(), sink.commit().expectedGrants());
        assertEquals(s.generation(), sink.commit().generation());
        assertTrue(log.get(log.size() - 1).contains(s.grants() + " grants"), log.toString());
        return sink;
    }

    private static Map<String, Integer> count(List<PolicyChange.Grant> grants, java.util.function.Function<PolicyChange.Grant, String> by) {
        Map<String, Integer> counts = new TreeMap<>();
        for (PolicyChange.Grant g : grants) {
            counts.merge(by.apply(g), 1, Integer::sum);
        }
        return counts;
    }

    /*
     * test_policyengine_hive.json holds 12 policies (its "tests" are not read). Counted by hand, policy by policy
     * (principals × mapped accesses × resources):
     *   200 url 2 values × read,write × group public                                  = 4 location grants
     *     1 accesses []                                                               = 0, NO_ACCESSES
     *     2 default.test* : select × user1,user2,group1,group2 (4) + create,drop × user admin, group admin (4) = 8
     *     3 db1.tbl* select × 4 principals                                            = 4
     *     4 column tmp* isExcludes                                                    = 0, EXCLUDES
     *     5 hiveservice=* serviceadmin                                                = 0, UNSUPPORTED_RESOURCE
     *     6 databases demo1,demo2 select × 4 principals                               = 8
     *     7 demo1.demo1_tbl1,demo1_tbl2 create × 4 principals                         = 8
     *     8 dummy.* create,update,drop × user1,user2 = 6, minus the allow exceptions (user1 create,update;
     *       user2 create,update,drop) = 1 (user1 DROP), 2 × ALLOW_EXCEPTION
     *     9 db1 select × user1,user3,user4,group1,group2                              = 5, DENY_ALL_ELSE
     *   201 url 1 value × read,write × user1                                          = 2
     *  1001 org.employee select,create,read × john                                    = 3
     * Total 43 distinct grants (no two items give the same one); report: 6 entries.
     */
    @Test
    void hivePolicyEngineTestSet() throws Exception {
        MemoryPolicySink sink = migrate("test_policyengine_hive.json", RELAS);
        List<PolicyChange.Grant> grants = sink.grants();
        assertEquals(43, grants.size());
        assertEquals(43, new HashSet<>(grants).size());
        assertEquals(Map.of("ALLOW_EXCEPTION", 2L, "DENY_ALL_ELSE", 1L, "EXCLUDES", 1L, "NO_ACCESSES", 1L,
                "UNSUPPORTED_RESOURCE", 1L), sink.kinds());
        // per privilege: SELECT 4(p2)+4(p3)+8(p6)+5(p9)+1(p1001) = 22; CREATE 2(p2)+8(p7)+1 = 11; DROP 2(p2)+1(p8) = 3;
        // READ 2(p200)+1(p201)+1(p1001) = 4; WRITE 2(p200)+1(p201) = 3
        assertEquals(Map.of("SELECT", 22, "CREATE", 11, "DROP", 3, "READ", 4, "WRITE", 3), count(grants, PolicyChange.Grant::privilege));
        // per principal type: users (IAM_USER): p2 2 + 2 (admin), p3 2, p6 2×2 dbs, p7 2×2 tables, p8 1, p9 3, p201 2,
        // p1001 3 = 23; groups (IAM_GROUP): p200 1×2 urls×2, p2 2 + 2 (admin), p3 2, p6 2×2, p7 2×2, p9 2 = 20
        Map<String, Integer> byType = count(grants, g -> g.principal().type() + "/" + g.principal().source());
        assertEquals(Map.of("IAM_USER/USER", 23, "IAM_GROUP/GROUP", 20), byType);
        // names carry prefix and suffix
        assertTrue(grants.stream().anyMatch(g -> g.principal().name().equals("acs:ram::1:user/john")));
        assertTrue(grants.stream().anyMatch(g -> g.principal().name().equals("g_public_x")));
        // policy 8: only user1's DROP on dummy.* survives its exceptions, as a pattern
        List<PolicyChange.Grant> p8 = grants.stream().filter(g -> g.provenance().policyId().equals("8")).toList();
        assertEquals(1, p8.size());
        assertEquals(new PolicyChange.Resource("hive", "dummy", "*", null, null, true), p8.get(0).resource());
        assertEquals("DROP", p8.get(0).privilege());
        assertEquals("acs:ram::1:user/user1", p8.get(0).principal().name());
        // delegateAdmin → grant option: only policy 2's second item
        assertEquals(4, grants.stream().filter(PolicyChange.Grant::grantOption).count());
        assertTrue(grants.stream().filter(PolicyChange.Grant::grantOption).allMatch(g -> g.provenance().item().equals("policyItems[1]")));
        // urls are locations
        assertEquals(Set.of("s3a://qe-s3-bucket-mst/test_abcd/abcd", "s3a://qe-s3-bucket-mst/demo", "http://qe-s3-bucket-mst/test_abcd/abcd/"),
                Set.copyOf(grants.stream().filter(g -> g.resource().location() != null).map(g -> g.resource().location()).toList()));
        // a database-level grant names no table
        assertTrue(grants.stream().anyMatch(g -> g.resource().equals(new PolicyChange.Resource("hive", "demo2", null, null, null, false))));
        // column * is the table
        assertTrue(grants.stream().anyMatch(g -> g.resource().equals(new PolicyChange.Resource("hive", "org", "employee", null, null, false))
                && g.privilege().equals("READ")));
    }

    /*
     * import_policy_test_file.json (Ranger admin's export) holds 7 policies: 3 of an Atlas service and 4 of two HDFS
     * services (no serviceType in this 0.7 export: the path resource makes them HDFS). Counted by hand:
     *   1, 2, 3 Atlas                                       = 3 × OTHER_SERVICE
     *   24 /* read,write (execute reported) × dhaval, delegateAdmin   = 2 grants (pattern), 1 UNSUPPORTED_ACCESS_TYPE
     *   25 /ranger/audit/kms read,write × keyadmin                    = 2 grants, 1 UNSUPPORTED_ACCESS_TYPE
     *   26, 27 the same as 24, 25 in service "hdfs service 2d"        = 0 new grants (duplicates), 2 UNSUPPORTED_ACCESS_TYPE
     * Total 4 distinct grants; report: 7 entries.
     */
    @Test
    void rangerAdminExport() throws Exception {
        MemoryPolicySink sink = migrate("import_policy_test_file.json", PrincipalMapping.none());
        List<PolicyChange.Grant> grants = sink.grants();
        assertEquals(Map.of("OTHER_SERVICE", 3L, "UNSUPPORTED_ACCESS_TYPE", 4L), sink.kinds());
        PolicyChange.Principal dhaval = new PolicyChange.Principal("USER", "USER", "dhaval");
        PolicyChange.Principal keyadmin = new PolicyChange.Principal("USER", "USER", "keyadmin");
        PolicyChange.Resource all = new PolicyChange.Resource(null, null, null, null, "/*", true);
        PolicyChange.Resource kms = new PolicyChange.Resource(null, null, null, null, "/ranger/audit/kms", false);
        Set<List<Object>> got = new HashSet<>();
        for (PolicyChange.Grant g : grants) {
            got.add(List.of(g.principal(), g.resource(), g.privilege(), g.grantOption(), g.provenance().policyId()));
        }
        // the first provenance is kept: policies 24 and 25, not their duplicates 26 and 27
        assertEquals(Set.of(List.of(dhaval, all, "READ", true, "24"), List.of(dhaval, all, "WRITE", true, "24"),
                List.of(keyadmin, kms, "READ", false, "25"), List.of(keyadmin, kms, "WRITE", false, "25")), got);
        assertEquals(4, grants.size());
    }

    @Test
    void aSecondRunGivesTheSameGrantsUnderANewGeneration() throws Exception {
        MemoryPolicySink first = migrate("test_policyengine_hive.json", RELAS);
        MemoryPolicySink second = migrate("test_policyengine_hive.json", RELAS);
        assertEquals(first.grants(), second.grants());
        assertEquals(first.entries(), second.entries());
        assertNotEquals(first.commit().generation(), second.commit().generation());
        for (MemoryPolicySink s : List.of(first, second)) {
            for (Object e : s.events) {
                if (e instanceof PolicyChange.GrantsStaged staged) {
                    assertEquals(s.commit().generation(), staged.generation());
                }
            }
        }
    }
}
