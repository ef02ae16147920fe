package io.jobplane.worker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** DLF and LakeFormation permission files (shapes in docs/permissions.md). */
class CloudPermissionsTest {

    private static MemoryPolicySink migrate(String type, String catalogId, String json, CatalogLookup lookup) {
        MemoryPolicySink sink = new MemoryPolicySink();
        new PermissionMigration(lookup, PolicyBounds.defaults()).run(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), "p.json",
                new PermissionMigration.Options(type, catalogId, null, "dlf_main"), MemoryPolicySink.RUN, MemoryPolicySink.ORIGIN, sink, l -> { });
        return sink;
    }

    @Test
    void dlfPermissions() {
        String file = "{'Permissions':["
                + "{'Principal':{'PrincipalArn':'acs:ram::1001:user/ann'},'Resource':{'Table':{'CatalogId':'1001','DatabaseName':'Sales','Name':'orders'}},"
                + "'Permissions':['SELECT','ALTER'],'PermissionsWithGrantOption':['SELECT']},"
                + "{'Principal':{'PrincipalArn':'acs:ram::1001:role/etl'},'Resource':{'Database':{'CatalogId':'1001','Name':'sales'}},'Permissions':['CREATE_TABLE','FLY']},"
                + "{'Principal':{'PrincipalArn':'acs:ram::1001:role/etl'},'Resource':{'Column':{'CatalogId':'1001','DatabaseName':'sales','TableName':'orders','ColumnNames':['id','amount']}},'Permissions':['SELECT']},"
                + "{'Principal':{'PrincipalArn':'acs:ram::1001:user/bob'},'Resource':{'Table':{'CatalogId':'2002','DatabaseName':'x','Name':'y'}},'Permissions':['SELECT']},"
                + "{'Principal':{'PrincipalArn':'someone'},'Resource':{'Catalog':{'CatalogId':'1001'}},'Permissions':['ALL']},"
                + "{'Principal':{'PrincipalArn':'acs:ram::1001:user/cid'},'Resource':{'Catalog':{'CatalogId':'1001'}},'Permissions':['ALL']},"
                + "{'Principal':{'PrincipalArn':'acs:ram::1001:user/dan'},'Resource':{'Table':{'CatalogId':'1001','DatabaseName':'sales','Name':'ord*'}},'Permissions':['SELECT']}"
                + "]}";
        MemoryPolicySink sink = migrate("DLF", "1001", file, new InMemoryCatalogLookup().table("dlf_main", "sales", "orders").table("dlf_main", "sales", "order_lines"));
        assertEquals(Set.of("IAM_USER:acs:ram::1001:user/ann SELECT sales.orders.null +go", "IAM_USER:acs:ram::1001:user/ann ALTER sales.orders.null",
                "ROLE:acs:ram::1001:role/etl CREATE_TABLE sales.null.null", "ROLE:acs:ram::1001:role/etl SELECT sales.orders.id",
                "ROLE:acs:ram::1001:role/etl SELECT sales.orders.amount", "IAM_USER:acs:ram::1001:user/cid ALL null.null.null",
                "IAM_USER:acs:ram::1001:user/dan SELECT sales.orders.null", "IAM_USER:acs:ram::1001:user/dan SELECT sales.order_lines.null"),
                RangerFixturesTest.summary(sink));
        assertEquals(Map.of("UNSUPPORTED_ACCESS_TYPE", 1L, "OTHER_CATALOG", 1L, "UNSUPPORTED_PRINCIPAL", 1L), sink.kinds());
        assertEquals(Set.of("DLF"), Set.copyOf(sink.grants().stream().map(g -> g.principal().source()).toList()));
        assertEquals("dlf_main", sink.grants().get(0).resource().catalog());
    }

    @Test
    void lakeFormationPermissions() {
        String file = "{'PrincipalResourcePermissions':["
                + "{'Principal':{'DataLakePrincipalIdentifier':'arn:aws:iam::111122223333:role/analyst'},'Resource':{'Table':{'CatalogId':'111122223333','DatabaseName':'sales','TableWildcard':{}}},'Permissions':['SELECT','DESCRIBE']},"
                + "{'Principal':{'DataLakePrincipalIdentifier':'arn:aws:iam::111122223333:user/ann'},'Resource':{'TableWithColumns':{'DatabaseName':'sales','Name':'orders','ColumnWildcard':{}}},'Permissions':['SELECT'],'PermissionsWithGrantOption':['SELECT']},"
                + "{'Principal':{'DataLakePrincipalIdentifier':'arn:aws:iam::111122223333:user/ann'},'Resource':{'TableWithColumns':{'DatabaseName':'sales','Name':'orders','ColumnWildcard':{'ExcludedColumnNames':['ssn']}}},'Permissions':['SELECT']},"
                + "{'Principal':{'DataLakePrincipalIdentifier':'arn:aws:iam::111122223333:user/ann'},'Resource':{'DataLocation':{'ResourceArn':'arn:aws:s3:::bucket/sales'}},'Permissions':['DATA_LOCATION_ACCESS']},"
                + "{'Principal':{'DataLakePrincipalIdentifier':'IAM_ALLOWED_PRINCIPALS'},'Resource':{'Database':{'Name':'sales'}},'Permissions':['ALL']},"
                + "{'Principal':{'DataLakePrincipalIdentifier':'arn:aws:iam::111122223333:role/analyst'},'Resource':{'LFTagPolicy':{'ResourceType':'TABLE','Expression':[]}},'Permissions':['SELECT']}"
                + "]}";
        MemoryPolicySink sink = migrate("LAKEFORMATION", null, file, CatalogLookup.UNKNOWN);
        assertEquals(Set.of("ROLE:arn:aws:iam::111122223333:role/analyst SELECT sales.*.null ~", "ROLE:arn:aws:iam::111122223333:role/analyst DESCRIBE sales.*.null ~",
                "IAM_USER:arn:aws:iam::111122223333:user/ann SELECT sales.orders.null +go",
                "IAM_USER:arn:aws:iam::111122223333:user/ann DATA_LOCATION_ACCESS null.null.null"), RangerFixturesTest.summary(sink));
        assertEquals(Map.of("EXCLUDES", 1L, "UNSUPPORTED_PRINCIPAL", 1L, "UNSUPPORTED_RESOURCE", 1L), sink.kinds());
        assertEquals("arn:aws:s3:::bucket/sales", sink.grants().stream().filter(g -> g.resource().location() != null).findFirst().orElseThrow().resource().location());
    }
}
