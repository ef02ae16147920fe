package io.jobplane.events.payload;

import java.time.Instant;

/**
 * A workspace's retention policy as job-api holds it: ended runs (with their task runs) are kept
 * {@code runsDays} days after they ended, log lines {@code logsDays} days. Sent when an admin sets it
 * and announced again for every workspace at each of job-api's retention sweeps, so a read model that
 * lost its copy gets it back. {@code policy} is {@code WORKSPACE} (set through the API) or
 * {@code DEFAULT} (the platform's defaults). Type {@code jobplane.workspace.retention}, on
 * {@code jobplane.run-events}, keyed by the workspace.
 */
public record WorkspaceRetention(String workspace, int logsDays, int runsDays, String policy, Instant announcedAt) {

    /** A policy set through the API. */
    public static final String WORKSPACE = "WORKSPACE";
    /** The platform's defaults, for a workspace that set none. */
    public static final String DEFAULT = "DEFAULT";
}
