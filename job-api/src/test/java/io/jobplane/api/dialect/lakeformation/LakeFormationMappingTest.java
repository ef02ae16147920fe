package io.jobplane.api.dialect.lakeformation;

import static io.jobplane.api.dialect.lakeformation.LfJobBodies.discovery;
import static io.jobplane.api.dialect.lakeformation.LfJobBodies.migration;
import static io.jobplane.api.dialect.lakeformation.LfJobBodies.permissions;
import static io.jobplane.api.dialect.lakeformation.LfJobBodies.principal;
import static io.jobplane.api.dialect.lakeformation.LfJobBodies.seedRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.error.ErrorBody;
import io.jobplane.api.job.JobRequest;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.job.JobUpdate;
import io.jobplane.api.job.JobView;
import io.jobplane.api.job.lakeformation.DataSourceParameter;
import io.jobplane.api.job.lakeformation.JobParameter;
import io.jobplane.api.job.lakeformation.MetadataMigrationParameter;

class LakeFormationMappingTest {

    /** Named as the service writes JSON (quarkus.jackson.property-naming-strategy=SNAKE_CASE). */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE).build();
    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    // --- tenant ---------------------------------------------------------------------------------

    @Test
    void aProjectAndInstanceAreTheWorkspaceProjectDotInstance() {
        assertEquals("0a1b2c3d4e5f60718293a4b5c6d7e8f9.2180518f-42b8-4947-b20b-adfc53981a25",
                LakeFormationMapping.workspace("0a1b2c3d4e5f60718293a4b5c6d7e8f9", "2180518f-42b8-4947-b20b-adfc53981a25"));
        for (String[] bad : new String[][] { { "a.b", "i" }, { "p", "i.j" }, { "", "i" }, { "p", "" }, { "p", "x".repeat(65) },
                { "p q", "i" }, { "p", "../ws" } }) {
            ApiException e = assertThrows(ApiException.class, () -> LakeFormationMapping.workspace(bad[0], bad[1]));
            assertEquals(404, e.status().getStatusCode());
            assertEquals("WORKSPACE_NOT_FOUND", e.code());
        }
        assertEquals("JOB_NOT_FOUND", assertThrows(ApiException.class, () -> LakeFormationMapping.jobId("nope")).code());
    }

    // --- statuses -------------------------------------------------------------------------------

    @Test
    void nativeRunStatesMapOntoLakeFormationStatuses() {
        assertEquals("CREATED", LakeFormationMapping.status(null));
        assertEquals("SUBMITTED", LakeFormationMapping.status("QUEUED"));
        assertEquals("RUNNING", LakeFormationMapping.status("RUNNING"));
        assertEquals("RUNNING", LakeFormationMapping.status("CANCELLING"));
        assertEquals("SUCCESS", LakeFormationMapping.status("SUCCESS"));
        assertEquals("FAILED", LakeFormationMapping.status("FAILED"));
        assertEquals("STOPPED", LakeFormationMapping.status("STOPPED"));
        assertEquals("FAILED", LakeFormationMapping.status("UNKNOWN"));
        assertEquals(List.of("CREATED", "SUBMITTED", "RUNNING", "SUCCESS", "FAILED", "STOPPED"),
                List.copyOf(LakeFormationMapping.STATUSES.keySet()));
        assertEquals("RUNNING", LakeFormationMapping.statusFilter("RUNNING"));
        assertNull(LakeFormationMapping.statusFilter(null));
        assertEquals("INVALID_ENUM_VALUE", assertThrows(ApiException.class, () -> LakeFormationMapping.statusFilter("QUEUED")).code());
    }

    @Test
    void listsPageNewestFirstAfterTheStatusFilter() {
        List<LakeFormationJob> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(new LakeFormationJob("id-" + i, "job_" + i, null, "METADATA_DISCOVERY", null,
                    "2026-01-0" + (i + 1) + "T00:00:00Z", null, i % 2 == 0 ? "CREATED" : "FAILED"));
        }
        LakeFormationJob.Page page = LakeFormationMapping.page(jobs, null, 1, 2);
        assertEquals(5, page.totalCount());
        assertEquals(List.of("job_3", "job_2"), page.jobs().stream().map(LakeFormationJob::name).toList());
        LakeFormationJob.Page failed = LakeFormationMapping.page(jobs, "FAILED", 0, 10);
        assertEquals(2, failed.totalCount());
        assertEquals(List.of("job_3", "job_1"), failed.jobs().stream().map(LakeFormationJob::name).toList());
        assertEquals(0, LakeFormationMapping.page(jobs, null, 9, 10).jobs().size());
        assertEquals(0, LakeFormationMapping.page(0 + "", null)[0]);
        assertEquals(10, LakeFormationMapping.page(null, null)[1]);
        assertEquals("VALIDATION_FAILED", assertThrows(ApiException.class, () -> LakeFormationMapping.page("-1", null)).code());
        assertEquals("VALIDATION_FAILED", assertThrows(ApiException.class, () -> LakeFormationMapping.page(null, "1001")).code());
        assertTrue(LakeFormationMapping.nameMatches("hive", "Move_HIVE_2024"));
        assertTrue(LakeFormationMapping.nameMatches("move*2024", "move_hive_2024"));
        assertFalse(LakeFormationMapping.nameMatches("m?ve", "mxxve"));
        assertFalse(LakeFormationMapping.nameMatches(".*", "abc"), "the pattern is not a regular expression");
    }

    // --- table 12 -------------------------------------------------------------------------------

    @Test
    void aJobAnswersWithTable12sFieldsAndNoSecret() throws Exception {
        DataSourceParameter ds = new DataSourceParameter("jdbc:mysql://meta:3306/hive", "root", "canary-password", "xxxx.com",
                "canary-ak", "canary-sk", "127.0.0.1");
        MetadataMigrationParameter m = new MetadataMigrationParameter(MetadataMigrationParameter.DatasourceType.ALIYUN_DLF, ds,
                "sourceCatalog1", "targetCatalog1", MetadataMigrationParameter.ConflictStrategy.UPSERT, "obs://logStore/2023",
                List.of(MetadataMigrationParameter.SyncObject.DATABASE), null,
                List.of(new MetadataMigrationParameter.LocationReplaceRule("test/test1", "test2/db")), "i-1", false,
                MetadataMigrationParameter.NetworkType.EIP, null);
        UUID id = UUID.randomUUID();
        Instant created = Instant.parse("2026-12-02T10:00:00.123456789Z");
        JobView view = new JobView(id, "p.i", "testjob", JobType.METADATA_MIGRATION, "testjob", List.of(), JobStatus.ACTIVE, null,
                null, null, false, null, List.of(), List.of(), null, null, null, new JobParameter(m, null, null), null,
                List.of("datasource_parameter.password"), List.of(), created, created, 1);
        LakeFormationJob job = LakeFormationMapping.job(view, null, null);
        JsonNode json = JSON.readTree(JSON.writeValueAsString(job));
        assertEquals(List.of("id", "name", "description", "type", "parameter", "create_time", "status"), names(json));
        assertEquals(id.toString(), json.get("id").asText());
        assertEquals("METADATA_MIGRATION", json.get("type").asText());
        assertEquals("2026-12-02T10:00:00.123456Z", json.get("create_time").asText(), "to the microsecond stored");
        assertEquals("CREATED", json.get("status").asText());
        assertEquals(List.of("metadata_migration_parameter"), names(json.get("parameter")));
        JsonNode shownDs = json.at("/parameter/metadata_migration_parameter/datasource_parameter");
        assertEquals(List.of("jdbc_url", "username", "endpoint", "subnet_ip"), names(shownDs));
        String text = json.toString();
        for (String secret : List.of("canary", "password", "access_key", "secret_key")) {
            assertFalse(text.contains(secret), secret + " in " + text);
        }

        Instant started = Instant.parse("2026-12-02T11:00:00Z");
        JsonNode ran = JSON.readTree(JSON.writeValueAsString(LakeFormationMapping.job(view, "CANCELLING", started)));
        assertEquals("2026-12-02T11:00:00Z", ran.get("start_time").asText());
        assertEquals("RUNNING", ran.get("status").asText());
        assertEquals(List.of("id", "name", "description", "type", "parameter", "create_time", "start_time", "status"), names(ran));
    }

    // --- errors ---------------------------------------------------------------------------------

    @Test
    void errorsTakeLakeFormationsShapeAndCodes() throws Exception {
        ErrorBody bad = new ErrorBody("INVALID_ENUM_VALUE", "Field 'type' has the unknown value 'X'", "Use one of …", "req-1");
        JsonNode e400 = JSON.readTree(JSON.writeValueAsString(LakeFormationMapping.error(400, bad)));
        assertEquals(List.of("error_code", "error_msg", "common_error_code", "solution_msg", "request_id"), names(e400));
        assertEquals("common.01000001", e400.get("error_code").asText());
        assertEquals("INVALID_ENUM_VALUE", e400.get("common_error_code").asText());
        assertEquals("Use one of …", e400.get("solution_msg").asText());

        assertEquals("common.01000001", LakeFormationMapping.errorCode(404));
        assertEquals("APIG.1002", LakeFormationMapping.errorCode(401));
        assertEquals("common.00000408", LakeFormationMapping.errorCode(408));
        assertEquals("common.00000500", LakeFormationMapping.errorCode(500));
        assertEquals("common.00000409", LakeFormationMapping.errorCode(409));
        assertEquals("common.00000413", LakeFormationMapping.errorCode(413));

        ErrorBody role = new ErrorBody("INSUFFICIENT_ROLE", "Your role 'viewer' does not allow this", "Ask an admin", "req-2");
        JsonNode e403 = JSON.readTree(JSON.writeValueAsString(LakeFormationMapping.error(403, role)));
        assertEquals(List.of("error", "error_code", "error_msg", "common_error_code", "solution_msg", "request_id", "title"),
                names(e403));
        assertEquals(List.of("code", "message", "error_code", "error_msg", "title"), names(e403.get("error")));
        assertEquals("403", e403.at("/error/code").asText());
        assertTrue(e403.at("/error/error_code").isNull());
        assertEquals("Forbidden", e403.get("title").asText());
        assertEquals("403", e403.get("error_code").asText());
        assertEquals("INSUFFICIENT_ROLE", e403.get("common_error_code").asText());

        assertTrue(LakeFormationErrors.isLakeFormation("/v1/p/instances/i/lf-jobs"));
        assertTrue(LakeFormationErrors.isLakeFormation("/v1/p/instances/i/lf-jobs/j/start"));
        assertFalse(LakeFormationErrors.isLakeFormation("/v1/dag/launch"));
        assertFalse(LakeFormationErrors.isLakeFormation("/api/v1/workspaces/w/jobs"));
    }

    // --- requests -------------------------------------------------------------------------------

    @Test
    void theSeedsExampleRequestKeepsTheMemberOfItsTypeAndMeetsItsOwnEnumeration() throws Exception {
        String printed = seedRequest();
        // As printed, sync_objects holds the generator's placeholder "string", outside the document's enumeration.
        assertCode("INVALID_ENUM_VALUE", () -> LakeFormationMapping.body(printed, null), "sync_objects[0]");
        ObjectNode fixed = (ObjectNode) JSON.readTree(printed);
        ((ArrayNode) fixed.at("/parameter/metadata_migration_parameter/sync_objects")).removeAll().add("DATABASE");
        LakeFormationMapping.Body body = LakeFormationMapping.body(fixed.toString(), null);
        assertEquals(JobType.METADATA_MIGRATION, body.type());
        assertEquals("testjob", body.name());
        assertNull(body.parameter().permissionMigrationParameter(), "members of other types are ignored");
        assertNull(body.parameter().metadataDiscoveryParameter());
        JobRequest request = LakeFormationMapping.request(body, VALIDATOR);
        assertEquals("LTAIxxxxxxxxxxxxxxxxRxPG", request.parameter().metadataMigrationParameter().datasourceParameter().accessKey());

        // The discovery member of the same example, as a discovery job: execute_day/hour/minute printed as numbers.
        ObjectNode discovery = (ObjectNode) JSON.readTree(printed);
        discovery.put("type", "METADATA_DISCOVERY");
        ObjectNode d = (ObjectNode) discovery.at("/parameter/metadata_discovery_parameter");
        d.put("execute_strategy", "SCHEDULE");
        LakeFormationMapping.Body read = LakeFormationMapping.body(discovery.toString(), null);
        assertEquals("1", read.parameter().metadataDiscoveryParameter().executeDay());
        LakeFormationMapping.request(read, VALIDATOR);
    }

    @Test
    void everyFieldRuleBrokenOnceIsRefusedWithItsCode() throws Exception {
        refuse(j -> j.put("name", "abc"), "INVALID_PARAMETER", "name");
        refuse(j -> j.put("name", "has-dash"), "INVALID_PARAMETER", "name");
        refuse(j -> j.put("name", "has.dot"), "INVALID_PARAMETER", "name");
        refuse(j -> j.put("name", "x".repeat(256)), "VALIDATION_FAILED", "name");
        refuse(j -> j.put("description", "d".repeat(4001)), "VALIDATION_FAILED", "description");
        refuse(j -> j.put("type", "STANDARD"), "INVALID_ENUM_VALUE", "type");
        refuse(j -> j.put("type", 3), "INVALID_FIELD_TYPE", "type");
        refuse(j -> j.remove("parameter"), "MISSING_FIELD", "parameter");
        refuse(j -> j.remove("name"), "MISSING_FIELD", "name");
        refuse(j -> j.put("priority", 1), "UNKNOWN_FIELD", "priority");
        refuse(j -> j.put("parameter", "x"), "INVALID_FIELD_TYPE", "parameter");
        refuse(j -> j.put("type", "PERMISSION_MIGRATION").with("parameter").remove("permission_migration_parameter"),
                "INVALID_PARAMETER", "permission_migration_parameter");
        refuse(j -> migration(j).put("datasource_type", "HIVE"), "INVALID_ENUM_VALUE", "datasource_type");
        refuse(j -> migration(j).put("conflict_strategy", "UPDATE"), "INVALID_ENUM_VALUE", "conflict_strategy");
        refuse(j -> migration(j).put("network_type", "VPN"), "INVALID_ENUM_VALUE", "network_type");
        refuse(j -> migration(j).remove("source_catalog"), "VALIDATION_FAILED", "source_catalog");
        refuse(j -> migration(j).putArray("sync_objects"), "VALIDATION_FAILED", "sync_objects");
        refuse(j -> migration(j).put("ignore_obs_checked", "maybe"), "INVALID_FIELD_TYPE", "ignore_obs_checked");
        refuse(j -> {
            ArrayNode locations = migration(j).putArray("locations");
            for (int i = 0; i < 21; i++) {
                locations.addObject().put("key", "k" + i).put("value", "v" + i);
            }
        }, "VALIDATION_FAILED", "locations");
        refuse(j -> migration(j).putArray("locations").addObject().put("key", "k"), "VALIDATION_FAILED", "value");
        refuse(j -> ((ObjectNode) migration(j).get("datasource_parameter")).put("username", "etl_user"), "VALIDATION_FAILED",
                "username");
        refuse(j -> ((ObjectNode) migration(j).get("datasource_parameter")).remove("endpoint"), "INVALID_PARAMETER", "endpoint");
        refuse(j -> migration(j).put("datasource_type", "OPEN_FOR_MYSQL").with("datasource_parameter").remove("jdbc_url"),
                "INVALID_PARAMETER", "jdbc_url");
        refuse(j -> migration(j).put("network_type", "VPC_PEERING").remove("accepted_vpc_id"), "INVALID_PARAMETER",
                "accepted_vpc_id");
        refuse(j -> migration(j).put("surprise", 1), "UNKNOWN_FIELD", "surprise");

        refuse(j -> permissions(j).put("policy_type", "ACL"), "INVALID_ENUM_VALUE", "policy_type");
        refuse(j -> permissions(j).put("file_name", "a/b.json"), "VALIDATION_FAILED", "file_name");
        refuse(j -> permissions(j).remove("catalog_id"), "INVALID_PARAMETER", "catalog_id");
        refuse(j -> permissions(j).remove("location"), "VALIDATION_FAILED", "location");
        refuse(j -> permissions(j).with("ranger_permission_migration_principal_relas").put("user_to", "ADMIN"),
                "INVALID_ENUM_VALUE", "user_to");

        refuse(j -> discovery(j).put("conflict_strategy", "MERGE"), "INVALID_ENUM_VALUE", "conflict_strategy");
        refuse(j -> discovery(j).put("file_discovery_type", "TEXT"), "INVALID_ENUM_VALUE", "file_discovery_type");
        refuse(j -> discovery(j).put("quote", "BACKTICK"), "INVALID_ENUM_VALUE", "quote");
        refuse(j -> discovery(j).put("file_sample_rate", 101), "VALIDATION_FAILED", "file_sample_rate");
        refuse(j -> discovery(j).put("rediscovery_policy", "SOMETIMES"), "INVALID_ENUM_VALUE", "rediscovery_policy");
        refuse(j -> discovery(j).put("execute_strategy", "MANUAL"), "INVALID_ENUM_VALUE", "execute_strategy");
        refuse(j -> discovery(j).put("execute_frequency", "YEARLY"), "INVALID_ENUM_VALUE", "execute_frequency");
        refuse(j -> discovery(j).put("execute_strategy", "SCHEDULE").put("execute_day", 32), "INVALID_PARAMETER", "execute_day");
        refuse(j -> discovery(j).put("execute_strategy", "SCHEDULE").put("execute_frequency", "HOURLY").put("execute_day", "*")
                .put("execute_hour", 3), "INVALID_PARAMETER", "execute_hour");
        refuse(j -> discovery(j).put("execute_strategy", "SCHEDULE").put("execute_minute", 60), "INVALID_PARAMETER",
                "execute_minute");
        refuse(j -> discovery(j).put("execute_strategy", "MANNUAL"), "INVALID_PARAMETER", "execute_frequency");
        refuse(j -> discovery(j).put("header", "yes"), "INVALID_FIELD_TYPE", "header");
        refuse(j -> principal(j).put("principal_name", "p".repeat(50)), "VALIDATION_FAILED", "principal_name");
        refuse(j -> principal(j).put("principal_name", ""), "VALIDATION_FAILED", "principal_name");
        refuse(j -> principal(j).put("principal_name", "ana lyst"), "VALIDATION_FAILED", "principal_name");
        refuse(j -> principal(j).put("principal_type", "ROBOT"), "INVALID_ENUM_VALUE", "principal_type");
        refuse(j -> principal(j).put("principal_source", "KERBEROS"), "INVALID_ENUM_VALUE", "principal_source");
        refuse(j -> discovery(j).remove("target_database"), "VALIDATION_FAILED", "target_database");
    }

    @Test
    void theExamplesMembersAreValidJobsOfTheirTypes() throws Exception {
        ObjectNode permissions = valid("PERMISSION_MIGRATION");
        ((ObjectNode) permissions.at("/parameter/permission_migration_parameter")).put("policy_type", "RANGER");
        JobRequest p = LakeFormationMapping.request(LakeFormationMapping.body(permissions.toString(), null), VALIDATOR);
        assertEquals(JobType.PERMISSION_MIGRATION, p.type());
        assertNull(p.parameter().metadataMigrationParameter());
        ObjectNode discovery = valid("METADATA_DISCOVERY");
        ((ObjectNode) discovery.at("/parameter/metadata_discovery_parameter")).put("execute_strategy", "SCHEDULE");
        assertEquals(JobType.METADATA_DISCOVERY,
                LakeFormationMapping.request(LakeFormationMapping.body(discovery.toString(), null), VALIDATOR).type());
    }

    @Test
    void malformedEmptyAndOversizedBodiesAreRefused() {
        assertCode("MALFORMED_JSON", () -> LakeFormationMapping.body("{\"name\": ", null), "");
        assertCode("MALFORMED_JSON", () -> LakeFormationMapping.body("{} {}", null), "");
        assertCode("MISSING_BODY", () -> LakeFormationMapping.body("", null), "");
        assertCode("INVALID_FIELD_TYPE", () -> LakeFormationMapping.body("[1]", null), "");
        ApiException big = assertThrows(ApiException.class,
                () -> LakeFormationMapping.body("{\"name\": \"" + "x".repeat(70_000) + "\"}", null));
        assertEquals(413, big.status().getStatusCode());
        assertEquals("BODY_TOO_LARGE", big.code());
    }

    @Test
    void anUpdateKeepsTheTypeAndChecksWhatItChanges() {
        LakeFormationMapping.Body body = LakeFormationMapping.body("{\"description\": \"new words\"}", JobType.METADATA_DISCOVERY);
        JobUpdate change = LakeFormationMapping.update(body, VALIDATOR);
        assertEquals("new words", change.description());
        assertNull(change.parameter());
        assertNull(change.name());
        assertCode("TYPE_CANNOT_CHANGE",
                () -> LakeFormationMapping.body("{\"type\": \"METADATA_MIGRATION\"}", JobType.METADATA_DISCOVERY), "");
        assertCode("INVALID_PARAMETER",
                () -> LakeFormationMapping.update(LakeFormationMapping.body("{\"name\": \"ab\"}", JobType.METADATA_DISCOVERY),
                        VALIDATOR), "name");
        assertCode("INVALID_PARAMETER", () -> LakeFormationMapping.update(LakeFormationMapping.body(
                "{\"parameter\": {\"metadata_migration_parameter\": {}}}", JobType.METADATA_DISCOVERY), VALIDATOR),
                "metadata_discovery_parameter");
    }

    // --- fixtures -------------------------------------------------------------------------------

    /** A valid job of each type, made from the seed's example (placeholders replaced by documented values). */
    private static ObjectNode valid(String type) throws IOException {
        ObjectNode job = (ObjectNode) JSON.readTree(seedRequest());
        ((ArrayNode) job.at("/parameter/metadata_migration_parameter/sync_objects")).removeAll().add("DATABASE").add("TABLE");
        job.put("type", type);
        return job;
    }

    /** The seed's example (a valid migration job) with one change, refused with its code before anything is stored. */
    private static void refuse(Consumer<ObjectNode> change, String code, String mentions) throws IOException {
        ObjectNode job = valid("METADATA_MIGRATION");
        change.accept(job);
        String text = job.toString();
        assertCode(code, () -> LakeFormationMapping.request(LakeFormationMapping.body(text, null), VALIDATOR), mentions);
    }

    private static void assertCode(String code, Executable call, String mentions) {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(mentions), e.getMessage() + " names " + mentions);
        assertTrue(e.solution() != null && !e.solution().isBlank());
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
