package io.jobplane.events.payload;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a {@code METADATA_DISCOVERY}, {@code METADATA_MIGRATION} or {@code METADATA_INGEST} run needs
 * beyond its connections:
 * <ul>
 * <li>{@code parameter} — the job's typed parameter as job-api stores it, snake_case, without its
 * secrets (e.g. {@code {"metadata_discovery_parameter": {"data_location": …}}});</li>
 * <li>{@code secrets} — the parameter's secrets, sealed for the job's parameter
 * ({@code SecretOwner.jobParameter(workspace, jobId)}) under their field names
 * ({@code datasource_parameter.password}, …), opened by the worker only;</li>
 * <li>{@code incrementalSince} — for an incremental discovery, when the job's last successful run
 * started (files changed since then are read again); null: read everything;</li>
 * <li>{@code state} — what the catalog already holds that the run continues from, e.g.
 * {@code max_job_id} of an ingest's jobs; empty when nothing.</li>
 * </ul>
 */
public record MetadataSpec(JsonNode parameter, Map<String, SealedValue> secrets, Instant incrementalSince,
        Map<String, String> state) {

    public MetadataSpec {
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        state = state == null ? Map.of() : Map.copyOf(state);
    }

    /** A sealed secret of the parameter, or null. */
    public SealedValue secret(String field) {
        return secrets.get(field);
    }
}
