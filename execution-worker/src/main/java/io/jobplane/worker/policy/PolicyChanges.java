package io.jobplane.worker.policy;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.jobplane.events.EventTypes;
import io.jobplane.events.payload.policy.PolicyChange;
import io.jobplane.events.payload.policy.PolicySink;
import io.jobplane.worker.config.WorkerConfig;
import io.jobplane.worker.events.AcknowledgedSends;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Sends a run's policy changes to {@code jobplane.policy-changes} (docs/events.md, "Policy changes"), keyed by
 * {@link PolicyChange#key} so an origin's changes stay in order, through {@link AcknowledgedSends}: the run's
 * completion goes out only once every change before it is acknowledged, and a change the broker does not take
 * fails the run.
 */
@ApplicationScoped
public class PolicyChanges {

    private final MutinyEmitter<String> emitter;
    private final String source;
    private final long maxEventBytes;

    public PolicyChanges(@Channel("policy-changes") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<String> emitter, WorkerConfig config) {
        this.emitter = emitter;
        this.source = "/jobplane/execution-worker/" + config.workerId();
        this.maxEventBytes = config.maxEventBytes();
    }

    /** A sink for one run's changes, used from the run's thread. */
    public PolicySink sink() {
        return new KafkaSink(new AcknowledgedSends(emitter, source, maxEventBytes));
    }

    private record KafkaSink(AcknowledgedSends sends) implements PolicySink {

        @Override
        public void grants(PolicyChange.GrantsStaged staged) {
            sends.send(EventTypes.POLICY_GRANTS_STAGED, PolicyChange.key(staged.run().workspace(), staged.origin()), staged,
                    staged.grants().size() + " grants");
        }

        @Override
        public void committed(PolicyChange.GrantsCommitted committed) {
            sends.send(EventTypes.POLICY_GRANTS_COMMITTED, PolicyChange.key(committed.run().workspace(), committed.origin()),
                    committed, "the commit of " + committed.expectedGrants() + " grants");
        }

        @Override
        public void report(PolicyChange.Report report) {
            sends.send(EventTypes.POLICY_REPORT, PolicyChange.key(report.run().workspace(), report.origin()), report,
                    report.entries().size() + " report entries");
        }

        @Override
        public void complete(PolicyChange.Run run, String origin, long grants, long leftOut) {
            sends.flush();
            PolicyChange.Run at = new PolicyChange.Run(run.workspace(), run.jobId(), run.runId(), run.attempt(), Instant.now());
            sends.send(EventTypes.POLICY_RUN_COMPLETED, PolicyChange.key(run.workspace(), origin),
                    new PolicyChange.RunCompleted(at, origin, grants, leftOut), "the run's completion");
            sends.flush();
        }
    }
}
