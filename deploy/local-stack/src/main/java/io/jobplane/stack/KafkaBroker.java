package io.jobplane.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;

/**
 * A real single-node Apache Kafka broker in KRaft mode, run as its own JVM from the broker
 * classpath that the {@code kafka-broker} module resolved from Maven Central.
 *
 * <p>A <em>secured</em> broker (the local stack, the platform of the end-to-end tests) takes only
 * SASL logins: each service as a Kafka user of its own (SCRAM-SHA-512, created at every start from
 * the generated password files, so deleting a file and restarting rotates it), allowed what
 * {@link KafkaAcls} lists by the standard KRaft authorizer; the broker's {@code admin} logs in
 * with SASL/PLAIN on both listeners and is the only super user. A plain broker (the per-JVM test
 * infrastructure) is PLAINTEXT without ACLs.
 */
public final class KafkaBroker extends ManagedProcess {

    /** The jobplane topics and their partition counts. */
    public static final Map<String, Integer> TOPICS = Map.of(
            "jobplane.commands", 12,
            "jobplane.control", 3,
            "jobplane.run-events", 12,
            "jobplane.catalog-changes", 3,
            "jobplane.policy-changes", 3,
            "jobplane.dead-letter", 1);
    /** The size bound of a launch command's record: 1 MiB (job-api's commands stay under 960 KiB of JSON). */
    public static final int COMMAND_RECORD_BYTES = 1024 * 1024;
    /**
     * The size bound of a dead letter: a refused record of any topic it holds (commands and run events,
     * up to 1 MiB each) with the headers that say why, so a dead letter keeps its value.
     */
    public static final int DEAD_LETTER_RECORD_BYTES = 2 * 1024 * 1024;
    /**
     * Topics whose record size is set rather than left at the broker's default (1 MiB). Launch commands
     * no longer carry step packages (workers fetch them by hash), so {@code jobplane.commands} is set to
     * 1 MiB; a topic made by an older version with 16 MiB is set back to it at start.
     */
    public static final Map<String, Map<String, String>> TOPIC_CONFIGS = Map.of(
            "jobplane.commands", Map.of("max.message.bytes", Integer.toString(COMMAND_RECORD_BYTES)),
            "jobplane.dead-letter", Map.of("max.message.bytes", Integer.toString(DEAD_LETTER_RECORD_BYTES)));

    private static final String CLASSPATH_RESOURCE = "/io/jobplane/stack/kafka-broker.classpath";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private final boolean detached;
    /** The generated passwords of a secured broker; null for a PLAINTEXT one. */
    private final Path secrets;

    private KafkaBroker(Path dataDir, int port, int controllerPort, Path logFile, boolean detached, Path secrets) {
        super(Duration.ofSeconds(30));
        this.secrets = secrets == null ? null : secrets.toAbsolutePath();
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.logFile = logFile.toAbsolutePath();
        this.detached = detached;
    }

