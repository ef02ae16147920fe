package io.jobplane.stack.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.stack.Platform;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.Processes;
import io.jobplane.stack.ServiceProcess;
import io.jobplane.stack.StackException;
import io.jobplane.stack.TopicRecorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fault soak: a platform of its own (Kafka, PostgreSQL, job-api, the read-model services and
 * {@code --workers} workers, on free ports, with its data under {@code .jobplane/soak/}) receives
 * {@code --runs} launches spread evenly over {@code --minutes} while, one after the other, a worker
 * and job-api are killed with SIGKILL, the Kafka broker is stopped and started again and PostgreSQL
 * is restarted in immediate mode. A launch the API does not answer is sent again with the same
 * idempotency key, as a careful client would. At the end it prints the launches accepted, the runs
 * ended per status, duplicates, runs stuck and read-model disagreements, and exits 0 only when
 * every accepted launch ended exactly once and SUCCESS.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, description = {
        "Run the fault soak on a platform of its own: launches spread over the given minutes while a worker and",
        "job-api are killed, the broker is stopped and started and PostgreSQL restarts; prints whether every",
        "accepted launch ended exactly once and SUCCESS (see docs/reliability.md)." })
class SoakCommand implements Callable<Integer> {

    private static final String WS = "soak";
    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);
    private static final Duration LAUNCH_GIVES_UP = Duration.ofMinutes(5);

    @Option(names = "--runs", defaultValue = "10000", description = "launches in all (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--minutes", defaultValue = "10", description = "over how many minutes the launches are spread (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--workers", defaultValue = "2", description = "execution-worker replicas (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--no-faults", description = "launch without injecting faults (a baseline)")
    boolean noFaults;

    @Option(names = "--keep", description = "leave the soak's data and logs in place (they are deleted after a clean soak)")
    boolean keep;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final long started = System.nanoTime();
    private Platform platform;
    private String token;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || minutes <= 0 || workers < 1 || workers > 8) {
            throw new IllegalArgumentException("--runs must be positive, --minutes above 0, --workers from 1 to 8");
        }
        LocalStack stack = new LocalStack();
        Path state = stack.state.resolve("soak").resolve(StackApi.stamp());
        Files.createDirectories(state);
        say("starting a platform of its own with %d workers (data and logs in %s)", workers, state);
        platform = Platform.start(Platform.Settings.builder()
                .root(stack.root).stateDir(state).durable(true).workers(workers)
                .build());
        boolean clean = false;
        try (TopicRecorder events = TopicRecorder.record(platform.kafka().access(), Topics.RUN_EVENTS)) {
            token = platform.mintToken("soak", Map.of(WS, "admin"));
            String job = setUp();
            Report report = soak(job, events);
            report.print(System.out);
            clean = report.targetMet();
            return clean ? 0 : 1;
        } finally {
            platform.close();
            if (clean && !keep) {
                Processes.deleteTree(state);
            } else {
                say("data and logs kept in %s", state);
            }
        }
    }

    /** A target database with an effect table, a connection to it and a job whose one task records its run there. */
    private String setUp() throws Exception {
        PostgresServer pg = platform.tenant();
        // The jobs log in as the target database's owner, with a password of their own.
        String password = java.util.UUID.randomUUID().toString();
        pg.createDatabase("soak", "soak_tenant", password);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("soak"), "soak_tenant", password);
                Statement st = c.createStatement()) {
            st.execute("create table if not exists soak_effect (app text not null, at timestamptz not null default now())");
        }
        String connection = StackApi.created(request("POST", "/connections", Map.of("name", "soak-target",
                "type", "postgresql", "jdbc_url", pg.jdbcUrl("soak"), "username", "soak_tenant", "password", password)),
                "connection_id");
        // The worker names each session after its run ("jobplane run <id>"): the row says which run's work took effect.
        return StackApi.created(request("POST", "/jobs", Map.of("name", "soak", "type", "TABLE_TO_TABLE",
                "destination_connection_id", connection,
                "queries", List.of("insert into soak_effect (app) values (current_setting('application_name'))"),
                "execution", Map.of("retry", Map.of("attempts", 5, "backoff_seconds", 1)))), "job_id");
    }

    private Report soak(String job, TopicRecorder events) throws Exception {
        Report report = new Report(runs);
        long spanNanos = (long) (minutes * 60e9);
        ExecutorService launchers = Executors.newFixedThreadPool(32);
        Thread faults = new Thread(() -> injectFaults(spanNanos, report), "soak-faults");
        faults.setDaemon(true);
        long t0 = System.nanoTime();
        if (!noFaults) {
            faults.start();
        }
        say("launching %,d runs over %.1f minutes", runs, minutes);
        for (int i = 0; i < runs; i++) {
            long due = t0 + spanNanos * i / runs;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int n = i;
            launchers.execute(() -> launch(job, n, report));
            if (i > 0 && i % Math.max(1, runs / 10) == 0) {
                say("%,d launches sent, %,d accepted", i, report.accepted.size());
            }
        }
        launchers.shutdown();
        if (!launchers.awaitTermination(LAUNCH_GIVES_UP.toMinutes() + 1, TimeUnit.MINUTES)) {
            launchers.shutdownNow();
        }
        faults.join(TimeUnit.MINUTES.toMillis(5));
        report.launchSeconds = (System.nanoTime() - t0) / 1e9;
        say("launch phase over: %,d accepted; waiting for every run to end", report.accepted.size());
        awaitEnds(report);
        compare(report, events);
        return report;
    }

    /** Sends one launch until the API accepts it, with the same idempotency key each time. */
    private void launch(String job, int n, Report report) {
        long giveUp = System.nanoTime() + LAUNCH_GIVES_UP.toNanos();
        long backoff = 100;
        while (System.nanoTime() < giveUp) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(platform.apiUrl()
                                + "/api/v1/workspaces/" + WS + "/jobs/" + job + "/runs"))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                        .header("Idempotency-Key", "soak-" + n).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202 || r.statusCode() == 200) {
                    String runId = StackApi.JSON.readTree(r.body()).path("run_id").asText();
                    String earlier = report.accepted.putIfAbsent("soak-" + n, runId);
                    if (earlier != null && !earlier.equals(runId)) {
                        report.keyAnsweredTwice.incrementAndGet();
                    }
                    return;
                }
                report.launchRetries.incrementAndGet();
                if (r.statusCode() < 500 && r.statusCode() != 429 && r.statusCode() != 408) {
                    report.refused.merge(r.statusCode() + " " + abbreviate(r.body()), 1, Integer::sum);
                    return;
                }
            } catch (Exception e) {
                // Not answered (refused, reset, timed out): sent again with the same key.
                report.launchRetries.incrementAndGet();
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(2_000, backoff * 2);
        }
        report.neverAccepted.incrementAndGet();
    }

    /** The faults, evenly through the launch phase, each one after the last has recovered. */
    private void injectFaults(long spanNanos, Report report) {
        long t0 = System.nanoTime();
        List<Map.Entry<Double, Runnable>> plan = List.of(
                Map.entry(0.15, () -> {
                    ServiceProcess victim = platform.workers().get(0);
                    fault(report, "kill -9 " + victim.name() + " (pid " + victim.pid() + "), start a replacement",
                            () -> platform.replaceWorker(victim));
                }),
                Map.entry(0.35, () -> fault(report, "kill -9 job-api (pid " + platform.api().pid() + "), start it again",
                        platform::restartApi)),
                Map.entry(0.55, () -> fault(report, "stop the Kafka broker for 10 s, start it again",
                        () -> platform.kafka().restart(Duration.ofSeconds(10)))),
                Map.entry(0.75, () -> fault(report, "restart the platform's PostgreSQL in immediate mode",
                        () -> platform.postgres().restartImmediately())),
                Map.entry(0.85, () -> fault(report, "restart the jobs' destination PostgreSQL in immediate mode",
                        () -> platform.tenant().restartImmediately())));
        for (Map.Entry<Double, Runnable> step : plan) {
            long wait = t0 + (long) (spanNanos * step.getKey()) - System.nanoTime();
            try {
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            step.getValue().run();
        }
    }

    private void fault(Report report, String what, Runnable action) {
        long t = System.nanoTime();
        say("fault: %s", what);
        try {
            action.run();
            String line = String.format("%s at %s (%s), recovered in %.1f s", what, clock(t),
                    LocalTime.now().minusNanos(System.nanoTime() - t).truncatedTo(ChronoUnit.MILLIS), (System.nanoTime() - t) / 1e9);
            report.faults.add(line);
            say("fault: %s", line);
        } catch (RuntimeException e) {
            report.faults.add(what + " FAILED: " + e.getMessage());
            say("fault: %s failed: %s", what, e.getMessage());
        }
    }

    /** Waits until every accepted run has ended, or none has moved for {@link #STUCK_AFTER}. */
    private void awaitEnds(Report report) throws Exception {
        long lastProgress = System.nanoTime();
        long open = Long.MAX_VALUE;
        while (true) {
            long now;
            try (Connection c = platformDb(); PreparedStatement st = c.prepareStatement(
                    "select count(*) from api.run where workspace = ? and state not in ('SUCCESS', 'FAILED', 'STOPPED')")) {
                st.setString(1, WS);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    now = rs.getLong(1);
                }
            }
            if (now == 0) {
                break;
            }
            if (now < open) {
                open = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STUCK_AFTER.toNanos()) {
                break;
            }
            Thread.sleep(1_000);
        }
        report.endSeconds = (System.nanoTime() - started) / 1e9;
        // The read model follows the API's records; give it the same grace before calling a difference a disagreement.
        long deadline = System.nanoTime() + STUCK_AFTER.toNanos();
        while (System.nanoTime() < deadline && disagreements() > 0) {
            Thread.sleep(1_000);
        }
    }

    private long disagreements() throws Exception {
        try (Connection c = platformDb(); PreparedStatement st = c.prepareStatement("""
                select count(*) from api.run a left join runs.run r on r.run_id = a.id::text
                 where a.workspace = ? and r.status is distinct from a.state""")) {
            st.setString(1, WS);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Reads the end state from the API's records, the read model, the status topic and the target's effect rows. */
    private void compare(Report report, TopicRecorder events) throws Exception {
        try (Connection c = platformDb()) {
            try (PreparedStatement st = c.prepareStatement(
                    "select state, count(*) from api.run where workspace = ? group by state")) {
                st.setString(1, WS);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        report.byStatus.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("""
                    select count(*) filter (where state not in ('SUCCESS', 'FAILED', 'STOPPED')),
                           count(*) - count(distinct idempotency_key)
                      from api.run where workspace = ?""")) {
                st.setString(1, WS);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    report.stuck = rs.getLong(1);
                    report.runsPerKeyDuplicates = rs.getLong(2);
                }
            }
            report.disagreements = disagreements();
        }
        PostgresServer pg = platform.tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("soak"), pg.username(), pg.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
                        select count(*) filter (where n > 1), coalesce(sum(n) filter (where n > 1) - count(*) filter (where n > 1), 0)
                          from (select app, count(*) n from soak_effect group by app) e""")) {
            rs.next();
            report.runsWithRepeatedWork = rs.getLong(1);
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("soak"), pg.username(), pg.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("""
                        select app, string_agg(to_char(at, 'HH24:MI:SS.MS'), ', ' order by at) from soak_effect
                         group by app having count(*) > 1 order by min(at) limit 5""")) {
            while (rs.next()) {
                report.examples.add("work took effect twice: " + rs.getString(1) + " at " + rs.getString(2));
            }
        }
        // The same event delivered twice (one id) is a transport repeat consumers drop; two events with
        // different ids for one run attempt are two endings.
        Map<String, java.util.Set<String>> finished = new HashMap<>();
        Map<String, java.util.Set<String>> statuses = new HashMap<>();
        for (var record : events.records()) {
            JsonNode event = StackApi.JSON.readTree(record.value());
            if (EventTypes.RUN_FINISHED.equals(event.path("type").asText())) {
                String key = event.path("data").path("run_id").asText() + "/" + event.path("data").path("attempt").asText("1");
                finished.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(event.path("id").asText());
                statuses.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(event.path("data").path("status").asText());
                report.finishedEvents++;
            }
        }
        report.endedTwice = finished.values().stream().filter(ids -> ids.size() > 1).count();
        report.endedDifferently = statuses.values().stream().filter(st -> st.size() > 1).count();
        finished.entrySet().stream().filter(e -> e.getValue().size() > 1).limit(5)
                .forEach(e -> report.examples.add("ended twice: run/attempt " + e.getKey() + " " + statuses.get(e.getKey())));
    }

    /** The platform's own database, where job-api's records and the read model live. */
    private Connection platformDb() throws Exception {
        PostgresServer pg = platform.postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }

    private HttpResponse<String> request(String method, String path, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/api/v1/workspaces/" + WS + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(StackApi.JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String clock(long nanos) {
        return String.format("+%.0f s", (nanos - started) / 1e9);
    }

    private void say(String format, Object... args) {
        System.out.printf("[%s %s] %s%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), clock(System.nanoTime()),
                String.format(format, args));
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    /** What the soak saw, and whether it met the target. */
    static final class Report {
        final int launches;
        final Map<String, String> accepted = new ConcurrentHashMap<>();
        final Map<String, Integer> refused = new ConcurrentHashMap<>();
        final AtomicInteger neverAccepted = new AtomicInteger();
        final AtomicInteger keyAnsweredTwice = new AtomicInteger();
        final AtomicLong launchRetries = new AtomicLong();
        final List<String> faults = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<String, Long> byStatus = new TreeMap<>();
        double launchSeconds;
        double endSeconds;
        long stuck;
        long runsPerKeyDuplicates;
        long runsWithRepeatedWork;
        long endedTwice;
        long endedDifferently;
        long finishedEvents;
        final List<String> examples = new ArrayList<>();
        long disagreements;

        Report(int launches) {
            this.launches = launches;
        }

        long duplicates() {
            return keyAnsweredTwice.get() + runsPerKeyDuplicates + endedTwice;
        }

        boolean targetMet() {
            long success = byStatus.getOrDefault("SUCCESS", 0L);
            long all = byStatus.values().stream().mapToLong(Long::longValue).sum();
            return accepted.size() == launches && success == accepted.size() && all == success && duplicates() == 0
                    && stuck == 0 && disagreements == 0;
        }

        void print(java.io.PrintStream out) {
            out.println();
            out.println("jobplane soak");
            out.printf("  faults                 %s%n", faults.isEmpty() ? "none" : String.join("\n                         ", faults));
            out.printf("  launches sent          %,d over %.0f s (%,d retried sends)%n", launches, launchSeconds, launchRetries.get());
            out.printf("  launches accepted      %,d (never accepted: %,d; refused: %s)%n", accepted.size(), neverAccepted.get(),
                    refused.isEmpty() ? "none" : refused);
            out.printf("  runs ended per status  %s%n", byStatus);
            out.printf("  duplicates             %,d (a key answered with two runs: %d; runs per key beyond one: %d;"
                    + " a run attempt ended twice: %d)%n", duplicates(), keyAnsweredTwice.get(), runsPerKeyDuplicates, endedTwice);
            out.printf("  re-executed work       %,d runs whose task took effect twice (at-least-once: work done before"
                    + " its end was on record, then tried again)%n", runsWithRepeatedWork);
            out.printf("  run.finished events    %,d (run attempts that ended with two different statuses: %d)%n",
                    finishedEvents, endedDifferently);
            examples.forEach(e -> out.printf("    %s%n", e));
            out.printf("  runs stuck over 60 s   %,d%n", stuck);
            out.printf("  read-model disagreements %,d%n", disagreements);
            out.printf("  all ended after        %.0f s%n", endSeconds);
            out.println(targetMet() ? "  target MET: every accepted launch ended exactly once and SUCCESS"
                    : "  target MISSED");
        }
    }
}
