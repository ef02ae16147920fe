package io.jobplane.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * How a client reaches a broker of the local platform: its bootstrap servers and, on a secured
 * broker, the folder of generated passwords from which a client logs in as one of the
 * {@link KafkaAcls#USERS} (SASL/SCRAM-SHA-512) or as the broker's admin (SASL/PLAIN).
 */
public record KafkaAccess(String bootstrapServers, Path secrets) {

    /** The broker's own super user: creates topics, users and ACLs; operator tools use it. */
    public static final String ADMIN = "admin";
    static final String SCRAM = "SCRAM-SHA-512";
    static final String PLAIN = "PLAIN";

    /** A broker that takes anyone (PLAINTEXT, no ACLs): the per-JVM test infrastructure. */
    public static KafkaAccess plaintext(String bootstrapServers) {
        return new KafkaAccess(bootstrapServers, null);
    }

    public boolean secured() {
        return secrets != null;
    }

    /** Password file name (in the secrets folder) of a Kafka user. */
    static String secretName(String user) {
        return "kafka-" + user;
    }

    /** The generated password of a Kafka user; made on first use. */
    String password(String user) {
        return Passwords.ensure(secrets, secretName(user));
    }

    /**
     * Client settings (bootstrap servers, and on a secured broker the login) for {@code user},
     * without the {@code kafka.} prefix the services' configuration puts before each.
     */
    public Map<String, String> clientConfig(String user) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("bootstrap.servers", bootstrapServers);
        if (secured()) {
            boolean admin = ADMIN.equals(user);
            c.put("security.protocol", "SASL_PLAINTEXT");
            c.put("sasl.mechanism", admin ? PLAIN : SCRAM);
            c.put("sasl.jaas.config", jaas(admin ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule", user, password(user)));
        }
        return c;
    }

    /** {@link #clientConfig(String)} of the admin, as the Kafka clients take it. */
    public Properties adminProperties() {
        Properties p = new Properties();
        p.putAll(clientConfig(ADMIN));
        return p;
    }

    static String jaas(String loginModule, String user, String password) {
        return loginModule + " required username=\"" + user + "\" password=\"" + password + "\";";
    }
}
