package io.jobplane.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Starting, waiting for and stopping the operating-system processes of the stack. */
final class Processes {

    private Processes() {
    }

    /**
     * Starts a process with its output appended to {@code logFile}. When {@code detached}, it runs
     * in a session of its own (setsid) so it outlives the JVM that started it and a Ctrl-C there.
     */
    static Process start(List<String> command, Path logFile, boolean detached) {
        List<String> full = new ArrayList<>();
        if (detached && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            full.add("/usr/bin/setsid");
        }
        full.addAll(command);
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            return new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new StackException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command to completion and returns its output; fails with that output on a non-zero exit. */
    static String run(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new StackException(String.join(" ", command) + " did not finish within " + timeout);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new StackException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new StackException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while running " + command.get(0), e);
        }
    }

    /** Polls {@code condition} until it holds; fails with {@code what} and the log's tail on timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition, BooleanSupplier alive, Path logFile) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 50;
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (!alive.getAsBoolean()) {
                throw new StackException(what + ": the process exited. Last lines of " + logFile + ":\n" + tail(logFile, 30));
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(what + ": not ready after " + timeout.toSeconds() + " s. Last lines of "
                        + logFile + ":\n" + tail(logFile, 30));
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + what, e);
            }
            pause = Math.min(pause * 2, 500);
        }
    }

    /** Sends SIGTERM, waits, then SIGKILL: the polite stop every component gets. */
    static void stop(ProcessHandle handle, Duration grace) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Reported by the caller's status check.
            }
        }
    }

    static void kill(ProcessHandle handle) {
        handle.destroyForcibly();
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // A zombie is reaped by our JVM; nothing left to do.
        }
    }

    static Optional<ProcessHandle> handle(long pid) {
        return pid <= 0 ? Optional.empty() : ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
