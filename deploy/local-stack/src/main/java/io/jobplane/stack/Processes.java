package io.jobplane.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Starting, waiting for and stopping the operating-system processes of the stack. */
public final class Processes {

    /**
     * Runs each task on a thread of its own. Waiting for a process is blocking work; on the common
     * pool a few such waits would queue behind each other and stretch every timeout.
     */
    static final Executor OWN_THREAD = task -> {
        Thread thread = new Thread(task, "jobplane-stack-wait");
        thread.setDaemon(true);
        thread.start();
    };

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

    /**
     * Runs a command to completion and returns its output; fails with that output on a non-zero exit.
     * The output goes to a scratch file, not a pipe, so a child that keeps the pipe open (a server a
     * tool forks) cannot make the timeout ineffective.
     */
    static String run(List<String> command, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("jobplane-cmd-", ".out");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new StackException(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s:\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new StackException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new StackException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while running " + command.get(0), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // A leftover scratch file in the temp folder is harmless.
                }
            }
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

    /** The full command line, if known; /proc has it whole where ProcessHandle.Info may cut a long classpath short. */
    public static Optional<String> commandLine(ProcessHandle handle) {
        Path proc = Path.of("/proc", Long.toString(handle.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return Optional.of(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' '));
            }
        } catch (IOException e) {
            // Fall back to what the JDK can tell.
        }
        return handle.info().commandLine();
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** True when this JVM runs with user id 0, whatever the account is called. */
    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for a future and rethrows its failure as it was thrown, not wrapped. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Deletes a folder and everything in it; what cannot be deleted is left, silently. */
    public static void deleteTree(java.nio.file.Path dir) {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // Scratch data: a leftover is harmless.
        }
    }
}
