package io.jobplane.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jobplane.events.Topics;
import io.jobplane.stack.KafkaAcls;
import io.jobplane.stack.KafkaBroker;

/**
 * The Kustomize overlays render, every object they render validates strictly against the Kubernetes
 * API schema and the Strimzi, CloudNativePG and KEDA CRD schemas (validator/validate.mjs), and the
 * manifests agree with the project: its topics, consumer groups, Kafka ACLs, ports and documentation.
 */
class KubernetesManifestsIT {

    private static final List<String> SERVICES = List.of("job-api", "execution-worker", "metadata-harvester", "policy-migrator");

    private static Path dev;
    private static Path production;
    private static List<JsonNode> devObjects;
    private static List<JsonNode> productionObjects;

    @BeforeAll
    static void render() {
        dev = Manifests.render("dev");
        production = Manifests.render("production");
        devObjects = Manifests.objects(dev);
        productionObjects = Manifests.objects(production);
    }

    @Test
    void everyRenderedObjectIsValidAgainstItsSchema() {
        Manifests.Result r = Manifests.validate(dev, production);
        assertEquals(0, r.exitCode(), r.output());
        int count = devObjects.size() + productionObjects.size();
        assertTrue(r.stdout().contains(count + " objects in 2 file(s): valid"), r.output());
    }

    @Test
    void theValidatorRejectsUnknownFieldsWrongTypesBadEnumsMissingFieldsAndUnknownKinds() {
        Manifests.Result r = Manifests.validate(Manifests.MODULE.resolve("src/test/resources/invalid-manifests.yaml"));
        assertEquals(1, r.exitCode(), r.output());
        List<String> expected = List.of(
                // unknown fields, also beside another error of the same object and deep in lists
                "Deployment bad: \"readinessprobe\": {: unknown field \"readinessprobe\"",
                "KafkaTopic bad: \"replica\": 3: unknown field \"replica\"",
                "Cluster bad: \"sise\": \"1Gi\": unknown field \"sise\"",
                "ScaledObject bad: \"authRef\": {: unknown field \"authRef\"",
                "NetworkPolicy bad: \"podselector\": {: unknown field \"podselector\"",
                // wrong types
                "Deployment bad: /spec/replicas: must be integer",
                "KafkaTopic bad: /spec/partitions: must be integer",
                "ScaledObject bad: /spec/minReplicaCount: must be integer",
                // values outside an enum
                "Deployment bad: /spec/template/spec/containers/0/imagePullPolicy: must be equal to one of the allowed values",
                "Cluster bad: /spec/primaryUpdateStrategy: must be equal to one of the allowed values",
                "Kafka bad: /spec/kafka/listeners/0/type: must be equal to one of the allowed values",
                // required fields
                "Service bad: /spec/ports/0: must have required property port",
                "HorizontalPodAutoscaler bad: /spec: must have required property maxReplicas",
                // kinds without a schema
                "Widget bad: no schema for example.com/v1 Widget");
        for (String e : expected) {
            assertTrue(r.stdout().contains(e), "expected \"" + e + "\" in:\n" + r.output());
        }
        assertTrue(r.stdout().contains("9 objects in 1 file(s)"), r.output());
    }

    @Test
    void productionHasAKafkaTopicForEveryTopicTheProjectUses() throws Exception {
        Set<String> topics = new TreeSet<>();
        for (Field f : Topics.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                topics.add((String) f.get(null));
            }
        }
        Map<String, JsonNode> declared = Manifests.ofKind(productionObjects, "KafkaTopic").stream()
                .collect(Collectors.toMap(t -> t.path("spec").path("topicName").asText(), t -> t.path("spec")));
        assertEquals(topics, new TreeSet<>(declared.keySet()));
        assertEquals(KafkaBroker.TOPICS.keySet(), topics, "the local stack's topics");

