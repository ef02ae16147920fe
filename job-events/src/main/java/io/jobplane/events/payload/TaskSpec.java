package io.jobplane.events.payload;

/** One task of a run, in the order given by {@code index}. */
public record TaskSpec(String taskId, int index, String query) {
}
