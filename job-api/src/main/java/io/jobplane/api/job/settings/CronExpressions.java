package io.jobplane.api.job.settings;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import io.jobplane.api.error.ApiException;

/**
 * Parses schedule expressions with cron-utils: the five-field Unix syntax, or six fields with a
 * leading seconds field (Spring's syntax) for schedules finer than a minute.
 */
public final class CronExpressions {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private CronExpressions() {
    }

    /** The parsed expression, or a 400 {@code INVALID_CRON} that says what is wrong. */
    public static Cron parse(String expression) {
        String trimmed = expression.trim();
        try {
            return (trimmed.split("\\s+").length == 6 ? WITH_SECONDS : UNIX).parse(trimmed).validate();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_CRON",
                    "schedule.cron '" + expression + "' is not a valid cron expression: " + e.getMessage(),
                    "Use five fields: minute hour day-of-month month day-of-week, e.g. '0 2 * * *' for 02:00 daily "
                            + "or '*/15 * * * 1-5' for every quarter hour on weekdays (a sixth, leading field "
                            + "gives seconds: '*/10 * * * * *').");
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

    /** The ticks of a valid expression, read in a valid zone. */
    public static Ticks ticks(String expression, String timezone) {
        return new Ticks(ExecutionTime.forCron(parse(expression)), zone(timezone));
    }

    /** When a cron expression fires, as instants; ticks fall on whole seconds. */
    public record Ticks(ExecutionTime cron, ZoneId zone) {

        /** The first tick strictly after {@code instant}; null if there is none. */
        public Instant after(Instant instant) {
            return cron.nextExecution(at(instant.truncatedTo(ChronoUnit.SECONDS))).map(ZonedDateTime::toInstant).orElse(null);
        }

        /** The first tick at or after {@code instant}; null if there is none. */
        public Instant atOrAfter(Instant instant) {
            return after(ceiling(instant).minusSeconds(1));
        }

        /** The last tick strictly before {@code instant}; null if there is none. */
        public Instant before(Instant instant) {
            return cron.lastExecution(at(ceiling(instant))).map(ZonedDateTime::toInstant).orElse(null);
        }

        /** Up to {@code limit} ticks from {@code from} to {@code to}, both included, in order. */
        public List<Instant> between(Instant from, Instant to, int limit) {
            List<Instant> ticks = new ArrayList<>();
            for (Instant t = atOrAfter(from); t != null && !t.isAfter(to) && ticks.size() < limit; t = after(t)) {
                ticks.add(t);
            }
            return ticks;
        }

        /** The next {@code n} ticks after {@code instant}. */
        public List<Instant> next(Instant instant, int n) {
            List<Instant> ticks = new ArrayList<>();
            for (Instant t = after(instant); t != null && ticks.size() < n; t = after(t)) {
                ticks.add(t);
            }
            return ticks;
        }

        /** cron-utils keeps the fraction of a second it is given; ticks are whole seconds, so it gets none. */
        private ZonedDateTime at(Instant wholeSecond) {
            return wholeSecond.atZone(zone);
        }

        private static Instant ceiling(Instant instant) {
            Instant second = instant.truncatedTo(ChronoUnit.SECONDS);
            return second.equals(instant) ? second : second.plusSeconds(1);
        }
    }
}
