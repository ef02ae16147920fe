package io.jobplane.policy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.Topics;
import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicyChange.Grant;
import io.jobplane.events.payload.policy.PolicyChange.Provenance;
import io.jobplane.events.payload.policy.PolicyChange.ReportEntry;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.Ports;
import io.jobplane.stack.Service;
import io.jobplane.stack.ServiceProcess;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.TopicRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The grants read model on a real broker and PostgreSQL: policy changes are sent to
 * {@code jobplane.policy-changes} as the worker sends them and read back from schema {@code policy}.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class PolicyReadModelIT {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static TopicRecorder deadLetters;

    @BeforeAll
    static void record() {
        deadLetters = TopicRecorder.record(bootstrap(), Topics.DEAD_LETTER);
    }

    @AfterAll
    static void stop() {
        deadLetters.close();
    }

    @Test
    void aCommittedSetBecomesTheOriginsGrantsAndTheSameSetAgainChangesNothing() throws Exception {
        String ws = workspace();
        String first = UUID.randomUUID().toString();
        PolicyStream a = new PolicyStream(ws, first, T0).set("file:a.json", "g1", PolicyStream.grants(0, 1200, "SELECT"), false)
                .completed("file:a.json", 1200, 0);
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, a.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> runDone(ws, first));
        assertEquals("1200|1200|1200", one("select count(*), count(distinct principal_name), count(distinct res_table)"
                + " from policy.grants where workspace = ? and origin = 'file:a.json'", ws));
        assertEquals("1200", one("select count(*) from policy.principal where workspace = ?", ws));
        assertEquals("IAM_USER|USER|u7|hive|sales|t7|null|null|f|SELECT|f|policies.json|p7|policy 7|0|" + first,
                one("select principal_type, principal_source, principal_name, res_catalog, res_database, res_table, res_column,"
                        + " res_location, res_pattern, privilege, grant_option, prov_file, prov_policy_id, prov_policy_name, prov_item,"
                        + " last_run_id from policy.grants where workspace = ? and principal_name = 'u7'", ws));
        assertEquals("1200/0/0/1|1200/0", report(ws, first));
        assertEquals("0", one("select count(*) from policy.staged_grant where workspace = ?", ws), "staging is emptied");
        String before = grantsAndPrincipals(dump(ws, true));

        // The same events again (a restart before the offsets were committed): nothing applied, nothing counted.
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, a.events);
        // The same file again in a later run: a new generation, all unchanged, no row written.
        String second = UUID.randomUUID().toString();
        PolicyStream b = new PolicyStream(ws, second, T0.plusSeconds(60))
                .set("file:a.json", "g2", PolicyStream.grants(0, 1200, "SELECT"), false).completed("file:a.json", 1200, 0);
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, b.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> runDone(ws, second));

        assertEquals(before, grantsAndPrincipals(dump(ws, true)), "grants (granted_at, run) and principals are as they were");
        assertEquals("1200/0/0/1|1200/0", report(ws, first), "the redelivered events were not counted again");
        assertEquals("0/0/1200/1|1200/0", report(ws, second));
        assertTrue(deadLetters.records().stream().noneMatch(r -> r.value().contains(ws)), "nothing was dead-lettered");
    }

    @Test
    void aChangedSetAppliesExactlyTheDifferenceAndLeavesOtherOriginsAlone() throws Exception {
        String ws = workspace();
        String first = UUID.randomUUID().toString();
        PolicyStream a = new PolicyStream(ws, first, T0)
                .set("file:a.json", "g1", PolicyStream.grants(0, 600, "SELECT"), false).completed("file:a.json", 600, 0);
        PolicyStream other = new PolicyStream(ws, UUID.randomUUID().toString(), T0)
                .set("discovery:ranger", "g1", PolicyStream.grants(0, 300, "SELECT"), false);
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, a.events);
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, other.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> runDone(ws, first)
                && count("select count(*) from policy.grants where workspace = ? and origin = 'discovery:ranger'", ws) == 300);
        Map<String, String> grantedAt = grantedAt(ws, "file:a.json");
        String otherBefore = dumpOrigin(ws, "discovery:ranger");

        // u0..u99 revoked, u100..u599 kept, u600..u799 new.
        String second = UUID.randomUUID().toString();
        PolicyStream b = new PolicyStream(ws, second, T0.plusSeconds(60))
                .set("file:a.json", "g2", PolicyStream.grants(100, 800, "SELECT"), false).completed("file:a.json", 700, 0);
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, b.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> runDone(ws, second));

        assertEquals("200/100/500/1|700/0", report(ws, second));
        assertEquals("700|u100|u799", one("select count(*), min(principal_name), max(principal_name) from policy.grants"
                + " where workspace = ? and origin = 'file:a.json' and principal_name ~ '^u[1-7][0-9][0-9]$'", ws));
        assertEquals(700, count("select count(*) from policy.grants where workspace = ? and origin = 'file:a.json'", ws));
        Map<String, String> after = grantedAt(ws, "file:a.json");
        for (int i = 100; i < 600; i++) {
            assertEquals(grantedAt.get("u" + i), after.get("u" + i), "u" + i + " kept its row");
        }
        assertEquals(Set.of(second), Set.copyOf(all("select distinct last_run_id from policy.grants where workspace = ?"
                + " and origin = 'file:a.json' and principal_name in ('u600', 'u799')", ws)));
        assertEquals(otherBefore, dumpOrigin(ws, "discovery:ranger"), "the other origin is untouched");
        // u0..u99 are still granted by the other origin, so they stay principals; nobody else was dropped.
        assertEquals(800, count("select count(*) from policy.principal where workspace = ?", ws));

        // A third set without u0..u299 in the other origin: those principals go.
        PolicyStream c = new PolicyStream(ws, UUID.randomUUID().toString(), T0.plusSeconds(120))
                .set("discovery:ranger", "g2", List.of(), false);
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, c.events);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> count("select count(*) from policy.grants where workspace = ? and origin = 'discovery:ranger'", ws) == 0);
        assertEquals(700, count("select count(*) from policy.principal where workspace = ?", ws));
    }

    @Test
    void aCommitBeforeItsBatchesWaitsForAllOfThemAndReadersNeverSeeHalfASet() throws Exception {
        String ws = workspace();
        String first = UUID.randomUUID().toString();
        PolicyStream a = new PolicyStream(ws, first, T0).set("file:a.json", "g1", PolicyStream.grants(0, 1500, "SELECT"), false);
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, a.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> generationApplied(ws, "g1"));

        // A reader polls the origin's state while the new set arrives: it must only ever see the old or the new set.
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                try {
                    seen.add(one("select count(*) || '/' || count(*) filter (where privilege = 'INSERT') from policy.grants"
                            + " where workspace = ? and origin = 'file:a.json'", ws));
                } catch (Exception e) {
                    seen.add("error: " + e.getMessage());
                }
            }
        });
        reader.start();
        try {
            String second = UUID.randomUUID().toString();
            List<Grant> next = new ArrayList<>(PolicyStream.grants(0, 1000, "SELECT"));
            next.addAll(PolicyStream.grants(0, 1000, "INSERT"));
            PolicyStream b = new PolicyStream(ws, second, T0.plusSeconds(60)).commit("file:a.json", "g2", next.size())
                    .stage("file:a.json", "g2", next.subList(0, 500));
            PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, b.events);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> count("select count(*) from policy.staged_grant where workspace = ? and generation = 'g2'", ws) == 500);
            assertEquals("1500/0", one("select count(*) || '/' || count(*) filter (where privilege = 'INSERT')"
                    + " from policy.grants where workspace = ?", ws), "a committed set with batches missing is not applied");
            PolicyStream rest = new PolicyStream(ws, second, T0.plusSeconds(60));
            for (int i = 500; i < next.size(); i += 500) {
                rest.stage("file:a.json", "g2", next.subList(i, i + 500));
            }
            PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, rest.events);
            await().atMost(Duration.ofSeconds(60)).until(() -> generationApplied(ws, "g2"));
            assertEquals("1000/500/1000/1", one("select grants_added || '/' || grants_revoked || '/' || grants_unchanged"
                    + " || '/' || generations_applied from policy.run_report where workspace = ? and run_id = ?", ws, second));
        } finally {
            reading.set(false);
            reader.join();
        }
        assertEquals(Set.of("1500/0", "2000/1000"), seen, "readers saw the old set and the new one, nothing between");
    }

    @Test
    void reportEntriesAndTheCompletionAreStoredOnceEach() throws Exception {
        String ws = workspace();
        String run = UUID.randomUUID().toString();
        List<ReportEntry> entries = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            entries.add(new ReportEntry(new Provenance("policies.json", "p" + i, "policy " + i, "deny/" + i),
                    i % 3 == 0 ? "DENY_ITEM" : "CONDITION", "reason " + i));
        }
        PolicyStream s = new PolicyStream(ws, run, T0).set("file:a.json", "g1", PolicyStream.grants(0, 10, "ALL"), false)
                .report("file:a.json", entries.subList(0, 500)).report("file:a.json", entries.subList(500, 600))
                .completed("file:a.json", 10, 600);
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, s.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> runDone(ws, run));
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, s.events.subList(1, 3));
        PolicyStream probe = new PolicyStream(ws, UUID.randomUUID().toString(), T0).completed("file:b.json", 0, 0);
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, probe.events);
        await().atMost(Duration.ofSeconds(60)).until(() -> runDone(ws, probe.run.runId()));

        assertEquals("10/0/0/1|10/600", report(ws, run));
        assertEquals(List.of("CONDITION|400", "DENY_ITEM|200"), all("select kind, count(*) from policy.run_report_entry"
                + " where workspace = ? and run_id = ? group by kind order by kind", ws, run));
        assertEquals("policies.json|p0|policy 0|deny/0|DENY_ITEM|reason 0", all("select file, policy_id, policy_name, item, kind, reason"
                + " from policy.run_report_entry where workspace = ? and run_id = ? order by id", ws, run).get(0));
    }

    /**
     * A policy-migrator killed (SIGKILL) in the middle of a stream of 100 origins × 1,000 grants and
     * restarted resumes from its committed offsets, applies what it had applied again without effect, and
     * ends with the same grants (and report) as one that read the stream in one go.
     */
    @Test
    void aPolicyMigratorKilledMidStreamAndRestartedConverges() throws Exception {
        int origins = 100;
        String reference = workspace();
        String restarted = workspace();
        String referenceRun = UUID.randomUUID().toString();
        String restartedRun = UUID.randomUUID().toString();

        long started = System.nanoTime();
        PolicyStream.send(bootstrap(), Topics.POLICY_CHANGES, big(new PolicyStream(reference, referenceRun, T0), origins).events);
        // The run's completion travels with one origin's changes: the other origins (other partitions) may still be
        // applying when it is in, so the whole set is awaited too.
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> runDone(reference, referenceRun)
                && count("select count(*) from policy.grants where workspace = ?", reference) == origins * 1000L);
        System.out.printf("grants read model: %,d grants in %d origins sent and applied in %d ms%n", origins * 1000L, origins,
                (System.nanoTime() - started) / 1_000_000);

        String topic = "policy-restart-" + UUID.randomUUID();
        String group = "restart-" + UUID.randomUUID();
        PolicyStream.send(bootstrap(), topic, big(new PolicyStream(restarted, restartedRun, T0), origins).events);
        ServiceProcess first = migrator(topic, group, 1);
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> count("select count(*) from policy.grants where workspace = ?", restarted) > 0);
            first.kill();
        } finally {
            first.kill();
        }
        long atKill = count("select count(*) from policy.grants where workspace = ?", restarted);
        assertTrue(atKill < origins * 1000L, "killed mid-stream: " + atKill + " grants were in");
        assertFalse(runDone(restarted, restartedRun));
        ServiceProcess second = migrator(topic, group, 2);
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> runDone(restarted, restartedRun)
                    && count("select count(*) from policy.grants where workspace = ?", restarted) == origins * 1000L);
        } finally {
            second.stop();
        }
        System.out.printf("grants read model: killed with %,d of %,d grants in, restarted, converged%n", atKill, origins * 1000L);
        assertEquals(dump(reference, false), dump(restarted, false));
        assertEquals(report(reference, referenceRun), report(restarted, restartedRun));
        assertNotEquals("", dump(reference, false));
    }

    /** {@code origins} origins of 1,000 grants each (two batches), every second one committed before its batches. */
    private static PolicyStream big(PolicyStream s, int origins) {
        for (int o = 0; o < origins; o++) {
            s.set("file:p" + o + ".json", "g1", PolicyStream.grants(o * 10, o * 10 + 1000, o % 2 == 0 ? "SELECT" : "ALL"), o % 2 == 1);
        }
        return s.report("file:p0.json", List.of(new ReportEntry(new Provenance("p0.json", "1", "deny", "0"), "DENY_ITEM", "deny")))
                .completed("file:p0.json", origins * 1000L, 1);
    }

    private static ServiceProcess migrator(String topic, String group, int n) {
        TestInfrastructure infra = TestInfrastructure.shared();
        Map<String, String> props = new HashMap<>(Service.POLICY_MIGRATOR.properties(bootstrap(), infra.postgres(), infra.keys()));
        props.put("quarkus.datasource.username", infra.postgres().username());
        props.put("quarkus.datasource.password", infra.postgres().password());
        props.put("mp.messaging.incoming.policy-changes.topic", topic);
        props.put("mp.messaging.incoming.policy-changes.group.id", group);
        // The killed member leaves the group within seconds, not the default 45.
        props.put("mp.messaging.incoming.policy-changes.session.timeout.ms", "6000");
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        return ServiceProcess.start("policy-migrator-" + n, jar, Ports.free(), props,
                Path.of("target/policy-restart/logs/policy-migrator-" + n + ".log")).awaitHealthy(Duration.ofSeconds(90));
    }

    // ---- reading the read model --------------------------------------------------------------------

    private static String workspace() {
        return "ws-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String bootstrap() {
        return TestInfrastructure.shared().kafka().bootstrapServers();
    }

    private static Connection connect() throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }

    static List<String> all(String sql, Object... params) throws Exception {
        try (Connection c = connect(); var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        line.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    out.add(line.toString());
                }
            }
            return out;
        }
    }

    private static String one(String sql, Object... params) throws Exception {
        List<String> rows = all(sql, params);
        assertEquals(1, rows.size(), "one row of " + sql);
        return rows.get(0);
    }

    private static long count(String sql, Object... params) throws Exception {
        return Long.parseLong(one(sql, params));
    }

    /** Done once the run's completion is in and every generation it committed is applied. */
    private static boolean runDone(String ws, String run) throws Exception {
        return count("select count(*) from policy.run_report r where r.workspace = ? and r.run_id = ? and r.completed_at is not null"
                + " and not exists (select 1 from policy.grant_generation g where g.workspace = r.workspace"
                + " and g.run_id = r.run_id and g.applied_at is null)", ws, run) == 1;
    }

    private static boolean generationApplied(String ws, String generation) throws Exception {
        return count("select count(*) from policy.grant_generation where workspace = ? and generation = ? and applied_at is not null",
                ws, generation) == 1;
    }

    /** added/revoked/unchanged/generations|reported grants/reported left out. */
    private static String report(String ws, String run) throws Exception {
        return one("select grants_added || '/' || grants_revoked || '/' || grants_unchanged || '/' || generations_applied"
                + " || '|' || coalesce(reported_grants::text, '-') || '/' || coalesce(reported_left_out::text, '-')"
                + " from policy.run_report where workspace = ? and run_id = ?", ws, run);
    }

    private static Map<String, String> grantedAt(String ws, String origin) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String line : all("select principal_name, granted_at from policy.grants where workspace = ? and origin = ?", ws, origin)) {
            out.put(line.substring(0, line.indexOf('|')), line.substring(line.indexOf('|') + 1));
        }
        return out;
    }

    private static String dumpOrigin(String ws, String origin) throws Exception {
        return String.join("\n", all("select grant_key, principal_name, privilege, granted_at, last_run_id from policy.grants"
                + " where workspace = ? and origin = ? order by grant_key", ws, origin));
    }

    /** The first two parts of a {@link #dump}: grants and principals. */
    private static String grantsAndPrincipals(String dump) {
        return dump.substring(0, dump.indexOf("\n--\n", dump.indexOf("\n--\n") + 4));
    }

    /** Every row of the workspace as text, in key order; times and runs only when {@code withTimes}. */
    private static String dump(String ws, boolean withTimes) throws Exception {
        String times = withTimes ? ", granted_at, last_run_id" : "";
        StringBuilder out = new StringBuilder();
        for (String sql : List.of(
                "select origin, grant_key, principal_type, principal_source, principal_name, res_catalog, res_database, res_table,"
                        + " res_column, res_location, res_pattern, privilege, grant_option, prov_file, prov_policy_id, prov_policy_name,"
                        + " prov_item" + times + " from policy.grants where workspace = ? order by origin, grant_key",
                "select type, source, name" + (withTimes ? ", first_seen_at" : "")
                        + " from policy.principal where workspace = ? order by 1, 2, 3",
                "select origin, generation, grant_key from policy.staged_grant where workspace = ? order by 1, 2, 3",
                "select origin, generation, expected_grants, applied_at is not null, superseded from policy.grant_generation"
                        + " where workspace = ? order by 1, 2",
                "select origin, file, policy_id, policy_name, item, kind, reason from policy.run_report_entry where workspace = ?"
                        + " order by id")) {
            out.append(String.join("\n", all(sql, ws))).append("\n--\n");
        }
        return out.toString();
    }
}
