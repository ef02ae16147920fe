package io.jobplane.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboard ({@code deploy/grafana/jobplane-dashboard.json}) queries only metrics the services
 * expose: every metric name in its PromQL expressions is one of {@code deploy/grafana/exposed-metrics.txt},
 * a list {@code MetricsIT} checks against real scrapes of each service.
 */
class DashboardTest {

    /** PromQL's functions, aggregations and keywords: the identifiers of an expression that are no metric. */
    private static final Set<String> PROMQL = Set.of("sum", "avg", "min", "max", "count", "rate", "irate", "increase",
            "histogram_quantile", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
            "topk", "bottomk", "abs", "clamp_min", "clamp_max", "delta", "deriv", "time", "vector", "scalar", "offset",
            "max_over_time", "min_over_time", "avg_over_time", "sum_over_time", "label_replace", "bool", "le", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Test
    void everyExpressionOfTheDashboardUsesOnlyExposedMetrics() throws Exception {
        Path grafana = root().resolve("deploy/grafana");
        JsonNode dashboard = new ObjectMapper().readTree(grafana.resolve("jobplane-dashboard.json").toFile());
        Set<String> exposed = new TreeSet<>();
        for (String line : Files.readAllLines(grafana.resolve("exposed-metrics.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                exposed.add(line.trim().split("\\s+")[1]);
            }
        }
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
        assertFalse(expressions.isEmpty(), "the dashboard has no PromQL expression");
        TreeMap<String, Set<String>> unknown = new TreeMap<>();
        Set<String> used = new TreeSet<>();
        for (String expr : expressions) {
            for (String name : metricNames(expr)) {
                used.add(name);
                if (!exposed.contains(name)) {
                    unknown.computeIfAbsent(name, n -> new TreeSet<>()).add(expr);
                }
            }
        }
        assertEquals(new TreeMap<>(), unknown, "metrics the dashboard queries that no service exposes");
        // Every panel asked for is there: each metric family the services expose is on the dashboard.
        for (String family : List.of("jobplane_runs_launched_total", "jobplane_runs_started_total", "jobplane_runs_ended_total",
                "jobplane_run_duration_seconds_bucket", "jobplane_task_duration_seconds_bucket", "jobplane_runs_waiting",
                "jobplane_outbox_backlog_rows", "jobplane_outbox_oldest_age_seconds", "jobplane_outbox_relay_lag_seconds_bucket",
                "kafka_consumer_fetch_manager_records_lag_max", "jobplane_worker_slots_busy", "jobplane_worker_slots_capacity",
                "jobplane_read_model_apply_lag_seconds_bucket", "http_server_requests_seconds_count")) {
            assertFalse(!used.contains(family), "no panel queries " + family);
        }
    }

    @Test
    void metricNamesAreTheIdentifiersThatAreNoFunctionLabelOrKeyword() {
        assertEquals(Set.of("jobplane_runs_ended_total"), metricNames(
                "sum by (job_type, status) (rate(jobplane_runs_ended_total{status!=\"SUCCESS\", job=~\"a.b\"}[$__rate_interval]))"));
        assertEquals(Set.of("a_bucket", "b_count"), metricNames(
                "histogram_quantile(0.95, sum by (le) (rate(a_bucket[5m]))) / ignoring(x) max without (y) (b_count)"));
    }

    /** The metric names an expression selects: identifiers outside label matchers, groupings, ranges and strings. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String id = m.group();
            if (!PROMQL.contains(id.toLowerCase()) && !Character.isDigit(id.charAt(0))) {
                names.add(id);
            }
        }
        return names;
    }

    private static Path root() {
        return Path.of(System.getProperty("jobplane.root", "..")).toAbsolutePath().normalize();
    }
}
