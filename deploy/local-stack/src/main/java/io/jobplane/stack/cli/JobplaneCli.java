package io.jobplane.stack.cli;

import io.jobplane.stack.StackException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./jobplane}: the one entry point to the local platform. */
@Command(name = "jobplane", mixinStandardHelpOptions = true, version = "jobplane local stack 0.1",
        description = "Runs the whole jobplane platform on this machine: a real Kafka broker, PostgreSQL and the four services.",
        subcommands = { UpCommand.class, DownCommand.class, StatusCommand.class, TokenCommand.class, LogsCommand.class,
                BenchCommand.class, BenchReplicationCommand.class, SoakCommand.class },
        footer = { "", "Environment:",
                "  JOBPLANE_HOME       project folder (set by ./jobplane)",
                "  JOBPLANE_STATE_DIR  data, logs, keys, pids (default JOBPLANE_HOME/.jobplane)",
                "  JOBPLANE_DB_URL     use this PostgreSQL instead of a private one,",
                "                      as postgresql://USER:PASSWORD@HOST:PORT/DB",
                "  JOBPLANE_PG_BIN     folder of the PostgreSQL server binaries (initdb, pg_ctl)",
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

    /** Runs one command line and returns its exit code (usage errors 2, failures 1). */
    static int run(String... args) {
        return new CommandLine(new JobplaneCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // Our own failures carry a message meant for people (with a log tail); anything else is a bug.
                    cmd.getErr().println("jobplane: " + (e instanceof StackException || e instanceof IllegalArgumentException
                            ? e.getMessage() : e.toString()));
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
