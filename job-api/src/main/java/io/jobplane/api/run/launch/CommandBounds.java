package io.jobplane.api.run.launch;

import jakarta.ws.rs.core.Response.Status;

import io.jobplane.api.error.ApiException;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.TaskSpec;

/**
 * The size bound of a launch command, pure: a command is measured as the bytes of its JSON (UTF-8),
 * the value of its Kafka record, and refused when it exceeds the configured limit. A refused launch
 * writes nothing: the check runs before the run is stored.
 */
public final class CommandBounds {

    /** The error code of a launch whose command would exceed the limit. */
    public static final String TOO_LARGE = "LAUNCH_COMMAND_TOO_LARGE";
    /**
     * What a record adds to its value on the wire (key, headers, record and batch framing), with room to
     * spare: the limit must be at most the topic's {@code max.message.bytes} less this.
     */
    public static final int RECORD_OVERHEAD = 64 * 1024;

    private CommandBounds() {
    }

    /** Bytes of {@code text} in UTF-8, counted without encoding it. */
    public static long utf8Length(String text) {
        long bytes = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Whether a limit fits a topic that takes records of up to {@code maxMessageBytes}. */
    public static boolean fitsTopic(long limit, long maxMessageBytes) {
        return limit > 0 && limit + RECORD_OVERHEAD <= maxMessageBytes;
    }

    /** Refuses the command (its encoded JSON) when it is larger than {@code limit} bytes. */
    public static void check(LaunchCommand command, String encoded, long limit) {
        long size = utf8Length(encoded);
        if (size > limit) {
            throw tooLarge(command, size, limit);
        }
    }

    /** The 413 a launch gets when its command would be {@code size} bytes, more than {@code limit}. */
    public static ApiException tooLarge(LaunchCommand command, long size, long limit) {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE,
                "The run's launch command would be " + size + " bytes, more than the limit of " + limit + " bytes ("
                        + parts(command) + ")",
                "Make the job's tasks shorter or fewer (split the job in two, keep data in tables rather than in task"
                        + " text), or shorten its pre- and post-job events, properties and parameters (a step"
                        + " package is not part of the command: it travels by its hash); operators set the limit with jobplane.launch.max-command-bytes.");
    }

    /** What the largest parts of the command weigh, for the message. */
    static String parts(LaunchCommand command) {
        long tasks = 0;
        if (command.tasks() != null) {
            for (TaskSpec t : command.tasks()) {
                tasks += t.query() == null ? 0 : utf8Length(t.query());
            }
        }
        return (command.tasks() == null ? 0 : command.tasks().size()) + " tasks of " + tasks + " bytes of text";
    }
}
