package io.jobplane.stack.cli;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.jobplane.stack.DevTokens;

/**
 * What the user commands may take from the local stack on this machine: its API address, and a dev
 * token signed with its key, as {@code jobplane token} makes one. Nothing here starts or creates anything.
 */
public final class LocalStackLogin {

    private LocalStackLogin() {
    }

    /** The local stack's API address, from its recorded or configured port. */
    public static String apiUrl(Function<String, String> env) {
        return new LocalStack(env).apiUrl();
    }

    /** A dev token of the local stack for the workspace and role; empty when the stack never made its keys here. */
    public static Optional<String> mint(Function<String, String> env, String workspace, String role, Duration ttl) {
        LocalStack stack = new LocalStack(env);
        if (!Files.exists(stack.keysDir().resolve("privateKey.pem"))) {
            return Optional.empty();
        }
        return Optional.of(DevTokens.mint(stack.keys().privateKey(), "cli", Map.of(workspace, role), ttl));
    }
}
