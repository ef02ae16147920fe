package io.jobplane.stack.cli;

import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.jobplane.stack.KafkaAccess;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.StackException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drives the running local stack through its public API and prints what it sustains: launches
 * accepted per second, runs completed per second, launch→SUCCESS latency seen through the API,
 * cancel latency, and status/history query latency over a read model seeded with a million runs.
 * In the same run it measures the machine's ceilings (raw Kafka produce→consume and raw
 * PostgreSQL commits) and prints each figure beside them; with {@code --peer} also beside db-scheduler
 * running the same workload on the same PostgreSQL ({@link PeerBench}). It prints the CPU each process
 * spent per run ({@link StackCpu}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the running local stack (start it with ./jobplane up) and print the figures.")
class BenchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = StackApi.JSON;
    private static final String WS = "bench";

    @Option(names = "--runs", defaultValue = "20000", description = "no-op runs to launch (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "20000", description = "runs launched and awaited first, not measured, so every JVM has compiled its hot paths (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--clients", defaultValue = "32", description = "concurrent HTTP clients launching (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--jobs", defaultValue = "1", description = "no-op jobs the launches are spread over, client by client"
            + " (default ${DEFAULT-VALUE}: every launch is of one job, the hardest case for the database)")
    int jobs;

    @Option(names = "--sample", defaultValue = "300", description = "runs whose launch→SUCCESS is timed through the API (default ${DEFAULT-VALUE})")
    int sample;

    @Option(names = "--cancels", defaultValue = "40", description = "runs cancelled one by one (default ${DEFAULT-VALUE})")
    int cancels;

    @Option(names = "--seed-runs", defaultValue = "1000000", description = "runs seeded into the read model for query latency (default ${DEFAULT-VALUE})")
    int seedRuns;

    @Option(names = "--rate", defaultValue = "0", description = "launch at most this many runs a second (measured phase and warm-up; 0: as fast as the API answers, the default), e.g. half the maximum to time launch→SUCCESS below saturation")
    double rate;

    @Option(names = "--slow-plan-ms", defaultValue = "5", description = "log the plans of platform database statements slower than this while the queries are timed (auto_explain; 0: off; default ${DEFAULT-VALUE})")
    int slowPlanMs;

    @Option(names = "--queries", defaultValue = "2000", description = "status and history queries each (default ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--peer", description = "also run db-scheduler's equivalent workload on the same PostgreSQL and print"
            + " jobplane's figures as a fraction of its own")
    boolean peer;

    @Option(names = "--peer-runs", defaultValue = "0", description = "one-time no-op tasks db-scheduler runs (default: as many as --runs)")
    int peerRuns;

    @Option(names = "--peer-threads", defaultValue = "0", description = "db-scheduler's executing threads"
            + " (default: the workers' run slots, " + WORKER_SLOTS + " per execution-worker)")
    int peerThreads;

    @Option(names = "--peer-clients", defaultValue = "0", description = "db-scheduler's concurrent scheduling clients (default: as many as --clients)")
    int peerClients;

    /** An execution-worker's run slots on the local stack ({@code jobplane.worker.max-concurrent-runs}). */
    static final int WORKER_SLOTS = 16;

    private StackApi stack;
    private String api;
    private PostgresServer pg;
    /** The database every bench job runs on, on the local stack's tenant server. */
    private static final String BENCH_DATABASE = "bench";
    /** The connection every bench job runs on: {@link #BENCH_DATABASE}. */
    private String connectionId;

    @Override
    public Integer call() throws Exception {
        stack = new StackApi(WS);
        api = stack.url();
        pg = stack.postgres();
        KafkaAccess bootstrap = stack.stack().kafkaAccess();
        stack.requireReady();
        jobs = Math.max(1, jobs);
        System.out.printf("jobplane bench: %d runs of %d job%s, %d clients, %d CPUs, API %s%n%n", runs, jobs,
                jobs > 1 ? "s" : "", clients, Runtime.getRuntime().availableProcessors(), api);

        Ceilings ceilings = new Ceilings(kafkaCeiling(bootstrap), postgresCeiling());
        StackCpu cpu = new StackCpu(stack);
        // The peer runs before jobplane's warm-up: on a platform at rest, not beside the read model still
        // catching up with jobplane's last runs.
        Peer peerFigures = peer ? peer(cpu) : null;
        connectionId = connection();
        List<String> noop = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            noop.add(job("noop-" + j + "-" + stamp(), List.of("select 1")));
        }

        if (warmup > 0) {
            int measured = runs;
            int sampled = sample;
            runs = warmup;
            sample = 0;
            System.out.printf("warming up with %d runs%n", warmup);
            launchAndComplete(List.of(job("warmup-" + stamp(), List.of("select 1"))));
            runs = measured;
            sample = sampled;
        }
        boolean statements;
        try (Connection c = db()) {
            statements = DatabaseProfile.resetStatements(c);
        }
        StackCpu.Sample cpuBefore = cpu.sample();
        Throughput t = launchAndComplete(noop);
        Map<String, Long> cpuSpent = StackCpu.spent(cpuBefore, cpu.sample());
        List<String> statementLines;
        try (Connection c = db()) {
            statementLines = statements ? DatabaseProfile.statementsPerRun(c, runs, 12) : List.of();
        }
        List<Long> cancelMs = cancelLatency(job("sleep-" + stamp(), List.of("select pg_sleep(600)")));
        long logFrom = DatabaseProfile.logSize(pg.logFile());
        boolean[] slowPlans = new boolean[1];
        Queries q = queryLatency(noop.get(0), () -> {
            try (Connection c = db()) {
                slowPlans[0] = slowPlanMs > 0 && DatabaseProfile.logSlowPlans(c, slowPlanMs);
            }
        }, () -> {
            if (slowPlans[0]) {
                try (Connection c = db()) {
                    DatabaseProfile.stopSlowPlans(c);
                }
            }
        });
        List<String> slowLines = slowPlans[0] ? DatabaseProfile.slowPlansSince(pg.logFile(), logFrom) : List.of();

        System.out.println();
        System.out.println("figure                                   value        ceiling                     fraction");
        row("launches accepted", t.launchesPerSecond(), "runs/s", ceilings.pgCommits(), "PostgreSQL commits/s");
        row("runs completed end to end", t.completedPerSecond(), "runs/s", ceilings.kafkaRecords(), "Kafka records/s");
        row("", t.completedPerSecond(), "runs/s", ceilings.pgCommits(), "PostgreSQL commits/s");
        if (peerFigures != null) {
            row("", t.completedPerSecond(), "runs/s", peerFigures.result().perSecond(), "db-scheduler tasks/s");
            System.out.println(BenchTable.latencyRow("launch→SUCCESS p50 (API, polled)", pct(t.latencies(), 50),
                    pct(peerFigures.result().latenciesMs(), 50), "db-scheduler"));
            System.out.println(BenchTable.latencyRow("launch→SUCCESS p99 (API, polled)", pct(t.latencies(), 99),
                    pct(peerFigures.result().latenciesMs(), 99), "db-scheduler"));
        }
        System.out.printf("launch→SUCCESS through the API            p50 %d ms  p95 %d ms  p99 %d ms  (%d sampled runs)%n",
                pct(t.latencies(), 50), pct(t.latencies(), 95), pct(t.latencies(), 99), t.latencies().size());
        System.out.printf("cancel→STOPPED through the API            p50 %d ms  p99 %d ms  (%d runs)   target p99 ≤ 200 ms%n",
                pct(cancelMs, 50), pct(cancelMs, 99), cancelMs.size());
        System.out.printf("status query, %,d runs in the read model  p50 %.2f ms  p99 %.2f ms   target p99 ≤ 5 ms%n",
                q.seeded(), q.status().get(q.status().size() / 2) / 1000.0, q.status().get(q.status().size() * 99 / 100) / 1000.0);
        System.out.printf("history query, %,d runs in the read model p50 %.2f ms  p99 %.2f ms   target p99 ≤ 5 ms%n",
                q.seeded(), q.history().get(q.history().size() / 2) / 1000.0, q.history().get(q.history().size() * 99 / 100) / 1000.0);
        System.out.printf("%nceilings: Kafka %,.0f records/s produced and consumed (acks=all, linger 5 ms); "
                + "PostgreSQL %,.0f single-row commits/s (8 clients)%n", ceilings.kafkaRecords(), ceilings.pgCommits());
        if (peerFigures != null) {
            PeerBench.Result p = peerFigures.result();
            System.out.printf("peer: db-scheduler %,.0f tasks/s scheduled→completed, schedule→execution p50 %d ms p99 %d ms"
                    + " (%,d tasks, %d threads; no REST, no JWT, no Kafka, no read model)%n", p.perSecond(),
                    pct(p.latenciesMs(), 50), pct(p.latenciesMs(), 99), p.tasks(), peerFigures.threads());
        }
        System.out.printf("%nCPU ms per run over jobplane's measured phase (%,d runs)%n", runs);
        BenchTable.cpuPerRun(cpuSpent, runs).forEach(System.out::println);
        if (statements) {
            System.out.printf("%nPostgreSQL statements of the measured phase, most time first (pg_stat_statements, planning included)%n");
            statementLines.forEach(System.out::println);
        } else {
            System.out.printf("%n(no statement statistics: the server does not load pg_stat_statements)%n");
        }
        if (slowPlans[0]) {
            System.out.printf("%nStatements slower than %d ms while the queries were timed (auto_explain; their plans are in %s): %s%n",
                    slowPlanMs, pg.logFile(), slowLines.isEmpty() ? "none" : "");
            slowLines.forEach(System.out::println);
        }
        if (peerFigures != null) {
            System.out.printf("%nCPU ms per task over db-scheduler's measured phase (%,d tasks; it runs inside the bench client)%n",
                    peerFigures.result().tasks());
            BenchTable.cpuPerRun(peerFigures.cpuSpent(), peerFigures.result().tasks()).forEach(System.out::println);
        }
        return 0;
    }

    // --- the peer --------------------------------------------------------------------------------

    private Peer peer(StackCpu cpu) throws Exception {
        int tasks = peerRuns > 0 ? peerRuns : runs;
        int threads = peerThreads > 0 ? peerThreads : WORKER_SLOTS * Math.max(1, stack.stack().recordedWorkers());
        int schedulers = peerClients > 0 ? peerClients : clients;
        PeerBench bench = new PeerBench(pg, threads, schedulers);
        bench.prepare();
        System.out.printf("peer: db-scheduler, %,d warm-up and %,d measured one-time no-op tasks, %d clients, %d threads%n",
                Math.min(warmup, tasks), tasks, schedulers, threads);
        StackCpu.Sample[] samples = new StackCpu.Sample[2];
        PeerBench.Result result = bench.run(Math.min(warmup, tasks), tasks, () -> samples[0] = cpu.sample(),
                () -> samples[1] = cpu.sample());
        System.out.printf("peer: %,d tasks scheduled and completed in %.1f s = %,.0f tasks/s%n", result.tasks(),
                result.seconds(), result.perSecond());
        return new Peer(result, threads, StackCpu.spent(samples[0], samples[1]));
    }

    // --- ceilings --------------------------------------------------------------------------------

    private double kafkaCeiling(KafkaAccess kafka) throws Exception {
        String topic = "jobplane.bench-" + stamp();
        int records = 200_000;
        // The broker's admin: the only user allowed to make a topic of its own.
        Properties admin = kafka.adminProperties();
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(topic, 12, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Properties p = kafka.adminProperties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            Properties c = kafka.adminProperties();
            c.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            String value = "{\"specversion\":\"1.0\",\"type\":\"jobplane.bench\",\"data\":{\"run_id\":\"" + UUID.randomUUID()
                    + "\",\"status\":\"SUCCESS\",\"padding\":\"" + "x".repeat(150) + "\"}}";
            long consumed;
            long started = System.nanoTime();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c);
                    KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                consumer.subscribe(List.of(topic));
                Thread sender = new Thread(() -> {
                    for (int i = 0; i < records; i++) {
                        producer.send(new ProducerRecord<>(topic, Integer.toString(i), value));
                    }
                    producer.flush();
                });
                sender.start();
                consumed = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (consumed < records && System.nanoTime() < deadline) {
                    consumed += consumer.poll(Duration.ofMillis(200)).count();
                }
                sender.join();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            a.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            double rate = consumed / seconds;
            System.out.printf("ceiling: Kafka produce→consume %,d records in %.1f s = %,.0f records/s%n", consumed, seconds, rate);
            return rate;
        }
    }

    private double postgresCeiling() throws Exception {
        try (Connection c = db(); Statement st = c.createStatement()) {
            st.execute("create table if not exists public.bench_commit_probe (id bigserial primary key, v text)");
        }
        int threads = 8;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        AtomicLong commits = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                work.add(pool.submit(() -> {
                    try (Connection c = db(); PreparedStatement st = c.prepareStatement(
                            "insert into public.bench_commit_probe (v) values (?)")) {
                        while (System.nanoTime() < until) {
                            st.setString(1, "probe");
                            st.executeUpdate();
                            commits.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = db(); Statement st = c.createStatement()) {
            st.execute("drop table public.bench_commit_probe");
        }
        double rate = commits.get() / 5.0;
        System.out.printf("ceiling: PostgreSQL %,d single-row commits in 5 s = %,.0f commits/s%n", commits.get(), rate);
        return rate;
    }

    // --- launches, completion, latency -----------------------------------------------------------

    private Throughput launchAndComplete(List<String> jobIds) throws Exception {
        Map<String, Long> launchedAt = new ConcurrentHashMap<>();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        // The launching clients: `clients` requests in flight on as many keep-alive HTTP/1.1
        // connections, driven by one Vert.x event loop, so the load generator takes little of the
        // CPU the platform shares with it (a thread per client on the JDK's HttpClient took ~0.5 ms
        // of CPU per launch, a fifth of the whole platform's).
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        URI base = URI.create(api);
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(clients));
        String bearer = "Bearer " + stack.token();
        long started = System.nanoTime();
        CountDownLatch done = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            String path = "/api/v1/workspaces/" + WS + "/jobs/" + jobIds.get(i % jobIds.size()) + "/runs";
            new Runnable() {
                @Override
                public void run() {
                    int n = next.getAndIncrement();
                    if (n >= runs) {
                        done.countDown();
                        return;
                    }
                    // With --rate, launch n is due n / rate seconds after the first.
                    long wait = rate <= 0 ? 0 : started + (long) (n * 1e9 / rate) - System.nanoTime();
                    if (wait >= 1_000_000) {
                        vertx.setTimer(wait / 1_000_000, timer -> send());
                    } else {
                        send();
                    }
                }

                private void send() {
                    long t = System.nanoTime();
                    http.request(HttpMethod.POST, path)
                            .compose(request -> request.putHeader("Authorization", bearer).send())
                            .compose(response -> response.body().map(body -> response.statusCode() == 202
                                    ? runId(body) : null))
                            .onComplete(result -> {
                                String id = result.succeeded() ? result.result() : null;
                                if (id == null) {
                                    refused.incrementAndGet();
                                } else {
                                    launchedAt.put(id, t);
                                    ids.add(id);
                                }
                                run();
                            });
                }
            }.run();
        }
        // Time launch→SUCCESS for a sample of the runs, as clients see it: polling the API.
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pollers = Executors.newFixedThreadPool(4);
        List<Future<?>> polling = new ArrayList<>();
        int every = sample == 0 ? Integer.MAX_VALUE : Math.max(1, runs / sample);
        for (int p = 0; p < 4; p++) {
            int lane = p;
            polling.add(pollers.submit(() -> {
                int seen = 0;
                List<String> mine = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
                while (System.nanoTime() < deadline) {
                    synchronized (ids) {
                        for (int i = seen; i < ids.size(); i++) {
                            if (i % every == 0 && (i / every) % 4 == lane) {
                                mine.add(ids.get(i));
                            }
                        }
                        seen = ids.size();
                    }
                    for (var it = mine.iterator(); it.hasNext();) {
                        String id = it.next();
                        HttpResponse<String> r = request("GET", "/api/v1/workspaces/" + WS + "/runs/" + id, null);
                        String status = JSON.readTree(r.body()).path("status").asText();
                        if (status.equals("SUCCESS")) {
                            latencies.add((System.nanoTime() - launchedAt.get(id)) / 1_000_000);
                            it.remove();
                        } else if (status.equals("FAILED") || status.equals("STOPPED")) {
                            it.remove();
                        }
                    }
                    if (mine.isEmpty() && done.getCount() == 0 && seen == ids.size()) {
                        return null;
                    }
                    // Light polling at full load (every sampled run about ten times a second), so measuring
                    // does not take the CPU the platform needs, and the figures carry up to ~100 ms of
                    // polling delay; at a set --rate the platform has room, and runs are polled every 10 ms.
                    Thread.sleep(rate > 0 ? 10 : 100);
                }
                return null;
            }));
        }
        done.await();
        double launchSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("launched %,d runs in %.1f s (%d refused)%n", ids.size(), launchSeconds, refused.get());
        long lastDone = awaitAllEnded(jobIds, ids.size());
        double completeSeconds = (lastDone - started) / 1e9;
        for (Future<?> f : polling) {
            f.get();
        }
        http.close();
        vertx.close();
        pollers.shutdownNow();
        Collections.sort(latencies);
        return new Throughput(ids.size() / launchSeconds, ids.size() / completeSeconds, latencies);
    }

    /**
     * Waits until every run of the jobs has ended; returns when the last one did, and says how they
     * ended. Called once every launch was answered, it asks only for the runs not yet ended (the
     * partial indexes on unfinished runs), so polling costs the database next to nothing.
     */
    private long awaitAllEnded(List<String> jobIds, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        try (Connection c = db(); PreparedStatement st = c.prepareStatement("""
                select (select count(*) from api.run where job_id = any(?::uuid[]) and state in ('DISPATCHED', 'RUNNING', 'CANCELLING'))
                     + (select count(*) from api.run where workspace = ? and state = 'QUEUED' and job_id = any(?::uuid[]))""")) {
            java.sql.Array ids = c.createArrayOf("text", jobIds.toArray());
            st.setArray(1, ids);
            st.setString(2, WS);
            st.setArray(3, ids);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        long now = System.nanoTime();
                        reportEnded(c, ids, expected);
                        return now;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new StackException("runs did not all end within 30 minutes");
    }

    private static String runId(Buffer body) {
        try {
            return JSON.readTree(body.getBytes()).get("run_id").asText();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private List<Long> cancelLatency(String job) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < cancels; i++) {
            ids.add(JSON.readTree(request("POST", "/api/v1/workspaces/" + WS + "/jobs/" + job + "/runs", null).body())
                    .get("run_id").asText());
        }
        // Wait until the workers hold every run just launched, or as many as their run slots take (the
        // count has not grown for 2 s): the runs of earlier benches do not count, and the rest wait
        // queued, so their cancels are measured too.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(
                "select count(*) from api.run where id = any(?::uuid[]) and last_seen_at is not null")) {
            st.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            long held = -1;
            long steadySince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                long now;
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    now = rs.getLong(1);
                }
                if (now >= cancels || (now > 0 && now == held && System.nanoTime() - steadySince > TimeUnit.SECONDS.toNanos(2))) {
                    break;
                }
                if (now != held) {
                    held = now;
                    steadySince = System.nanoTime();
                }
                Thread.sleep(50);
            }
        }
        List<Long> latencies = new ArrayList<>();
        for (String id : ids) {
            long t = System.nanoTime();
            request("POST", "/api/v1/workspaces/" + WS + "/runs/" + id + "/cancel", null);
            while (System.nanoTime() - t < TimeUnit.SECONDS.toNanos(60)) {
                String status = JSON.readTree(request("GET", "/api/v1/workspaces/" + WS + "/runs/" + id, null).body())
                        .path("status").asText();
                if (status.equals("STOPPED")) {
                    latencies.add((System.nanoTime() - t) / 1_000_000);
                    break;
                }
                Thread.sleep(2);
            }
        }
        Collections.sort(latencies);
        System.out.printf("cancelled %d runs, each one after the other%n", latencies.size());
        return latencies;
    }

    // --- query latency over a large read model ---------------------------------------------------

    /** A step of the query phase: before the measured queries, and after them. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private Queries queryLatency(String job, Step measuring, Step measured) throws Exception {
        awaitReadModel();
        String prefix = String.format("%08x", ThreadLocalRandom.current().nextInt());
        seed(job, prefix);
        List<Long> status = new ArrayList<>();
        List<Long> history = new ArrayList<>();
        String base = "/api/v1/workspaces/" + WS;
        // The first queries of each kind compile the API's query path (after the launches, the
        // compiler still has a backlog of launch-path methods); they are not measured.
        for (int i = -Math.min(queries, 1000); i < queries; i++) {
            String id = seededId(prefix, ThreadLocalRandom.current().nextInt(seedRuns));
            if (i == 0) {
                measuring.run();
            }
            long s = timed("GET", base + "/runs/" + id);
            String filter = switch (Math.floorMod(i, 4)) {
                case 0 -> "";
                case 1 -> "?status=FAILED";
                case 2 -> "?from=2026-01-0" + (1 + Math.floorMod(i, 9)) + "T00:00:00Z&to=2026-02-01T00:00:00Z";
                default -> "?cursor=" + seededId(prefix, ThreadLocalRandom.current().nextInt(seedRuns));
            };
            long h = timed("GET", base + "/jobs/" + job + "/runs" + filter);
            if (i >= 0) {
                status.add(s);
                history.add(h);
            }
        }
        measured.run();
        Collections.sort(status);
        Collections.sort(history);
        unseed(job, prefix);
        return new Queries(seedRuns, status, history);
    }

    /** A run id of the seeded set: UUIDv7-shaped, ordered by {@code n}, outside any real run's range. */
    private static String seededId(String prefix, int n) {
        return String.format("%s-0000-7000-8000-%012x", prefix, n);
    }

    private void seed(String job, String prefix) throws SQLException {
        long started = System.nanoTime();
        try (Connection c = db(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            String id = "'" + prefix + "-0000-7000-8000-' || lpad(to_hex(n), 12, '0')";
            st.execute("insert into api.run (id, workspace, job_id, attempt, trigger, requested_at, requested_by, state, "
                    + "execution_date, finished_at) select (" + id + ")::uuid, '" + WS + "', '" + job + "'::uuid, 1, 'bench', "
                    + "now() - interval '1 second' * n, 'bench', case when n % 100 = 0 then 'FAILED' else 'SUCCESS' end, "
                    + "timestamptz '2026-01-01' + interval '1 second' * n, now() from generate_series(0, " + (seedRuns - 1) + ") n");
            st.execute("insert into runs.run (run_id, workspace, job_id, job_name, attempt, status, trigger, queued_at, "
                    + "started_at, finished_at, execution_date, worker_id) select " + id + ", '" + WS + "', '" + job + "', "
                    + "'bench', 1, case when n % 100 = 0 then 'FAILED' else 'SUCCESS' end, 'bench', now(), now(), now(), "
                    + "timestamptz '2026-01-01' + interval '1 second' * n, 'seed' from generate_series(0, " + (seedRuns - 1) + ") n");
            st.execute("insert into runs.task_run (run_id, task_id, task_index, attempt, status, started_at, finished_at) "
                    + "select " + id + ", 'seed-task', 0, 1, 'SUCCESS', now(), now() from generate_series(0, "
                    + (seedRuns - 1) + ") n");
            c.commit();
            c.setAutoCommit(true);
            // A read model is queried in its steady state, not in the second after a bulk load: set
            // the rows' hint bits and visibility map, refresh the statistics, and write the load out.
            st.execute("vacuum (analyze) api.run");
            st.execute("vacuum (analyze) runs.run");
            st.execute("vacuum (analyze) runs.task_run");
            st.execute("checkpoint");
        }
        System.out.printf("seeded %,d runs into the read model in %.1f s%n", seedRuns, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Queries are timed on a platform at rest: the read model has caught up with the runs just
     * launched (metadata-harvester follows the run events behind the API's own records).
     */
    private void awaitReadModel() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try (Connection c = db(); PreparedStatement st = c.prepareStatement("""
                select count(*) from api.run a left join runs.run r on r.run_id = a.id::text
                 where a.workspace = ? and a.state in ('SUCCESS', 'FAILED', 'STOPPED')
                   and r.status is distinct from a.state""")) {
            st.setString(1, WS);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(500);
            }
        }
        throw new StackException("the read model did not catch up with the API within 10 minutes");
    }

    /** Removes the seeded runs and the dead rows they leave, so no later run pays for their cleanup. */
    private void unseed(String job, String prefix) throws SQLException {
        try (Connection c = db(); Statement st = c.createStatement()) {
            st.execute("delete from runs.run where run_id like '" + prefix + "-%'");
            st.execute("delete from api.run where job_id = '" + job + "'::uuid and trigger = 'bench'");
            st.execute("vacuum api.run");
            st.execute("vacuum runs.run");
            st.execute("vacuum runs.task_run");
        }
    }

    private static void reportEnded(Connection c, java.sql.Array jobIds, int expected) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                select count(*) filter (where state in ('SUCCESS', 'FAILED', 'STOPPED')),
                       count(*) filter (where state = 'SUCCESS')
                  from api.run where job_id = any(?::uuid[])""")) {
            st.setArray(1, jobIds);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getLong(1) < expected) {
                    throw new StackException("only " + rs.getLong(1) + " of " + expected + " runs ended");
                }
                System.out.printf("all %,d runs ended, %,d SUCCESS%n", rs.getLong(1), rs.getLong(2));
            }
        }
    }

    private long timed(String method, String path) throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> r = request(method, path, null);
        long micros = (System.nanoTime() - t) / 1000;
        if (r.statusCode() != 200) {
            throw new StackException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return micros;
    }

    // --- setup and plumbing ----------------------------------------------------------------------

    private String connection() throws Exception {
        return stack.tenantConnection(BENCH_DATABASE);
    }

    private String job(String name, List<String> queries) throws Exception {
        return created(request("POST", "/api/v1/workspaces/" + WS + "/jobs", Map.of("name", name, "type", "TABLE_TO_TABLE",
                "destination_connection_id", connectionId, "queries", queries)), "job_id");
    }

    private static String created(HttpResponse<String> r, String field) throws Exception {
        return StackApi.created(r, field);
    }

    private HttpResponse<String> request(String method, String path, Object body) throws Exception {
        return stack.request(method, path, body);
    }

    private Connection db() throws SQLException {
        return stack.db();
    }

    private static String stamp() {
        return StackApi.stamp();
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }

    private static void row(String name, double value, String unit, double ceiling, String ceilingName) {
        System.out.println(BenchTable.row(name, value, unit, ceiling, ceilingName));
    }

    private record Peer(PeerBench.Result result, int threads, Map<String, Long> cpuSpent) {
    }

    private record Ceilings(double kafkaRecords, double pgCommits) {
    }

    private record Throughput(double launchesPerSecond, double completedPerSecond, List<Long> latencies) {
    }

    private record Queries(int seeded, List<Long> status, List<Long> history) {
    }
}
