package io.jobplane.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobplane.events.EventTypes;
import io.jobplane.events.Topics;
import io.jobplane.events.payload.CancelCommand;
import io.jobplane.events.payload.ConnectionSpec;
import io.jobplane.events.payload.LaunchCommand;
import io.jobplane.events.payload.RunFinished;
import io.jobplane.events.payload.RunLog;
import io.jobplane.events.payload.RunSettings;
import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.StepPackageSpec;
import io.jobplane.events.payload.TaskFinished;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.jobplane.stack.Zips;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * STEPS runs: a real zip fetched by its hash over HTTP with a keyring token, unpacked, SQL on a real
 * database, real python and bash processes.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PackageServer.Resource.class, restrictToAnnotatedClass = false)
class StepsExecutionIT {

    private static final String DB = "steps_target";
    private static final String SECRET = "tok-Secret-4711-xyz";
    private static WorkerRuns runs;

    @BeforeAll
    static void start() {
        TestInfrastructure.shared().tenant().createDatabase(DB);
        runs = new WorkerRuns();
    }

    @AfterAll
    static void stop() {
        runs.close();
    }

    @Test
    void stepsRunInNameOrderWithTheJobsEnvironmentAndSecretsNeverShow() throws Exception {
        String table = "steps_" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("my-job/30_check.sh", "echo \"step 3 in $JOBPLANE_STEP\"\ntest -f lib/helper.py && echo 'package files are here'\n"
                + "echo \"db $PGDATABASE as $PGUSER\"");
        files.put("my-job/10_create.sql", "create table " + table + " (id int, note text);\ninsert into " + table
                + " values (1, 'from sql'), (2, 'again');");
        files.put("my-job/20_report.py", "import os, sys\nprint('region=' + os.environ['REGION'])\n"
                + "print('token=' + os.environ['API_TOKEN'])\nprint('run=' + os.environ['JOBPLANE_RUN_ID'])\n"
                + "print('warned ' + os.environ['API_TOKEN'], file=sys.stderr)\n");
        files.put("my-job/lib/helper.py", "X = 1");
        LaunchCommand launch = command(files, List.of("10_create.sql", "20_report.py", "30_check.sh"), RunSettings.DEFAULT);
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);

        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.SUCCESS, finished.status(), finished.errorMessage());
        List<TaskFinished> tasks = runs.tasksOf(launch.runId());
        assertEquals(List.of("step:10_create.sql", "step:20_report.py", "step:30_check.sh"),
                tasks.stream().map(TaskFinished::taskId).toList());
        assertEquals(2L, tasks.get(0).rowsAffected(), "the script's rows, all statements counted");
        assertEquals("2", query("select count(*) from " + table));
        List<String> log = runs.logOf(launch.runId()).stream().map(RunLog::message).toList();
        assertTrue(log.contains("region=eu"), log.toString());
        assertTrue(log.contains("token=***"), log.toString());
        assertTrue(log.contains("warned ***"), "stderr is logged and masked too: " + log);
        assertTrue(log.contains("run=" + launch.runId()), log.toString());
        assertTrue(log.contains("step 3 in 30_check.sh") && log.contains("package files are here"), log.toString());
        assertTrue(log.contains("db " + DB + " as " + TestInfrastructure.shared().tenant().username()), log.toString());
        assertTrue(runs.recorder().values(launch.runId()).stream().noneMatch(v -> v.contains(SECRET)),
                "no event carries the secret");
    }

    @Test
    void aFailingStepFailsTheRunWithItsLastErrorAndTheRestAreSkipped() {
        LaunchCommand launch = command(Map.of("10_fail.sh", "echo working\necho 'cannot reach the bucket' >&2\nexit 3",
                "20_never.py", "print('never')"), List.of("10_fail.sh", "20_never.py"), RunSettings.DEFAULT);
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        List<TaskFinished> tasks = runs.tasksOf(launch.runId());
        assertEquals(TaskStatus.FAILED, tasks.get(0).status());
        assertEquals("step 10_fail.sh exited with code 3: cannot reach the bucket", tasks.get(0).errorMessage());
        assertEquals(TaskStatus.SKIPPED, tasks.get(1).status());
    }

    @Test
    void aStepPastItsTimeoutAndACancelledStepAreStoppedWithTheirChildren() {
        String marker = "sleep-" + UUID.randomUUID().toString().substring(0, 8);
        RunSettings twoSeconds = new RunSettings(false, 1, 2, 1, 1, 2);
        LaunchCommand timed = command(Map.of("10_slow.sh", "bash -c 'sleep 600; echo " + marker + "'"), List.of("10_slow.sh"), twoSeconds);
        WorkerRuns.send(EventTypes.LAUNCH, timed.runId(), timed);
        RunFinished finished = runs.awaitFinished(timed.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        assertTrue(runs.tasksOf(timed.runId()).get(0).errorMessage().contains("ran longer than 2 s"));
        await().atMost(Duration.ofSeconds(10)).until(() -> processes(marker) == 0);

        String other = "sleep-" + UUID.randomUUID().toString().substring(0, 8);
        LaunchCommand cancelled = command(Map.of("10_slow.sh", "echo started\nbash -c 'sleep 600; echo " + other + "' & wait"),
                List.of("10_slow.sh"), RunSettings.DEFAULT);
        WorkerRuns.send(EventTypes.LAUNCH, cancelled.runId(), cancelled);
        await().atMost(Duration.ofSeconds(30)).until(() -> processes(other) == 1);
        WorkerRuns.send(Topics.CONTROL, EventTypes.CANCEL, cancelled.runId(),
                new CancelCommand(cancelled.runId(), "ws", Instant.now(), 1, "tester", null));
        assertEquals(RunStatus.STOPPED, runs.awaitFinished(cancelled.runId()).status());
        assertEquals(TaskStatus.STOPPED, runs.tasksOf(cancelled.runId()).get(0).status());
        await().atMost(Duration.ofSeconds(10)).until(() -> processes(other) == 0);
    }

    @Test
    void aStepReachesNothingOfTheWorkerOrThePlatformAndItsOwnWorkStillRuns() throws Exception {
        var infra = TestInfrastructure.shared();
        Path keyring = infra.filesRoot().getParent().resolve("keys/secrets.key");
        Path config = Path.of("target/classes/application.properties").toAbsolutePath();
        Path otherRun = Files.createTempDirectory("jobplane-steps-");
        Files.writeString(otherRun.resolve("20_other.py"), "print('another tenant')");
        assertTrue(Files.isRegularFile(keyring) && Files.isRegularFile(config), "the files a step must not read exist on the worker");
        String marker = "detached-" + UUID.randomUUID().toString().substring(0, 8);
        String table = "sandboxed_" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> properties = Map.of("KEYRING_FILE", keyring.toString(), "WORKER_CONFIG", config.toString(),
                "WORKER_PID", Long.toString(ProcessHandle.current().pid()), "OTHER_RUN", otherRun.toString(),
                "KAFKA_PORT", Integer.toString(infra.kafka().port()), "PG_PORT", Integer.toString(infra.postgres().port()),
                "MARKER", marker);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("10_probe.sh", """
                attempt() { if eval "$2" > /dev/null 2>&1; then echo "$1: REACHED"; else echo "$1: denied"; fi; }
                attempt keyring "cat '$KEYRING_FILE'"
                attempt worker-config "cat '$WORKER_CONFIG'"
                attempt worker-environ "cat /proc/$WORKER_PID/environ"
                attempt other-run "ls '$OTHER_RUN'"
                attempt kafka "(exec 3<>/dev/tcp/127.0.0.1/$KAFKA_PORT)"
                attempt postgres "(exec 3<>/dev/tcp/127.0.0.1/$PG_PORT)"
                attempt kill-worker "kill -KILL $WORKER_PID"
                attempt write-usr "touch /usr/planted"
                echo "pid1-env: $(tr '\\0' '\\n' < /proc/1/environ | cut -d= -f1 | sort | tr '\\n' ' ')"
                echo "uid: $(id -u)"
                setsid bash -c "sleep 600; echo $MARKER" > /dev/null 2>&1 < /dev/null &
                echo forked
                echo "probed" > result.txt
                """);
        files.put("20_long_line.py", "print('y' * 10_000_000)\nprint('after the long line')\n");
        files.put("30_own.sql", "create table " + table + " (note text);\ninsert into " + table + " values ('own work');");
        files.put("40_own.py", "print('own work read ' + open('result.txt').read().strip())\nopen('out.txt', 'w').write('x')\n");
        LaunchCommand launch = command(files, List.of("10_probe.sh", "20_long_line.py", "30_own.sql", "40_own.py"), RunSettings.DEFAULT,
                properties);
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);

        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.SUCCESS, finished.status(), finished.errorMessage());
        List<String> log = runs.logOf(launch.runId()).stream().map(RunLog::message).toList();
        for (String attempt : List.of("keyring", "worker-config", "worker-environ", "other-run", "kafka", "postgres", "kill-worker",
                "write-usr")) {
            assertTrue(log.contains(attempt + ": denied"), attempt + " must be denied: " + log);
        }
        assertTrue(ProcessHandle.current().isAlive());
        String pid1 = log.stream().filter(l -> l.startsWith("pid1-env: ")).findFirst().orElseThrow();
        for (String name : pid1.substring("pid1-env: ".length()).trim().split(" ")) {
            assertTrue(name.startsWith("JOBPLANE_") || name.startsWith("PG") || properties.containsKey(name)
                    || List.of("PATH", "HOME", "TMPDIR", "LANG", "PYTHONUNBUFFERED", "REGION", "API_TOKEN").contains(name),
                    "the sandbox's first process has the step's own environment only, not the worker's: " + name);
        }
        String uid = log.stream().filter(l -> l.startsWith("uid: ")).findFirst().orElseThrow();
        int workerUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        int stepUid = Integer.parseInt(uid.substring(5));
        if (workerUid == 0) {
            assertTrue(stepUid >= 61000 && stepUid <= 61999, "a worker running as root gives the step a user of its own: " + uid);
        } else {
            assertEquals(workerUid, stepUid, "a worker that is not root runs steps as its own id, mapped into their namespace");
        }
        assertTrue(log.contains("forked"), log.toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> processes(marker) == 0);

        String cut = log.stream().filter(l -> l.startsWith("yyyy")).findFirst().orElseThrow();
        assertTrue(cut.length() < 4_096 && cut.contains("[line cut: 10000000 bytes"), cut.substring(Math.min(cut.length(), 4_000)));
        assertTrue(log.contains("after the long line"), "the output goes on after a cut line");
        assertEquals("own work", query("select note from " + table));
        assertTrue(log.contains("own work read probed"), log.toString());
        assertFalse(Files.exists(Path.of("/usr/planted")));
        Files.delete(otherRun.resolve("20_other.py"));
        Files.delete(otherRun);
    }

    @Test
    void aRunWhosePackageIsGoneFailsSayingWhy() {
        LaunchCommand base = command(Map.of("1.sh", "true"), List.of("1.sh"), RunSettings.DEFAULT);
        LaunchCommand without = base.toBuilder().launch("manual", Instant.now(), Instant.now(), Map.of())
                .settings(RunSettings.DEFAULT).steps(null).build();
        WorkerRuns.send(EventTypes.LAUNCH, without.runId(), without);
        RunFinished finished = runs.awaitFinished(without.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        assertEquals("STEP_PACKAGE_MISSING", finished.errorCode());
        assertFalse(finished.errorMessage().isBlank());
    }

    @Test
    void aPackageIsFetchedByItsHashWithATokenForItsRunOnceAndThenTakenFromTheCache() {
        String marker = "cached-" + UUID.randomUUID();
        byte[] zip = Zips.of(Map.of("10_hello.sh", "echo " + marker));
        LaunchCommand first = command(zip, List.of("10_hello.sh"), RunSettings.DEFAULT, Map.of());
        String sha = first.steps().sha256();
        assertEquals(0, PackageServer.shared().served(sha));
        WorkerRuns.send(EventTypes.LAUNCH, first.runId(), first);
        assertEquals(RunStatus.SUCCESS, runs.awaitFinished(first.runId()).status());
        assertEquals(1, PackageServer.shared().served(sha), "fetched from job-api once");
        assertEquals(first.runId(), PackageServer.shared().lastRun(sha), "with a token made for the run");
        assertTrue(runs.logOf(first.runId()).stream().map(RunLog::message).anyMatch(marker::equals));

        LaunchCommand second = command(zip, List.of("10_hello.sh"), RunSettings.DEFAULT, Map.of());
        assertEquals(sha, second.steps().sha256(), "the same package");
        WorkerRuns.send(EventTypes.LAUNCH, second.runId(), second);
        assertEquals(RunStatus.SUCCESS, runs.awaitFinished(second.runId()).status());
        assertTrue(runs.logOf(second.runId()).stream().map(RunLog::message).anyMatch(marker::equals));
        assertEquals(1, PackageServer.shared().served(sha), "the second run took the verified copy from the worker's cache");
    }

    @Test
    void jobApiAwayOrAnswering503IsTriedAgainWithTheTaskRetry() {
        String marker = "retried-" + UUID.randomUUID();
        RunSettings threeTries = new RunSettings(false, 1, null, 3, 1, 2);
        LaunchCommand launch = command(Map.of("10_hello.sh", "echo " + marker), List.of("10_hello.sh"), threeTries);
        PackageServer.shared().unavailable(launch.steps().sha256(), 2);
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.SUCCESS, finished.status(), finished.errorMessage());
        List<String> log = runs.logOf(launch.runId()).stream().map(RunLog::message).toList();
        assertTrue(log.stream().anyMatch(l -> l.contains("failed (try 1 of 3)") && l.contains("job-api answered 503")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("failed (try 2 of 3)")), log.toString());
        assertTrue(log.contains(marker), log.toString());
    }

    @Test
    void aPackageJobApiRefusesFailsTheRunAtOnceSayingWhy() {
        RunSettings threeTries = new RunSettings(false, 1, null, 3, 1, 2);
        LaunchCommand launch = command(Map.of("10_never.sh", "echo never"), List.of("10_never.sh"), threeTries);
        PackageServer.shared().refuse(launch.steps().sha256());
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        assertEquals("STEP_PACKAGE_UNAVAILABLE", finished.errorCode());
        assertTrue(finished.errorMessage().contains("job-api answered 403") && finished.errorMessage().contains("PACKAGE_TOKEN_REFUSED"),
                finished.errorMessage());
        List<String> log = runs.logOf(launch.runId()).stream().map(RunLog::message).toList();
        assertTrue(log.stream().anyMatch(l -> l.contains("cannot get the step package") && l.contains("not tried again")), log.toString());
        assertTrue(log.stream().noneMatch(l -> l.contains("trying again")), "a 403 is not retried: " + log);
        assertFalse(log.contains("never"));
        assertEquals(0, PackageServer.shared().served(launch.steps().sha256()));
    }

    @Test
    void bytesThatAreNotThePackageAskedForAreNeverRun() {
        String planted = "planted-" + UUID.randomUUID();
        LaunchCommand launch = command(Map.of("10_real.sh", "echo real"), List.of("10_real.sh"), RunSettings.DEFAULT);
        byte[] other = Zips.of(Map.of("10_real.sh", "echo " + planted));
        // Something else answers under the package's hash: same size or not, it is refused.
        PackageServer.shared().serveAs(launch.steps().sha256(), other);
        WorkerRuns.send(EventTypes.LAUNCH, launch.runId(), launch);
        RunFinished finished = runs.awaitFinished(launch.runId());
        assertEquals(RunStatus.FAILED, finished.status());
        assertEquals("STEP_PACKAGE_UNAVAILABLE", finished.errorCode());
        assertTrue(finished.errorMessage().contains("not the one asked for"), finished.errorMessage());
        assertFalse(runs.logOf(launch.runId()).stream().map(RunLog::message).anyMatch(l -> l.contains(planted)));
    }

    private static LaunchCommand command(Map<String, String> files, List<String> steps, RunSettings settings) {
        return command(files, steps, settings, Map.of());
    }

    private static LaunchCommand command(Map<String, String> files, List<String> steps, RunSettings settings,
            Map<String, String> properties) {
        return command(Zips.of(files), steps, settings, properties);
    }

    private static LaunchCommand command(byte[] zip, List<String> steps, RunSettings settings, Map<String, String> properties) {
        var pg = TestInfrastructure.shared().tenant();
        var keyring = WorkerRuns.keyring();
        Map<String, String> all = new java.util.HashMap<>(properties);
        all.put("REGION", "eu");
        StepPackageSpec pkg = new StepPackageSpec(1, PackageServer.shared().add(zip), zip.length, steps, all,
                Map.of("API_TOKEN", keyring.seal(SECRET)));
        ConnectionSpec db = new ConnectionSpec("db", "postgresql", pg.jdbcUrl(DB), pg.username(), keyring.seal("unused-with-trust"));
        return LaunchCommand.builder().run(UUID.randomUUID().toString(), 1, "ws").job("job-s", "steps", "STEPS", false)
                .launch("manual", Instant.now(), Instant.now(), Map.of("day", "monday")).tasks(List.of()).settings(settings)
                .destination(db).steps(pkg).build();
    }

    /** Processes whose command line names the marker (a child shell that outlives the step's shell would). */
    private static long processes(String marker) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).count();
    }

    private static String query(String sql) throws Exception {
        var pg = TestInfrastructure.shared().tenant();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), pg.username(), pg.password());
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
