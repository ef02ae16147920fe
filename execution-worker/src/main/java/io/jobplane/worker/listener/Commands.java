package io.jobplane.worker.listener;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.jobplane.events.EventTypes;
import io.jobplane.events.MalformedEventException;
import io.jobplane.events.TraceContext;
import io.jobplane.events.consume.EventRoutes;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.trace.Traces;
import io.jobplane.worker.service.RunDispatcher;

/**
 * How a worker reads and carries out commands, whichever topic brings them. Reading checks what a
 * command must hold, so a bad one is refused before anything runs; carrying out hands it to the
 * dispatcher. Any other type on a command topic is refused.
 */
final class Commands {

    private static final Logger LOG = Logger.getLogger(Commands.class);
    /** The span of a command's processing, a child of the span that sent it (docs/tracing.md). */
    static final String SPAN = "process";

    static final EventRoutes<Command> ROUTES = EventRoutes.<Command>create()
            .onEvent(EventTypes.LAUNCH, event -> new Launch(validLaunch(event.dataAs(LaunchCommand.class)), event.trace()))
            .on(EventTypes.CANCEL, CancelCommand.class, cancel -> new Cancel(validCancel(cancel)))
            .refuseOthers();

    private Commands() {
    }

    /** A command read. */
    sealed interface Command permits Launch, Cancel {
    }

    /** A launch that holds what a run needs, and the trace context it came with (null: none). */
    record Launch(LaunchCommand run, TraceContext trace) implements Command {
    }

    /** A cancel that names its run. */
    record Cancel(CancelCommand cancel) implements Command {
    }

    /** A launch handed over: the future of its {@code ACCEPTED} heartbeat, and how to start it. */
    record Announcement(String runId, CompletableFuture<Void> future, Runnable start) {
    }

    /**
     * Hands the commands to the dispatcher in order, giving each launch's announcement to {@code announced}
     * as soon as there is one: when a later command fails and the batch is carried out again, the
     * dispatcher ignores the launches it already took, and their first announcements are still awaited.
     */
    static void carryOut(List<Command> commands, RunDispatcher dispatcher, Consumer<Announcement> announced) {
        for (Command command : commands) {
            if (command instanceof Launch launch) {
                // The run's trace continues from the command's processing span, or else from the command.
                TraceContext processing = Traces.current();
                RunDispatcher.Taken taken = dispatcher.accept(launch.run(), processing != null ? processing : launch.trace());
                announced.accept(new Announcement(launch.run().runId(), taken.announced(), taken.start()));
            } else {
                CancelCommand cancel = ((Cancel) command).cancel();
                if (!dispatcher.cancel(cancel)) {
                    LOG.debugf("run %s: cancel noted, this worker does not hold the run", cancel.runId());
                }
            }
        }
    }

    private static LaunchCommand validLaunch(LaunchCommand launch) {
        if (launch.runId() == null || launch.tasks() == null || launch.jobType() == null || launch.attempt() < 1) {
            throw new MalformedEventException("launch command lacks run_id, job_type, tasks or a valid attempt");
        }
        if (launch.tasks().stream().anyMatch(t -> t == null || t.taskId() == null)) {
            throw new MalformedEventException("launch command for run " + launch.runId() + " has a task without task_id");
        }
        return launch;
    }

    private static CancelCommand validCancel(CancelCommand cancel) {
        if (cancel.runId() == null) {
            throw new MalformedEventException("cancel command lacks run_id");
        }
        return cancel;
    }
}
