package io.jobplane.events.payload;

import java.util.List;
import java.util.Map;

/**
 * What a {@code STEPS} run executes: the step package version pinned when the run was launched
 * (a version uploaded later does not change it), referenced by its {@code sha256} and
 * {@code sizeBytes} — the zip itself is not in the command: the worker fetches it from job-api by
 * its hash and checks both — its {@code steps} in run order (paths inside the package, below its one
 * top-level folder when it has one), and the job's {@code properties} and sealed {@code secrets},
 * which steps see as environment variables.
 */
public record StepPackageSpec(
        int version,
        String sha256,
        long sizeBytes,
        List<String> steps,
        Map<String, String> properties,
        Map<String, SealedValue> secrets) {

    /** The largest step package job-api takes (and a worker fetches), in bytes of the zip. */
    public static final int MAX_BYTES = 8 * 1024 * 1024;
}
