package io.jobplane.stack.cli;

import java.io.PrintWriter;

import io.jobplane.stack.StackException;
import io.jobplane.stack.cli.user.ApiError;
import io.jobplane.stack.cli.user.CliFailure;
import io.jobplane.stack.cli.user.JobsCommand;
import io.jobplane.stack.cli.user.LoginCommand;
import io.jobplane.stack.cli.user.RunsCommand;
import io.jobplane.stack.cli.user.UserContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./jobplane}: the one entry point to the local platform ({@code up}, {@code down}, ...) and, over the
 * REST API of any jobplane, to its jobs and runs ({@code login}, {@code jobs}, {@code runs}).
 */
@Command(name = "jobplane", mixinStandardHelpOptions = true, version = "jobplane local stack 0.1",
        description = { "Runs the whole jobplane platform on this machine: a real Kafka broker, PostgreSQL and the four services;",
                "and manages the jobs and runs of a jobplane over its REST API (login, jobs, runs; see docs/cli.md)." },
        subcommands = { UpCommand.class, DownCommand.class, StatusCommand.class, TokenCommand.class, LogsCommand.class,
                BenchCommand.class, BenchReplicationCommand.class, SoakCommand.class,
                LoginCommand.class, JobsCommand.class, RunsCommand.class },
        footer = { "", "Environment:",
                "  JOBPLANE_HOME       project folder (set by ./jobplane)",
                "  JOBPLANE_STATE_DIR  data, logs, keys, pids (default JOBPLANE_HOME/.jobplane)",
                "  JOBPLANE_DB_URL     use this PostgreSQL instead of a private one,",
                "                      as postgresql://USER:PASSWORD@HOST:PORT/DB",
                "  JOBPLANE_PG_BIN     folder of the PostgreSQL server binaries (initdb, pg_ctl)",
                "  JOBPLANE_URL, JOBPLANE_WORKSPACE, JOBPLANE_TOKEN",
                "                      API address, workspace and token of login, jobs and runs",
                "                      (over the config file that login writes)",
                "  JOBPLANE_CONFIG     that config file (default ~/.config/jobplane/config.json)",
                "",
                "Ports, all on 127.0.0.1 (variable, default, component):",
                "  " + LocalStack.KAFKA_PORT_ENV + "             19092  Kafka broker",
                "  " + LocalStack.KAFKA_CONTROLLER_PORT_ENV + "  19093  Kafka KRaft controller",
                "  " + LocalStack.PG_PORT_ENV + "                15432  PostgreSQL (the platform's)",
                "  " + LocalStack.TENANT_PG_PORT_ENV + "         15433  tenant PostgreSQL (tenant data, 'demo' database)",
                "  " + LocalStack.API_PORT_ENV + "                8080  job-api",
                "  " + LocalStack.WORKER_PORT_ENV + "             8081  execution-worker (replica n>1: +10+n)",
                "  " + LocalStack.HARVESTER_PORT_ENV + "          8082  metadata-harvester",
                "  " + LocalStack.POLICY_PORT_ENV + "             8083  policy-migrator", "" })
public class JobplaneCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (usage errors 2, failures 1; the user commands' 3). */
    static int run(String... args) {
        return run(UserContext.system(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs one command line with the given environment, home folder and standard input (what the user
     * commands read) and output streams; returns its exit code.
     */
    public static int run(UserContext context, PrintWriter out, PrintWriter err, String... args) {
        int exit = new CommandLine(new JobplaneCli(), context.factory())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // Our own failures carry a message meant for people (with a log tail or the API's fix); anything else is a bug.
                    cmd.getErr().println("jobplane: " + (e instanceof ApiError a ? a.describe()
                            : e instanceof StackException || e instanceof IllegalArgumentException || e instanceof CliFailure
                                    ? e.getMessage() : e.toString()));
                    return cmd.getCommandSpec().exitCodeOnExecutionException();
                })
                .execute(args);
        out.flush();
        err.flush();
        return exit;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
