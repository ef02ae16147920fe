package io.jobplane.stack;

import java.time.Duration;

/** An operating-system process of the stack that can be stopped politely or killed as in a crash. */
public abstract class ManagedProcess implements AutoCloseable {

    private final Duration stopGrace;
    private volatile ProcessHandle process;

    protected ManagedProcess(Duration stopGrace) {
        this.stopGrace = stopGrace;
    }

    protected void attach(ProcessHandle handle) {
        this.process = handle;
    }

    public long pid() {
        ProcessHandle p = process;
        return p == null ? -1 : p.pid();
    }

    public boolean isAlive() {
        ProcessHandle p = process;
        return p != null && p.isAlive();
    }

    /** SIGTERM, so the process shuts down cleanly; SIGKILL when it has not exited after the grace period. */
    public void stop() {
        ProcessHandle p = process;
        if (p != null) {
            Processes.stop(p, stopGrace);
        }
    }

    /** SIGKILL: the process dies as in a crash, with no chance to clean up. */
    public void kill() {
        ProcessHandle p = process;
        if (p != null) {
            Processes.kill(p);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
