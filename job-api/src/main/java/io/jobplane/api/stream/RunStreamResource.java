package io.jobplane.api.stream;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.jobplane.api.config.RunStreamConfig;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.security.Caller;
import io.jobplane.api.security.Role;
import io.jobplane.api.security.WorkspaceGuard;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerResponse;

/**
 * The workspace's run and task events, live, as Server-Sent Events (docs/api.md, "Live run stream"):
 * each event is named by its CloudEvent type, carries the CloudEvent as on {@code jobplane.run-events},
 * and has the stream's position as id, so a client that reconnects with {@code Last-Event-ID} is
 * replayed what it missed. A {@code stream.ready} event says the stream is live.
 */
@Path("/api/v1/workspaces/{workspace}")
@Authenticated
@Tag(name = "Runs")
public class RunStreamResource {

    /** The event that marks the start of the live part of a stream (after a resume's replay). */
    public static final String READY = "stream.ready";

    private final RunEventFeed feed;
    private final StreamReplay replay;
    private final RunStreamConfig config;
    private final WorkspaceGuard guard;

    public RunStreamResource(RunEventFeed feed, StreamReplay replay, RunStreamConfig config, WorkspaceGuard guard) {
        this.feed = feed;
        this.replay = replay;
        this.config = config;
        this.guard = guard;
    }

    @GET
    @Path("/runs/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live run and task events of the workspace (Server-Sent Events); resume with Last-Event-ID")
    public Multi<OutboundSseEvent> stream(@PathParam("workspace") String workspace,
            @Parameter(description = "The id of the last event received: replays what was missed, within the topic's retention")
            @HeaderParam("Last-Event-ID") String lastEventId,
            @Parameter(description = "true: also jobplane.run.log lines (left out by default)")
            @QueryParam("logs") @DefaultValue("false") String logsParam,
            @Context Sse sse, @Context HttpServerResponse connection) {
        Caller caller = guard.require(workspace, Role.VIEWER);
        boolean logs = switch (logsParam) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("VALIDATION_FAILED", "The request is invalid: logs must be true or false",
                    "Send logs=true to also receive log lines, or leave it out.");
        };
        int partitions = feed.partitions();
        StreamPosition resume = lastEventId == null || lastEventId.isBlank() ? null : StreamPosition.parse(lastEventId, partitions);
        RunEventFeed.Admission admission = feed.admit(caller);
        connection.headers().set("Cache-Control", "no-store");
        // Reverse proxies such as nginx pass the events on as they come instead of buffering them.
        connection.headers().set("X-Accel-Buffering", "no");
        return Multi.createFrom().deferred(() -> {
            StreamSubscriber stream = new StreamSubscriber(workspace, logs, sse, connection::close, config);
            StreamPosition live = feed.register(stream, resume);
            Multi<OutboundSseEvent> head;
            if (resume == null) {
                head = Multi.createFrom().item(ready(sse, live, 0));
            } else {
                head = Uni.createFrom().item(() -> replay.replay(workspace, stream, resume, live, sse))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .onItem().transformToMulti(r -> Multi.createBy().concatenating().streams(
                                Multi.createFrom().iterable(r.events()),
                                Multi.createFrom().item(() -> ready(sse, r.position(), r.events().size()))));
            }
            return Multi.createBy().concatenating().streams(head.onCompletion().invoke(stream::liveStarted), stream.events())
                    .onTermination().invoke(() -> {
                        feed.unregister(stream);
                        admission.release();
                    });
        });
    }

    private static OutboundSseEvent ready(Sse sse, StreamPosition position, int replayed) {
        return StreamSubscriber.event(sse, READY, "{\"replayed\":" + replayed + "}", position);
    }
}
