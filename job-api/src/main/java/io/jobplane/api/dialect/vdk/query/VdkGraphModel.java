package io.jobplane.api.dialect.vdk.query;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jobplane.api.dialect.vdk.VdkJobView;
import io.jobplane.api.dialect.vdk.VdkJobView.Contacts;
import io.jobplane.api.dialect.vdk.VdkJobView.Deployment;
import io.jobplane.api.dialect.vdk.VdkJobView.Execution;
import io.jobplane.api.dialect.vdk.VdkJobView.Resources;

/**
 * The views of VDK's jobs as the objects of its GraphQL schema: one map per object, keyed by the
 * schema's field names, that graphql-java's default data fetchers read. Times are ISO-8601 in UTC,
 * execution statuses and types VDK's upper-case enum names.
 */
final class VdkGraphModel {

    /**
     * The key of a deployment's map under which its executions stay as views, read by the
     * {@code executions} data fetcher that filters, orders and pages them.
     */
    static final String EXECUTIONS = "executions";

    /** Every deployment that is shown is one whose deployment was accepted: deploying cannot fail later. */
    private static final String DEPLOYED = "SUCCESS";

    private VdkGraphModel() {
    }

    /** A DataJob: its name, config and its deployment as a list of one (empty when not deployed). */
    static Map<String, Object> job(VdkJobView view) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("jobName", view.jobName());
        job.put("config", config(view));
        job.put("deployments", view.deployment() == null ? List.of() : List.of(deployment(view)));
        return job;
    }

    /** A DataJobExecution. */
    static Map<String, Object> execution(Execution e) {
        Resources resources = e.resources();
        Map<String, Object> execution = new LinkedHashMap<>();
        execution.put("id", e.id());
        execution.put("type", upper(e.type()));
        execution.put("jobName", e.jobName());
        execution.put("status", upper(e.status()));
        execution.put("startTime", iso(e.startTime()));
        execution.put("endTime", iso(e.endTime()));
        execution.put("startedBy", e.startedBy());
        execution.put("message", e.message());
        execution.put("opId", e.opId());
        execution.put("vkdVersion", e.vdkVersion());
        execution.put("jobVersion", e.jobVersion());
        execution.put("jobSchedule", e.scheduleCron());
        execution.put("resourcesCpuRequest", resources == null ? null : resources.cpuRequest());
        execution.put("resourcesCpuLimit", resources == null ? null : resources.cpuLimit());
        execution.put("resourcesMemoryRequest", resources == null ? null : resources.memoryRequest());
        execution.put("resourcesMemoryLimit", resources == null ? null : resources.memoryLimit());
        execution.put("deployedDate", iso(e.deployedDate()));
        execution.put("deployedBy", e.deployedBy());
        execution.put("logsUrl", e.logsUrl());
        return execution;
    }

    /** An instant as VDK writes it: ISO-8601 in UTC to the second ({@code 2026-12-02T10:15:30Z}); null stays null. */
    static String iso(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A VDK lower-case word (user_error, manual) as its enum name (USER_ERROR, MANUAL); null stays null. */
    static String upper(String word) {
        return word == null ? null : word.toUpperCase(Locale.ROOT);
    }

    /** The cron the job runs on: the deployed one when deployed, else the one of its config. */
    static String scheduleCron(VdkJobView view) {
        return view.deployment() != null ? view.deployment().scheduleCron()
                : view.config() == null ? null : view.config().scheduleCron();
    }

    private static Map<String, Object> config(VdkJobView view) {
        Deployment deployment = view.deployment();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("team", view.team());
        config.put("description", view.description());
        config.put("schedule", schedule(scheduleCron(view), deployment == null ? null : deployment.nextRunEpochSeconds()));
        config.put("contacts", contacts(view));
        config.put("generateKeytab", view.config() == null ? null : view.config().generateKeytab());
        config.put("sourceUrl", null);
        config.put("logsUrl", null);
        return config;
    }

    private static Map<String, Object> deployment(VdkJobView view) {
        Deployment d = view.deployment();
        Map<String, Object> deployment = new LinkedHashMap<>();
        deployment.put("id", d.id());
        deployment.put("enabled", d.enabled());
        deployment.put("contacts", contacts(view));
        deployment.put("jobVersion", d.jobVersion());
        deployment.put("lastDeployedDate", iso(d.deployedDate()));
        deployment.put("lastDeployedBy", d.deployedBy());
        deployment.put("mode", d.mode());
        deployment.put("resources", resources(d.resources()));
        deployment.put("schedule", schedule(d.scheduleCron(), d.nextRunEpochSeconds()));
        deployment.put("vdkVersion", d.vdkVersion());
        deployment.put(EXECUTIONS, d.executions() == null ? List.of() : d.executions());
        deployment.put("status", DEPLOYED);
        deployment.put("lastExecutionStatus", upper(d.lastExecutionStatus()));
        deployment.put("lastExecutionTime", iso(d.lastExecutionTime()));
        deployment.put("lastExecutionDuration", d.lastExecutionDuration());
        deployment.put("successfulExecutions", d.successfulExecutions());
        deployment.put("failedExecutions", d.failedExecutions());
        return deployment;
    }

    private static Map<String, Object> contacts(VdkJobView view) {
        Contacts c = view.config() == null || view.config().contacts() == null ? Contacts.NONE : view.config().contacts();
        Map<String, Object> contacts = new LinkedHashMap<>();
        contacts.put("notifiedOnJobFailureUserError", c.notifiedOnJobFailureUserError());
        contacts.put("notifiedOnJobFailurePlatformError", c.notifiedOnJobFailurePlatformError());
        contacts.put("notifiedOnJobSuccess", c.notifiedOnJobSuccess());
        contacts.put("notifiedOnJobDeploy", c.notifiedOnJobDeploy());
        return contacts;
    }

    private static Map<String, Object> schedule(String cron, Long nextRunEpochSeconds) {
        Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.put("scheduleCron", cron);
        // The schema's Int holds epoch seconds up to 2038; a later run time is left out rather than wrapped.
        schedule.put("nextRunEpochSeconds", nextRunEpochSeconds == null || nextRunEpochSeconds > Integer.MAX_VALUE
                || nextRunEpochSeconds < Integer.MIN_VALUE ? null : nextRunEpochSeconds.intValue());
        return schedule;
    }

    /** VDK's DataJobResources: its CPU fields are Int, so the views' deci-cores are rounded. */
    private static Map<String, Object> resources(Resources r) {
        if (r == null) {
            return null;
        }
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("cpuRequest", r.cpuRequest() == null ? null : Math.round(r.cpuRequest()));
        resources.put("cpuLimit", r.cpuLimit() == null ? null : Math.round(r.cpuLimit()));
        resources.put("memoryRequest", r.memoryRequest());
        resources.put("memoryLimit", r.memoryLimit());
        return resources;
    }
}
