package io.jobplane.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on a secured broker: one Kafka user per service, allowed exactly the topics and
 * consumer groups it uses (READ and WRITE imply DESCRIBE). Everything else is refused, the
 * broker's {@code admin} excepted. docs/security.md shows the same table.
 */
public final class KafkaAcls {

    public static final String API = "jobplane-api";
    public static final String WORKER = "jobplane-worker";
    public static final String HARVESTER = "jobplane-harvester";
    public static final String POLICY = "jobplane-policy";
    /** The service users, in the order the table lists them. */
    public static final List<String> USERS = List.of(API, WORKER, HARVESTER, POLICY);

    private static final Map<String, List<AclBinding>> TABLE = new LinkedHashMap<>();

    static {
        // job-api's outbox also writes run events of its own: queued, cancelling, and the end of runs
        // it stops or gives up on; it reads them to supervise runs.
        allow(API, write("jobplane.commands"), write("jobplane.control"), write("jobplane.run-events"),
                read("jobplane.run-events"), group("jobplane-api", PatternType.LITERAL));
        // Each worker reads the control topic in a consumer group of its own: jobplane-worker-control-<uuid>.
        // Discovery, migration and ingest runs send what they find to jobplane.catalog-changes; permission
        // migration runs send grants to jobplane.policy-changes.
        allow(WORKER, read("jobplane.commands"), read("jobplane.control"), write("jobplane.run-events"),
                write("jobplane.catalog-changes"), write("jobplane.policy-changes"), write("jobplane.dead-letter"),
                group("jobplane-worker", PatternType.PREFIXED));
        // The run read model (group jobplane-harvester) and the catalog read model (jobplane-harvester-catalog).
        allow(HARVESTER, read("jobplane.run-events"), read("jobplane.catalog-changes"), write("jobplane.dead-letter"),
                group("jobplane-harvester", PatternType.LITERAL), group("jobplane-harvester-catalog", PatternType.LITERAL));
        // The grants read model (group jobplane-policy); it only reads the changes the worker sends.
        allow(POLICY, read("jobplane.policy-changes"), write("jobplane.dead-letter"),
                group("jobplane-policy", PatternType.LITERAL));
    }

    private KafkaAcls() {
    }

    /** Every ACL of every service user. */
    public static List<AclBinding> all() {
        List<AclBinding> all = new ArrayList<>();
        TABLE.values().forEach(all::addAll);
        return all;
    }

    /** The ACLs of one service user. */
    public static List<AclBinding> of(String user) {
        return TABLE.getOrDefault(user, List.of());
    }

    private static void allow(String user, Grant... grants) {
        List<AclBinding> bindings = new ArrayList<>();
        for (Grant g : grants) {
            bindings.add(new AclBinding(g.resource(), new AccessControlEntry("User:" + user, "*", g.operation(),
                    AclPermissionType.ALLOW)));
        }
        TABLE.put(user, List.copyOf(bindings));
    }

    private static Grant read(String topic) {
        return new Grant(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), AclOperation.READ);
    }

    private static Grant write(String topic) {
        return new Grant(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), AclOperation.WRITE);
    }

    private static Grant group(String name, PatternType pattern) {
        return new Grant(new ResourcePattern(ResourceType.GROUP, name, pattern), AclOperation.READ);
    }

    private record Grant(ResourcePattern resource, AclOperation operation) {
    }
}
