package io.jobplane.worker.listener;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.EventTypes;
import io.jobplane.events.MalformedEventException;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.worker.service.RunDispatcher;
import io.smallrye.common.annotation.Blocking;

/**
 * Reads {@code jobplane.commands}. Handing a run to the dispatcher is quick, so the record is
 * acknowledged at once and a long run never holds back its partition. A record that is not a
 * command throws, which sends it to the dead-letter topic; the consumer moves on.
 */
@ApplicationScoped
public class CommandListener {

    private static final Logger LOG = Logger.getLogger(CommandListener.class);

    private final RunDispatcher dispatcher;

    public CommandListener(RunDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    // Blocking (ordered, on a worker thread): a cancel opens a connection to the database to stop the statement.
    @Incoming("commands")
    @Blocking
    public void onCommand(String value) {
        CloudEvent event = EventCodec.decode(value);
        switch (event.type()) {
            case EventTypes.LAUNCH -> dispatcher.accept(validLaunch(event.dataAs(LaunchCommand.class)));
            case EventTypes.CANCEL -> cancel(event.dataAs(CancelCommand.class));
            default -> throw new MalformedEventException("unknown command type " + event.type());
        }
    }

    private void cancel(CancelCommand cancel) {
        if (cancel.runId() == null) {
            throw new MalformedEventException("cancel command lacks run_id");
        }
        if (!dispatcher.cancel(cancel.runId())) {
            LOG.debugf("run %s: cancel ignored, this worker does not hold the run", cancel.runId());
        }
    }

    private static LaunchCommand validLaunch(LaunchCommand launch) {
        if (launch.runId() == null || launch.tasks() == null || launch.jobType() == null) {
            throw new MalformedEventException("launch command lacks run_id, job_type or tasks");
        }
        if (launch.tasks().stream().anyMatch(t -> t == null || t.taskId() == null)) {
            throw new MalformedEventException("launch command for run " + launch.runId() + " has a task without task_id");
        }
        return launch;
    }
}
