package io.jobplane.stack.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints the end of one component's log. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print the last lines of a component's log (kafka, postgresql, job-api, ...).")
class LogsCommand implements java.util.concurrent.Callable<Integer> {

    @Parameters(index = "0", description = "component name, as 'status' lists it")
    String component;

    @picocli.CommandLine.Option(names = "-n", defaultValue = "50", description = "number of lines (default ${DEFAULT-VALUE})")
    int lines;

    @Override
    public Integer call() throws Exception {
        Path log = new LocalStack().logFile(component);
        if (!Files.exists(log)) {
            System.err.println("no log for '" + component + "' at " + log);
            return 2;
        }
        List<String> all = Files.readAllLines(log);
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
        System.out.println("(" + log + ")");
        return 0;
    }
}
