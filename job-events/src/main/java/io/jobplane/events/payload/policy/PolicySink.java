package io.jobplane.events.payload.policy;

/**
 * Where a permission migration run puts the policy changes it finds: the worker's sink sends them to
 * {@code jobplane.policy-changes}; a unit test may collect them in memory. A sink is used by one run at a time,
 * from one thread.
 *
 * <p>Order of calls for one origin: any number of {@link #grants} (each at most
 * {@link PolicyChange#MAX_GRANTS_PER_EVENT} grants, all of one generation) and {@link #report} batches (each at
 * most {@link PolicyChange#MAX_REPORT_ENTRIES_PER_EVENT} entries), then one {@link #committed} for that
 * generation. A generation that is never committed is never applied: a run that fails half-way leaves the
 * origin's grants as they were. The engine never calls {@link #complete}; the runner that owns the sink does,
 * once, after the engine returned.
 */
public interface PolicySink {

    /** A batch of the generation's grants. */
    void grants(PolicyChange.GrantsStaged staged);

    /** Closes the generation: exactly {@code expectedGrants} distinct grants were staged for it. */
    void committed(PolicyChange.GrantsCommitted committed);

    /** A batch of items the run left out, each with its reason. */
    void report(PolicyChange.Report report);

    /**
     * Ends the run's changes: returns once every change sent so far is acknowledged, then sends (and awaits) the
     * run's {@link PolicyChange.RunCompleted} with the counts given. A change that could not be sent fails the
     * run with an exception here, never silently.
     */
    void complete(PolicyChange.Run run, String origin, long grants, long leftOut);
}
