package io.jobplane.worker.policy;

import java.util.Map;

/**
 * What a permission migration run emitted: its generation, the distinct grants committed, the report entries
 * (items left out) and how many entries of each kind.
 */
public record MigrationSummary(String generation, long grants, long leftOut, Map<String, Long> byReason) {
}
