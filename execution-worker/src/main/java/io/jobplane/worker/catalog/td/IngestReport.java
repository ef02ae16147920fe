package io.jobplane.worker.catalog.td;

import java.util.List;
import java.util.Map;

/**
 * What one Treasure Data ingest run did.
 *
 * @param records records emitted per record kind ({@code jobs}, {@code schedules}, {@code connections},
 *        {@code users}, {@code access_control_users}, {@code databases}, {@code policies},
 *        {@code policy_permissions}, {@code policy_column_permissions}, {@code policy_users}); a
 *        replaced kind is present (with 0) when it was replaced by nothing
 * @param generations the generation each replaced kind was committed under
 * @param lowerJobId the job id the run imported jobs above; null: from the oldest TD listed (or no jobs)
 * @param maxJobId the highest job id the run found above the lower id; null when none (the catalog's
 *        {@code max_job_id} for the next incremental run is then unchanged)
 * @param requests HTTP requests sent, tries included
 * @param retries tries after the first
 * @param warnings what the run left out and why (a record too large, an object gone between list and show…)
 */
public record IngestReport(Map<String, Long> records, Map<String, String> generations, Long lowerJobId, Long maxJobId,
        long requests, long retries, List<String> warnings) {

    public IngestReport {
        records = Map.copyOf(records);
        generations = Map.copyOf(generations);
        warnings = List.copyOf(warnings);
    }

    /** All records emitted, every kind together. */
    public long total() {
        return records.values().stream().mapToLong(Long::longValue).sum();
    }
}