    /** Starts a broker owned by this JVM (tests); data in {@code dataDir} survives a restart. */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logFile) {
        return start(dataDir, port, controllerPort, logFile, false);
    }

    /** Starts a broker; a detached one outlives this JVM (the local stack). */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logFile, boolean detached) {
        KafkaBroker broker = new KafkaBroker(dataDir, port, controllerPort, logFile, detached, null);
        broker.launch();
        return broker;
    }

    /**
     * Starts a secured broker: SASL logins only, one user per service with its ACLs, passwords in
     * {@code secretsDir}. Data of a PLAINTEXT broker of an earlier version is kept and secured.
     */
    public static KafkaBroker startSecured(Path dataDir, int port, int controllerPort, Path logFile, boolean detached,
            Path secretsDir) {
        KafkaBroker broker = new KafkaBroker(dataDir, port, controllerPort, logFile, detached, secretsDir);
        broker.launch();
        return broker;
    }

    /** How clients reach this broker (and log in, when it is secured). */
    public KafkaAccess access() {
        return new KafkaAccess(bootstrapServers(), secrets);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops and starts again on the same data and ports. */
    public KafkaBroker restart() {
        stop();
        launch();
        return this;
    }

    /** Stops the broker, keeps it down for {@code down}, and starts it again on the same data and ports. */
    public KafkaBroker restart(Duration down) {
        stop();
        try {
            Thread.sleep(down.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        launch();
        return this;
    }

    private void launch() {
        // Another broker on our port would answer the readiness check in place of ours.
        for (int wanted : List.of(port, controllerPort)) {
            if (Ports.taken(wanted)) {
                throw new PortTakenException("Kafka", wanted);
            }
        }
        try {
            Files.createDirectories(dataDir);
            Path config = writeConfig();
            String classpath = brokerClasspath();
            if (!Files.exists(dataDir.resolve("logs/meta.properties"))) {
                Processes.run(List.of(Processes.javaBinary(), "-cp", classpath, "kafka.tools.StorageTool", "format",
                        "--cluster-id=" + clusterId(), "--config=" + config), Duration.ofSeconds(60));
            }
            Process started = Processes.start(List.of(Processes.javaBinary(), "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                    "-Dlog4j2.formatMsgNoLookups=true", "-cp", classpath, "kafka.Kafka", config.toString()),
                    logFile, detached);
            attach(started.toHandle());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data dir " + dataDir, e);
        }
        try {
            Processes.await("Kafka broker on port " + port, READY_TIMEOUT, this::answers, this::isAlive, logFile);
            createTopics();
            if (secrets != null) {
                createUsersAndAcls();
            }
        } catch (RuntimeException e) {
            // A broker that never became usable must not linger holding the ports and the data dir.
            kill();
            throw e;
        }
    }

    private Path writeConfig() throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        if (secrets == null) {
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        } else {
            secure(p);
        }
        p.setProperty("log.dirs", dataDir.resolve("logs").toString());
        p.setProperty("num.partitions", "3");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        Path config = dataDir.resolve("server.properties");
        // A secured broker's configuration holds the admin password: owner-only, like the keys.
        Files.deleteIfExists(config);
        Files.createFile(config, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(out, "written by jobplane local-stack; regenerated at every start");
        }
        return config;
    }

    /**
     * Both listeners take SASL only. Services log in with SCRAM-SHA-512 on the client listener; the
     * admin, whose password is in this file and not in the cluster metadata, with PLAIN: that way a
     * data folder of an earlier PLAINTEXT broker needs no re-formatting, and no password is ever on
     * a command line. The controller listener (KRaft) takes the admin only, which is how the broker
     * part of this node logs in to the controller part.
     */
    private void secure(Properties p) {
        String admin = KafkaAccess.ADMIN;
        String password = Passwords.ensure(secrets, KafkaAccess.secretName(admin));
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + admin
                + "\" password=\"" + password + "\" user_" + admin + "=\"" + password + "\";";
        p.setProperty("listeners", "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "CLIENT://127.0.0.1:" + port);
        p.setProperty("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "CLIENT");
        p.setProperty("sasl.mechanism.inter.broker.protocol", KafkaAccess.PLAIN);
        p.setProperty("sasl.mechanism.controller.protocol", KafkaAccess.PLAIN);
        p.setProperty("listener.name.client.sasl.enabled.mechanisms", KafkaAccess.SCRAM + "," + KafkaAccess.PLAIN);
        p.setProperty("listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("listener.name.client.plain.sasl.jaas.config", plain);
        p.setProperty("listener.name.controller.sasl.enabled.mechanisms", KafkaAccess.PLAIN);
        p.setProperty("listener.name.controller.plain.sasl.jaas.config", plain);
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.setProperty("super.users", "User:" + admin);
        p.setProperty("allow.everyone.if.no.acl.found", "false");
    }

    /** The service users with their current passwords, and their ACLs; both idempotent. */
    private void createUsersAndAcls() {
        KafkaAccess access = access();
        try (Admin admin = admin()) {
            List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> users = KafkaAcls.USERS.stream()
                    .<org.apache.kafka.clients.admin.UserScramCredentialAlteration>map(u ->
                            new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(u,
                                    new org.apache.kafka.clients.admin.ScramCredentialInfo(
                                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192),
                                    access.password(u)))
                    .toList();
            admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(KafkaAcls.all()).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StackException("cannot create the Kafka users and ACLs: " + e.getMessage(), e);
        }
    }

    private String clusterId() throws IOException {
        Path idFile = dataDir.resolve("cluster.id");
        if (Files.exists(idFile)) {
            return Files.readString(idFile).trim();
        }
        // A KRaft cluster id is a base64url-encoded UUID of 22 characters. Like Kafka's own
        // generator, avoid a leading '-', which the storage tool would read as an option.
        String id;
        do {
            UUID uuid = UUID.randomUUID();
            byte[] raw = java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits()).array();
            id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        } while (id.startsWith("-"));
        Files.writeString(idFile, id);
        return id;
    }

    private boolean answers() {
        if (!Ports.listening(port)) {
            return false;
        }
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void createTopics() {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = TOPICS.entrySet().stream()
                    .filter(t -> !existing.contains(t.getKey()))
                    .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1)
                            .configs(TOPIC_CONFIGS.getOrDefault(t.getKey(), Map.of())))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            // Topics made by an older version get the settings too.
            Map<ConfigResource, java.util.Collection<AlterConfigOp>> configs = new java.util.HashMap<>();
            TOPIC_CONFIGS.forEach((topic, settings) -> configs.put(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    settings.entrySet().stream()
                            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList()));
            admin.incrementalAlterConfigs(configs).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StackException("cannot create the jobplane topics: " + e.getMessage(), e);
        }
    }

    private Admin admin() {
        Properties p = access().adminProperties();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    private static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new StackException("the Kafka broker classpath is missing; build the deploy/kafka-broker module "
                        + "(./mvnw install -DskipTests)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
