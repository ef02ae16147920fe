package io.jobplane.api.job.settings;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** CData's log verbosity levels: 1, 2, 3 and 5 (there is no 4). */
public enum Verbosity {
    ERROR(1), INFO(2), TRANSFER(3), VERBOSE(5);

    private final int level;

    Verbosity(int level) {
        this.level = level;
    }

    @JsonValue
    public int level() {
        return level;
    }

    @JsonCreator
    public static Verbosity of(int level) {
        for (Verbosity v : values()) {
            if (v.level == level) {
                return v;
            }
        }
        throw new IllegalArgumentException("verbosity must be 1, 2, 3 or 5, not " + level);
    }

    @Override
    public String toString() {
        return Integer.toString(level);
    }
}
