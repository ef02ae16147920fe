package io.jobplane.worker.catalog.hive;

/** One location rewrite rule: a location starting with {@code key} starts with {@code value} instead (see {@link LocationRewriter}). */
public record LocationRule(String key, String value) {
}
