package io.jobplane.worker.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class SandboxCommandTest {

    private static final SandboxCommand.Limits LIMITS = new SandboxCommand.Limits(60, 1L << 30, 32, 1L << 20, 1L << 24);
    private static final List<SandboxCommand.SystemPath> SYSTEM = List.of(new SandboxCommand.SystemPath("/usr", null),
            new SandboxCommand.SystemPath("/bin", "usr/bin"), new SandboxCommand.SystemPath("/lib64", "usr/lib64"));

    private static List<String> build(Integer uid, String stepDir, List<String> readOnly) {
        return SandboxCommand.build(new SandboxCommand.Spec("/usr/bin/prlimit", "/usr/bin/setpriv", "/usr/bin/bwrap", uid,
                Path.of("/tmp/jobplane-steps-1"), stepDir, List.of("python3", "/job/my-job/20_report.py"), LIMITS, SYSTEM, readOnly));
    }

    @Test
    void asRootAStepGetsItsOwnUserLimitsAndNamespaces() {
        List<String> c = build(61007, "my-job", List.of());
        assertEquals(List.of("/usr/bin/prlimit", "--cpu=60", "--as=1073741824", "--fsize=1048576", "--core=0", "--nproc=32", "--",
                "/usr/bin/setpriv", "--reuid=61007", "--regid=61007", "--clear-groups", "--no-new-privs", "--",
                "/usr/bin/bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session"),
                c.subList(0, 19));
        assertTrue(contains(c, "--cap-drop", "ALL"));
        assertTrue(contains(c, "--proc", "/proc"), "a private /proc: no other process of the machine is visible");
        assertTrue(contains(c, "--size", "16777216", "--tmpfs", "/tmp"), "a private, bounded /tmp");
        assertTrue(contains(c, "--bind", "/tmp/jobplane-steps-1", "/job", "--chdir", "/job/my-job"), "only the run's folder, writable");
        assertEquals(List.of("--", "python3", "/job/my-job/20_report.py"), c.subList(c.size() - 3, c.size()));
    }

    @Test
    void systemDirectoriesAreReadOnlyAndLinksStayLinks() {
        List<String> c = build(61000, "", List.of("/opt/python"));
        assertTrue(contains(c, "--ro-bind", "/usr", "/usr"));
        assertTrue(contains(c, "--symlink", "usr/bin", "/bin"));
        assertTrue(contains(c, "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"));
        assertTrue(contains(c, "--ro-bind-try", "/opt/python", "/opt/python"));
        assertTrue(contains(c, "--chdir", "/job"));
        assertEquals(1, Collections.frequency(c, "--bind"), "one writable mount, the run's folder");
        assertFalse(c.contains("/etc") || c.contains("/root") || c.contains("/proc/1") || c.contains("--share-net"),
                "no whole /etc, no home, no host /proc, no network: " + c);
        assertTrue(c.stream().noneMatch(a -> a.startsWith("--setenv")), "the environment (secrets) never goes on the command line");
    }

    @Test
    void withoutRootTheStepKeepsTheWorkersIdMappedAndNoProcessCount() {
        List<String> c = build(null, "my-job", List.of());
        assertFalse(c.contains("/usr/bin/setpriv"));
        assertTrue(c.stream().noneMatch(a -> a.startsWith("--nproc")), "RLIMIT_NPROC would count the worker's own threads");
        assertTrue(c.contains("--unshare-all"));
        assertEquals("/usr/bin/bwrap", c.get(c.indexOf("--") + 1));
    }

    @Test
    void folderAndPathsThatLeaveAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> build(61000, "../elsewhere", List.of()));
        assertThrows(IllegalArgumentException.class, () -> build(61000, "/etc", List.of()));
        assertThrows(IllegalArgumentException.class, () -> build(61000, "", List.of("relative")));
    }

    private static boolean contains(List<String> list, String... run) {
        return Collections.indexOfSubList(list, List.of(run)) >= 0;
    }
}
