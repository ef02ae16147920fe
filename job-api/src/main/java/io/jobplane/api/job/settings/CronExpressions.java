package io.jobplane.api.job.settings;

import java.time.DateTimeException;
import java.time.ZoneId;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

import io.jobplane.api.error.ApiException;

/** Parses schedule expressions with cron-utils, in the five-field Unix syntax. */
public final class CronExpressions {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private CronExpressions() {
    }

    /** The parsed expression, or a 400 {@code INVALID_CRON} that says what is wrong. */
    public static Cron parse(String expression) {
        try {
            return UNIX.parse(expression.trim()).validate();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_CRON",
                    "schedule.cron '" + expression + "' is not a valid cron expression: " + e.getMessage(),
                    "Use five fields: minute hour day-of-month month day-of-week, e.g. '0 2 * * *' for 02:00 daily "
                            + "or '*/15 * * * 1-5' for every quarter hour on weekdays.");
        }
    }

    /** The zone, or a 400 {@code INVALID_TIMEZONE}. */
    public static ZoneId zone(String timezone) {
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("INVALID_TIMEZONE", "schedule.timezone '" + timezone + "' is not a time zone",
                    "Use an IANA zone id such as UTC, Europe/Berlin or America/New_York.");
        }
    }
}
