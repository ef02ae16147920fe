package io.jobplane.worker.catalog.td;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.jobplane.events.egress.EgressPolicy;
import io.jobplane.events.payload.catalog.CatalogChange;
import io.jobplane.events.payload.catalog.CatalogSink;

/**
 * The ingest against a Treasure Data–compatible server started here (the JDK's HTTP server), serving
 * the v3 API's documented shapes: paged job lists, schedules, result connections, users and their
 * access control, databases (list and show), policies with their permissions, column permissions and
 * users. The records go to an in-memory sink that applies them as the harvester does (upserts;
 * staged generations replacing a kind on commit).
 */
class TreasureDataIngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "4321/0123456789abcdef0123456789abcdefcanary";
    private static final EgressPolicy LOOPBACK_ALLOWED = EgressPolicy.of(List.of("127.0.0.1/32"), List.of());
    private static final CatalogChange.Origin ORIGIN = new CatalogChange.Origin("ws1", "job1", "run1", 1, Instant.now());

    private FakeTd td;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        td = new FakeTd(KEY);
    }

    @AfterEach
    void stop() {
        td.stop();
    }

    private static IngestOptions.Limits limits() {
        return new IngestOptions.Limits(10, 100_000, 1024 * 1024, 64 * 1024, 128 * 1024, 4, Duration.ofMillis(250),
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10), 100, 16L * 1024 * 1024);
    }

    private TdApi api(String key, IngestOptions.Limits limits) throws TdException {
        return TdApi.connect(td.baseUrl(), key, LOOPBACK_ALLOWED, limits, waits::add, Clock.systemUTC());
    }

    private IngestReport run(IngestOptions options, MemoryCatalog catalog, Map<String, String> state) throws Exception {
        try (TdApi api = api(KEY, options.limits())) {
            return new TreasureDataIngest(options).run(api, ORIGIN, catalog, state, log::add);
        }
    }

    @Test
    void anInitialImportBringsEveryKindThenAnIncrementalOneAddsTheNewJobsAndReplacesSchedulesAndConnections()
            throws Exception {
        td.seed(25, 450);
        td.failOnce("/v3/schedule/list", 503, null);
        td.failOnce("/v3/job/list?from=10&to=19", 429, "7");
        MemoryCatalog catalog = new MemoryCatalog();

        IngestReport first = run(new IngestOptions("td-prod", IngestOptions.Mode.INITIAL, null, null, limits()), catalog,
                Map.of());

        // Every kind as the server holds it, record for record.
        td.assertCatalogHolds(catalog);
        Map<String, Long> expected = td.counts();
        assertEquals(expected, first.records());
        assertEquals(25L, first.records().get("jobs"));
        assertEquals(1025L, first.maxJobId());
        assertNull(first.lowerJobId());
        // The 429's Retry-After was honoured (7 s), the 503 backed off by the first backoff step.
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofSeconds(7)), waits);
        assertEquals(2, first.retries());
        // Replaced kinds: one generation each, committed with the exact count; jobs are upserts.
        for (String kind : expected.keySet()) {
            if (kind.equals("jobs")) {
                assertTrue(catalog.commits(kind).isEmpty());
                assertTrue(catalog.events(kind).stream().allMatch(e -> e.generation() == null));
                continue;
            }
            List<CatalogChange.PlatformCommitted> commits = catalog.commits(kind);
            assertEquals(1, commits.size(), kind);
            assertEquals(expected.get(kind), commits.get(0).expectedRecords(), kind);
            assertEquals(first.generations().get(kind), commits.get(0).generation());
            assertTrue(catalog.events(kind).stream().allMatch(e -> e.generation().equals(commits.get(0).generation())), kind);
        }
        // 450 schedules: three events of at most 200 records.
        assertEquals(List.of(200, 200, 50), catalog.events("schedules").stream().map(e -> e.records().size()).toList());
        assertTrue(catalog.allEvents().stream().allMatch(e -> e.records().size() <= CatalogChange.MAX_PLATFORM_RECORDS_PER_EVENT
                && e.source().equals("td-prod") && e.origin().equals(ORIGIN)));
        // A password in a connection URL does not reach the catalog.
        String s3 = catalog.content("connections").get("s3_exports");
        assertTrue(s3.contains("s3://AKIAEXAMPLE:***@bucket/exports"), s3);
        assertFalse(s3.contains("wJalrXUtnFEMI"), s3);

        // The server moves on: 7 new jobs, job 1003 finished, a schedule changed, one gone, one new; a connection replaced.
        int oldListRequests = td.requests("/v3/job/list");
        td.addJobs(7);
        td.finishJob(1003);
        td.changeSchedules();
        td.changeConnections();
        List<CatalogChange.PlatformRecords> before = catalog.allEvents();
        String maxInCatalog = catalog.content("jobs").keySet().stream().map(Long::valueOf).max(Long::compare).orElseThrow()
                .toString();

        IngestReport second = run(new IngestOptions("td-prod", IngestOptions.Mode.INCREMENTAL, null, null, limits()), catalog,
                Map.of("max_job_id", maxInCatalog, "running_job_ids", "1003"));

        td.assertCatalogHolds(catalog);
        List<String> newJobs = catalog.allEvents().stream().filter(e -> !before.contains(e) && e.kind().equals("jobs"))
                .flatMap(e -> e.records().stream()).map(CatalogChange.PlatformRecord::id).toList();
        assertEquals(List.of("1026", "1027", "1028", "1029", "1030", "1031", "1032", "1003"), newJobs);
        assertEquals(1032L, second.maxJobId());
        assertEquals(1025L, second.lowerJobId());
        assertEquals(1, td.requests("/v3/job/list") - oldListRequests, "the walk stops at the page that reaches job 1025");
        assertTrue(catalog.content("jobs").get("1003").contains("\"status\":\"success\""));
        for (String kind : List.of("schedules", "connections")) {
            List<CatalogChange.PlatformCommitted> commits = catalog.commits(kind);
            assertEquals(2, commits.size());
            assertNotEquals(commits.get(0).generation(), commits.get(1).generation());
            assertEquals(td.counts().get(kind), commits.get(1).expectedRecords());
        }
        assertEquals(td.counts().get("schedules"), (long) catalog.content("schedules").size());

        // The key went only into the Authorization header: TD1 <key> on every request, nowhere else.
        assertEquals(Set.of("TD1 " + KEY), Set.copyOf(td.authorizations));
        String everything = catalog.allEvents().toString() + catalog.allCommits() + log + first + second;
        assertFalse(everything.contains(KEY), "the key leaked");
        assertFalse(everything.contains(KEY.substring(5)), "the key leaked");
        assertTrue(catalog.content("users").get("2").contains("***"), "the echoed key was scrubbed");
    }

    @Test
    void aLowerJobIdStartsTheInitialJobsAndKindsNarrowTheRun() throws Exception {
        td.seed(25, 3);
        MemoryCatalog catalog = new MemoryCatalog();
        IngestReport report = run(new IngestOptions("td", IngestOptions.Mode.INITIAL, 1018L, Set.of("jobs", "Schedules"),
                limits()), catalog, Map.of("max_job_id", "1002"));
        assertEquals(List.of("1019", "1020", "1021", "1022", "1023", "1024", "1025"),
                List.copyOf(new TreeMap<>(catalog.content("jobs")).keySet()));
        assertEquals(Map.of("jobs", 7L, "schedules", 3L), report.records());
        assertEquals(1, td.requests("/v3/job/list"));
        assertEquals(0, td.requests("/v3/user/list") + td.requests("/v3/result/list") + td.requests("/v3/access_control"));
    }

    @Test
    void aRefusedKeyFailsTheRunClearlyWithoutTheKey() throws Exception {
        td.seed(5, 3);
        MemoryCatalog catalog = new MemoryCatalog();
        String wrong = "4321/ffffffffffffffffffffffffffffffffwrong";
        TdException e;
        try (TdApi api = api(wrong, limits())) {
            e = assertThrows(TdException.class, () -> new TreasureDataIngest(new IngestOptions("td", null, null, null, limits()))
                    .run(api, ORIGIN, catalog, Map.of(), log::add));
        }
        assertEquals(TdException.AUTH_FAILED, e.code());
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("refused the connection's API key (HTTP 401 for GET /v3/schedule/list)"),
                e.getMessage());
        assertFalse((e.getMessage() + log).contains(wrong));
        assertEquals(1, td.authorizations.size(), "401 is not retried");
        assertTrue(catalog.allCommits().isEmpty());
        assertTrue(waits.isEmpty());
    }

    @Test
    void transientFailuresBackOffExponentiallyAndGiveUpAfterTheLastTry() throws Exception {
        td.seed(5, 3);
        td.failAlways("/v3/schedule/list", 503);
        MemoryCatalog catalog = new MemoryCatalog();
        TdException e = assertThrows(TdException.class,
                () -> run(new IngestOptions("td", null, null, Set.of("schedules"), limits()), catalog, Map.of()));
        assertEquals(TdException.UNAVAILABLE, e.code());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(1000)), waits);
        assertEquals(4, td.requests("/v3/schedule/list"));
        assertTrue(catalog.allCommits().isEmpty());
    }

    @Test
    void aServerThatGoesSilentIsAskedAgainAfterTheReadTimeout() throws Exception {
        td.seed(5, 3);
        td.stallOnce("/v3/result/list");
        IngestOptions.Limits l = limits();
        IngestOptions.Limits quick = new IngestOptions.Limits(l.pageSize(), l.maxRecords(), l.maxResponseBytes(),
                l.maxRecordBytes(), l.maxEventBytes(), l.maxAttempts(), l.initialBackoff(), l.maxBackoff(), l.connectTimeout(),
                Duration.ofMillis(300), l.maxRefreshedJobs(), l.maxJobBytes());
        MemoryCatalog catalog = new MemoryCatalog();
        IngestReport report = run(new IngestOptions("td", null, null, Set.of("connections"), quick), catalog, Map.of());
        assertEquals(2L, report.records().get("connections"));
        assertEquals(1, report.retries());
        assertEquals(2, td.requests("/v3/result/list"));
        assertEquals(List.of(Duration.ofMillis(250)), waits);
        assertTrue(log.stream().anyMatch(line -> line.contains("SocketTimeoutException") && line.contains("try 2 of 4")), log.toString());
        td.release();
    }

    @Test
    void aHugeBodyIsRefusedBeforeItIsHeld() throws Exception {
        td.seed(5, 400);
        IngestOptions.Limits small = limits().withMaxResponseBytes(16 * 1024);
        TdException e = assertThrows(TdException.class,
                () -> run(new IngestOptions("td", null, null, Set.of("schedules"), small), new MemoryCatalog(), Map.of()));
        assertEquals(TdException.RESPONSE_TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("16384"), e.getMessage());
    }

    @Test
    void tooManyJobsForOneRunFailBeforeAnyJobIsEmitted() throws Exception {
        td.seed(60, 3);
        MemoryCatalog catalog = new MemoryCatalog();
        TdException e = assertThrows(TdException.class, () -> run(new IngestOptions("td", null, null, Set.of("jobs"),
                limits().withMaxRecords(40)), catalog, Map.of()));
        assertEquals(TdException.LIMIT_EXCEEDED, e.code());
        assertTrue(e.getMessage().contains("lower_job_id"), e.getMessage());
        assertTrue(catalog.events("jobs").isEmpty(), "no partial job import that would leave a gap");
    }

    @Test
    void aCancelledRunStopsBeforeTheNextRequest() throws Exception {
        td.seed(5, 3);
        MemoryCatalog catalog = new MemoryCatalog();
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> run(new IngestOptions("td", null, null, null, limits()), catalog,
                    Map.of()));
        } finally {
            Thread.interrupted();
        }
        assertTrue(td.authorizations.isEmpty());
    }

    @Test
    void theEgressPolicyDecidesWhichEndpointsTheIngestReaches() throws Exception {
        // Plain http to an address no allowlist names: refused before anything is sent.
        TdException http = assertThrows(TdException.class, () -> TdApi.connect(td.baseUrl(), KEY, EgressPolicy.strict(),
                limits(), waits::add, Clock.systemUTC()));
        assertEquals(TdException.UNUSABLE_CONNECTION, http.code());
        // https to loopback under the strict policy: the socket refuses to connect.
        String https = td.baseUrl().replace("http://", "https://");
        try (TdApi api = TdApi.connect(https, KEY, EgressPolicy.strict(), limits(), waits::add, Clock.systemUTC())) {
            TdException denied = assertThrows(TdException.class, () -> api.get("/v3/schedule/list"));
            assertEquals(TdException.EGRESS_DENIED, denied.code());
            assertTrue(denied.getMessage().contains("loopback"), denied.getMessage());
        }
        assertTrue(td.authorizations.isEmpty());
        assertThrows(TdException.class, () -> TdApi.connect("https://user:pw@api.treasuredata.com", KEY, null, limits(), null,
                null));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateAndCapped() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2015-10-21T07:27:50Z"), ZoneOffset.UTC);
        try (TdApi api = TdApi.connect(td.baseUrl(), KEY, LOOPBACK_ALLOWED, limits(), waits::add, clock)) {
            assertEquals(Duration.ofSeconds(12), api.retryAfter("12", 1));
            assertEquals(Duration.ofSeconds(10), api.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1));
            assertEquals(Duration.ZERO, api.retryAfter("Wed, 21 Oct 2015 07:00:00 GMT", 1));
            assertEquals(Duration.ofSeconds(30), api.retryAfter("86400", 1), "capped at maxBackoff");
            assertEquals(Duration.ofMillis(500), api.retryAfter("soon", 2), "unreadable: the backoff");
            assertEquals(Duration.ofSeconds(30), api.backoff(20));
        }
    }

    @Test
    void theJobsParameterIsReadFromTheMetadataIngestParameter() throws Exception {
        IngestOptions o = IngestOptions.fromParameter(JSON.readTree(
                "{\"metadata_ingest_parameter\":{\"mode\":\"incremental\",\"lower_job_id\":\"1675368283\",\"kinds\":[\"jobs\"]}}"),
                "td");
        assertEquals(IngestOptions.Mode.INCREMENTAL, o.mode());
        assertEquals(1675368283L, o.lowerJobId());
        assertEquals(Set.of("jobs"), o.kinds());
        IngestOptions all = IngestOptions.fromParameter(null, "td");
        assertEquals(IngestOptions.Mode.INITIAL, all.mode());
        assertEquals(Set.copyOf(IngestOptions.KINDS), all.kinds());
        assertThrows(IllegalArgumentException.class,
                () -> IngestOptions.fromParameter(JSON.readTree("{\"kinds\":[\"secrets\"]}"), "td"));
        assertThrows(IllegalArgumentException.class,
                () -> IngestOptions.fromParameter(JSON.readTree("{\"lower_job_id\":\"1 or 1=1\"}"), "td"));
        assertThrows(IllegalArgumentException.class, () -> IngestOptions.fromParameter(JSON.readTree("{\"mode\":\"ALL\"}"), "td"));
    }

    // ---- the catalog side -------------------------------------------------------------------------

    /** Collects what a run emits and applies it as the harvester does: upserts, staged generations, atomic replaces. */
    static final class MemoryCatalog implements CatalogSink {
        private final List<CatalogChange.PlatformRecords> events = new ArrayList<>();
        private final List<CatalogChange.PlatformCommitted> commits = new ArrayList<>();
        private final Map<String, Map<String, String>> content = new HashMap<>();
        private final Map<String, Map<String, String>> staged = new HashMap<>();

        @Override
        public void platformRecords(CatalogChange.PlatformRecords records) {
            assertTrue(records.records().size() <= CatalogChange.MAX_PLATFORM_RECORDS_PER_EVENT);
            events.add(records);
            Map<String, String> into = records.generation() == null
                    ? content.computeIfAbsent(records.kind(), k -> new HashMap<>())
                    : staged.computeIfAbsent(records.generation(), g -> new HashMap<>());
            records.records().forEach(r -> into.put(r.id(), r.json()));
        }

        @Override
        public void platformCommitted(CatalogChange.PlatformCommitted committed) {
            commits.add(committed);
            Map<String, String> generation = staged.getOrDefault(committed.generation(), Map.of());
            assertEquals(committed.expectedRecords(), generation.size(), "every staged record arrived before the commit");
            content.put(committed.kind(), new HashMap<>(generation));
            staged.remove(committed.generation());
        }

        Map<String, String> content(String kind) {
            return content.getOrDefault(kind, Map.of());
        }

        List<CatalogChange.PlatformRecords> events(String kind) {
            return events.stream().filter(e -> e.kind().equals(kind)).toList();
        }

        List<CatalogChange.PlatformCommitted> commits(String kind) {
            return commits.stream().filter(e -> e.kind().equals(kind)).toList();
        }

        List<CatalogChange.PlatformRecords> allEvents() {
            return List.copyOf(events);
        }

        List<CatalogChange.PlatformCommitted> allCommits() {
            return List.copyOf(commits);
        }

        @Override
        public void database(CatalogChange.Database database) {
            throw new AssertionError("an ingest emits platform records only");
        }

        @Override
        public void table(CatalogChange.Table table) {
            throw new AssertionError("an ingest emits platform records only");
        }

        @Override
        public void partitions(CatalogChange.Partitions partitions) {
            throw new AssertionError("an ingest emits platform records only");
        }

        @Override
        public void function(CatalogChange.Function function) {
            throw new AssertionError("an ingest emits platform records only");
        }

        @Override
        public void complete(CatalogChange.Origin origin) {
            throw new AssertionError("the executor completes the run, not the ingest");
        }
    }

    // ---- a Treasure Data–compatible server --------------------------------------------------------

    /** TD's v3 API as far as the ingest reads it, with the response shapes TD documents. */
    static final class FakeTd {
        private final String key;
        private final HttpServer server;
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        private final List<String> paths = new CopyOnWriteArrayList<>();
        private final Map<String, int[]> failures = new ConcurrentHashMap<>();
        private final Map<String, String> retryAfter = new ConcurrentHashMap<>();
        private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
        private final java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
        private final AtomicInteger nextJob = new AtomicInteger(1001);
        private final TreeMap<Long, ObjectNode> jobs = new TreeMap<>();
        private final Map<String, ObjectNode> schedules = new LinkedHashMap<>();
        private final Map<String, ObjectNode> connections = new LinkedHashMap<>();
        private final Map<String, ObjectNode> users = new LinkedHashMap<>();
        private final Map<String, ObjectNode> accessControl = new LinkedHashMap<>();
        private final Map<String, ObjectNode> databases = new LinkedHashMap<>();
        private final Map<String, ObjectNode> policies = new LinkedHashMap<>();
        private final Map<String, JsonNode> permissions = new LinkedHashMap<>();
        private final Map<String, JsonNode> columnPermissions = new LinkedHashMap<>();
        private final Map<String, JsonNode> policyUsers = new LinkedHashMap<>();

        FakeTd(String key) throws IOException {
            this.key = key;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(executor);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void stop() {
            stalled.countDown();
            server.stop(0);
            executor.shutdownNow();
        }

        synchronized void seed(int jobCount, int scheduleCount) {
            for (int i = 0; i < jobCount; i++) {
                addJob("success");
            }
            for (int i = 0; i < scheduleCount; i++) {
                ObjectNode s = JSON.createObjectNode().put("name", "report_" + i).put("cron", "0 " + (i % 24) + " * * *")
                        .put("timezone", "UTC").put("delay", 0).put("type", "presto").put("database", "sales")
                        .put("query", "select count(1) from orders -- " + i).put("user_name", "Owner").put("priority", 0)
                        .put("retry_limit", 0).put("result", "").put("next_time", "2024-05-02T00:00:00Z")
                        .put("created_at", "2024-01-01 00:00:00 UTC");
                schedules.put("report_" + i, s);
            }
            connections.put("s3_exports", JSON.createObjectNode().put("name", "s3_exports")
                    .put("url", "s3://AKIAEXAMPLE:wJalrXUtnFEMI@bucket/exports").putNull("organization"));
            connections.put("crm", JSON.createObjectNode().put("name", "crm").put("url", "salesforce://crm").putNull("organization"));
            for (int id = 1; id <= 3; id++) {
                ObjectNode u = JSON.createObjectNode().put("id", id).put("name", "User " + id).put("email", "u" + id + "@example.com")
                        .put("administrator", id == 1).put("created_at", "2023-01-0" + id + " 00:00:00 UTC");
                if (id == 2) {
                    u.put("note", "pasted " + key + " by mistake"); // a server echoing the key must not leak it
                }
                users.put(Integer.toString(id), u);
                ObjectNode acl = JSON.createObjectNode().put("user_id", id);
                acl.putObject("permissions").putArray("Databases").addObject().put("operation", "query").put("ids", "77");
                acl.putArray("policies").addObject().put("id", 10 + (id % 2)).put("name", "policy" + (id % 2));
                accessControl.put(Integer.toString(id), acl);
            }
            for (String name : List.of("sales", "web logs")) {
                ObjectNode d = JSON.createObjectNode().put("id", name.equals("sales") ? "77" : "78").put("name", name)
                        .put("count", 1200).put("created_at", "2022-05-01 00:00:00 UTC").put("updated_at", "2024-01-01 00:00:00 UTC")
                        .putNull("organization").put("permission", "administrator").put("delete_protected", false);
                databases.put(name, d);
            }
            for (int id : new int[] { 10, 11 }) {
                String k = Integer.toString(id);
                policies.put(k, JSON.createObjectNode().put("id", id).put("account_id", 1).put("name", "policy" + (id - 10))
                        .put("description", "policy " + id).put("user_count", id == 10 ? 1 : 2));
                ObjectNode p = JSON.createObjectNode();
                p.putArray("Databases").addObject().put("operation", id == 10 ? "query" : "import").put("ids", "77");
                p.putArray("WorkflowProject").addObject().put("operation", "run").put("ids", "5");
                permissions.put(k, p);
                ArrayNode columns = JSON.createArrayNode();
                if (id == 11) {
                    columns.addObject().put("except", false).putArray("tags").add("pii");
                }
                columnPermissions.put(k, columns);
                ArrayNode members = JSON.createArrayNode();
                users.values().stream().filter(u -> u.get("id").asInt() % 2 == id - 10 || id == 11)
                        .forEach(u -> members.addObject().put("id", u.get("id").asInt()).put("name", u.get("name").asText()));
                policyUsers.put(k, members);
            }
        }

        synchronized void addJobs(int count) {
            for (int i = 0; i < count; i++) {
                addJob("running");
            }
        }

        private void addJob(String status) {
            long id = nextJob.getAndIncrement();
            ObjectNode j = JSON.createObjectNode().put("job_id", Long.toString(id)).put("type", id % 2 == 0 ? "presto" : "hive")
                    .put("database", "sales").put("status", id == 1003 ? "running" : status)
                    .put("query", "select * from orders where id > " + id).put("created_at", "2024-05-01 00:00:00 UTC")
                    .put("updated_at", "2024-05-01 00:01:00 UTC").put("start_at", "2024-05-01 00:00:01 UTC")
                    .put("end_at", "2024-05-01 00:01:00 UTC").put("duration", 59).put("user_name", "Owner")
                    .put("url", "https://console.treasuredata.com/app/jobs/" + id).put("priority", 0).put("retry_limit", 0)
                    .put("result", "").putNull("organization").put("num_records", 12.5e3);
            jobs.put(id, j);
        }

        synchronized void finishJob(long id) {
            jobs.get(id).put("status", "success");
        }

        synchronized void changeSchedules() {
            schedules.remove("report_0");
            schedules.get("report_1").put("cron", "30 6 * * 1");
            schedules.put("weekly_kpis", JSON.createObjectNode().put("name", "weekly_kpis").put("cron", "0 0 * * 0")
                    .put("query", "select 1").put("database", "sales"));
        }

        synchronized void changeConnections() {
            connections.remove("crm");
            connections.put("bq", JSON.createObjectNode().put("name", "bq").put("url", "bigquery://project").putNull("organization"));
        }

        void failOnce(String pathAndQuery, int status, String retryAfterValue) {
            failures.put(pathAndQuery, new int[] { status, 1 });
            if (retryAfterValue != null) {
                retryAfter.put(pathAndQuery, retryAfterValue);
            }
        }

        /** The first request to the path gets no answer until {@link #release()} (or 10 s). */
        void stallOnce(String pathAndQuery) {
            failures.put(pathAndQuery, new int[] { 0, 1 });
        }

        void release() {
            stalled.countDown();
        }

        void failAlways(String pathAndQuery, int status) {
            failures.put(pathAndQuery, new int[] { status, Integer.MAX_VALUE });
        }

        int requests(String prefix) {
            return (int) paths.stream().filter(p -> p.startsWith(prefix)).count();
        }

        /** The record counts the ingest must find, per record kind. */
        synchronized Map<String, Long> counts() {
            Map<String, Long> c = new TreeMap<>();
            c.put("jobs", (long) jobs.size());
            c.put("schedules", (long) schedules.size());
            c.put("connections", (long) connections.size());
            c.put("users", (long) users.size());
            c.put("access_control_users", (long) accessControl.size());
            c.put("databases", (long) databases.size());
            c.put("policies", (long) policies.size());
            c.put("policy_permissions", permissions.values().stream().filter(n -> !n.isEmpty()).count());
            c.put("policy_column_permissions", columnPermissions.values().stream().filter(n -> !n.isEmpty()).count());
            c.put("policy_users", policyUsers.values().stream().filter(n -> !n.isEmpty()).count());
            return c;
        }

        /** The catalog holds exactly the server's objects, kind for kind, id for id (key scrubbed, URL passwords masked). */
        synchronized void assertCatalogHolds(MemoryCatalog catalog) throws IOException {
            Map<String, Map<String, JsonNode>> expected = new LinkedHashMap<>();
            expected.put("jobs", jobs.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue())));
            expected.put("schedules", new HashMap<>(schedules));
            expected.put("connections", new HashMap<>(connections));
            expected.put("users", new HashMap<>(users));
            expected.put("access_control_users", new HashMap<>(accessControl));
            Map<String, JsonNode> dbs = new HashMap<>();
            databases.values().forEach(d -> dbs.put(d.get("id").asText(), d));
            expected.put("databases", dbs);
            expected.put("policies", new HashMap<>(policies));
            expected.put("policy_permissions", nonEmpty(permissions));
            expected.put("policy_column_permissions", nonEmpty(columnPermissions));
            expected.put("policy_users", nonEmpty(policyUsers));
            for (Map.Entry<String, Map<String, JsonNode>> kind : expected.entrySet()) {
                Map<String, String> held = catalog.content(kind.getKey());
                assertEquals(new TreeMap<>(kind.getValue()).keySet(), new TreeMap<>(held).keySet(), kind.getKey());
                for (Map.Entry<String, JsonNode> e : kind.getValue().entrySet()) {
                    String want = e.getValue().toString().replace(key, "***").replace(":wJalrXUtnFEMI@", ":***@");
                    assertEquals(JSON.readTree(want), JSON.readTree(held.get(e.getKey())), kind.getKey() + " " + e.getKey());
                }
            }
        }

        private static Map<String, JsonNode> nonEmpty(Map<String, JsonNode> all) {
            Map<String, JsonNode> out = new HashMap<>();
            all.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    out.put(k, v);
                }
            });
            return out;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                handleOne(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void handleOne(HttpExchange exchange) throws IOException, InterruptedException {
            {
                String raw = exchange.getRequestURI().getRawPath();
                String query = exchange.getRequestURI().getRawQuery();
                String pathAndQuery = raw + (query == null ? "" : "?" + query);
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                paths.add(pathAndQuery);
                if (!("TD1 " + key).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    send(exchange, 401, "{\"error\":\"Authentication failed\",\"message\":\"Authentication failed\"}");
                    return;
                }
                int[] failure = failures.get(pathAndQuery);
                if (failure != null && failure[1] > 0) {
                    failure[1]--;
                    if (failure[0] == 0) {
                        // Silent: the client's read timeout ends the wait, not this server.
                        stalled.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        return;
                    }
                    String after = retryAfter.get(pathAndQuery);
                    if (after != null) {
                        exchange.getResponseHeaders().add("Retry-After", after);
                    }
                    send(exchange, failure[0], "{\"error\":\"try later\"}");
                    return;
                }
                JsonNode body = answer(URLDecoder.decode(raw, StandardCharsets.UTF_8), query);
                if (body == null) {
                    send(exchange, 404, "{\"error\":\"Resource not found\"}");
                } else {
                    send(exchange, 200, body.toString());
                }
            }
        }

        private synchronized JsonNode answer(String path, String query) {
            if (path.equals("/v3/job/list")) {
                Map<String, String> q = new HashMap<>();
                for (String pair : query == null ? new String[0] : query.split("&")) {
                    String[] kv = pair.split("=", 2);
                    q.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                int from = Integer.parseInt(q.getOrDefault("from", "0"));
                int to = Integer.parseInt(q.getOrDefault("to", Integer.toString(from + 19)));
                List<ObjectNode> newestFirst = new ArrayList<>(jobs.descendingMap().values());
                ObjectNode page = JSON.createObjectNode().put("count", newestFirst.size()).put("from", from).put("to", to);
                ArrayNode list = page.putArray("jobs");
                for (int i = from; i <= to && i < newestFirst.size(); i++) {
                    list.add(newestFirst.get(i));
                }
                return page;
            }
            if (path.startsWith("/v3/job/show/")) {
                return jobs.get(Long.valueOf(path.substring("/v3/job/show/".length())));
            }
            return switch (path) {
                case "/v3/schedule/list" -> wrap("schedules", schedules.values());
                case "/v3/result/list" -> wrap("results", connections.values());
                case "/v3/user/list" -> wrap("users", users.values());
                case "/v3/database/list" -> {
                    ArrayNode list = JSON.createArrayNode();
                    databases.values().forEach(d -> list.add(d.deepCopy().without(List.of("id", "delete_protected"))));
                    yield JSON.createObjectNode().set("databases", list);
                }
                case "/v3/access_control/policies" -> JSON.createArrayNode().addAll(policies.values());
                default -> detail(path);
            };
        }

        private JsonNode detail(String path) {
            if (path.startsWith("/v3/database/show/")) {
                return databases.get(path.substring("/v3/database/show/".length()));
            }
            if (path.startsWith("/v3/access_control/users/")) {
                return accessControl.get(path.substring("/v3/access_control/users/".length()));
            }
            String[] parts = path.split("/");
            if (path.startsWith("/v3/access_control/policies/") && parts.length == 6 && policies.containsKey(parts[4])) {
                return switch (parts[5]) {
                    case "permissions" -> permissions.get(parts[4]);
                    case "column_permissions" -> columnPermissions.get(parts[4]);
                    case "users" -> policyUsers.get(parts[4]);
                    default -> null;
                };
            }
            return null;
        }

        private static ObjectNode wrap(String member, Collection<ObjectNode> items) {
            ObjectNode body = JSON.createObjectNode();
            body.putArray(member).addAll(items);
            return body;
        }

        private static void send(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
