package io.jobplane.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds of what a launch sends: {@code jobplane.launch.*}. */
@ConfigMapping(prefix = "jobplane.launch")
public interface LaunchConfig {

    /**
     * The largest launch command, in bytes of its JSON, that a launch may make; a larger one is refused
     * (413 LAUNCH_COMMAND_TOO_LARGE). Must stay under the {@code max.message.bytes} of
     * {@code jobplane.commands} and the outbox producer's {@code max.request.size} (1 MiB each) by at
     * least the record's own framing ({@code CommandBounds.RECORD_OVERHEAD}, 64 KiB): the default is
     * 960 KiB. A STEPS job's package is not in its command (it travels by hash), so commands stay small.
     */
    @WithDefault("983040")
    int maxCommandBytes();
}
