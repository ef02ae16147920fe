package io.jobplane.api;

import static io.jobplane.api.ApiTestSupport.as;
import static io.jobplane.api.ApiTestSupport.postgresConnection;
import static io.jobplane.api.ApiTestSupport.uniqueWorkspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.jobplane.events.Topics;
import io.jobplane.stack.JobplaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** CData Sync's job parameters as typed settings, and LakeFormation's typed parameter with its rules. */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class JobSettingsIT {

    @Test
    void everyCdataParameterIsATypedSettingThatReadsBack() {
        String ws = uniqueWorkspace();
        Map<String, Object> job = standardJob(ws, "replicate-crm");
        String id = create(ws, job);
        as(ws, "viewer").get(jobs(ws) + "/" + id).then().statusCode(200)
                .body("source_connection_id", equalTo(job.get("source_connection_id")))
                .body("pipeline_id", equalTo("crm-pipeline"))
                .body("schedule.enabled", equalTo(true)).body("schedule.cron", equalTo("0 2 * * 1-5"))
                .body("schedule.timezone", equalTo("Europe/Berlin"))
                .body("notifications.send_email", equalTo(true))
                .body("notifications.email_to", equalTo(List.of("data-team@example.com")))
                .body("notifications.email_subject", equalTo("CRM replication"))
                .body("notifications.email_error_only", equalTo(true))
                .body("execution.enable_parallel_processing", equalTo(true)).body("execution.worker_pool", equalTo(4))
                .body("execution.verbosity", equalTo(5))
                .body("execution.pre_job_event", equalTo("select 1")).body("execution.post_job_event", equalTo("select 2"))
                .body("replication.destination_schema", equalTo("crm")).body("replication.table_name_prefix", equalTo("src_"))
                .body("replication.use_gmt_datetime", equalTo(true)).body("replication.history_mode", equalTo(true))
                .body("replication.truncate_table_data", equalTo(false)).body("replication.drop_table", equalTo(true))
                .body("replication.auto_truncate_strings", equalTo(true))
                .body("replication.deletion_behavior", equalTo("SOFT_DELETE"))
                .body("replication.alter_schema", equalTo(true))
                .body("replication.replicate_interval", equalTo(6)).body("replication.replicate_interval_unit", equalTo("HOURS"))
                .body("replication.replicate_start_date", equalTo("2024-01-31")).body("replication.batch_size", equalTo(5000))
                .body("tasks.query", equalTo(List.of("REPLICATE [Accounts]", "REPLICATE [Contacts]")));
    }

    @Test
    void defaultsAreShownAndAnUpdatedGroupReplacesOnlyThatGroup() {
        String ws = uniqueWorkspace();
        String id = create(ws, standardJob(ws, "crm"));
        String minimal = create(ws, Map.of("name", "sql", "type", "TABLE_TO_TABLE",
                "destination_connection_id", connection(ws, "dest"), "queries", List.of("select 1")));
        as(ws, "viewer").get(jobs(ws) + "/" + minimal).then().statusCode(200)
                .body("schedule.enabled", equalTo(false)).body("schedule.timezone", equalTo("UTC"))
                .body("execution.verbosity", equalTo(2)).body("execution.worker_pool", equalTo(1))
                .body("notifications.email_to", equalTo(List.of()))
                .body("$", not(hasKey("replication"))).body("$", not(hasKey("parameter")));

        as(ws, "editor").body(Map.of("schedule", Map.of("enabled", false, "cron", ""))).put(jobs(ws) + "/" + id)
                .then().statusCode(200).body("schedule.enabled", equalTo(false)).body("schedule.cron", nullValue())
                .body("schedule.timezone", equalTo("UTC"))
                .body("execution.worker_pool", equalTo(4)).body("replication.batch_size", equalTo(5000));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body("find { it.action == 'job.updated' }.details.schedule.enabled", equalTo(false))
                .body("find { it.action == 'job.updated' }.details", not(hasKey("execution")));
    }

    @Test
    void theCdataReverseEtlExampleIsAccepted() {
        String ws = uniqueWorkspace();
        String http = as(ws, "editor").body(Map.of("name", "receiver", "type", "http", "base_url", "https://hooks.example.com"))
                .post("/api/v1/workspaces/{ws}/connections", ws).then().statusCode(201).extract().path("connection_id");
        create(ws, Map.of("name", "ReverseETLJob", "type", "REVERSE_ETL", "source_connection_id", connection(ws, "src"),
                "destination_connection_id", http));
        refuse(ws, Map.of("name", "wrong-way", "type", "REVERSE_ETL", "source_connection_id", http,
                "destination_connection_id", connection(ws, "db")), "CONNECTION_TYPE_MISMATCH");
    }

    @Test
    void badSettingsAreRefusedWithTheirOwnCodeAndNothingIsStored() {
        String ws = uniqueWorkspace();
        refuseWith(ws, j -> j.put("execution", Map.of("verbosity", 4)), "INVALID_ENUM_VALUE");
        refuseWith(ws, j -> j.put("execution", Map.of("worker_pool", 0)), "VALIDATION_FAILED");
        refuseWith(ws, j -> j.put("schedule", Map.of("enabled", true, "cron", "61 * * * *")), "INVALID_CRON");
        refuseWith(ws, j -> j.put("schedule", Map.of("enabled", true, "cron", "every day")), "INVALID_CRON");
        refuseWith(ws, j -> j.put("schedule", Map.of("enabled", true)), "INVALID_SETTING");
        refuseWith(ws, j -> j.put("schedule", Map.of("cron", "0 2 * * *", "timezone", "Mars/Olympus")), "INVALID_TIMEZONE");
        refuseWith(ws, j -> j.put("notifications", Map.of("send_email", true)), "INVALID_SETTING");
        refuseWith(ws, j -> j.put("notifications", Map.of("email_to", List.of("not-an-address"))), "VALIDATION_FAILED");
        refuseWith(ws, j -> j.put("replication", Map.of("replicate_interval", 2)), "INVALID_SETTING");
        refuseWith(ws, j -> j.put("replication", Map.of("replicate_interval_unit", "FORTNIGHTS", "replicate_interval", 1)),
                "INVALID_ENUM_VALUE");
        refuseWith(ws, j -> j.put("replication", Map.of("replicate_start_date", "2024-13-45")), "INVALID_FIELD_TYPE");
        refuseWith(ws, j -> j.put("replication", Map.of("deletion_behavior", "SHRED")), "INVALID_ENUM_VALUE");
        refuseWith(ws, j -> j.put("replication", Map.of("destination_schema", "drop table x;")), "VALIDATION_FAILED");
        refuseWith(ws, j -> j.put("replication", Map.of("cdc_engine_settings", Map.of("name", "slot"))), "SETTING_NOT_APPLICABLE");
        refuseWith(ws, j -> j.remove("source_connection_id"), "CONNECTION_REQUIRED");
        refuseWith(ws, j -> j.put("source_connection_id", "0190d5a4-0000-7000-8000-000000000000"), "UNKNOWN_CONNECTION");
        refuseWith(ws, j -> j.put("type", "LOAD_FOLDER"), "CONNECTION_TYPE_MISMATCH");
        refuseWith(ws, j -> j.put("queries", List.of("select 1")), "TASKS_TWICE");
        refuseWith(ws, j -> j.put("parameter", Map.of()), "SETTING_NOT_APPLICABLE");
        refuseWith(ws, j -> j.put("type", "WORKFLOW"), "SETTING_NOT_APPLICABLE");
        refuse(ws, Map.of("name", "t2t", "type", "TABLE_TO_TABLE", "destination_connection_id", connection(ws, "d2"),
                "replication", Map.of("batch_size", 10)), "SETTING_NOT_APPLICABLE");
        as(ws, "viewer").get(jobs(ws)).then().statusCode(200).body("jobs.size()", equalTo(0));
    }

    @Test
    void aLakeFormationMigrationJobKeepsItsDataSourceSecretsSealedAndWriteOnly() throws Exception {
        String ws = uniqueWorkspace();
        Map<String, Object> job = migrationJob("hive_to_lake", 3);
        String id = create(ws, job);
        String body = as(ws, "viewer").get(jobs(ws) + "/" + id).then().statusCode(200)
                .body("type", equalTo("METADATA_MIGRATION"))
                .body("parameter.metadata_migration_parameter.datasource_type", equalTo("OPEN_FOR_MYSQL"))
                .body("parameter.metadata_migration_parameter.locations.size()", equalTo(3))
                .body("parameter.metadata_migration_parameter.datasource_parameter.jdbc_url", equalTo("jdbc:mysql://meta:3306/hive"))
                .body("parameter.metadata_migration_parameter.datasource_parameter", not(hasKey("password")))
                .body("secrets_set", equalTo(List.of("datasource_parameter.access_key", "datasource_parameter.password",
                        "datasource_parameter.secret_key")))
                .extract().asString();
        assertTrue(!body.contains("canary-lf-"), "no data-source secret in " + body);
        String sealed = storedSecrets(id);
        assertTrue(sealed.contains("key_id") && !sealed.contains("canary-lf-"), sealed);

        // Sending the parameter again with empty secrets keeps the stored ones; a new password reseals it.
        Map<String, Object> again = migrationJob("hive_to_lake", 2);
        datasource(again).putAll(Map.of("password", "", "access_key", "", "secret_key", ""));
        as(ws, "editor").body(Map.of("parameter", again.get("parameter"))).put(jobs(ws) + "/" + id).then().statusCode(200)
                .body("parameter.metadata_migration_parameter.locations.size()", equalTo(2));
        assertEquals(sealed, storedSecrets(id));
        datasource(again).put("password", "canary-lf-rotated");
        as(ws, "editor").body(Map.of("parameter", again.get("parameter"))).put(jobs(ws) + "/" + id).then().statusCode(200);
        assertNotEquals(sealed, storedSecrets(id));
        as(ws, "viewer").get("/api/v1/workspaces/{ws}/audit", ws).then().statusCode(200)
                .body(not(containsString("canary-lf-")))
                .body("find { it.action == 'job.updated' }.details['datasource_parameter.password']", equalTo("(changed)"));

        // It runs: the launch command carries the parameter and the sealed password, never the password itself.
        String runId = as(ws, "operator").post(jobs(ws) + "/" + id + "/runs").then().statusCode(202).extract().path("run_id");
        String command = await().atMost(Duration.ofSeconds(30))
                .until(() -> RunLaunchIT.findByKey(Topics.COMMANDS, runId), r -> r != null).value();
        assertTrue(command.contains("\"jdbc_url\"") && command.contains("datasource_parameter.password"), command);
        assertFalse(command.contains("canary-lf-"), command);
    }

    @Test
    void theLakeFormationDocumentsRulesAreEnforced() {
        String ws = uniqueWorkspace();
        refuse(ws, migrationJob("abc", 1), "INVALID_PARAMETER");
        refuse(ws, migrationJob("has-dash", 1), "INVALID_PARAMETER");
        refuse(ws, migrationJob("x".repeat(256), 1), "VALIDATION_FAILED");
        refuse(ws, migrationJob("too_many_locations", 21), "VALIDATION_FAILED");
        Map<String, Object> description = migrationJob("long_description", 1);
        description.put("description", "d".repeat(4001));
        refuse(ws, description, "VALIDATION_FAILED");
        Map<String, Object> noParameter = migrationJob("no_parameter", 1);
        noParameter.remove("parameter");
        refuse(ws, noParameter, "INVALID_PARAMETER");
        Map<String, Object> wrongMember = migrationJob("wrong_member", 1);
        wrongMember.put("type", "PERMISSION_MIGRATION");
        refuse(ws, wrongMember, "INVALID_PARAMETER");
        Map<String, Object> badStrategy = migrationJob("bad_strategy", 1);
        migration(badStrategy).put("conflict_strategy", "INSERT");
        refuse(ws, badStrategy, "INVALID_ENUM_VALUE");
        Map<String, Object> dlf = migrationJob("dlf_without_keys", 1);
        migration(dlf).put("datasource_type", "ALIYUN_DLF");
        datasource(dlf).put("endpoint", "dlf.example.com");
        datasource(dlf).remove("access_key");
        refuse(ws, dlf, "INVALID_PARAMETER");
        Map<String, Object> partitionsAlone = migrationJob("partitions_alone", 1);
        migration(partitionsAlone).put("sync_objects", List.of("DATABASE", "PARTITION"));
        refuse(ws, partitionsAlone, "INVALID_PARAMETER");
        Map<String, Object> badUser = migrationJob("bad_username", 1);
        datasource(badUser).put("username", "etl_user");
        refuse(ws, badUser, "VALIDATION_FAILED");

        create(ws, discoveryJob("discover_ok", principal("analyst.team-1"), Map.of("execute_strategy", "SCHEDULE",
                "execute_frequency", "WEEKLY", "execute_day", "7", "execute_hour", "23", "execute_minute", "59")));
        refuse(ws, discoveryJob("principal_too_long", principal("p".repeat(50)), Map.of()), "VALIDATION_FAILED");
        refuse(ws, discoveryJob("principal_bad_char", principal("ana lyst"), Map.of()), "VALIDATION_FAILED");
        refuse(ws, discoveryJob("weekly_day_8", principal("a"), Map.of("execute_strategy", "SCHEDULE",
                "execute_frequency", "WEEKLY", "execute_day", "8", "execute_hour", "1", "execute_minute", "0")), "INVALID_PARAMETER");
        refuse(ws, discoveryJob("hourly_hour", principal("a"), Map.of("execute_strategy", "SCHEDULE",
                "execute_frequency", "HOURLY", "execute_day", "*", "execute_hour", "3", "execute_minute", "0")), "INVALID_PARAMETER");
        refuse(ws, discoveryJob("manual_with_time", principal("a"), Map.of("execute_minute", "5")), "INVALID_PARAMETER");
        refuse(ws, discoveryJob("sample_rate", principal("a"), Map.of("file_sample_rate", 101)), "VALIDATION_FAILED");

        Map<String, Object> permissions = new HashMap<>(Map.of("name", "grants_from_ranger", "type", "PERMISSION_MIGRATION",
                "parameter", Map.of("permission_migration_parameter", Map.of("location", "obs://perm/", "file_name", "a/b.json",
                        "log_location", "obs://logs/", "policy_type", "RANGER", "instance_id", "i-1"))));
        refuse(ws, permissions, "VALIDATION_FAILED");
        as(ws, "viewer").get(jobs(ws)).then().statusCode(200).body("jobs.name", equalTo(List.of("discover_ok")));
    }

    // --- fixtures -------------------------------------------------------------------------------

    private static Map<String, Object> standardJob(String ws, String name) {
        Map<String, Object> job = new HashMap<>();
        job.put("name", name);
        job.put("type", "STANDARD");
        job.put("source_connection_id", connection(ws, name + "-src"));
        job.put("destination_connection_id", connection(ws, name + "-dst"));
        job.put("pipeline_id", "crm-pipeline");
        job.put("schedule", Map.of("enabled", true, "cron", "0 2 * * 1-5", "timezone", "Europe/Berlin"));
        job.put("notifications", Map.of("send_email", true, "email_to", List.of("data-team@example.com"),
                "email_subject", "CRM replication", "email_error_only", true));
        job.put("execution", Map.of("enable_parallel_processing", true, "worker_pool", 4, "verbosity", 5,
                "pre_job_event", "select 1", "post_job_event", "select 2"));
        Map<String, Object> replication = new HashMap<>(Map.of("destination_schema", "crm", "table_name_prefix", "src_",
                "use_gmt_datetime", true, "history_mode", true, "truncate_table_data", false, "drop_table", true,
                "auto_truncate_strings", true, "deletion_behavior", "SOFT_DELETE", "alter_schema", true,
                "replicate_interval", 6));
        replication.putAll(Map.of("replicate_interval_unit", "HOURS", "replicate_start_date", "2024-01-31", "batch_size", 5000));
        job.put("replication", replication);
        job.put("tasks", List.of(Map.of("query", "REPLICATE [Accounts]"), Map.of("query", "REPLICATE [Contacts]")));
        return job;
    }

    static Map<String, Object> migrationJob(String name, int locations) {
        Map<String, Object> datasource = new HashMap<>(Map.of("jdbc_url", "jdbc:mysql://meta:3306/hive", "username", "hive",
                "password", "canary-lf-password", "access_key", "canary-lf-ak", "secret_key", "canary-lf-sk"));
        Map<String, Object> migration = new HashMap<>(Map.of("datasource_type", "OPEN_FOR_MYSQL",
                "datasource_parameter", datasource, "source_catalog", "hive", "target_catalog", "lake",
                "conflict_strategy", "UPSERT", "log_location", "obs://logs/migration/",
                "sync_objects", List.of("DATABASE", "TABLE", "PARTITION"),
                "locations", IntStream.range(0, locations)
                        .mapToObj(i -> Map.of("key", "hdfs://old/" + i, "value", "obs://new/" + i)).toList(),
                "instance_id", "2180518f-42b8-4947-b20b-adfc53981a25"));
        Map<String, Object> parameter = new HashMap<>(Map.of("metadata_migration_parameter", migration));
        return new HashMap<>(Map.of("name", name, "type", "METADATA_MIGRATION", "description", "move the metastore",
                "parameter", parameter));
    }

    private static Map<String, Object> discoveryJob(String name, Map<String, Object> principal, Map<String, Object> extra) {
        Map<String, Object> discovery = new HashMap<>(Map.of("data_location", "obs://lake/raw", "target_catalog", "lake",
                "target_database", "raw", "conflict_strategy", "UPSERT", "file_discovery_type", "CSV",
                "header", true, "quote", "DOUBLE_QUOTE", "log_location", "obs://logs/", "instance_id", "i-1",
                "principals", List.of(principal)));
        discovery.putAll(extra);
        return new HashMap<>(Map.of("name", name, "type", "METADATA_DISCOVERY",
                "parameter", Map.of("metadata_discovery_parameter", discovery)));
    }

    private static Map<String, Object> principal(String name) {
        return Map.of("principal_type", "GROUP", "principal_source", "LDAP", "principal_name", name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> migration(Map<String, Object> job) {
        return (Map<String, Object>) ((Map<String, Object>) job.get("parameter")).get("metadata_migration_parameter");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> datasource(Map<String, Object> job) {
        return (Map<String, Object>) migration(job).get("datasource_parameter");
    }

    private static String connection(String ws, String name) {
        return as(ws, "editor").body(postgresConnection(name, "pw")).post("/api/v1/workspaces/{ws}/connections", ws)
                .then().statusCode(201).extract().path("connection_id");
    }

    private static String create(String ws, Map<String, Object> job) {
        return as(ws, "editor").body(job).post(jobs(ws)).then().statusCode(201).extract().path("job_id");
    }

    private final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();

    private void refuseWith(String ws, Consumer<Map<String, Object>> change, String code) {
        Map<String, Object> job = standardJob(ws, "refused-" + refusals.incrementAndGet());
        change.accept(job);
        refuse(ws, job, code);
    }

    private static void refuse(String ws, Map<String, Object> job, String code) {
        as(ws, "editor").body(job).post(jobs(ws)).then().statusCode(400)
                .body("error_code", equalTo(code)).body("error_msg", not(nullValue())).body("solution_msg", not(nullValue()));
    }

    private static String jobs(String ws) {
        return "/api/v1/workspaces/" + ws + "/jobs";
    }

    private static String storedSecrets(String id) throws Exception {
        return ApiTestSupport.storedValue("select secrets from api.job where id = ?::uuid", id);
    }
}
