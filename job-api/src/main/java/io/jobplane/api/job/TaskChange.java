package io.jobplane.api.job;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Task bodies: a new task, a change to one (fields left out keep their value), and a move. */
public final class TaskChange {

    private TaskChange() {
    }

    /** A task to add; without {@code index} it goes last. */
    public record Add(@NotNull @Size(min = 1, max = 1_000_000) @TemplatedSql String query, Boolean isActive, @Min(0) Integer index) {
    }

    /** A change to a task; {@code index} moves it. */
    public record Update(@Size(min = 1, max = 1_000_000) @TemplatedSql String query, Boolean isActive, @Min(0) Integer index) {
    }

    /** CData's move: {@code from_index} must still be the task's index, which catches a concurrent reorder. */
    public record Move(@NotNull @Min(0) Integer fromIndex, @NotNull @Min(0) Integer toIndex) {
    }
}
