package io.jobplane.stack.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.jobplane.stack.DevTokens;
import io.jobplane.stack.cli.user.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Prints a dev JWT signed with the local platform's key. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Print a signed dev JWT for one workspace and role.")
class TokenCommand implements Runnable {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--workspace", required = true, description = "workspace the token may use")
    String workspace;

    @Option(names = "--role", required = true, description = "viewer, operator, editor or admin")
    String role;

    @Option(names = "--subject", defaultValue = "dev", description = "who the token speaks for (default ${DEFAULT-VALUE})")
    String subject;

    @Option(names = "--ttl", defaultValue = "24h", description = "lifetime, e.g. 30m, 24h, 7d (default ${DEFAULT-VALUE})")
    String ttl;

    @Override
    public void run() {
        String normalized = role.toLowerCase(Locale.ROOT);
        if (!DevTokens.ROLES.contains(normalized)) {
            throw new ParameterException(spec.commandLine(),
                    "unknown role '" + role + "': use one of viewer, operator, editor, admin");
        }
        if (!workspace.matches("[A-Za-z0-9_.-]{1,255}")) {
            throw new ParameterException(spec.commandLine(),
                    "workspace ids may contain letters, digits, '_', '.', '-' (1 to 255 characters)");
        }
        LocalStack stack = new LocalStack();
        System.out.println(DevTokens.mint(stack.keys().privateKey(), subject, Map.of(workspace, normalized), parse(ttl)));
    }

    private Duration parse(String value) {
        if (!value.trim().matches("\\d+[smhd]")) {
            throw new ParameterException(spec.commandLine(), "--ttl takes a number and a unit: 30m, 24h, 7d");
        }
        return Values.duration(value)
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "--ttl must be longer than zero"));
    }
}
