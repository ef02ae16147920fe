package io.jobplane.worker.steps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jobplane.worker.config.StepsConfig;

/**
 * Runs step processes confined by {@link SandboxCommand}: finds {@code bwrap}, {@code prlimit} and
 * {@code setpriv}, tries the whole chain once before the first step (and again after a failure),
 * hands each running step a user id of its own from {@code jobplane.worker.steps.uid-range} when
 * the worker is root, and gives the run's folder to that user.
 * <p>
 * When the worker is not root, steps still run in their own namespaces with the same mounts, no
 * network and the same limits, but as the worker's own user id mapped into their user namespace,
 * and without the process-count limit (which counts every process of a user, the worker's
 * threads included).
 */
@ApplicationScoped
public class StepSandbox {

    private static final Logger LOG = Logger.getLogger(StepSandbox.class);
    /** The error code of a step run that cannot be sandboxed. */
    public static final String UNAVAILABLE = "SANDBOX_UNAVAILABLE";

    private final StepsConfig config;
    private final boolean root;
    private final int firstUid;
    private final BitSet taken;
    private final int uids;
    private volatile Tools tools;

    private record Tools(String prlimit, String setpriv, String bwrap, List<SandboxCommand.SystemPath> system) {
    }

    /** The sandbox cannot be used on this worker; the message says why and what to do. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    public StepSandbox(StepsConfig config) {
        this.config = config;
        this.root = isRoot();
        String[] range = config.uidRange().trim().split("-");
        if (range.length != 2) {
            throw new IllegalArgumentException("jobplane.worker.steps.uid-range must be FIRST-LAST, e.g. 61000-61999");
        }
        this.firstUid = Integer.parseInt(range[0].trim());
        int last = Integer.parseInt(range[1].trim());
        if (firstUid < 1000 || last < firstUid) {
            throw new IllegalArgumentException("jobplane.worker.steps.uid-range must be FIRST-LAST with 1000 <= FIRST <= LAST");
        }
        this.uids = last - firstUid + 1;
        this.taken = new BitSet(uids);
    }

    /** Whether steps run with no sandbox at all (an operator's explicit, unsafe choice). */
    public boolean unsafe() {
        return config.sandbox().unsafeNoSandbox();
    }

    /** Whether each step gets a user of its own (the worker is root). */
    public boolean ownUsers() {
        return root;
    }

    /** Checks that steps can be sandboxed here (once successfully, then remembered). */
    public void requireAvailable() throws Unavailable {
        if (tools != null) {
            return;
        }
        synchronized (this) {
            if (tools != null) {
                return;
            }
            Tools found = new Tools(tool("prlimit", "util-linux"), root ? tool("setpriv", "util-linux") : null,
                    tool(config.sandbox().bwrapCommand(), "bubblewrap"), systemPaths());
            probe(found);
            tools = found;
        }
    }

    /** A user id of its own for a run's steps; null when the worker is not root. */
    public synchronized Integer acquireUid() throws Unavailable {
        if (!root) {
            return null;
        }
        int free = taken.nextClearBit(0);
        if (free >= uids) {
            throw new Unavailable("every user id of jobplane.worker.steps.uid-range (" + uids + ") is held by a running step;"
                    + " widen the range or lower jobplane.worker.max-concurrent-runs");
        }
        taken.set(free);
        return firstUid + free;
    }

    public synchronized void releaseUid(Integer uid) {
        if (uid != null) {
            taken.clear(uid - firstUid);
        }
    }

    /** Gives the run's folder, and everything in it, to the step's user (only it may enter it). */
    public void handOver(Path dir, Integer uid) throws IOException {
        if (uid == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            }
        }
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    /** The command line of one step; {@link #requireAvailable()} must have passed. */
    public List<String> command(Integer uid, Path workDir, String stepDir, List<String> command) {
        Tools t = tools;
        StepsConfig.Limits l = config.limits();
        return SandboxCommand.build(new SandboxCommand.Spec(t.prlimit(), t.setpriv(), t.bwrap(), uid, workDir, stepDir, command,
                new SandboxCommand.Limits(l.cpuSeconds(), l.memoryBytes(), l.processes(), l.fileBytes(), l.tmpBytes()),
                t.system(), config.sandbox().readOnlyPaths().orElse(List.of())));
    }

    /** Runs {@code true} through the whole chain in a scratch folder: any failure here is the sandbox's. */
    private void probe(Tools found) throws Unavailable {
        Path scratch = null;
        Integer uid = null;
        try {
            scratch = Files.createTempDirectory("jobplane-sandbox-probe-");
            uid = acquireUid();
            handOver(scratch, uid);
            StepsConfig.Limits l = config.limits();
            List<String> command = SandboxCommand.build(new SandboxCommand.Spec(found.prlimit(), found.setpriv(), found.bwrap(), uid,
                    scratch, "", List.of("true"), new SandboxCommand.Limits(l.cpuSeconds(), l.memoryBytes(), l.processes(),
                            l.fileBytes(), l.tmpBytes()), found.system(), List.of()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().put("PATH", SandboxCommand.PATH);
            Process p = builder.start();
            String output;
            boolean ended = p.waitFor(30, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
                throw new Unavailable("the step sandbox did not start within 30 s (bwrap)");
            }
            output = new String(p.getInputStream().readNBytes(2000), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new Unavailable("the step sandbox cannot start on this worker (bwrap exited " + p.exitValue()
                        + (output.isEmpty() ? "" : ": " + output) + "); it needs user namespaces (kernel.unprivileged_userns_clone,"
                        + " user.max_user_namespaces > 0)");
            }
            LOG.infof("step sandbox ready: bwrap, %s", root ? "a user of their own per step" : "the worker's own user id");
        } catch (IOException e) {
            throw new Unavailable("the step sandbox cannot start on this worker: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while checking the step sandbox");
        } finally {
            releaseUid(uid);
            if (scratch != null) {
                delete(scratch);
            }
        }
    }

    private static String tool(String command, String debianPackage) throws Unavailable {
        Optional<Path> found = command.contains("/") ? Optional.of(Path.of(command)).filter(Files::isExecutable) : onPath(command);
        return found.map(Path::toString).orElseThrow(() -> new Unavailable("'" + command + "' is not installed on this worker, and"
                + " step processes never run without their sandbox; install it (Debian/Ubuntu: apt-get install " + debianPackage
                + ")"));
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(":")));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, command)).filter(Files::isExecutable).findFirst();
    }

    /** The host's system directories as the sandbox shows them: links stay links, directories are mounted read-only. */
    static List<SandboxCommand.SystemPath> systemPaths() {
        List<SandboxCommand.SystemPath> paths = new ArrayList<>();
        for (String p : SandboxCommand.SYSTEM) {
            Path path = Path.of(p);
            try {
                if (Files.isSymbolicLink(path)) {
                    paths.add(new SandboxCommand.SystemPath(p, Files.readSymbolicLink(path).toString()));
                } else if (Files.isDirectory(path)) {
                    paths.add(new SandboxCommand.SystemPath(p, null));
                }
            } catch (IOException e) {
                LOG.debugf("system path %s left out of the step sandbox: %s", p, e.getMessage());
            }
        }
        return paths;
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
