package io.jobplane.worker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.policy.PolicyChange;

/** Ranger policies written for one rule each, in Ranger's export format. */
class RangerFixturesTest {

    static MemoryPolicySink migrate(String json, PrincipalMapping relas, CatalogLookup lookup) {
        MemoryPolicySink sink = new MemoryPolicySink();
        new PermissionMigration(lookup, PolicyBounds.defaults()).run(json.getBytes(StandardCharsets.UTF_8), "f.json",
                PermissionMigration.Options.ranger(relas), MemoryPolicySink.RUN, MemoryPolicySink.ORIGIN, sink, l -> { });
        return sink;
    }

    static MemoryPolicySink migrate(String json) {
        return migrate(json, PrincipalMapping.none(), CatalogLookup.UNKNOWN);
    }

    /** An export envelope around policies given as JSON objects (single quotes for double). */
    static String export(String... policies) {
        return ("{'metaDataInfo':{'Exported by':'admin'},'policies':[" + String.join(",", policies) + "]}").replace('\'', '"');
    }

    static String hive(int id, String resources, String extra) {
        return "{'id':" + id + ",'name':'p" + id + "','service':'hive_prod','serviceType':'hive','isEnabled':true,'policyType':0,"
                + "'resources':{" + resources + "}" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static final String SALES_ORDERS = "'database':{'values':['sales']},'table':{'values':['orders']},'column':{'values':['*']}";

    static Set<String> summary(MemoryPolicySink sink) {
        return sink.grants().stream().map(g -> g.principal().type() + ":" + g.principal().name() + " " + g.privilege() + " "
                + g.resource().database() + "." + g.resource().table() + "." + g.resource().column() + (g.resource().pattern() ? " ~" : "")
                + (g.grantOption() ? " +go" : "")).collect(Collectors.toSet());
    }

    @Test
    void denyItemsAreReportedAndWithholdTheSamePrincipalsAccesses() {
        MemoryPolicySink sink = migrate(export(hive(1, SALES_ORDERS,
                "'policyItems':[{'accesses':[{'type':'select','isAllowed':true},{'type':'alter','isAllowed':true}],'users':['ann','bob'],'delegateAdmin':false}],"
                        + "'denyPolicyItems':[{'accesses':[{'type':'alter','isAllowed':true}],'users':['bob']}],"
                        + "'denyExceptions':[{'accesses':[{'type':'alter','isAllowed':true}],'users':['bob']}]")));
        assertEquals(Set.of("USER:ann SELECT sales.orders.null", "USER:ann ALTER sales.orders.null", "USER:bob SELECT sales.orders.null"),
                summary(sink));
        assertEquals(Map.of("DENY_ITEM", 1L, "DENY_EXCEPTION", 1L), sink.kinds());
        PolicyChange.ReportEntry deny = sink.entries().get(0);
        assertEquals(new PolicyChange.Provenance("f.json", "1", "p1", "denyPolicyItems[0]"), deny.provenance());
        assertTrue(deny.reason().contains("bob") && deny.reason().contains("alter"), deny.reason());
    }

    @Test
    void conditionsOnAnItemOrThePolicyLeaveThemOut() {
        String cond = "'conditions':[{'type':'ip-range','values':['10.0.0.0/8']}]";
        MemoryPolicySink sink = migrate(export(
                hive(1, SALES_ORDERS, "'policyItems':[{'accesses':[{'type':'select'}],'users':['ann']," + cond + "},"
                        + "{'accesses':[{'type':'select'}],'users':['bob']}]"),
                hive(2, SALES_ORDERS, cond + ",'policyItems':[{'accesses':[{'type':'select'}],'users':['carl']}]"),
                hive(3, SALES_ORDERS, "'validitySchedules':[{'startTime':'2020/01/01 00:00:00'}],'policyItems':[{'accesses':[{'type':'select'}],'users':['dora']}]")));
        assertEquals(Set.of("USER:bob SELECT sales.orders.null"), summary(sink));
        assertEquals(Map.of("CONDITION", 2L, "VALIDITY_SCHEDULE", 1L), sink.kinds());
        assertEquals("policyItems[0]", sink.entries().get(0).provenance().item());
        assertEquals("policy", sink.entries().get(1).provenance().item());
    }

    @Test
    void maskingRowFilterAndDisabledPoliciesAreReported() {
        MemoryPolicySink sink = migrate(export(
                hive(1, SALES_ORDERS.replace("'*'", "'card'"), "'policyType':1,'dataMaskPolicyItems':[{'accesses':[{'type':'select'}],'users':['ann'],'dataMaskInfo':{'dataMaskType':'MASK'}}]").replace("'policyType':0,", ""),
                hive(2, "'database':{'values':['sales']},'table':{'values':['orders']}", "'policyType':2,'rowFilterPolicyItems':[{'accesses':[{'type':'select'}],'users':['ann'],'rowFilterInfo':{'filterExpr':'region=1'}}]").replace("'policyType':0,", ""),
                hive(3, SALES_ORDERS, "'policyItems':[{'accesses':[{'type':'select'}],'users':['ann']}]").replace("'isEnabled':true", "'isEnabled':false"),
                hive(4, SALES_ORDERS, "'policyItems':[{'accesses':[{'type':'select'}],'users':['eve']}]")));
        assertEquals(Set.of("USER:eve SELECT sales.orders.null"), summary(sink));
        assertEquals(Map.of("DATA_MASK", 1L, "ROW_FILTER", 1L, "DISABLED_POLICY", 1L), sink.kinds());
    }

    @Test
    void allowExceptionsWithholdTheirPrincipalsAccessesIncludingAll() {
        MemoryPolicySink sink = migrate(export(hive(1, SALES_ORDERS,
                "'policyItems':[{'accesses':[{'type':'all'}],'users':['ann'],'groups':['eng']},{'accesses':[{'type':'select'},{'type':'drop'}],'users':['bob']}],"
                        + "'allowExceptions':[{'accesses':[{'type':'drop'}],'users':['ann','bob']}]")));
        // ann's ALL would include DROP: withheld whole; the group eng keeps ALL (reported reason says so)
        assertEquals(Set.of("GROUP:eng ALL sales.orders.null", "USER:bob SELECT sales.orders.null"), summary(sink));
        assertEquals(Map.of("ALLOW_EXCEPTION", 1L), sink.kinds());
    }

    @Test
    void unknownAccessTypesNotAllowedAccessesAndMacrosAreReported() {
        MemoryPolicySink sink = migrate(export(
                hive(1, SALES_ORDERS, "'policyItems':[{'accesses':[{'type':'select'},{'type':'repladmin'},{'type':'tempudfadmin'},{'type':'frobnicate'},"
                        + "{'type':'update','isAllowed':false}],'users':['ann','{OWNER}'],'roles':['analyst']}]"),
                hive(2, "'database':{'values':['sales']},'udf':{'values':['*']}", "'policyItems':[{'accesses':[{'type':'create'}],'users':['ann']}]"),
                hive(3, SALES_ORDERS, "'policyItems':[{'accesses':[{'type':'select'}]}]")));
        assertEquals(Set.of("USER:ann SELECT sales.orders.null", "ROLE:analyst SELECT sales.orders.null"), summary(sink));
        assertEquals(Map.of("UNSUPPORTED_ACCESS_TYPE", 3L, "ACCESS_NOT_ALLOWED", 1L, "PRINCIPAL_MACRO", 1L,
                "UNSUPPORTED_RESOURCE", 1L, "NO_PRINCIPALS", 1L), sink.kinds());
    }

    @Test
    void excludesAndOtherServicesAreReported() {
        MemoryPolicySink sink = migrate(export(
                hive(1, "'database':{'values':['sales']},'table':{'values':['secret*'],'isExcludes':true}", "'policyItems':[{'accesses':[{'type':'select'}],'users':['ann']}]"),
                "{'id':2,'service':'kafka_prod','serviceType':'kafka','resources':{'topic':{'values':['orders']}},'policyItems':[{'accesses':[{'type':'publish'}],'users':['ann']}]}",
                "{'id':3,'service':'x','resources':{'queue':{'values':['q']}},'policyItems':[{'accesses':[{'type':'submit'}],'users':['ann']}]}"));
        assertTrue(sink.grants().isEmpty());
        assertEquals(Map.of("EXCLUDES", 1L, "OTHER_SERVICE", 2L), sink.kinds());
        assertEquals(0, sink.commit().expectedGrants());
    }

    @Test
    void principalMappingAppliesTypePrefixAndSuffixPerKind() {
        String item = "'policyItems':[{'accesses':[{'type':'select'}],'users':['ann'],'groups':['eng'],'roles':['analyst'],'delegateAdmin':true}]";
        MemoryPolicySink sink = migrate(export(hive(1, SALES_ORDERS, item)),
                new PrincipalMapping("IAM_USER", "u_", "@corp", "IAM_GROUP", "g_", null, "ROLE", null, "_r"), CatalogLookup.UNKNOWN);
        assertEquals(Set.of("IAM_USER:u_ann@corp SELECT sales.orders.null +go", "IAM_GROUP:g_eng SELECT sales.orders.null +go",
                "ROLE:analyst_r SELECT sales.orders.null +go"), summary(sink));
        assertEquals(Set.of("USER", "GROUP", "ROLE"), sink.grants().stream().map(g -> g.principal().source()).collect(Collectors.toSet()));
        // only users mapped: groups and roles keep their kind as type
        MemoryPolicySink partial = migrate(export(hive(1, SALES_ORDERS, item)),
                new PrincipalMapping("ROLE", null, null, null, null, null, null, null, null), CatalogLookup.UNKNOWN);
        assertEquals(Set.of("ROLE:ann SELECT sales.orders.null +go", "GROUP:eng SELECT sales.orders.null +go",
                "ROLE:analyst SELECT sales.orders.null +go"), summary(partial));
    }

    @Test
    void wildcardsExpandAgainstAKnownCatalogAndStayPatternsOtherwise() {
        String policy = export(hive(1, "'database':{'values':['sales','mkt*']},'table':{'values':['ord*','*_dim']},'column':{'values':['id','amount_*']}",
                "'policyItems':[{'accesses':[{'type':'select'}],'users':['ann']}]"));
        InMemoryCatalogLookup catalog = new InMemoryCatalogLookup()
                .table("hive", "sales", "orders", "id", "amount_eur", "amount_usd", "note")
                .table("hive", "sales", "order_lines")               // columns unknown
                .table("hive", "sales", "date_dim", "id", "day")
                .table("hive", "sales", "customers", "id")
                .database("hive", "mktg");
        MemoryPolicySink known = migrate(policy, PrincipalMapping.none(), catalog);
        assertEquals(Set.of(
                "USER:ann SELECT sales.orders.id", "USER:ann SELECT sales.orders.amount_eur", "USER:ann SELECT sales.orders.amount_usd",
                "USER:ann SELECT sales.order_lines.id", "USER:ann SELECT sales.order_lines.amount_* ~",
                "USER:ann SELECT sales.date_dim.id"), summary(known));
        // date_dim has no amount_* column, mktg has no ord* or *_dim table: each reported
        assertEquals(Map.of("PATTERN_NO_MATCH", 3L), known.kinds());

        MemoryPolicySink unknown = migrate(policy);
        assertEquals(Set.of("USER:ann SELECT sales.ord*.id ~",
                "USER:ann SELECT sales.ord*.amount_* ~", "USER:ann SELECT sales.*_dim.id ~", "USER:ann SELECT sales.*_dim.amount_* ~",
                "USER:ann SELECT mkt*.ord*.id ~", "USER:ann SELECT mkt*.ord*.amount_* ~", "USER:ann SELECT mkt*.*_dim.id ~",
                "USER:ann SELECT mkt*.*_dim.amount_* ~"), summary(unknown));
        assertTrue(unknown.entries().isEmpty());
    }

    @Test
    void duplicatesAcrossItemsAreOneGrantWithTheFirstProvenance() {
        MemoryPolicySink sink = migrate(export(
                hive(1, SALES_ORDERS, "'policyItems':[{'accesses':[{'type':'select'}],'users':['ann']},{'accesses':[{'type':'select'},{'type':'select'}],'users':['ann','ann']}]"),
                hive(2, "'database':{'values':['SALES']},'table':{'values':['Orders']}", "'policyItems':[{'accesses':[{'type':'SELECT'}],'users':['ann']}]")));
        assertEquals(1, sink.grants().size());
        assertEquals(new PolicyChange.Provenance("f.json", "1", "p1", "policyItems[0]"), sink.grants().get(0).provenance());
        assertEquals(1, sink.commit().expectedGrants());
    }

    @Test
    void grantsAndReportGoInBoundedBatchesOfOneGeneration() {
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < 1201; i++) {
            users.append(i == 0 ? "" : ",").append("'u").append(i).append("'");
        }
        StringBuilder policies = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            policies.append(i == 0 ? "" : ",").append(hive(1000 + i, SALES_ORDERS, "'isEnabled':false").replace("'isEnabled':true,", ""));
        }
        MemoryPolicySink sink = migrate(export(hive(1, SALES_ORDERS, "'policyItems':[{'accesses':[{'type':'select'}],'users':[" + users + "]}]"),
                policies.toString()));
        List<Integer> batches = sink.events.stream().filter(e -> e instanceof PolicyChange.GrantsStaged)
                .map(e -> ((PolicyChange.GrantsStaged) e).grants().size()).toList();
        assertEquals(List.of(500, 500, 201), batches);
        List<Integer> reports = sink.events.stream().filter(e -> e instanceof PolicyChange.Report)
                .map(e -> ((PolicyChange.Report) e).entries().size()).toList();
        assertEquals(List.of(500, 100), reports);
        assertEquals(1201, sink.commit().expectedGrants());
        assertEquals(1, sink.events.stream().filter(e -> e instanceof PolicyChange.GrantsStaged)
                .map(e -> ((PolicyChange.GrantsStaged) e).generation()).distinct().count());
    }

    @Test
    void locationsAreGrantedWhenRecursiveOrUnsaidAndReportedWhenNot() {
        MemoryPolicySink sink = migrate(export(
                hive(1, "'url':{'values':['s3a://b/raw/'],'isRecursive':true}", "'policyItems':[{'accesses':[{'type':'read'},{'type':'write'}],'users':['ann']}]"),
                hive(2, "'url':{'values':['s3a://b/tmp/*']}", "'policyItems':[{'accesses':[{'type':'read'}],'users':['ann']}]"),
                hive(3, "'url':{'values':['s3a://b/one'],'isRecursive':false}", "'policyItems':[{'accesses':[{'type':'read'}],'users':['ann']}]"),
                "{'id':4,'service':'hdfs1','resources':{'path':{'values':['/data'],'isRecursive':true}},'policyItems':[{'accesses':[{'type':'read'},{'type':'execute'}],'groups':['etl']}]}"));
        assertEquals(Set.of(new PolicyChange.Resource(null, null, null, null, "s3a://b/raw/", false),
                new PolicyChange.Resource(null, null, null, null, "s3a://b/tmp/*", true),
                new PolicyChange.Resource(null, null, null, null, "/data", false)),
                Set.copyOf(sink.grants().stream().map(PolicyChange.Grant::resource).toList()));
        assertEquals(4, sink.grants().size());
        assertEquals(Map.of("NON_RECURSIVE_LOCATION", 1L, "UNSUPPORTED_ACCESS_TYPE", 1L), sink.kinds());
    }
}
