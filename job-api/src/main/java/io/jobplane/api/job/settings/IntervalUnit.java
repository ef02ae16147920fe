package io.jobplane.api.job.settings;

/** Unit of {@code replicate_interval} (CData {@code Replicate_Interval_Unit}). */
public enum IntervalUnit {
    MINUTES, HOURS, DAYS, WEEKS, MONTHS, YEARS
}
