package io.jobplane.stack.cli.user;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The user commands' settings: the API address, the default workspace and the token. They come from
 * the command line ({@code --url}, {@code --workspace}), then the environment ({@code JOBPLANE_URL},
 * {@code JOBPLANE_WORKSPACE}, {@code JOBPLANE_TOKEN}), then the config file {@code jobplane login}
 * wrote ({@code $JOBPLANE_CONFIG}, else {@code ~/.config/jobplane/config.json}, owner-only).
 */
public record UserConfig(String url, String workspace, String token) {

    public static final String CONFIG_ENV = "JOBPLANE_CONFIG";
    public static final String URL_ENV = "JOBPLANE_URL";
    public static final String WORKSPACE_ENV = "JOBPLANE_WORKSPACE";
    public static final String TOKEN_ENV = "JOBPLANE_TOKEN";

    public static final UserConfig EMPTY = new UserConfig(null, null, null);

    /** Where the config file is: {@code $JOBPLANE_CONFIG}, else {@code <home>/.config/jobplane/config.json}. */
    public static Path file(Function<String, String> env, Path home) {
        String explicit = blank(env.apply(CONFIG_ENV));
        return explicit != null ? Path.of(explicit) : home.resolve(".config").resolve("jobplane").resolve("config.json");
    }

    /** The file's settings; none when there is no file. */
    public static UserConfig load(Path file) {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        try {
            JsonNode json = ApiClient.JSON.readTree(file.toFile());
            return new UserConfig(text(json, "url"), text(json, "workspace"), text(json, "token"));
        } catch (IOException e) {
            throw new CliFailure("cannot read the config file " + file + ": " + e.getMessage()
                    + " (fix or delete it, then run jobplane login)");
        }
    }

    /** Writes the settings, readable by the owner only (0600) from the first byte on; its folder 0700 when made here. */
    public void save(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            ObjectNode json = ApiClient.JSON.createObjectNode();
            json.put("url", url).put("workspace", workspace).put("token", token);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                throw new CliFailure("another jobplane login is writing " + file + "; try again");
            }
            Files.writeString(tmp, ApiClient.JSON.writeValueAsString(json));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliFailure("cannot write the config file " + file + ": " + e.getMessage());
        }
    }

    /**
     * The settings in force: each one from the option, else the environment, else this file's; the URL
     * falls back to {@code defaultUrl} (the local stack's).
     */
    public UserConfig resolve(Function<String, String> env, String urlOption, String workspaceOption,
            Supplier<String> defaultUrl) {
        String u = first(urlOption, env.apply(URL_ENV), url);
        return new UserConfig(u != null ? u : defaultUrl.get(), first(workspaceOption, env.apply(WORKSPACE_ENV), workspace),
                first(env.apply(TOKEN_ENV), token));
    }

    /** The workspace, or a failure that says how to name one. */
    public String requireWorkspace() {
        if (workspace == null) {
            throw new CliFailure("no workspace: pass --workspace WS, set " + WORKSPACE_ENV + ", or run jobplane login --workspace WS");
        }
        return workspace;
    }

    /** The token, or a failure that says how to get one. */
    public String requireToken() {
        if (token == null) {
            throw new CliFailure("not logged in: run jobplane login (or set " + TOKEN_ENV + ")");
        }
        return token;
    }

    @Override
    public String toString() {
        // Never the token: a record's default toString would print it.
        return "UserConfig[url=" + url + ", workspace=" + workspace + ", token=" + (token == null ? "none" : "set") + "]";
    }

    private static String first(String... values) {
        for (String v : values) {
            if (blank(v) != null) {
                return v.trim();
            }
        }
        return null;
    }

    private static String text(JsonNode json, String field) {
        return json.hasNonNull(field) ? blank(json.get(field).asText()) : null;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
