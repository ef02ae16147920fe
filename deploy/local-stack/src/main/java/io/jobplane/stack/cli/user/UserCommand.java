package io.jobplane.stack.cli.user;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.jobplane.stack.cli.LocalStackLogin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command over the REST API: where the API is and which workspace, from {@code --url} and
 * {@code --workspace}, the environment or the config file (see {@link UserConfig}). Exit codes are
 * {@link ExitCodes}: a usage or API error is 3.
 */
@Command(mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.ERROR,
        exitCodeOnExecutionException = ExitCodes.ERROR)
abstract class UserCommand implements Callable<Integer> {

    final UserContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "API address (default: JOBPLANE_URL, the config file, else the local stack's)")
    String url;

    @Option(names = { "-w", "--workspace" }, paramLabel = "WS",
            description = "workspace (default: JOBPLANE_WORKSPACE, else the config file's)")
    String workspace;

    UserCommand(UserContext context) {
        this.context = context;
    }

    Path configFile() {
        return UserConfig.file(context.env(), context.home());
    }

    /** The settings in force for this command line. */
    UserConfig config() {
        return UserConfig.load(configFile()).resolve(context.env(), url, workspace,
                () -> LocalStackLogin.apiUrl(context.env()));
    }

    ApiClient api(UserConfig config) {
        return new ApiClient(config.url(), config.requireToken());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