        String events = Files.readString(Manifests.root().resolve("docs/events.md"));
        for (String topic : topics) {
            assertTrue(events.contains("| `" + topic + "` |"), "docs/events.md lists " + topic);
            JsonNode spec = declared.get(topic);
            assertTrue(spec.path("partitions").asInt() >= KafkaBroker.TOPICS.get(topic), topic + " partitions");
            assertEquals(3, spec.path("replicas").asInt(), topic + " replicas");
            assertTrue(spec.path("config").path("retention.ms").asLong() >= 24L * 3600 * 1000, topic + " retention");
            String size = KafkaBroker.TOPIC_CONFIGS.getOrDefault(topic, Map.of()).get("max.message.bytes");
            if (size != null) {
                assertEquals(size, spec.path("config").path("max.message.bytes").asText(), topic + " max.message.bytes");
            }
        }
    }

    @Test
    void theWorkersScaleOnTheLagOfTheirConsumerGroup() {
        JsonNode scaled = Manifests.object(productionObjects, "ScaledObject", "execution-worker");
        JsonNode trigger = scaled.path("spec").path("triggers").get(0);
        assertEquals("kafka", trigger.path("type").asText());
        JsonNode m = trigger.path("metadata");
        assertEquals(Manifests.property("execution-worker", "mp.messaging.incoming.commands.group.id"), m.path("consumerGroup").asText());
        assertEquals(Manifests.property("execution-worker", "mp.messaging.incoming.commands.topic"), m.path("topic").asText());
        assertEquals(Topics.COMMANDS, m.path("topic").asText());
        assertEquals(bootstrap(productionObjects), m.path("bootstrapServers").asText());
        // A replica per partition at most; a replica's lag threshold is its run slots.
        JsonNode commands = Manifests.object(productionObjects, "KafkaTopic", "jobplane-commands");
        assertEquals(commands.path("spec").path("partitions").asInt(), scaled.path("spec").path("maxReplicaCount").asInt());
        String slots = Manifests.object(productionObjects, "ConfigMap", "execution-worker").path("data")
                .path("JOBPLANE_WORKER_MAX_CONCURRENT_RUNS").asText();
        assertEquals(slots, m.path("lagThreshold").asText());
        assertEquals("execution-worker", scaled.path("spec").path("scaleTargetRef").path("name").asText());
        Manifests.object(productionObjects, "TriggerAuthentication", trigger.path("authenticationRef").path("name").asText());

        // The autoscalers own the replica counts: applying the manifests again must not reset them.
        for (String scaledByAutoscaler : List.of("job-api", "execution-worker")) {
            assertTrue(Manifests.object(productionObjects, "Deployment", scaledByAutoscaler).path("spec").path("replicas").isMissingNode(),
                    scaledByAutoscaler);
        }
        JsonNode hpa = Manifests.object(productionObjects, "HorizontalPodAutoscaler", "job-api");
        assertEquals("Deployment", hpa.path("spec").path("scaleTargetRef").path("kind").asText());
        assertEquals("job-api", hpa.path("spec").path("scaleTargetRef").path("name").asText());
    }

    @Test
    void eachServiceLogsInToKafkaAsAUserWithTheLocalStacksAcls() {
        Map<String, String> userOf = Map.of("job-api", KafkaAcls.API, "execution-worker", KafkaAcls.WORKER,
                "metadata-harvester", KafkaAcls.HARVESTER, "policy-migrator", KafkaAcls.POLICY);
        for (String service : SERVICES) {
            String user = userOf.get(service);
            JsonNode kafkaUser = Manifests.object(productionObjects, "KafkaUser", user);
            Set<String> acls = new TreeSet<>();
            for (JsonNode acl : kafkaUser.path("spec").path("authorization").path("acls")) {
                for (JsonNode op : acl.path("operations")) {
                    JsonNode r = acl.path("resource");
                    acls.add(r.path("type").asText() + " " + r.path("name").asText() + " " + r.path("patternType").asText() + " "
                            + op.asText().toLowerCase());
                }
            }
            Set<String> expected = new TreeSet<>();
            for (AclBinding b : KafkaAcls.of(user)) {
                expected.add(b.pattern().resourceType().name().toLowerCase() + " " + b.pattern().name() + " "
                        + (b.pattern().patternType().name().equals("PREFIXED") ? "prefix" : "literal") + " "
                        + b.entry().operation().name().toLowerCase());
            }
            assertEquals(expected, acls, user);
            JsonNode container = container(productionObjects, service);
            assertEquals(user, env(container, "KAFKA_SASL_JAAS_CONFIG").path("valueFrom").path("secretKeyRef").path("name").asText(),
                    service);
        }
    }

    @Test
    void everyServiceIsProbedOnItsHealthEndpointsAndRunsNonRootOnAReadOnlyRoot() {
        for (List<JsonNode> objects : List.of(devObjects, productionObjects)) {
            for (String service : SERVICES) {
                int port = Integer.parseInt(Manifests.property(service, "quarkus.http.port"));
                JsonNode deployment = Manifests.object(objects, "Deployment", service);
                JsonNode pod = deployment.path("spec").path("template").path("spec");
                JsonNode c = container(objects, service);
                assertEquals(port, c.path("ports").get(0).path("containerPort").asInt(), service);
                assertEquals("/q/health/started", c.path("startupProbe").path("httpGet").path("path").asText(), service);
                assertEquals("/q/health/live", c.path("livenessProbe").path("httpGet").path("path").asText(), service);
                assertEquals("/q/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText(), service);
                assertFalse(c.path("resources").path("requests").path("memory").isMissingNode(), service);
                assertFalse(c.path("resources").path("limits").path("memory").isMissingNode(), service);
                assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), service);
                assertTrue(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean(), service);
                assertFalse(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true), service);
                String tmp = StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
                        .filter(v -> v.path("mountPath").asText().equals("/tmp")).map(v -> v.path("name").asText()).findFirst()
                        .orElseThrow(() -> new AssertionError(service + " has no /tmp"));
                assertTrue(StreamSupport.stream(pod.path("volumes").spliterator(), false)
                        .anyMatch(v -> v.path("name").asText().equals(tmp) && v.has("emptyDir")), service);
                assertEquals(port, Manifests.object(objects, "Service", service).path("spec").path("ports").get(0).path("port").asInt());
                Manifests.object(objects, "PodDisruptionBudget", service);
                Manifests.object(objects, "NetworkPolicy", service);
            }
            Manifests.object(objects, "NetworkPolicy", "jobplane-default-deny");
        }
    }

    @Test
    void devRunsOneReplicaOfEachService() {
        for (String service : SERVICES) {
            assertEquals(1, Manifests.object(devObjects, "Deployment", service).path("spec").path("replicas").asInt(), service);
        }
        assertTrue(Manifests.ofKind(devObjects, "Kafka").isEmpty());
    }

    @Test
    void theGuideNamesEveryConfigMapKeyAndSecret() throws IOException {
        String guide = Files.readString(Manifests.root().resolve("docs/deploy-kubernetes.md"));
        List<String> missing = new ArrayList<>();
        for (List<JsonNode> objects : List.of(devObjects, productionObjects)) {
            for (JsonNode cm : Manifests.ofKind(objects, "ConfigMap")) {
                cm.path("data").fieldNames().forEachRemaining(k -> {
                    if (!guide.contains("`" + k + "`")) {
                        missing.add("ConfigMap key " + k);
                    }
                });
            }
            for (JsonNode o : objects) {
                collectSecrets(o, missing, guide);
            }
        }
        assertEquals(List.of(), missing.stream().distinct().toList(), "docs/deploy-kubernetes.md must name these");
    }

    /** Every Secret an object refers to (by secretKeyRef, secret volume, secretTargetRef), by name and key. */
    private static void collectSecrets(JsonNode node, List<String> missing, String guide) {
        if (node.isObject()) {
            if (node.has("secretKeyRef")) {
                need(guide, node.path("secretKeyRef").path("name").asText(), node.path("secretKeyRef").path("key").asText(), missing);
            }
            if (node.has("secretName")) {
                need(guide, node.path("secretName").asText(), null, missing);
                node.path("items").forEach(i -> need(guide, node.path("secretName").asText(), i.path("key").asText(), missing));
            }
            if (node.has("parameter") && node.has("name") && node.has("key")) {
                need(guide, node.path("name").asText(), node.path("key").asText(), missing);
            }
            node.fields().forEachRemaining(e -> collectSecrets(e.getValue(), missing, guide));
        } else if (node.isArray()) {
            node.forEach(n -> collectSecrets(n, missing, guide));
        }
    }

    private static void need(String guide, String secret, String key, List<String> missing) {
        if (!guide.contains("`" + secret + "`")) {
            missing.add("Secret " + secret);
        }
        if (key != null && !guide.contains("`" + key + "`")) {
            missing.add("Secret " + secret + " key " + key);
        }
    }

    private static String bootstrap(List<JsonNode> objects) {
        return Manifests.object(objects, "ConfigMap", "jobplane-platform").path("data").path("KAFKA_BOOTSTRAP_SERVERS").asText();
    }

    private static JsonNode container(List<JsonNode> objects, String service) {
        return StreamSupport.stream(Manifests.object(objects, "Deployment", service).path("spec").path("template").path("spec")
                .path("containers").spliterator(), false).filter(c -> c.path("name").asText().equals(service)).findFirst()
                .orElseThrow(() -> new AssertionError(service + " has no container of its name"));
    }

    private static JsonNode env(JsonNode container, String name) {
        return StreamSupport.stream(container.path("env").spliterator(), false).filter(e -> e.path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }
}
