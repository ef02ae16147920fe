package io.jobplane.api.run.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.run.LaunchRequest;
import io.jobplane.api.run.launch.LaunchValidation.ValidLaunch;

class LaunchValidationTest {

    private static String refusal(LaunchPlan plan, LaunchRequest options) {
        return assertThrows(ApiException.class, () -> LaunchValidation.validate(plan, options)).code();
    }

    private static LaunchRequest parameters(Map<String, String> values) {
        return new LaunchRequest(null, values, null);
    }

    @Test
    void aJobThatIsNotActiveOrNotRunnableIsRefused() {
        assertEquals("JOB_NOT_ACTIVE", refusal(Plans.of(JobType.TABLE_TO_TABLE).status(JobStatus.DISABLED)
                .destination("postgresql").task("select 1").plan(), LaunchRequest.NONE));
        assertEquals("JOB_TYPE_NOT_RUNNABLE", refusal(Plans.of(JobType.WORKFLOW).plan(), LaunchRequest.NONE));
    }

    @Test
    void tasksAskedForMustBeTheJobsAndNamedOnce() {
        LaunchPlan plan = Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql").task("select 1").plan();
        UUID task = plan.tasks().get(0).id;
        assertEquals("DUPLICATE_TASK", refusal(plan, new LaunchRequest(List.of(task, task), null, null)));
        assertEquals("UNKNOWN_TASK", refusal(plan, new LaunchRequest(List.of(UUID.randomUUID()), null, null)));
        assertEquals("NO_ACTIVE_TASKS", refusal(Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql")
                .task("select 1", false).plan(), LaunchRequest.NONE));
    }

    @Test
    void anInactiveTaskRunsWhenAskedForAndOnlyTheTasksThatRunAreRead() {
        LaunchPlan plan = Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql")
                .task("select {{a}}").task("select 'broken", false).task("select {{b}}", false).plan();
        ValidLaunch launch = LaunchValidation.validate(plan, parameters(Map.of("a", "1")));
        assertEquals(List.of(plan.tasks().get(0).id), launch.tasks().stream().map(t -> t.task().id).toList());

        ValidLaunch asked = LaunchValidation.validate(plan, new LaunchRequest(List.of(plan.tasks().get(2).id), Map.of("b", "2"), null));
        assertEquals(List.of("b"), asked.tasks().get(0).names());
    }

    @Test
    void eachTaskIsReadOnceInTheDestinationsDialectAndItsNamesAreHandedOn() {
        String mysqlOnly = "insert into t values ('it\\'s', {{x}})";
        ValidLaunch onMysql = LaunchValidation.validate(Plans.of(JobType.TABLE_TO_TABLE).destination("mysql").task(mysqlOnly).plan(),
                parameters(Map.of("x", "1")));
        assertEquals(List.of("x"), onMysql.tasks().get(0).names());

        assertEquals("TASK_SQL_INVALID", refusal(Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql").task(mysqlOnly).plan(),
                parameters(Map.of("x", "1"))));
    }

    @Test
    void everyTemplatedValueMustBeSuppliedAndBuiltInsAreReserved() {
        LaunchPlan plan = Plans.of(JobType.TABLE_TO_TABLE).destination("postgresql")
                .task("insert into t values ({{FD_DATE}}, {{region}})").plan();
        assertEquals("UNKNOWN_TEMPLATE_VALUE", refusal(plan, LaunchRequest.NONE));
        assertEquals("RESERVED_PARAMETER", refusal(plan, parameters(Map.of("region", "eu", "FD_DATE", "x"))));
        assertEquals(List.of("FD_DATE", "region"), LaunchValidation.validate(plan, parameters(Map.of("region", "eu")))
                .tasks().get(0).names());
    }

    @Test
    void connectionsMustBeWhereTheJobTypeNeedsThem() {
        assertEquals("JOB_HAS_NO_DESTINATION", refusal(Plans.of(JobType.TABLE_TO_TABLE).task("select 1").plan(), LaunchRequest.NONE));
        assertEquals("CONNECTION_TYPE_NOT_RUNNABLE", refusal(Plans.of(JobType.STANDARD).source("postgresql").destination("mysql")
                .task("REPLICATE [accounts]").plan(), LaunchRequest.NONE));
        // SYNC_ALL copies every table when it has no task.
        assertTrue(LaunchValidation.validate(Plans.of(JobType.SYNC_ALL).source("postgresql").destination("postgresql").plan(),
                LaunchRequest.NONE).tasks().isEmpty());
    }

    @Test
    void aReplicationTaskIsReadByItsOwnGrammarAndHistoryModeIsRefused() {
        assertEquals("TASK_SQL_INVALID", refusal(Plans.of(JobType.STANDARD).source("postgresql").destination("postgresql")
                .task("select * from accounts").plan(), LaunchRequest.NONE));
        assertEquals("SETTING_NOT_RUNNABLE", refusal(Plans.of(JobType.STANDARD).source("postgresql").destination("postgresql")
                .settings("{\"replication\": {\"history_mode\": true}}").task("REPLICATE [accounts]").plan(), LaunchRequest.NONE));
    }

    @Test
    void aStepsJobNeedsAPackage() {
        assertEquals("NO_STEP_PACKAGE", refusal(Plans.of(JobType.STEPS).plan(), LaunchRequest.NONE));
        assertTrue(LaunchValidation.validate(Plans.of(JobType.STEPS).latestSource(3).plan(), LaunchRequest.NONE).tasks().isEmpty());
    }
}
