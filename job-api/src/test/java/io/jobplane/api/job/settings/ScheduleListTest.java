package io.jobplane.api.job.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobplane.api.error.ApiException;
import io.jobplane.api.job.settings.Schedule.MisfirePolicy;
import io.jobplane.api.job.settings.Schedule.OverlapPolicy;

/** A job's single schedule and its list of named schedules are one list, written and read either way. */
class ScheduleListTest {

    private static final Schedule NIGHTLY = new Schedule(true, "0 2 * * *", "Europe/Berlin", MisfirePolicy.RUN_ONCE);
    private static final ScheduleEntry HOURLY = new ScheduleEntry("hourly", null, "0 * * * *", null, null, OverlapPolicy.SKIP);

    private static JobSettings schedules(List<ScheduleEntry> list) {
        return JobSettings.change(null, null, null, null, list);
    }

    private static JobSettings schedule(Schedule s) {
        return JobSettings.change(s, null, null, null, null);
    }

    @Test
    void theSingleScheduleReadsAsTheDefaultEntryOfTheList() {
        JobSettings s = JobSettings.NONE.with(schedule(NIGHTLY)).effective(false);
        assertEquals(List.of(new ScheduleEntry("default", true, "0 2 * * *", "Europe/Berlin", MisfirePolicy.RUN_ONCE,
                OverlapPolicy.ALLOW)), s.schedules());
        assertEquals(OverlapPolicy.ALLOW, s.schedule().overlapPolicy(), "ALLOW: what schedules always did");
        assertEquals(List.of(), JobSettings.NONE.effective(false).schedules());
        assertEquals(List.of(), JobSettings.NONE.with(schedule(new Schedule(false, null, null, null))).effective(false).schedules());
    }

    @Test
    void aListSetsTheSingleScheduleFromItsDefaultEntryAndTheSingleOneKeepsTheOthers() {
        ScheduleEntry daily = new ScheduleEntry("default", null, "0 3 * * *", null, null, OverlapPolicy.CANCEL_OTHER);
        JobSettings stored = JobSettings.NONE.with(schedule(NIGHTLY)).with(schedules(List.of(HOURLY, daily)));
        assertEquals(new Schedule(true, "0 3 * * *", null, null, OverlapPolicy.CANCEL_OTHER), stored.schedule());
        assertEquals(List.of(HOURLY), stored.schedules(), "the named ones are stored apart");
        JobSettings shown = stored.effective(false);
        assertEquals(List.of("default", "hourly"), shown.schedules().stream().map(ScheduleEntry::name).toList());
        assertEquals(true, shown.schedules().get(1).enabled(), "a listed schedule is enabled unless it says otherwise");
        assertEquals("UTC", shown.schedules().get(1).timezone());

        // The single schedule sent alone replaces the default entry; the named ones stay.
        JobSettings changed = stored.with(schedule(NIGHTLY));
        assertEquals(NIGHTLY, changed.schedule());
        assertEquals(List.of(HOURLY), changed.schedules());

        // A list without a default entry leaves the job without its single schedule.
        JobSettings named = stored.with(schedules(List.of(HOURLY)));
        assertEquals(List.of("hourly"), named.effective(false).schedules().stream().map(ScheduleEntry::name).toList());
        assertEquals(null, named.effective(false).schedule().cron());
        assertEquals(List.of(), stored.with(schedules(List.of())).effective(false).schedules());
    }

    @Test
    void badListsAreRefusedWithWhatToDo() {
        assertEquals("SCHEDULES_TWICE", assertThrows(ApiException.class,
                () -> JobSettings.change(NIGHTLY, null, null, null, List.of(HOURLY))).code());
        assertEquals("DUPLICATE_SCHEDULE_NAME", assertThrows(ApiException.class,
                () -> schedules(List.of(HOURLY, new ScheduleEntry("hourly", true, "5 * * * *", null, null, null)))).code());
        assertEquals("INVALID_SETTING", assertThrows(ApiException.class, () -> JobSettings.NONE
                .with(schedules(List.of(new ScheduleEntry("nocron", true, null, null, null, null)))).check("STANDARD", false, false))
                .code());
        assertEquals("INVALID_CRON", assertThrows(ApiException.class, () -> JobSettings.NONE
                .with(schedules(List.of(new ScheduleEntry("bad", true, "61 * * * *", null, null, null)))).check("STANDARD", false, false))
                .code());
        assertEquals("INVALID_TIMEZONE", assertThrows(ApiException.class, () -> JobSettings.NONE
                .with(schedules(List.of(new ScheduleEntry("mars", true, "0 * * * *", "Mars/Olympus", null, null))))
                .check("STANDARD", false, false)).code());
        List<ScheduleEntry> many = new ArrayList<>();
        for (int i = 0; i < ScheduleEntry.MAX; i++) {
            many.add(new ScheduleEntry("s" + i, true, i + " * * * *", null, null, null));
        }
        JobSettings.NONE.with(schedules(many)).check("STANDARD", false, false);
        assertEquals("TOO_MANY_SCHEDULES", assertThrows(ApiException.class,
                () -> JobSettings.NONE.with(schedules(many)).with(schedule(NIGHTLY)).check("STANDARD", false, false)).code());
    }
}
