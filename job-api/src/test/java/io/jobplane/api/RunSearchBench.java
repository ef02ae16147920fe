package io.jobplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.jobplane.api.json.ListingCursor;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Latency of {@code GET …/runs} (the search over every run of a workspace) with 1,000,000 runs of
 * one workspace: 1,000 jobs (skewed: a few run far more often), 90 days, the statuses, triggers,
 * users and tags of a busy platform, seeded with {@code generate_series} into the table the search
 * reads ({@code api.run}) and the run read model it joins for each page's detail. A mix of searches,
 * each kind with random values, timed one after the other as the client sees them. Not part of the
 * normal test run: {@code ./mvnw -o -pl job-api -am verify -Dit.test=RunSearchBench -Dgroups=bench
 * -DexcludedGroups= -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
@Tag("bench")
class RunSearchBench {

    private static final int RUNS = Integer.getInteger("bench.runs", 1_000_000);
    private static final int JOBS = 1_000;
    private static final int WARM_UP = Integer.getInteger("bench.warm-up", 1_500);
    private static final int QUERIES = Integer.getInteger("bench.queries", 3_000);
    private static final Duration SPAN = Duration.ofDays(90);

    @Test
    void searchesAMillionRuns() throws Exception {
        String ws = ApiTestSupport.uniqueWorkspace();
        // The workspace exists for the API once a token names it; one job through the API makes sure.
        RunLaunchIT.createJob(ws, "bench-seed", "pw");
        Instant now = Instant.now();
        boolean madeReadModel;
        try (Connection c = db(); Statement st = c.createStatement()) {
            madeReadModel = readModel(st);
            long started = System.nanoTime();
            seed(c, st, ws, now);
            System.out.printf(Locale.ROOT, "seeded %,d runs of %,d jobs in %.1f s%n", RUNS, JOBS, (System.nanoTime() - started) / 1e9);
        }
        List<String> jobIds = new ArrayList<>();
        List<Instant[]> samples = new ArrayList<>();
        try (Connection c = db(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select id from api.job where workspace = '" + ws + "' and name like 'job-%'")) {
                while (rs.next()) {
                    jobIds.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("select requested_at, id from api.run where workspace = '" + ws
                    + "' order by random() limit 500")) {
                while (rs.next()) {
                    samples.add(new Instant[] { rs.getTimestamp(1).toInstant() });
                }
            }
        }
        assertEquals(JOBS, jobIds.size());

        // One token for every search, as a client keeps its token (minting and verifying a new one is not the search).
        String token = ApiTestSupport.token(ws, "viewer");
        Random random = new Random(42);
        Map<String, Function<Random, String>> kinds = kinds(now, jobIds, samples);
        List<String> names = List.copyOf(kinds.keySet());
        for (int i = 0; i < WARM_UP; i++) {
            search(token, ws, kinds.get(names.get(i % names.size())).apply(random));
        }
        Map<String, List<Double>> byKind = new LinkedHashMap<>();
        List<Double> all = new ArrayList<>();
        long found = 0;
        for (int i = 0; i < QUERIES; i++) {
            String kind = names.get(i % names.size());
            String query = kinds.get(kind).apply(random);
            long t = System.nanoTime();
            Response r = search(token, ws, query);
            double ms = (System.nanoTime() - t) / 1e6;
            found += r.jsonPath().getList("runs").size();
            if (!kind.startsWith("limit=500")) {
                all.add(ms);
            }
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(ms);
        }
        System.out.printf(Locale.ROOT, "%-34s %6s %8s %8s %8s %8s%n", "search", "n", "p50 ms", "p95 ms", "p99 ms", "max ms");
        byKind.forEach((kind, times) -> print(kind, times));
        print("all pages of 50", all);
        assertTrue(found > 0, "the searches found runs");

        try (Connection c = db(); Statement st = c.createStatement()) {
            st.execute("delete from api.run where workspace = '" + ws + "'");
            st.execute("delete from api.job where workspace = '" + ws + "'");
            if (madeReadModel) {
                st.execute("drop table runs.run");
            } else {
                st.execute("delete from runs.run where workspace = '" + ws + "'");
            }
            st.execute("vacuum (analyze) api.run");
        }
    }

    /** The kinds of search an operator makes, each with random values. */
    private static Map<String, Function<Random, String>> kinds(Instant now, List<String> jobs, List<Instant[]> samples) {
        Map<String, Function<Random, String>> k = new LinkedHashMap<>();
        k.put("newest", r -> "");
        k.put("status=FAILED", r -> "status=FAILED");
        k.put("status=RUNNING|QUEUED", r -> "status=RUNNING&status=QUEUED");
        k.put("job_id", r -> "job_id=" + jobs.get(r.nextInt(jobs.size())));
        k.put("job_id x3", r -> "job_id=" + jobs.get(r.nextInt(jobs.size())) + "&job_id=" + jobs.get(r.nextInt(jobs.size()))
                + "&job_id=" + jobs.get(r.nextInt(jobs.size())));
        k.put("job_id & status=FAILED", r -> "job_id=" + jobs.get(r.nextInt(100)) + "&status=FAILED");
        k.put("trigger=backfill", r -> "trigger=backfill");
        k.put("label=team-N (10% of jobs)", r -> "label=team-" + r.nextInt(10));
        k.put("label=critical (2% of jobs)", r -> "label=critical");
        k.put("tag=team:tN (6%)", r -> "tag=team:t" + r.nextInt(10));
        k.put("tag=ticket:OPS-N (rare)", r -> "tag=ticket:OPS-" + r.nextInt(5000));
        k.put("requested_by", r -> "requested_by=user-" + r.nextInt(50));
        k.put("status=STOPPED & requested_by", r -> "status=STOPPED&requested_by=user-" + r.nextInt(50));
        k.put("queued in a random day", r -> {
            Instant from = now.minus(Duration.ofHours(1 + r.nextInt(24 * 89)));
            return "queued_after=" + from + "&queued_before=" + from.plus(Duration.ofDays(1));
        });
        k.put("finished in a random hour", r -> {
            Instant from = now.minus(Duration.ofHours(1 + r.nextInt(24 * 89)));
            return "finished_after=" + from + "&finished_before=" + from.plus(Duration.ofHours(1));
        });
        k.put("started_after (last 6 h)", r -> "started_after=" + now.minus(Duration.ofHours(6)) + "&status=FAILED");
        k.put("cursor at a random run", r -> {
            Instant at = samples.get(r.nextInt(samples.size()))[0];
            return "cursor=" + ListingCursor.of("runs", List.of(at.toString(), "ffffffff-ffff-ffff-ffff-ffffffffffff"));
        });
        k.put("limit=500", r -> "limit=500&trigger=schedule");
        return k;
    }

    private static Response search(String token, String ws, String query) {
        Response r = io.restassured.RestAssured.given().auth().oauth2(token).get("/api/v1/workspaces/" + ws + "/runs" + (query.isEmpty() ? "" : "?" + query));
        if (r.statusCode() != 200) {
            throw new AssertionError(query + ": " + r.statusCode() + " " + r.asString());
        }
        return r;
    }

    private static void print(String kind, List<Double> times) {
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-34s %6d %8.2f %8.2f %8.2f %8.2f%n", kind, sorted.length, at(sorted, 0.50),
                at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double at(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** The read model's run table as metadata-harvester makes it, when this database has none. */
    private static boolean readModel(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("select to_regclass('runs.run') is not null")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return false;
            }
        }
        st.execute("create schema if not exists runs");
        st.execute("""
                create table runs.run (run_id text primary key, workspace text not null, job_id text, job_name text,
                    attempt integer not null default 1, status text not null, trigger text, queued_at timestamptz,
                    started_at timestamptz, finished_at timestamptz, error_message text, worker_id text,
                    updated_at timestamptz not null default now(), execution_date timestamptz, error_code text)""");
        return true;
    }

    /**
     * 1,000 jobs (a tenth share each team label, one in three is nightly, one in fifty critical) and
     * 1,000,000 runs over 90 days, newest last: 85 % SUCCESS, 9 % FAILED, 4 % STOPPED, the newest
     * few hundred QUEUED or RUNNING; 70 % by schedule, 20 % manual, 7 % workflow, 3 % backfill; 50
     * users; 60 % tagged with a team of ten, a tenth of them with a ticket of 5,000, and an env.
     */
    private static void seed(Connection c, Statement st, String ws, Instant now) throws Exception {
        c.setAutoCommit(false);
        st.execute("insert into api.job (id, workspace, name, type, created_at, updated_at, created_by, labels)"
                + " select gen_random_uuid(), '" + ws + "', 'job-' || j, 'TABLE_TO_TABLE', now(), now(), 'bench',"
                + " array_remove(array['team-' || (j % 10), case when j % 3 = 0 then 'nightly' end,"
                + " case when j % 50 = 0 then 'critical' end], null)::varchar(63)[] from generate_series(0, " + (JOBS - 1) + ") j");
        st.execute("create temporary table bench_job on commit drop as"
                + " select row_number() over (order by name) - 1 as n, id from api.job where workspace = '" + ws
                + "' and name like 'job-%'");
        st.execute("create index on bench_job (n)");
        double step = SPAN.toMillis() / 1000.0 / RUNS;
        st.execute("create temporary table bench_run on commit drop as"
                + " select i, t, bj.id as job_id,"
                + " case when i < 150 then 'RUNNING' when i < 300 then 'QUEUED' when h < 85 then 'SUCCESS' when h < 94 then 'FAILED'"
                + "      when h < 98 then 'STOPPED' else 'SUCCESS' end as state,"
                + " case when g < 70 then 'schedule' when g < 90 then 'manual' when g < 97 then 'workflow' else 'backfill' end as trigger,"
                + " 'user-' || (i % 50) as requested_by,"
                + " case when g % 10 < 4 then '{}'::text[] else array_remove(array['env=' || case when i % 4 = 0 then 'staging' else 'prod' end,"
                + "   'team=t' || (i % 10), case when g % 10 = 9 then 'ticket=OPS-' || (i % 5000) end], null) end as tags"
                + " from (select i, timestamptz '" + now + "' - make_interval(secs => i * " + step + ") as t,"
                + "   (hashint4(i) & 65535) % 100 as h, (hashint4(i + 7) & 65535) % 100 as g,"
                + "   floor(" + JOBS + " * power(random(), 2))::int as jn"
                + "   from generate_series(0, " + (RUNS - 1) + ") i) s join bench_job bj on bj.n = s.jn");
        st.execute("insert into api.run (id, workspace, job_id, attempt, trigger, requested_at, requested_by, state,"
                + " execution_date, parameters, dispatched_at, started_at, finished_at, error_code, tags)"
                + " select encode(overlay(uuid_send(gen_random_uuid()) placing"
                + "   substring(int8send(floor(extract(epoch from t) * 1000)::bigint) from 3) from 1 for 6), 'hex')::uuid,"
                + " '" + ws + "', job_id, 1, trigger, t, requested_by, state, t, '{}',"
                + " case when state <> 'QUEUED' then t end,"
                + " case when state <> 'QUEUED' then t + interval '2 seconds' end,"
                + " case when state in ('SUCCESS', 'FAILED', 'STOPPED') then t + make_interval(secs => 30 + i % 900) end,"
                + " case when state = 'FAILED' then 'TASK_FAILED' end, tags from bench_run");
        st.execute("insert into runs.run (run_id, workspace, job_id, job_name, attempt, status, trigger, queued_at, started_at,"
                + " finished_at, execution_date, worker_id)"
                + " select r.id::text, r.workspace, r.job_id::text, j.name, 1, r.state, r.trigger, r.requested_at, r.started_at,"
                + " r.finished_at, r.execution_date, 'seed' from api.run r join api.job j on j.id = r.job_id"
                + " where r.workspace = '" + ws + "' and j.name like 'job-%'");
        c.commit();
        c.setAutoCommit(true);
        // Queried in its steady state, not in the second after a bulk load.
        st.execute("vacuum (analyze) api.run");
        st.execute("vacuum (analyze) api.job");
        st.execute("vacuum (analyze) runs.run");
        st.execute("checkpoint");
    }

    private static Connection db() throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }
}
