package io.jobplane.worker.steps;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs one step process in a bubblewrap sandbox, built from plain values
 * (nothing here touches the machine):
 * <ol>
 * <li>{@code prlimit}: CPU seconds, address space, file size, no core dumps and — when the step has
 * a user of its own — the number of processes of that user;</li>
 * <li>{@code setpriv} (only when the worker is root): the step's own unprivileged user and group,
 * no supplementary groups, no new privileges;</li>
 * <li>{@code bwrap}: new user, pid, network, IPC, UTS and cgroup namespaces (no network at all),
 * no further user namespaces, killed with the worker, a session of its own, every capability
 * dropped; the system directories read-only, a few files of {@code /etc}, a private {@code /proc},
 * {@code /dev} and size-limited {@code /tmp}, and the run's own folder as {@code /job}, the only
 * writable place. Nothing else of the host — the worker's files, keys and configuration, other
 * runs' folders — exists inside.</li>
 * </ol>
 * The step's environment (its secrets among it) is the process environment, never the command
 * line, which every user of the machine can read.
 */
public final class SandboxCommand {

    /** Where the run's folder appears inside the sandbox. */
    public static final String WORK = "/job";
    /** The PATH inside the sandbox. */
    public static final String PATH = "/usr/local/bin:/usr/bin:/bin";
    /** Files of /etc a step may read: the loader's cache, certificates, time zone, names of system users. */
    public static final List<String> ETC = List.of("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
            "/etc/ssl", "/etc/ca-certificates", "/etc/localtime", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group");
    /** System directories mounted read-only (or recreated as the links they are on the host). */
    public static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

    /** A system directory as found on the host: a link (to {@code linkTarget}) or a directory (null target). */
    public record SystemPath(String path, String linkTarget) {
    }

    /** The limits of each step process. {@code processes} applies only with a user of its own. */
    public record Limits(long cpuSeconds, long memoryBytes, int processes, long fileBytes, long tmpBytes) {
    }

    /**
     * One step: the tools' paths, the user it runs as ({@code null}: the worker's own, mapped into a
     * user namespace), the run's folder on the host and the step's folder below it, the command to
     * run inside (interpreter and step file, as seen inside), the limits, the host's system
     * directories and more read-only directories the operator allows.
     */
    public record Spec(String prlimit, String setpriv, String bwrap, Integer uid, Path workDir, String stepDir, List<String> command,
            Limits limits, List<SystemPath> system, List<String> readOnly) {
    }

    private SandboxCommand() {
    }

    /** The step directory inside the sandbox. */
    public static String inside(String stepDir) {
        return stepDir == null || stepDir.isEmpty() ? WORK : WORK + "/" + stepDir;
    }

    public static List<String> build(Spec spec) {
        if (spec.command().isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        if (spec.stepDir() != null && (spec.stepDir().startsWith("/") || List.of(spec.stepDir().split("/")).contains(".."))) {
            throw new IllegalArgumentException("the step folder must be relative and inside the run's folder: " + spec.stepDir());
        }
        List<String> c = new ArrayList<>();
        Limits l = spec.limits();
        c.add(spec.prlimit());
        c.add("--cpu=" + l.cpuSeconds());
        c.add("--as=" + l.memoryBytes());
        c.add("--fsize=" + l.fileBytes());
        c.add("--core=0");
        if (spec.uid() != null) {
            c.add("--nproc=" + l.processes());
        }
        c.add("--");
        if (spec.uid() != null) {
            c.addAll(List.of(spec.setpriv(), "--reuid=" + spec.uid(), "--regid=" + spec.uid(), "--clear-groups", "--no-new-privs", "--"));
        }
        c.addAll(List.of(spec.bwrap(), "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
                "--hostname", "jobplane-step", "--cap-drop", "ALL"));
        for (SystemPath p : spec.system()) {
            if (p.linkTarget() != null) {
                c.addAll(List.of("--symlink", p.linkTarget(), p.path()));
            } else {
                c.addAll(List.of("--ro-bind", p.path(), p.path()));
            }
        }
        for (String etc : ETC) {
            c.addAll(List.of("--ro-bind-try", etc, etc));
        }
        for (String path : spec.readOnly()) {
            if (!path.startsWith("/") || List.of(path.split("/")).contains("..")) {
                throw new IllegalArgumentException("a read-only path must be absolute: " + path);
            }
            c.addAll(List.of("--ro-bind-try", path, path));
        }
        c.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--size", Long.toString(l.tmpBytes()), "--tmpfs", "/tmp"));
        c.addAll(List.of("--bind", spec.workDir().toString(), WORK, "--chdir", inside(spec.stepDir())));
        c.add("--");
        c.addAll(spec.command());
        return c;
    }
}
