package io.jobplane.systemtest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.stack.Platform;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Latency of {@code GET …/runs} (the search over every run of a workspace) with 1,000,000 runs of one
 * workspace in the run read model ({@code runs.run}, with metadata-harvester's indexes): 1,000 jobs
 * (skewed: a few run far more often), 90 days, the statuses, triggers, users, tags and job labels of
 * a busy platform, seeded with one {@code insert … select generate_series}. A mix of searches, each
 * kind with random values, first pages and pages deep behind a cursor, timed one after the other as
 * the client sees them (HTTP to job-api, the search, JSON back). Not part of the normal test run:
 * {@code ./mvnw -o -pl system-tests -am verify -Dit.test=RunSearchBench -Dgroups=bench -DexcludedGroups=
 * -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dbench.runs}, {@code
 * -Dbench.queries}, {@code -Dbench.warm-up} change its size.
 */
@Tag("bench")
class RunSearchBench {

    private static final String WS = "bench";
    private static final int RUNS = Integer.getInteger("bench.runs", 1_000_000);
    private static final int JOBS = 1_000;
    private static final int WARM_UP = Integer.getInteger("bench.warm-up", 1_500);
    private static final int QUERIES = Integer.getInteger("bench.queries", 3_000);
    private static final Duration SPAN = Duration.ofDays(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Platform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = SystemPlatform.startOnFreePorts("search-bench");
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void searchesAMillionRuns() throws Exception {
        Instant now = Instant.now();
        List<String> jobIds = new ArrayList<>();
        List<String[]> samples = new ArrayList<>();
        try (Connection c = db(); Statement st = c.createStatement()) {
            long started = System.nanoTime();
            seed(st, now);
            System.out.printf(Locale.ROOT, "seeded %,d runs of %,d jobs in %.1f s%n", RUNS, JOBS, (System.nanoTime() - started) / 1e9);
            try (ResultSet rs = st.executeQuery("select distinct job_id from runs.run where workspace = '" + WS + "'")) {
                while (rs.next()) {
                    jobIds.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("select queued_at, run_id from runs.run where workspace = '" + WS
                    + "' order by random() limit 500")) {
                while (rs.next()) {
                    samples.add(new String[] { rs.getTimestamp(1).toInstant().toString(), rs.getString(2) });
                }
            }
        }
        assertTrue(jobIds.size() > JOBS / 2, "jobs: " + jobIds.size());

        // One token for every search, as a client keeps its token (minting and verifying a new one is not the search).
        String token = platform.mintToken("bench", Map.of(WS, "viewer"));
        Random random = new Random(42);
        Map<String, Function<Random, String>> kinds = kinds(now, jobIds, samples);
        List<String> names = List.copyOf(kinds.keySet());
        for (int i = 0; i < WARM_UP; i++) {
            search(token, kinds.get(names.get(i % names.size())).apply(random));
        }
        Map<String, List<Double>> byKind = new LinkedHashMap<>();
        List<Double> all = new ArrayList<>();
        long found = 0;
        for (int i = 0; i < QUERIES; i++) {
            String kind = names.get(i % names.size());
            String query = kinds.get(kind).apply(random);
            long t = System.nanoTime();
            Response r = search(token, query);
            double ms = (System.nanoTime() - t) / 1e6;
            found += r.jsonPath().getList("runs").size();
            if (!kind.startsWith("limit=500")) {
                all.add(ms);
            }
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(ms);
        }
        System.out.printf(Locale.ROOT, "%-40s %6s %8s %8s %8s %8s%n", "search", "n", "p50 ms", "p95 ms", "p99 ms", "max ms");
        byKind.forEach(RunSearchBench::print);
        print("all pages of 50", all);
        assertTrue(found > 0, "the searches found runs");
        assertEquals(50, search(token, "").jsonPath().getList("runs").size());
        explain(jobIds.get(0), samples.get(0));
    }

    /**
     * EXPLAIN (ANALYZE, BUFFERS) of the statements job-api sends for a few kinds of search (as
     * RunSearch writes them, values inlined as the custom plan sees them): where a search's time goes
     * in the database.
     */
    private static void explain(String jobId, String[] sample) throws Exception {
        String select = "select rr.run_id, rr.workspace, rr.job_id, rr.job_name, rr.status, rr.attempt, rr.trigger,"
                + " rr.execution_date, rr.queued_at, rr.started_at, rr.finished_at, rr.error_code, rr.error_message,"
                + " rr.worker_id, rr.requested_by, rr.tags, rr.job_labels from runs.run rr where rr.workspace = '" + WS
                + "' and rr.queued_at is not null";
        String order = " order by rr.queued_at desc, rr.run_id desc limit 51";
        Map<String, String> statements = new LinkedHashMap<>();
        statements.put("newest", select + order);
        statements.put("status=FAILED", select + " and rr.status = 'FAILED'" + order);
        statements.put("status=RUNNING|QUEUED", select + " and rr.status in ('RUNNING', 'QUEUED')" + order);
        statements.put("job_id & status=FAILED", select + " and rr.job_id = '" + jobId + "' and rr.status = 'FAILED'" + order);
        statements.put("label=critical & status=FAILED", select + " and rr.status = 'FAILED' and rr.job_labels <> '[]'"
                + " and rr.job_labels @> '[\"critical\"]'" + order);
        statements.put("tag=env:staging & tag=team:t3", select + " and rr.tags <> '{}'"
                + " and rr.tags @> '{\"env\":\"staging\",\"team\":\"t3\"}'" + order);
        statements.put("requested_by & status=STOPPED", select + " and rr.status = 'STOPPED' and rr.requested_by = 'user-7'" + order);
        statements.put("finished in an hour", select + " and rr.finished_at >= now() - interval '40 days'"
                + " and rr.finished_at < now() - interval '40 days' + interval '1 hour'" + order);
        statements.put("deep cursor", select + " and (rr.queued_at, rr.run_id) < ('" + sample[0] + "', '" + sample[1] + "')" + order);
        try (Connection c = db(); Statement st = c.createStatement()) {
            for (Map.Entry<String, String> e : statements.entrySet()) {
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = st.executeQuery("explain (analyze, buffers) " + e.getValue())) {
                    while (rs.next()) {
                        plan.append("    ").append(rs.getString(1)).append('\n');
                    }
                }
                System.out.println("-- " + e.getKey() + "\n" + plan);
            }
        }
    }

    /** The kinds of search an operator makes, each with random values. */
    private static Map<String, Function<Random, String>> kinds(Instant now, List<String> jobs, List<String[]> samples) {
        Map<String, Function<Random, String>> k = new LinkedHashMap<>();
        Function<Random, String> deep = r -> {
            String[] at = samples.get(r.nextInt(samples.size()));
            return "cursor=" + cursor(at[0], at[1]);
        };
        k.put("newest", r -> "");
        k.put("status=FAILED", r -> "status=FAILED");
        k.put("status=RUNNING|QUEUED", r -> "status=RUNNING&status=QUEUED");
        k.put("status=SUCCESS|FAILED|STOPPED", r -> "status=SUCCESS&status=FAILED&status=STOPPED");
        k.put("job_id", r -> "job_id=" + jobs.get(r.nextInt(jobs.size())));
        k.put("job_id x3", r -> "job_id=" + jobs.get(r.nextInt(jobs.size())) + "&job_id=" + jobs.get(r.nextInt(jobs.size()))
                + "&job_id=" + jobs.get(r.nextInt(jobs.size())));
        k.put("job_id & status=FAILED", r -> "job_id=" + jobs.get(r.nextInt(jobs.size())) + "&status=FAILED");
        k.put("trigger=backfill", r -> "trigger=backfill");
        k.put("trigger=workflow & status=FAILED", r -> "trigger=workflow&status=FAILED");
        k.put("label=team-N (10% of jobs)", r -> "label=team-" + r.nextInt(10));
        k.put("label=critical (2% of jobs)", r -> "label=critical");
        k.put("label=critical & status=FAILED", r -> "label=critical&status=FAILED");
        k.put("tag=team:tN (6%)", r -> "tag=team:t" + r.nextInt(10));
        k.put("tag=ticket:OPS-N (rare)", r -> "tag=ticket:OPS-" + r.nextInt(5000));
        k.put("tag=env:staging & tag=team:tN", r -> "tag=env:staging&tag=team:t" + r.nextInt(10));
        k.put("requested_by", r -> "requested_by=user-" + r.nextInt(50));
        k.put("requested_by x2", r -> "requested_by=user-" + r.nextInt(50) + "&requested_by=user-" + r.nextInt(50));
        k.put("requested_by & status=STOPPED", r -> "status=STOPPED&requested_by=user-" + r.nextInt(50));
        k.put("queued in a random day", r -> {
            Instant from = now.minus(Duration.ofHours(1 + r.nextInt(24 * 89)));
            return "queued_after=" + from + "&queued_before=" + from.plus(Duration.ofDays(1));
        });
        k.put("finished in a random hour", r -> {
            Instant from = now.minus(Duration.ofHours(1 + r.nextInt(24 * 89)));
            return "finished_after=" + from + "&finished_before=" + from.plus(Duration.ofHours(1));
        });
        k.put("started in the last 6 h & FAILED", r -> "started_after=" + now.minus(Duration.ofHours(6)) + "&status=FAILED");
        k.put("finished in the last 30 days", r -> "finished_after=" + now.minus(Duration.ofDays(30)));
        k.put("deep cursor (no filter)", deep);
        k.put("deep cursor & status=FAILED", r -> deep.apply(r) + "&status=FAILED");
        k.put("deep cursor & label=team-N", r -> deep.apply(r) + "&label=team-" + r.nextInt(10));
        k.put("deep cursor & job_id", r -> deep.apply(r) + "&job_id=" + jobs.get(r.nextInt(jobs.size())));
        k.put("limit=500 (trigger=schedule)", r -> "limit=500&trigger=schedule");
        return k;
    }

    /** The API's cursor of the run search: after the run queued at {@code queuedAt} with this id. */
    private static String cursor(String queuedAt, String runId) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsString(List.of("runs", queuedAt, runId))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response search(String token, String query) {
        RequestSpecification request = given().baseUri(platform.apiUrl()).auth().oauth2(token).urlEncodingEnabled(false);
        Response r = request.get("/api/v1/workspaces/" + WS + "/runs" + (query.isEmpty() ? "" : "?" + query));
        if (r.statusCode() != 200) {
            throw new AssertionError(query + ": " + r.statusCode() + " " + r.asString());
        }
        return r;
    }

    private static void print(String kind, List<Double> times) {
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-40s %6d %8.2f %8.2f %8.2f %8.2f%n", kind, sorted.length, at(sorted, 0.50),
                at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double at(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /**
     * 1,000 jobs (each a tenth of the team labels, one in three nightly, one in fifty critical) and
     * 1,000,000 runs over 90 days, newest last: 85 % SUCCESS, 9 % FAILED, 4 % STOPPED, the newest few
     * hundred QUEUED or RUNNING; 70 % by schedule, 20 % manual, 7 % workflow, 3 % backfill; 50 users;
     * 60 % tagged with an env and a team of ten, a tenth of those with a ticket of 5,000. Run ids are
     * UUIDv7 of the queued time, as job-api makes them.
     */
    private static void seed(Statement st, Instant now) throws Exception {
        double step = SPAN.toMillis() / 1000.0 / RUNS;
        st.execute("""
                insert into runs.run (run_id, workspace, job_id, job_name, attempt, status, trigger, queued_at, started_at,
                                      finished_at, execution_date, error_code, error_message, worker_id, tags, requested_by,
                                      job_labels)
                select encode(overlay(uuid_send(gen_random_uuid()) placing
                                      substring(int8send(floor(extract(epoch from t) * 1000)::bigint) from 3) from 1 for 6),
                              'hex')::uuid::text,
                       '%1$s', md5('job-' || jn)::uuid::text, 'job-' || jn, 1, status, trigger, t,
                       case when status <> 'QUEUED' then t + interval '2 seconds' end,
                       case when status in ('SUCCESS', 'FAILED', 'STOPPED') then t + make_interval(secs => 30 + i %% 900) end,
                       t, case when status = 'FAILED' then 'TASK_FAILED' end,
                       case when status = 'FAILED' then 'relation "x" does not exist' end,
                       case when status <> 'QUEUED' then 'worker-' || (i %% 8) end,
                       case when g %% 10 < 4 then '{}'::jsonb
                            else jsonb_strip_nulls(jsonb_build_object('env', case when i %% 4 = 0 then 'staging' else 'prod' end,
                                 'team', 't' || (i %% 10), 'ticket', case when g %% 10 = 9 then 'OPS-' || (i %% 5000) end)) end,
                       case trigger when 'schedule' then 'scheduler' when 'workflow' then 'workflow wf-' || (i %% 20)
                                    else 'user-' || (i %% 50) end,
                       to_jsonb(array_remove(array['team-' || (jn %% 10), case when jn %% 3 = 0 then 'nightly' end,
                                                   case when jn %% 50 = 0 then 'critical' end], null))
                  from (select i, t, status, trigger, g, jn from (
                          select i, timestamptz '%2$s' - make_interval(secs => i * %3$s) as t,
                                 case when i < 150 then 'RUNNING' when i < 300 then 'QUEUED' when h < 85 then 'SUCCESS'
                                      when h < 94 then 'FAILED' when h < 98 then 'STOPPED' else 'SUCCESS' end as status,
                                 case when g < 70 then 'schedule' when g < 90 then 'manual' when g < 97 then 'workflow'
                                      else 'backfill' end as trigger,
                                 g, floor(%4$s * power((hashint4(i + 13) & 65535) / 65536.0, 2))::int as jn
                            from (select i, (hashint4(i) & 65535) %% 100 as h, (hashint4(i + 7) & 65535) %% 100 as g
                                    from generate_series(0, %5$s) i) s) s2) s3
                """.formatted(WS, now, step, JOBS, RUNS - 1));
        // Queried in its steady state, not in the second after a bulk load.
        st.execute("vacuum (analyze) runs.run");
        st.execute("checkpoint");
    }

    private static Connection db() throws Exception {
        var pg = platform.postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }
}
