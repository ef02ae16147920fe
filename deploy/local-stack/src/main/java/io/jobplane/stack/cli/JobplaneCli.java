package io.jobplane.stack.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./jobplane}: the one entry point to the local platform. */
@Command(name = "jobplane", mixinStandardHelpOptions = true, version = "jobplane local stack 0.1",
        description = "Runs the whole jobplane platform on this machine: a real Kafka broker, PostgreSQL and the four services.",
        subcommands = { UpCommand.class, DownCommand.class, StatusCommand.class, TokenCommand.class, LogsCommand.class },
        footer = { "", "Environment:",
                "  JOBPLANE_HOME     project folder (set by ./jobplane)",
                "  JOBPLANE_STATE_DIR  data, logs, keys, pids (default $JOBPLANE_HOME/.jobplane)",
                "  JOBPLANE_DB_URL   use this PostgreSQL instead of a private one:",
                "                    postgresql://USER:PASSWORD@HOST:PORT/DB",
                "  JOBPLANE_PG_BIN   folder of the PostgreSQL server binaries",
                "  Ports: JOBPLANE_KAFKA_PORT (19092), JOBPLANE_KAFKA_CONTROLLER_PORT (19093),",
                "  JOBPLANE_PG_PORT (15432), JOBPLANE_API_PORT (8080), JOBPLANE_WORKER_PORT (8081),",
                "  JOBPLANE_HARVESTER_PORT (8082), JOBPLANE_POLICY_PORT (8083)" })
public class JobplaneCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new JobplaneCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("jobplane: " + e.getMessage());
                    return 1;
                })
                .execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
