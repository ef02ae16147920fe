package io.jobplane.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The four jobplane services and the configuration each gets from the local stack. */
public enum Service {
    JOB_API("job-api", true, true),
    EXECUTION_WORKER("execution-worker", false, true),
    METADATA_HARVESTER("metadata-harvester", true, false),
    POLICY_MIGRATOR("policy-migrator", true, false);

    private final String module;
    private final boolean hasDatabase;
    private final boolean holdsSecretKey;

    Service(String module, boolean hasDatabase, boolean holdsSecretKey) {
        this.module = module;
        this.hasDatabase = hasDatabase;
        this.holdsSecretKey = holdsSecretKey;
    }

    public String module() {
        return module;
    }

    /** The packaged service under the repository root. */
    public Path jar(Path root) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** System properties that point the service at this stack's Kafka, PostgreSQL and keys. */
    public Map<String, String> properties(String kafkaBootstrap, PostgresServer postgres, DevKeys keys) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kafka.bootstrap.servers", kafkaBootstrap);
        if (hasDatabase) {
            p.put("quarkus.datasource.username", postgres.username());
            p.put("quarkus.datasource.password", postgres.password());
            p.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
            p.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
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
}
