package io.jobplane.worker.executor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.jobplane.worker.events.RunEvents;

/**
 * What an executor needs from the worker while it runs: where to report, whether the run was
 * cancelled, and a hook that interrupts the work in progress when it is.
 */
public final class RunControl {

    private static final Logger LOG = Logger.getLogger(RunControl.class);

    private final String runId;
    private final RunEvents events;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Interrupter> interrupter = new AtomicReference<>();

    public RunControl(String runId, RunEvents events) {
        this.runId = runId;
        this.events = events;
    }

    /** Something that stops work in progress, e.g. {@code Statement::cancel}. */
    @FunctionalInterface
    public interface Interrupter {
        void interrupt() throws Exception;
    }

    public RunEvents events() {
        return events;
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Marks the run cancelled and interrupts the work in progress, if any. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            fire(interrupter.get());
        }
    }

    /**
     * Interrupts the work in progress again if the run is cancelled. A first interrupt can land
     * after the work registered but before it really started (a JDBC driver ignores a cancel for a
     * statement that is not executing yet); repeating it until the work ends closes that gap.
     */
    public void interruptAgain() {
        if (cancelled.get()) {
            fire(interrupter.get());
        }
    }

    /**
     * Registers how to interrupt the work that starts now; null when it has ended. If the run was
     * cancelled in between, the interrupter fires at once, so no cancel slips through the gap.
     */
    public void interruptWith(Interrupter action) {
        interrupter.set(action);
        if (action != null && cancelled.get()) {
            fire(action);
        }
    }

    private void fire(Interrupter action) {
        if (action == null) {
            return;
        }
        try {
            action.interrupt();
        } catch (Exception e) {
            LOG.warnf("run %s: could not interrupt the running task: %s", runId, e.getMessage());
        }
    }
}
