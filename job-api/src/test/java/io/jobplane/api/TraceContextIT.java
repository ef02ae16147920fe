package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.readAll;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.TraceContext;
import io.jobplane.stack.JobplaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With the default configuration (docs/tracing.md): the commands and events a request makes carry its
 * trace (a caller's own trace id included), sent from the relay's span, and nothing is recorded.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class TraceContextIT {

    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Test
    void aLaunchAndACancelCarryTheRequestsTraceUnrecordedByDefault() {
        String ws = uniqueWorkspace();
        String jobId = RunLaunchIT.createJob(ws, "traced", "pw");
        String launchTrace = UUID.randomUUID().toString().replace("-", "");
        String runId = as(ws, "operator").header("traceparent", "00-" + launchTrace + "-" + CALLER_SPAN + "-01")
                .post("/api/v1/workspaces/{ws}/jobs/{job}/runs", ws, jobId).then().statusCode(202).extract().path("run_id");

        CloudEvent launch = await().atMost(Duration.ofSeconds(30)).until(() -> event(Topics.COMMANDS, runId, EventTypes.LAUNCH),
                e -> e != null);
        TraceContext launched = continues(launch, launchTrace);
        CloudEvent queued = await().atMost(Duration.ofSeconds(30))
                .until(() -> event(Topics.RUN_EVENTS, runId, EventTypes.RUN_QUEUED), e -> e != null);
        TraceContext queuedTrace = continues(queued, launchTrace);
        assertNotEquals(launched.spanId(), queuedTrace.spanId(), "each record is sent from its own relay span");

        String cancelTrace = UUID.randomUUID().toString().replace("-", "");
        as(ws, "operator").header("traceparent", "00-" + cancelTrace + "-" + CALLER_SPAN + "-01")
                .post("/api/v1/workspaces/{ws}/runs/{id}/cancel", ws, runId).then().statusCode(202);
        CloudEvent cancel = await().atMost(Duration.ofSeconds(30))
                .until(() -> event(Topics.CONTROL, runId, EventTypes.CANCEL), e -> e != null);
        continues(cancel, cancelTrace);
    }

    /** The event carries the trace, from a span of job-api's, not recorded (the default ratio is 0). */
    private static TraceContext continues(CloudEvent event, String traceId) {
        TraceContext trace = event.trace();
        assertNotNull(trace, event.type() + " carries a valid traceparent: " + event.traceparent());
        assertEquals(traceId, trace.traceId(), event.type() + " continues the request's trace");
        assertNotEquals(CALLER_SPAN, trace.spanId(), "sent from job-api's own span");
        assertFalse(trace.sampled(), "nothing is recorded by default, whatever the caller's flags");
        return trace;
    }

    private static CloudEvent event(String topic, String runId, String type) {
        List<ConsumerRecord<String, String>> records = readAll(topic, Duration.ofSeconds(5));
        return records.stream().filter(r -> runId.equals(r.key())).map(r -> EventCodec.decode(r.value()))
                .filter(e -> e.type().equals(type)).findFirst().orElse(null);
    }
}
