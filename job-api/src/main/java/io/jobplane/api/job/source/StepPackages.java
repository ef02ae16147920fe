package io.jobplane.api.job.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;

import io.jobplane.api.job.JobEntity;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.secret.SealedFields;
import io.jobplane.events.payload.SealedValue;
import io.jobplane.events.payload.StepPackageSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads the step package version a STEPS run is pinned to, as its launch command carries it: by
 * reference (hash, size, steps), never its bytes, which workers fetch from
 * {@code GET /internal/v1/step-packages/{sha256}}.
 */
@ApplicationScoped
public class StepPackages {

    private static final TypeReference<Map<String, String>> PROPERTIES = new TypeReference<>() {
    };
    private static final String VERSION_SQL = "select version, sha256, size_bytes, steps from api.job_source where job_id = $1 and version = $2";

    private final Pool pool;

    public StepPackages(Pool pool) {
        this.pool = pool;
    }

    /**
     * The package version with the job's properties and (sealed) secrets; null when the job is not a
     * STEPS job or the version is gone (its sources were deleted since the launch).
     */
    public Uni<StepPackageSpec> spec(JobEntity job, Integer version) {
        if (version == null) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery(VERSION_SQL).execute(Tuple.of(job.id, version))
                .map(rows -> rows.size() == 0 ? null : spec(job, rows.iterator().next()));
    }

    private static StepPackageSpec spec(JobEntity job, Row row) {
        SealedFields sealed = SealedFields.read(job.stepSecrets);
        Map<String, SealedValue> secrets = new HashMap<>();
        sealed.names().forEach(name -> secrets.put(name, sealed.get(name)));
        return new StepPackageSpec(row.getInteger("version"), row.getString("sha256"), row.getInteger("size_bytes"),
                List.of(row.getArrayOfStrings("steps")), StoredJson.readMap(job.properties, PROPERTIES), secrets);
    }
}
