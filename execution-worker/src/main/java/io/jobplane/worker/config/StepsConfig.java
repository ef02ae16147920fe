package io.jobplane.worker.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How {@code STEPS} jobs' process steps are started and confined: {@code jobplane.worker.steps.*}. */
@ConfigMapping(prefix = "jobplane.worker.steps")
public interface StepsConfig {

    /** The interpreter of {@code .py} steps (a command on the sandbox's PATH, or a path). */
    @WithDefault("python3")
    String pythonCommand();

    /** The shell of {@code .sh} steps. */
    @WithDefault("bash")
    String shellCommand();

    /** How long a step process may run when the job sets no task_timeout_seconds. */
    @WithDefault("6h")
    Duration timeout();

    /**
     * The user ids steps run as when the worker runs as root, {@code FIRST-LAST}: each running
     * step of this worker gets one of its own. Replicas on one machine need ranges that do not meet.
     */
    @WithDefault("61000-61999")
    String uidRange();

    /** Where fetched step packages are kept, by hash. */
    Packages packages();

    /** The sandbox every .py and .sh step runs in. */
    Sandbox sandbox();

    /** The limits of each step's processes. */
    Limits limits();

    /** How much of a step's output reaches the run log. */
    Output output();

    interface Packages {
        /**
         * The worker's own directory of verified packages (made owner-only; steps never see it). Unset:
         * a new temporary directory per worker process.
         */
        Optional<java.nio.file.Path> cacheDir();

        /** Bytes of packages kept; past it the least recently used are deleted. 0 keeps none. */
        @WithDefault("268435456")
        long cacheMaxBytes();

        /** How long one fetch from job-api may take, connecting and reading. */
        @WithDefault("60s")
        Duration fetchTimeout();
    }

    interface Sandbox {
        /** The bubblewrap binary (a command on the worker's PATH, or a path). */
        @WithDefault("bwrap")
        String bwrapCommand();

        /**
         * Runs steps WITHOUT any sandbox, as the worker's own user with its files, network and
         * processes in reach. For a developer's machine only; never where tenants share a worker.
         */
        @WithDefault("false")
        boolean unsafeNoSandbox();

        /** More host directories (absolute) a step may read, e.g. an interpreter installed under /opt. */
        Optional<List<String>> readOnlyPaths();
    }

    interface Limits {
        /** CPU time of each process of a step (RLIMIT_CPU). */
        @WithDefault("3600")
        long cpuSeconds();

        /** Address space of each process of a step (RLIMIT_AS), bytes. */
        @WithDefault("4294967296")
        long memoryBytes();

        /** Processes and threads the step's user may have at once (RLIMIT_NPROC; only when the worker is root). */
        @WithDefault("256")
        int processes();

        /** Largest file a step may write (RLIMIT_FSIZE), bytes. */
        @WithDefault("1073741824")
        long fileBytes();

        /** Size of the step's private /tmp (memory-backed), bytes. */
        @WithDefault("268435456")
        long tmpBytes();
    }

    interface Output {
        /** A longer output line is cut to this many bytes, with a marker saying how long it was. */
        @WithDefault("4000")
        int maxLineBytes();

        /** Output bytes of one step logged; the rest is read and counted, not kept. */
        @WithDefault("4194304")
        long maxBytes();
    }
}
