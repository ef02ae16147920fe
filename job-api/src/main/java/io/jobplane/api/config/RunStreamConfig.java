package io.jobplane.api.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The live run stream ({@code GET …/runs/stream}, docs/api.md, "Live run stream"): {@code jobplane.run-stream.*}. */
@ConfigMapping(prefix = "jobplane.run-stream")
public interface RunStreamConfig {

    /** Whether this replica reads {@code jobplane.run-events} for streams at all; off: the endpoint answers 503. */
    @WithDefault("true")
    boolean enabled();

    /** Streams one workspace may hold open on this replica at once; one more answers 429. */
    @WithDefault("50")
    int maxStreamsPerWorkspace();

    /** Streams one token subject may hold open on this replica at once; one more answers 429. */
    @WithDefault("10")
    int maxStreamsPerToken();

    /** Events a connection may have waiting for its client; a client further behind is disconnected. */
    @WithDefault("2000")
    int bufferEvents();

    /** Bytes of events a connection may have waiting for its client; a client further behind is disconnected. */
    @WithDefault("8M")
    io.quarkus.runtime.configuration.MemorySize bufferBytes();

    /** A client that took no event for this long while events wait for it is disconnected. */
    @WithDefault("30s")
    Duration slowClientTimeout();

    /** A comment line is sent after this much silence, so proxies keep the connection open. */
    @WithDefault("15s")
    Duration heartbeat();

    /** Resumes (Last-Event-ID) this replica replays from Kafka at once; more wait up to replay-timeout. */
    @WithDefault("4")
    int maxConcurrentReplays();

    /** Records a resume may read from Kafka (of every workspace); past them the client is told to reload. */
    @WithDefault("200000")
    int maxReplayRecords();

    /** Events of the workspace a resume may replay; past them the client is told to reload. */
    @WithDefault("10000")
    int maxReplayEvents();

    /** How long a resume may take to read what the client missed; past it the client is told to reload. */
    @WithDefault("10s")
    Duration replayTimeout();
}
