package io.jobplane.systemtest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicyChange.Grant;
import io.jobplane.events.payload.policy.PolicyChange.Principal;
import io.jobplane.events.payload.policy.PolicyChange.Provenance;
import io.jobplane.events.payload.policy.PolicyChange.ReportEntry;
import io.jobplane.events.payload.policy.PolicyChange.Resource;
import io.jobplane.stack.KafkaAcls;
import io.jobplane.stack.Platform;
import io.jobplane.stack.TopicRecorder;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Grants end to end: policy changes sent to {@code jobplane.policy-changes} as the worker sends them (its
 * own Kafka login, under the broker's ACLs), materialised by policy-migrator, and read through job-api's
 * grant queries over HTTP with real JWTs — the services as processes on a real Kafka broker and PostgreSQL.
 */
@ExtendWith(SharedPlatform.class)
class GrantQueriesIT {

    private static final String WS = "grants-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER = "other-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String ORIGIN = "file:policies/hive.json";
    private static final String BASE = "/api/v1/workspaces/{ws}";
    private static Platform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SharedPlatform.platform();
    }


    private static Grant grant(String type, String name, String catalog, String database, String table, String column,
            String location, boolean pattern, String privilege, String policy) {
        return new Grant(new Principal(type, type.startsWith("IAM_") ? type.substring(4) : type, name),
                new Resource(catalog, database, table, column, location, pattern), privilege, false,
                new Provenance("policies/hive.json", policy, "policy " + policy, "allow/0"));
    }

    /** The first file: analysts read the sales database, alice reads orders.amount and a bucket, ops has ALL on sales_*. */
    private static List<Grant> firstSet() {
        List<Grant> g = new ArrayList<>();
        g.add(grant("IAM_GROUP", "analysts", "hive", "sales", null, null, null, false, "SELECT", "1"));
        g.add(grant("IAM_USER", "alice", "hive", "sales", "orders", "amount", null, false, "SELECT", "2"));
        g.add(grant("IAM_USER", "alice", null, null, null, null, "s3://lake/raw", false, "READ", "3"));
        g.add(grant("ROLE", "ops", "hive", "sales_*", null, null, null, true, "ALL", "4"));
        g.add(grant("IAM_USER", "bob", "hive", "sales", "orders", null, null, false, "INSERT", "5"));
        // Enough of them for two batches and paging.
        for (int i = 0; i < 600; i++) {
            g.add(grant("IAM_USER", String.format("user%03d", i), "hive", "logs", "t" + i, null, null, false, "SELECT", "9"));
        }
        return g;
    }

    @Test
    void grantsAreQueriedOverHttpAndAChangedSetIsAppliedAsADifference() throws Exception {
        String run1 = UUID.randomUUID().toString();
        Changes c1 = new Changes(WS, run1, Instant.now());
        c1.set(ORIGIN, "g1", firstSet());
        c1.report(ORIGIN, List.of(new ReportEntry(new Provenance("policies/hive.json", "7", "deny interns", "deny/0"), "DENY_ITEM",
                "deny items are not migrated"), new ReportEntry(new Provenance("policies/hive.json", "8", "masking", "0"),
                "MASKING_POLICY", "masking policies are not migrated")));
        c1.completed(ORIGIN, 605, 2);
        c1.send();
        awaitComplete(run1);

        Response report = viewer(WS).get(BASE + "/runs/{run}/permission-report", WS, run1);
        report.then().statusCode(200).body("complete", equalTo(true)).body("attempt", equalTo(1)).body("origin", equalTo(ORIGIN))
                .body("grants_added", equalTo(605)).body("grants_revoked", equalTo(0)).body("grants_unchanged", equalTo(0))
                .body("reported_grants", equalTo(605)).body("reported_left_out", equalTo(2))
                .body("left_out_by_kind.DENY_ITEM", equalTo(1)).body("left_out_by_kind.MASKING_POLICY", equalTo(1))
                .body("entries", hasSize(2)).body("entries[0].kind", equalTo("DENY_ITEM"))
                .body("entries[0].provenance.policy_name", equalTo("deny interns"));
        // The entries paged one at a time.
        Response firstEntry = viewer(WS).queryParam("limit", 1).get(BASE + "/runs/{run}/permission-report", WS, run1);
        firstEntry.then().statusCode(200).body("entries.kind", equalTo(List.of("DENY_ITEM")));
        viewer(WS).queryParam("limit", 1).queryParam("cursor", firstEntry.path("next_cursor").toString())
                .get(BASE + "/runs/{run}/permission-report", WS, run1).then().statusCode(200)
                .body("entries.kind", equalTo(List.of("MASKING_POLICY"))).body("next_cursor", nullValue());

        // Every grant, paged with a cursor.
        assertEquals(605, allGrants(Map.of()).size());
        // Filters: a principal, a privilege, a resource and what is in it.
        viewer(WS).queryParam("principal", "alice").get(BASE + "/grants", WS).then().statusCode(200).body("grants", hasSize(2));
        viewer(WS).queryParam("privilege", "insert").get(BASE + "/grants", WS).then().statusCode(200)
                .body("grants.principal.name", equalTo(List.of("bob")))
                .body("grants[0].resource.table", equalTo("orders")).body("grants[0].provenance.policy_id", equalTo("5"))
                .body("grants[0].run_id", equalTo(run1)).body("grants[0].origin", equalTo(ORIGIN));
        assertEquals(Set.of("analysts", "alice", "bob"), names(allGrants(Map.of("resource", "HIVE.Sales"))));
        assertEquals(Set.of("alice"), names(allGrants(Map.of("resource", "s3://lake"))));
        WorkspaceCalls.expectError(viewer(WS).queryParam("resource", "a.b.c.d.e").get(BASE + "/grants", WS), 400, "INVALID_RESOURCE");
        WorkspaceCalls.expectError(viewer(WS).queryParam("cursor", "nonsense").get(BASE + "/grants", WS), 400, "INVALID_CURSOR");

        // Principals, and one principal's grants.
        Response principals = viewer(WS).queryParam("limit", 1000).get(BASE + "/principals", WS);
        principals.then().statusCode(200).body("principals", hasSize(604)).body("next_cursor", nullValue());
        assertEquals(List.of("alice", "analysts", "bob", "ops"), principals.<List<String>>path("principals.name").subList(0, 4));
        assertEquals(Integer.valueOf(2), principals.path("principals[0].grants"));
        viewer(WS).get(BASE + "/principals/{p}/grants", WS, "ops").then().statusCode(200)
                .body("grants", hasSize(1)).body("grants[0].resource.pattern", equalTo(true))
                .body("grants[0].principal.type", equalTo("ROLE"));
        WorkspaceCalls.expectError(viewer(WS).get(BASE + "/principals/{p}/grants", WS, "nobody"), 404, "PRINCIPAL_NOT_FOUND");

        // A table's grants: its column's, its database's, and the pattern that matches it.
        assertEquals(Set.of("analysts", "alice", "bob"), names(viewer(WS)
                .get(BASE + "/catalogs/hive/databases/SALES/tables/orders/grants", WS).then().statusCode(200).extract().path("grants")));
        assertEquals(Set.of("ops"), names(viewer(WS)
                .get(BASE + "/catalogs/hive/databases/sales_eu/tables/orders/grants", WS).then().statusCode(200).extract().path("grants")));

        // Checks: a database's grant covers its tables; ALL covers every privilege; patterns match; a column's grant
        // does not cover its table; a location covers the paths under it.
        check("analysts", "SELECT", "hive.sales.orders", true).body("grants[0].resource.database", equalTo("sales"))
                .body("grants[0].resource.table", nullValue());
        check("analysts", "INSERT", "hive.sales.orders", false).body("grants", hasSize(0));
        check("ops", "DROP", "hive.sales_eu.orders", true).body("grants[0].privilege", equalTo("ALL"));
        check("ops", "DROP", "hive.marketing.orders", false);
        check("alice", "SELECT", "hive.sales.orders.amount", true);
        check("alice", "SELECT", "hive.sales.orders", false);
        check("alice", "READ", "s3://lake/raw/2026/01/x.parquet", true);
        check("alice", "READ", "s3://lake/rawest", false);
        WorkspaceCalls.expectError(viewer(WS).queryParam("principal", "alice").queryParam("privilege", "SELECT")
                .get(BASE + "/grants/check", WS), 400, "INVALID_RESOURCE");

        // The file changed: analysts lose sales, gain marketing; bob and user000..user099 are gone; the rest stays.
        String firstGrantedAt = viewer(WS).queryParam("principal", "alice").get(BASE + "/grants", WS).path("grants[0].granted_at");
        String run2 = UUID.randomUUID().toString();
        List<Grant> second = new ArrayList<>(firstSet());
        second.removeIf(g -> g.principal().name().equals("bob") || g.principal().name().equals("analysts")
                || g.principal().name().matches("user0\\d\\d"));
        second.add(grant("IAM_GROUP", "analysts", "hive", "marketing", null, null, null, false, "SELECT", "1"));
        Changes c2 = new Changes(WS, run2, Instant.now());
        c2.set(ORIGIN, "g2", second);
        c2.completed(ORIGIN, second.size(), 0);
        c2.send();
        awaitComplete(run2);
        viewer(WS).get(BASE + "/runs/{run}/permission-report", WS, run2).then().statusCode(200)
                .body("grants_added", equalTo(1)).body("grants_revoked", equalTo(102))
                .body("grants_unchanged", equalTo(second.size() - 1)).body("left_out_by_kind.size()", equalTo(0));
        assertEquals(second.size(), allGrants(Map.of()).size());
        assertEquals(firstGrantedAt, viewer(WS).queryParam("principal", "alice").get(BASE + "/grants", WS).path("grants[0].granted_at"),
                "a grant that stays keeps its row");
        check("analysts", "SELECT", "hive.sales.orders", false);
        check("analysts", "SELECT", "hive.marketing.campaigns", true);
        WorkspaceCalls.expectError(viewer(WS).get(BASE + "/principals/{p}/grants", WS, "bob"), 404, "PRINCIPAL_NOT_FOUND");

        // Another workspace sees none of it: its token on this workspace is refused, its own workspace is empty.
        for (String path : List.of("/grants", "/principals", "/principals/alice/grants",
                "/catalogs/hive/databases/sales/tables/orders/grants", "/runs/" + run1 + "/permission-report")) {
            WorkspaceCalls.expectError(viewer(OTHER).get(BASE + path, WS), 404, "WORKSPACE_NOT_FOUND");
        }
        WorkspaceCalls.expectError(viewer(OTHER).queryParam("principal", "alice").queryParam("privilege", "SELECT")
                .queryParam("resource", "hive.sales.orders.amount").get(BASE + "/grants/check", WS), 404, "WORKSPACE_NOT_FOUND");
        viewer(OTHER).get(BASE + "/grants", OTHER).then().statusCode(200).body("grants", hasSize(0));
        viewer(OTHER).queryParam("principal", "alice").queryParam("privilege", "SELECT").queryParam("resource", "hive.sales.orders.amount")
                .get(BASE + "/grants/check", OTHER).then().statusCode(200).body("allowed", equalTo(false));
        WorkspaceCalls.expectError(viewer(OTHER).get(BASE + "/runs/{run}/permission-report", OTHER, run1), 404, "RUN_NOT_FOUND");
        given().baseUri(platform.apiUrl()).get(BASE + "/grants", WS).then().statusCode(401);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static io.restassured.response.ValidatableResponse check(String principal, String privilege, String resource,
            boolean allowed) {
        return viewer(WS).queryParam("principal", principal).queryParam("privilege", privilege).queryParam("resource", resource)
                .get(BASE + "/grants/check", WS).then().statusCode(200).body("allowed", equalTo(allowed));
    }

    /** Every page of {@code …/grants} with these filters, 250 at a time. */
    private static List<Map<String, Object>> allGrants(Map<String, String> filters) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification spec = viewer(WS).queryParam("limit", 250);
            for (var f : filters.entrySet()) {
                spec = spec.queryParam(f.getKey(), f.getValue());
            }
            if (cursor != null) {
                spec = spec.queryParam("cursor", cursor);
            }
            Response r = spec.get(BASE + "/grants", WS);
            assertEquals(200, r.statusCode(), r.asString());
            all.addAll(r.path("grants"));
            cursor = r.path("next_cursor");
            assertNotNull(r.path("grants"));
            pages++;
        } while (cursor != null && pages < 100);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> names(List<Map<String, Object>> grants) {
        Set<String> out = new TreeSet<>();
        grants.forEach(g -> out.add((String) ((Map<String, Object>) g.get("principal")).get("name")));
        return out;
    }

    private static void awaitComplete(String runId) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Response r = viewer(WS).get(BASE + "/runs/{run}/permission-report", WS, runId);
            return r.statusCode() == 200 && Boolean.TRUE.equals(r.path("complete"));
        });
    }

    private static RequestSpecification viewer(String ws) {
        return given().baseUri(platform.apiUrl()).auth().oauth2(platform.mintToken("grant-reader", Map.of(ws, "viewer")));
    }

    /** One run's policy changes, sent as the worker sends them: CloudEvents keyed by PolicyChange.key. */
    private static final class Changes {
        private final PolicyChange.Run run;
        private final List<String[]> events = new ArrayList<>();

        Changes(String workspace, String runId, Instant observedAt) {
            run = new PolicyChange.Run(workspace, UUID.randomUUID().toString(), runId, 1, observedAt);
        }

        void set(String origin, String generation, List<Grant> grants) {
            for (int i = 0; i < grants.size(); i += PolicyChange.MAX_GRANTS_PER_EVENT) {
                add(EventTypes.POLICY_GRANTS_STAGED, origin, new PolicyChange.GrantsStaged(run, origin, generation,
                        List.copyOf(grants.subList(i, Math.min(grants.size(), i + PolicyChange.MAX_GRANTS_PER_EVENT)))));
            }
            add(EventTypes.POLICY_GRANTS_COMMITTED, origin, new PolicyChange.GrantsCommitted(run, origin, generation, grants.size()));
        }

        void report(String origin, List<ReportEntry> entries) {
            add(EventTypes.POLICY_REPORT, origin, new PolicyChange.Report(run, origin, entries));
        }

        void completed(String origin, long grants, long leftOut) {
            add(EventTypes.POLICY_RUN_COMPLETED, origin, new PolicyChange.RunCompleted(run, origin, grants, leftOut));
        }

        private void add(String type, String origin, Object payload) {
            String key = PolicyChange.key(run.workspace(), origin);
            events.add(new String[] { key, EventCodec.encode(CloudEvent.of("/jobplane/execution-worker/test", type, key, payload)) });
        }

        /** Sends them logged in as the worker's Kafka user, in order, awaiting every acknowledgement. */
        void send() {
            TopicRecorder.sendEvents(platform.kafka().access(), KafkaAcls.WORKER, Topics.POLICY_CHANGES,
                    events.stream().map(e -> Map.entry(e[0], e[1])).toList());
        }
    }
}
