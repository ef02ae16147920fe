package io.jobplane.api.job.lakeformation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.jobplane.api.job.JobEntity;
import io.jobplane.api.job.JobStatus;
import io.jobplane.api.job.JobType;
import io.jobplane.api.json.StoredJson;
import io.jobplane.api.schedule.Schedules;

class DiscoveryScheduleTest {

    @Test
    void executeFieldsStandForAUtcCron() {
        assertEquals("5 * * * *", discovery("HOURLY", "*", "*", "05").cron());
        assertEquals("30 2 * * *", discovery("DAILY", "*", "2", "30").cron());
        assertEquals("0 23 * * 1", discovery("WEEKLY", "1", "23", "0").cron());
        assertEquals("0 23 * * 0", discovery("WEEKLY", "7", "23", "0").cron());
        assertEquals("59 0 31 * *", discovery("MONTHLY", "31", "0", "59").cron());
        MetadataDiscoveryParameter manual = new MetadataDiscoveryParameter("fs://landing/x", "lake", "raw",
                MetadataDiscoveryParameter.ConflictStrategy.UPSERT, MetadataDiscoveryParameter.FileDiscoveryType.ALL, null, null,
                null, null, null, null, "fs://landing/logs", null, null, null, "i-1", null, null, null, null, null, null);
        assertNull(manual.cron());
    }

    @Test
    void aScheduledDiscoveryFiresUnlessTheJobsOwnScheduleDecides() {
        JobEntity job = new JobEntity();
        job.type = JobType.METADATA_DISCOVERY;
        job.status = JobStatus.ACTIVE;
        job.parameter = StoredJson.write(new JobParameter(null, null, discovery("DAILY", "*", "4", "15")));
        assertEquals("15 4 * * *", Schedules.firing(job).get(0).cron());
        assertEquals("UTC", Schedules.firing(job).get(0).timezone());
        assertEquals("default", Schedules.firing(job).get(0).name());

        job.settings = "{\"schedule\": {\"enabled\": true, \"cron\": \"0 6 * * *\", \"timezone\": \"Europe/Berlin\"}}";
        assertEquals(1, Schedules.firing(job).size());
        assertEquals("0 6 * * *", Schedules.firing(job).get(0).cron());

        // A named schedule fires beside the discovery's own cron, which stays the default one.
        job.settings = "{\"schedules\": [{\"name\": \"hourly\", \"cron\": \"0 * * * *\"}]}";
        assertEquals(java.util.List.of("default", "hourly"), Schedules.firing(job).stream().map(e -> e.name()).toList());
        assertEquals("15 4 * * *", Schedules.firing(job).get(0).cron());

        job.status = JobStatus.DISABLED;
        assertEquals(java.util.List.of(), Schedules.firing(job));
    }

    private static MetadataDiscoveryParameter discovery(String frequency, String day, String hour, String minute) {
        return new MetadataDiscoveryParameter("fs://landing/x", "lake", "raw", MetadataDiscoveryParameter.ConflictStrategy.UPSERT,
                MetadataDiscoveryParameter.FileDiscoveryType.ALL, null, null, null, null, null, null, "fs://landing/logs", null, null,
                null, "i-1", null, MetadataDiscoveryParameter.ExecuteStrategy.SCHEDULE,
                MetadataDiscoveryParameter.ExecuteFrequency.valueOf(frequency), day, hour, minute);
    }
}
