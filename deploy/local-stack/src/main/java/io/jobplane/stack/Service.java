package io.jobplane.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The four jobplane services and the configuration each gets from the local stack. */
public enum Service {
    JOB_API("job-api", true, true, KafkaAcls.API),
    EXECUTION_WORKER("execution-worker", false, true, KafkaAcls.WORKER),
    METADATA_HARVESTER("metadata-harvester", true, false, KafkaAcls.HARVESTER),
    POLICY_MIGRATOR("policy-migrator", true, false, KafkaAcls.POLICY);

    private final String module;
    private final boolean hasDatabase;
    private final boolean holdsSecretKey;
    private final String kafkaUser;

    Service(String module, boolean hasDatabase, boolean holdsSecretKey, String kafkaUser) {
        this.module = module;
        this.hasDatabase = hasDatabase;
        this.holdsSecretKey = holdsSecretKey;
        this.kafkaUser = kafkaUser;
    }

    /** The Kafka user this service logs in as on a secured broker. */
    public String kafkaUser() {
        return kafkaUser;
    }

    public String module() {
        return module;
    }

    /** The packaged service under the repository root. */
    public Path jar(Path root) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** What tenant connections of a local platform may reach: loopback tenant servers, never the platform's own database. */
    public static final String LOCAL_EGRESS_ALLOW = "127.0.0.0/8,::1/128";

    /**
     * The egress settings of a local platform: loopback is allowed (tenant servers run there), and the
     * platform database is named for services that have no datasource of their own (the worker).
     */
    public static Map<String, String> egress(PostgresServer platformDatabase) {
        return Map.of("jobplane.egress.allow", LOCAL_EGRESS_ALLOW,
                "jobplane.egress.platform-endpoints", platformDatabase.jdbcUrl());
    }

        /** System properties that point the service at a PLAINTEXT broker and this stack's PostgreSQL and keys. */
    public Map<String, String> properties(String kafkaBootstrap, PostgresServer postgres, DevKeys keys) {
        return properties(KafkaAccess.plaintext(kafkaBootstrap), postgres, keys);
    }

    /**
     * System properties that point the service at this stack's Kafka (logged in as the service's own
     * user when the broker is secured: {@code kafka.*} applies to every channel), PostgreSQL and keys.
     */
    public Map<String, String> properties(KafkaAccess kafka, PostgresServer postgres, DevKeys keys) {
        Map<String, String> p = new LinkedHashMap<>();
        kafka.clientConfig(kafkaUser).forEach((k, v) -> p.put("kafka." + k, v));
        p.putAll(egress(postgres));
        if (hasDatabase) {
            p.put("quarkus.datasource.username", postgres.serviceUsername());
            p.put("quarkus.datasource.password", postgres.servicePassword());
            p.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
            p.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
            // A password login (SCRAM) costs a handshake; on a loaded 2-core machine it outlasted the
            // 5 s default at a service's start, and Flyway gave up.
            p.put("quarkus.datasource.jdbc.acquisition-timeout", "30S");
        }
        if (holdsSecretKey) {
            p.put("jobplane.secrets.active-key-id", keys.secretKeyId());
            p.put("jobplane.secrets.keys." + keys.secretKeyId(), keys.secretKeyBase64());
        }
        if (this == JOB_API) {
            p.put("quarkus.oidc.public-key", keys.publicKeyBase64());
            p.put("quarkus.oidc.token.issuer", DevTokens.ISSUER);
            p.put("quarkus.oidc.token.audience", DevTokens.AUDIENCE);
            // A development stack that benches drive and tests fire every-second schedules on: its
            // quotas are lifted (an empty value unsets the active-run cap). Production keeps the defaults.
            p.put("jobplane.runs.max-active-per-workspace", "");
            p.put("jobplane.quotas.launches-per-minute", "100000000");
            p.put("jobplane.quotas.launch-burst", "1000000");
            p.put("jobplane.quotas.min-schedule-interval", "1s");
        }
        return p;
    }

    /**
     * Where a worker fetches step packages: the job-api at {@code apiUrl} (its internal endpoint,
     * with a token made from the keyring both hold).
     */
    public static Map<String, String> workerApi(String apiUrl) {
        return Map.of("jobplane.worker.api-url", apiUrl);
    }

    /**
     * The Python version the local workers run their {@code .py} steps with ({@code python3}, their
     * default), as job-api tells VDK's clients ({@code jobplane.dialects.vdk.python-versions}); nothing
     * when there is no {@code python3} to ask, and job-api keeps its default.
     */
    public static Map<String, String> pythonVersions() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Map.of();
            }
            String version = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && version.matches("\\d+\\.\\d+") ? Map.of("jobplane.dialects.vdk.python-versions", version)
                    : Map.of();
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /**
     * The user ids the {@code n}th worker replica (from 1) gives its running steps when it runs as
     * root: a thousand of its own, so replicas on one machine never share one.
     */
    public static Map<String, String> stepUids(int n) {
        int first = 61000 + (n - 1) * 1000;
        return Map.of("jobplane.worker.steps.uid-range", first + "-" + (first + 999));
    }

    /**
     * The directory {@code filesystem} connections may use, for the services that check it: job-api
     * when a connection is saved, the worker for every file it opens. Made when missing.
     */
    public Map<String, String> fileRoots(Path filesRoot) {
        try {
            java.nio.file.Files.createDirectories(filesRoot);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String root = filesRoot.toAbsolutePath().normalize().toString();
        return switch (this) {
            case JOB_API -> Map.of("jobplane.connections.filesystem-roots", root);
            case EXECUTION_WORKER -> Map.of("jobplane.worker.files.roots", root);
            default -> Map.of();
        };
    }
}
