package io.jobplane.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.jobplane.events.secret.SecretKeyring;

/**
 * One real Kafka broker and one real PostgreSQL per test JVM, on free ports, in a fresh folder
 * under {@code target/}, so no test sees another run's messages or rows. Stopped at JVM exit.
 */
public final class TestInfrastructure {

    /** Key id of the test keyring's sealing key. */
    public static final String SECRET_KEY_ID = "test-1";

    private static TestInfrastructure shared;

    private final KafkaBroker kafka;
    private final PostgresServer postgres;
    private final DevKeys keys;

    private TestInfrastructure(KafkaBroker kafka, PostgresServer postgres, DevKeys keys) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.keys = keys;
    }

    /** The JVM's infrastructure, started on first use. */
    public static synchronized TestInfrastructure shared() {
        if (shared == null) {
            shared = startFresh();
            TestInfrastructure started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "jobplane-test-infra-stop"));
        }
        return shared;
    }

    private static TestInfrastructure startFresh() {
        Path dir = Path.of("target", "jobplane-test-infra", UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> KafkaBroker.start(dir.resolve("kafka"),
                Ports.free(), Ports.free(), dir.resolve("kafka.log")));
        PostgresServer postgres = PostgresServer.start(dir.resolve("postgres"), Ports.free(), false,
                dir.resolve("postgres.log"));
        return new TestInfrastructure(kafka.join(), postgres, DevKeys.ensure(dir.resolve("keys")));
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /** Signs test tokens ({@link #keys()}.privateKey()) and seals secrets. */
    public DevKeys keys() {
        return keys;
    }

    /** Base64 of the AES key services under test seal secrets with (key id {@link #SECRET_KEY_ID}). */
    public static String secretKeyBase64() {
        return shared().keys.secretKeyBase64();
    }

    /** The keyring services under test use, to seal or open secrets in tests. */
    public SecretKeyring keyring() {
        return new SecretKeyring(SECRET_KEY_ID, Map.of(SECRET_KEY_ID, keys.secretKeyBase64()));
    }

    /** Configuration that points a Quarkus service under test at this infrastructure. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(),
                "jobplane.secrets.active-key-id", SECRET_KEY_ID,
                "jobplane.secrets.keys." + SECRET_KEY_ID, keys.secretKeyBase64(),
                "quarkus.oidc.public-key", keys.publicKeyBase64());
    }

    private void stop() {
        try {
            kafka.stop();
        } finally {
            postgres.stop();
        }
    }
}
