package io.jobplane.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicyChange.Grant;
import io.jobplane.events.payload.policy.PolicyChange.Principal;
import io.jobplane.events.payload.policy.PolicyChange.Provenance;
import io.jobplane.events.payload.policy.PolicyChange.Resource;
import io.jobplane.stack.KafkaAccess;
import io.jobplane.stack.TopicRecorder;

/**
 * A permission migration run's policy changes as the worker sends them: CloudEvents made by job-events'
 * codec, keyed by {@link PolicyChange#key}, each kept as the record it is (so a test can send it again,
 * the same event id, as a redelivery).
 */
final class PolicyStream {

    record Sent(String key, String value, String type) {
    }

    final PolicyChange.Run run;
    final List<Sent> events = new ArrayList<>();

    PolicyStream(String workspace, String runId, Instant observedAt) {
        this.run = new PolicyChange.Run(workspace, "job-1", runId, 1, observedAt);
    }

    /** {@code SELECT} for user {@code u<i>} on table {@code sales.t<i>}, i in [from, to). */
    static List<Grant> grants(int from, int to, String privilege) {
        List<Grant> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new Grant(new Principal("IAM_USER", "USER", "u" + i), new Resource("hive", "sales", "t" + i, null, null, false),
                    privilege, false, new Provenance("policies.json", "p" + i, "policy " + i, "0")));
        }
        return out;
    }

    /** The whole set as a generation: batches of at most 500, then the commit (or the commit first). */
    PolicyStream set(String origin, String generation, List<Grant> grants, boolean commitFirst) {
        if (commitFirst) {
            commit(origin, generation, grants.size());
        }
        for (int i = 0; i < grants.size(); i += PolicyChange.MAX_GRANTS_PER_EVENT) {
            stage(origin, generation, grants.subList(i, Math.min(grants.size(), i + PolicyChange.MAX_GRANTS_PER_EVENT)));
        }
        if (!commitFirst) {
            commit(origin, generation, grants.size());
        }
        return this;
    }

    PolicyStream stage(String origin, String generation, List<Grant> grants) {
        return add(EventTypes.POLICY_GRANTS_STAGED, origin, new PolicyChange.GrantsStaged(run, origin, generation, List.copyOf(grants)));
    }

    PolicyStream commit(String origin, String generation, long expected) {
        return add(EventTypes.POLICY_GRANTS_COMMITTED, origin, new PolicyChange.GrantsCommitted(run, origin, generation, expected));
    }

    PolicyStream report(String origin, List<PolicyChange.ReportEntry> entries) {
        return add(EventTypes.POLICY_REPORT, origin, new PolicyChange.Report(run, origin, entries));
    }

    PolicyStream completed(String origin, long grants, long leftOut) {
        return add(EventTypes.POLICY_RUN_COMPLETED, origin, new PolicyChange.RunCompleted(run, origin, grants, leftOut));
    }

    private PolicyStream add(String type, String origin, Object payload) {
        String key = PolicyChange.key(run.workspace(), origin);
        events.add(new Sent(key, EventCodec.encode(CloudEvent.of("/test/worker", type, key, payload)), type));
        return this;
    }

    /** Sends the events in order, awaiting every acknowledgement. */
    static void send(String bootstrap, String topic, List<Sent> events) {
        TopicRecorder.sendEvents(KafkaAccess.plaintext(bootstrap), KafkaAccess.ADMIN, topic,
                events.stream().map(e -> Map.entry(e.key(), e.value())).toList());
    }
}
