package io.jobplane.worker.executor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.jobplane.worker.events.RunEvents;

/**
 * What an executor needs from the worker while it runs: where to report, whether the run was
 * cancelled, and a hook that interrupts the work in progress when it is.
 */
public final class RunControl {

    private final RunEvents events;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Interrupter> interrupter = new AtomicReference<>();

    public RunControl(RunEvents events) {
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
     * Registers how to interrupt the work that starts now; null when it has ended. If the run was
     * cancelled in between, the interrupter fires at once, so no cancel slips through the gap.
     */
    public void interruptWith(Interrupter action) {
        interrupter.set(action);
        if (action != null && cancelled.get()) {
            fire(action);
        }
    }

    private static void fire(Interrupter action) {
        if (action == null) {
            return;
        }
        try {
            action.interrupt();
        } catch (Exception e) {
            org.jboss.logging.Logger.getLogger(RunControl.class).warnf("could not interrupt the running task: %s",
                    e.getMessage());
        }
    }
}
