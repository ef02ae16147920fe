package io.jobplane.api.dialect.lakeformation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The LakeFormation reference's example create request, and ways to turn it into each lf-job type (tests). */
public final class LfJobBodies {

    private LfJobBodies() {
    }

    /** The reference's example create request, as printed. */
    public static String seedRequest() throws IOException {
        try (InputStream in = LfJobBodies.class.getResourceAsStream("/lakeformation/seed-create-request.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Makes the job a metadata migration; returns its parameter. */
    public static ObjectNode migration(ObjectNode job) {
        job.put("type", "METADATA_MIGRATION");
        return (ObjectNode) job.at("/parameter/metadata_migration_parameter");
    }

    /** Makes the job a permission migration; returns its parameter. */
    public static ObjectNode permissions(ObjectNode job) {
        job.put("type", "PERMISSION_MIGRATION");
        return (ObjectNode) job.at("/parameter/permission_migration_parameter");
    }

    /** Makes the job a metadata discovery; returns its parameter. */
    public static ObjectNode discovery(ObjectNode job) {
        job.put("type", "METADATA_DISCOVERY");
        return (ObjectNode) job.at("/parameter/metadata_discovery_parameter");
    }

    /** The discovery parameter's first principal. */
    public static ObjectNode principal(ObjectNode job) {
        return (ObjectNode) discovery(job).get("principals").get(0);
    }
}
