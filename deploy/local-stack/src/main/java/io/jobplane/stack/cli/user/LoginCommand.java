package io.jobplane.stack.cli.user;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.jobplane.stack.cli.LocalStackLogin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Stores the API address, the default workspace and a token in the config file, after checking that
 * the token is accepted and names the workspace. The token is never printed.
 */
@Command(name = "login", description = "Check a token against the API and store it with the API address and a default workspace in the "
        + "config file (owner-only). Without a token, on the machine of a local stack started with "
        + "./jobplane up, a dev token (admin of the workspace, valid " + LoginCommand.DEV_TOKEN_DAYS + " "
        + "days) is made with its key.")
public class LoginCommand extends UserCommand {

    static final int DEV_TOKEN_DAYS = 7;
    /** The local stack's example workspace, used when none is named. */
    static final String LOCAL_WORKSPACE = "demo";

    @Option(names = "--token", paramLabel = "TOKEN", description = "the token (a JWT or an API token); prefer --token-stdin, "
            + "which keeps it out of the shell history")
    String token;

    @Option(names = "--token-stdin", description = "read the token from standard input")
    boolean tokenStdin;

    LoginCommand(UserContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        if (token != null && tokenStdin) {
            throw new CliFailure("give the token either with --token or with --token-stdin, not both");
        }
        Path file = configFile();
        UserConfig saved = UserConfig.load(file);
        UserConfig wanted = saved.resolve(context.env(), url, workspace, () -> LocalStackLogin.apiUrl(context.env()));
        String ws = wanted.workspace();
        String secret = explicitToken();
        String source = "the given token";
        if (secret == null) {
            String local = LocalStackLogin.apiUrl(context.env());
            Optional<String> dev = sameAddress(local, wanted.url())
                    ? LocalStackLogin.mint(context.env(), ws == null ? LOCAL_WORKSPACE : ws, "admin", Duration.ofDays(DEV_TOKEN_DAYS))
                    : Optional.empty();
            if (dev.isPresent()) {
                secret = dev.get();
                ws = ws == null ? LOCAL_WORKSPACE : ws;
                source = "a dev token of the local stack (admin, valid " + DEV_TOKEN_DAYS + " days)";
            } else if (wanted.token() != null) {
                secret = wanted.token();
                source = "the stored token";
            } else {
                throw new CliFailure("no token: pass --token-stdin (or --token), set " + UserConfig.TOKEN_ENV
                        + ", or start the local stack with ./jobplane up to log in to it with a dev token");
            }
        }
        JsonNode workspaces = new ApiClient(wanted.url(), secret).get("/api/v1/workspaces");
        List<String> names = new ArrayList<>();
        String role = null;
        for (JsonNode w : workspaces) {
            names.add(w.path("workspace_id").asText());
            if (w.path("workspace_id").asText().equals(ws)) {
                role = w.path("role").asText();
            }
        }
        if (ws == null) {
            if (names.size() != 1) {
                throw new CliFailure("name the default workspace with --workspace; the token may use: " + String.join(", ", names));
            }
            ws = names.get(0);
            role = workspaces.get(0).path("role").asText();
        } else if (role == null) {
            throw new CliFailure("the token does not name workspace '" + ws + "'; it may use: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        new UserConfig(wanted.url(), ws, secret).save(file);
        out().println("Logged in to " + wanted.url() + " with " + source + ": workspace " + ws + ", role " + role + ".");
        out().println("Settings saved in " + file + " (readable by you only).");
        return ExitCodes.OK;
    }

    private String explicitToken() throws IOException {
        String t = token;
        if (tokenStdin) {
            t = new String(context.stdin().readAllBytes(), StandardCharsets.UTF_8);
            if (t.isBlank()) {
                throw new CliFailure("--token-stdin read no token from standard input");
            }
        }
        if (t == null) {
            t = context.env().apply(UserConfig.TOKEN_ENV);
        }
        return t == null || t.isBlank() ? null : t.strip();
    }

    private static boolean sameAddress(String a, String b) {
        return strip(a).equals(strip(b)) || strip(a).replace("127.0.0.1", "localhost").equals(strip(b));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
