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

    @Incoming("commands")
    public void onCommand(String value) {
        CloudEvent event = EventCodec.decode(value);
        switch (event.type()) {
            case EventTypes.LAUNCH -> dispatcher.accept(validLaunch(event.dataAs(LaunchCommand.class)));
            case EventTypes.CANCEL -> {
                CancelCommand cancel = event.dataAs(CancelCommand.class);
                if (!dispatcher.cancel(cancel.runId())) {
                    LOG.debugf("cancel for run %s, which this worker does not hold", cancel.runId());
                }
            }
            default -> throw new MalformedEventException("unknown command type " + event.type());
        }
    }

    private static LaunchCommand validLaunch(LaunchCommand launch) {
        if (launch.runId() == null || launch.tasks() == null || launch.jobType() == null) {
            throw new MalformedEventException("launch command lacks run_id, job_type or tasks");
        }
        return launch;
    }
}
