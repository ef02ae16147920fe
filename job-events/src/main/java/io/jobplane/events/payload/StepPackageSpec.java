package io.jobplane.events.payload;

import java.util.List;
import java.util.Map;

/**
 * What a {@code STEPS} run executes: the step package version pinned when the run was launched
 * (a version uploaded later does not change it), its {@code sha256}, its {@code steps} in run order
 * (paths inside the package, below its one top-level folder when it has one), the zip itself
 * ({@code content}, base64 in JSON), and the job's {@code properties} and sealed {@code secrets},
 * which steps see as environment variables.
 */
public record StepPackageSpec(
        int version,
        String sha256,
        List<String> steps,
        byte[] content,
        Map<String, String> properties,
        Map<String, SealedValue> secrets) {
}
