package io.jobplane.api.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.jobplane.api.egress.EgressInstaller;
import io.jobplane.api.error.ApiException;
import io.jobplane.api.json.StoredJson;
import io.jobplane.events.files.FileRoots;
import io.jobplane.events.egress.Egress;
import io.jobplane.events.egress.EgressDeniedException;
import io.jobplane.events.egress.EgressPolicy;
import io.jobplane.events.egress.JdbcUrls;

/**
 * Checks the fields of a create or update against the connection's type and writes them to the
 * entity. Nothing is written unless every check passes, so a refused request changes nothing.
 */
final class ConnectionSettings {

    private static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers that carry credentials belong in auth_token or secret_headers, which are sealed. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

    /** Where a {@code treasure_data} connection points when it names no {@code base_url}: TD's US region. */
    static final String TREASURE_DATA_API = "https://api.treasuredata.com";
    /** What an API key is: printable ASCII without spaces (TD's keys are {@code <id>/<40 hex>}). */
    private static final java.util.regex.Pattern API_KEY = java.util.regex.Pattern.compile("[!-~]{1,512}");

    private final FileRoots filesystemRoots;

    ConnectionSettings(List<String> filesystemRoots) {
        this.filesystemRoots = FileRoots.of(filesystemRoots);
    }

    /** Applies {@code f} to {@code c}; returns the plain fields that changed (secrets are the caller's). */
    Map<String, Object> apply(ConnectionEntity c, ConnectionFields f) {
        ConnectionType type = c.type();
        for (String field : f.given()) {
            if (!type.takes(field)) {
                throw ApiException.badRequest("FIELD_NOT_APPLICABLE",
                        "Field '" + field + "' does not apply to " + type + " connections",
                        "A " + type + " connection takes " + type.describeFields() + ".");
            }
        }
        Map<String, Object> changed = new LinkedHashMap<>();
        if (type.isJdbc()) {
            applyJdbc(c, f, type, changed);
        }
        switch (type) {
            case FILESYSTEM -> setIfChanged(changed, "base_path", c.basePath, basePath(f.basePath(), c.basePath),
                    v -> c.basePath = v);
            case HTTP -> {
                setIfChanged(changed, "base_url", c.baseUrl, baseUrl(f.baseUrl(), c.baseUrl), v -> c.baseUrl = v);
                if (f.headers() != null) {
                    f.headers().keySet().forEach(name -> checkHeader(name, false));
                    String json = StoredJson.write(new java.util.TreeMap<>(f.headers()));
                    setIfChanged(changed, "headers", c.headers, json, v -> c.headers = v);
                }
                f.secrets().keySet().stream().filter(s -> s.startsWith(ConnectionFields.SECRET_HEADER))
                        .forEach(s -> checkHeader(s.substring(ConnectionFields.SECRET_HEADER.length()), true));
            }
            case TREASURE_DATA -> {
                setIfChanged(changed, "base_url", c.baseUrl, treasureDataUrl(f.baseUrl(), c.baseUrl), v -> c.baseUrl = v);
                apiKey(c, f);
            }
            default -> {
            }
        }
        if (f.username() != null) {
            setIfChanged(changed, "username", c.username, f.username().isEmpty() ? null : f.username(), v -> c.username = v);
        }
        return changed;
    }

    private static void applyJdbc(ConnectionEntity c, ConnectionFields f, ConnectionType type, Map<String, Object> changed) {
        String url;
        if (f.jdbcUrl() != null && !f.jdbcUrl().isBlank()) {
            url = checkedUrl(type, f.jdbcUrl().trim());
            c.host = null;
            c.port = null;
            c.databaseName = null;
        } else if (f.host() != null || f.port() != null || f.database() != null || c.jdbcUrl == null) {
            String host = f.host() != null ? f.host().trim() : c.host;
            Integer port = f.port() != null ? f.port() : c.port;
            String database = f.database() != null ? f.database().trim() : c.databaseName;
            if (type == ConnectionType.HIVE_METASTORE || isBlank(host) || isBlank(database)) {
                throw ApiException.badRequest("CONNECTION_ADDRESS_MISSING",
                        "A " + type + " connection needs " + (type == ConnectionType.HIVE_METASTORE
                                ? "jdbc_url (the metastore database)" : "either jdbc_url or host and database"),
                        "Send jdbc_url (" + example(type) + ")" + (type == ConnectionType.HIVE_METASTORE ? ""
                                : " or host, port (default " + type.defaultPort() + ") and database") + ".");
            }
            int effectivePort = port == null ? type.defaultPort() : port;
            url = checkedUrl(type, type.jdbcPrefixes().get(0) + host + ":" + effectivePort + "/" + database);
            c.host = host;
            c.port = port;
            c.databaseName = database;
        } else {
            return;
        }
        setIfChanged(changed, "jdbc_url", c.jdbcUrl, url, v -> c.jdbcUrl = v);
    }

    private static String checkedUrl(ConnectionType type, String url) {
        String prefix = type.jdbcPrefixes().stream().filter(url::startsWith).findFirst().orElseThrow(
                () -> ApiException.badRequest("INVALID_JDBC_URL",
                        "jdbc_url of a " + type + " connection must start with " + String.join(" or ", type.jdbcPrefixes()),
                        "Use the form " + example(type) + "."));
        JdbcUrls.Parsed parsed;
        try {
            parsed = JdbcUrls.check(url);
        } catch (JdbcUrls.Refused e) {
            throw ApiException.badRequest(e.code(), e.getMessage(), e.fix());
        }
        for (EgressPolicy.Endpoint host : parsed.hosts()) {
            try {
                Egress.policy().checkWithoutLookup(host.host(), host.port());
            } catch (EgressDeniedException e) {
                throw EgressInstaller.refused("jdbc_url", e);
            }
        }
        return prefix + url.substring(prefix.length());
    }

    private static String example(ConnectionType type) {
        return type.jdbcPrefixes().get(0) + "HOST:PORT/DATABASE";
    }

    private String basePath(String given, String current) {
        if (given == null) {
            if (current == null) {
                throw ApiException.badRequest("BASE_PATH_MISSING", "A filesystem connection needs base_path",
                        "Send base_path, the absolute path of the directory its jobs read and write.");
            }
            return current;
        }
        Path path;
        try {
            path = Path.of(given);
        } catch (java.nio.file.InvalidPathException e) {
            throw ApiException.badRequest("INVALID_BASE_PATH", "base_path is not a valid path: " + e.getReason(),
                    "Send an absolute path such as /data/landing.");
        }
        if (!path.isAbsolute() || given.contains("..")) {
            throw ApiException.badRequest("INVALID_BASE_PATH", "base_path must be absolute and must not contain '..'",
                    "Send an absolute path such as /data/landing.");
        }
        Path normalized = path.normalize();
        requireUnderRoot(filesystemRoots, normalized);
        return normalized.toString();
    }

    /** Checks a stored filesystem connection's base path again before it is used (a link may have been planted since). */
    void recheck(ConnectionEntity c) {
        if (c.type() == ConnectionType.FILESYSTEM && c.basePath != null) {
            requireUnderRoot(filesystemRoots, Path.of(c.basePath).normalize());
        }
    }

    /**
     * Refuses a base path whose real location (links resolved, as far as it exists) is not under a
     * configured root; with no root configured every base path is refused.
     */
    static void requireUnderRoot(FileRoots roots, Path normalized) {
        if (roots.isEmpty()) {
            throw ApiException.badRequest("BASE_PATH_NOT_ALLOWED",
                    "This installation allows no filesystem connections: no file root is configured",
                    "An operator sets jobplane.connections.filesystem-roots (and the workers' jobplane.worker.files.roots)"
                            + " to the directories filesystem connections may use; then send a base_path under one of them.");
        }
        Path real;
        try {
            real = FileRoots.realLocation(normalized);
        } catch (java.io.IOException | RuntimeException e) {
            real = null;
        }
        if (real == null || roots.rootOf(real).isEmpty()) {
            throw ApiException.badRequest("BASE_PATH_NOT_ALLOWED",
                    "base_path '" + normalized + "' is not under a directory this installation allows"
                            + (real != null && !real.equals(normalized) ? " (it leads through a link elsewhere)" : ""),
                    "Use a path under one of " + roots.configured()
                            + "; its real location, links resolved, must stay under the root. An operator changes the roots"
                            + " with jobplane.connections.filesystem-roots.");
        }
    }

    private static String baseUrl(String given, String current) {
        if (given == null) {
            if (current == null) {
                throw ApiException.badRequest("BASE_URL_MISSING", "An http connection needs base_url",
                        "Send base_url, e.g. https://api.example.com/v1.");
            }
            return current;
        }
        URI uri;
        try {
            uri = new URI(given.trim());
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("INVALID_BASE_URL", "base_url is not a valid URL: " + e.getReason(),
                    "Send an absolute http(s) URL, e.g. https://api.example.com/v1.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw ApiException.badRequest("INVALID_BASE_URL", "base_url must be an absolute http or https URL with a host",
                    "Send an absolute http(s) URL, e.g. https://api.example.com/v1.");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.badRequest("INVALID_BASE_URL", "base_url must not carry credentials",
                    "Put them in username/password, auth_token or secret_headers, which are stored sealed.");
        }
        try {
            Egress.policy().checkWithoutLookup(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80);
        } catch (EgressDeniedException e) {
            throw EgressInstaller.refused("base_url", e);
        }
        return uri.toString();
    }

    /**
     * A Treasure Data endpoint: https (the API key travels in every request), or plain http only to an
     * address the operator's egress allowlist names (a test server or an in-house proxy); no
     * credentials, query or fragment in it. Default {@link #TREASURE_DATA_API}.
     */
    private static String treasureDataUrl(String given, String current) {
        if (given == null) {
            return current != null ? current : TREASURE_DATA_API;
        }
        String fix = "Send TD's API endpoint for your region, e.g. " + TREASURE_DATA_API + " or https://api.treasuredata.co.jp.";
        URI uri;
        try {
            uri = new URI(given.trim());
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("INVALID_BASE_URL", "base_url is not a valid URL: " + e.getReason(), fix);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw ApiException.badRequest("INVALID_BASE_URL", "base_url must be an absolute https URL with a host", fix);
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.badRequest("INVALID_BASE_URL", "base_url must not carry credentials",
                    "Send the key in api_key, which is stored sealed and never shown.");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw ApiException.badRequest("INVALID_BASE_URL", "base_url must not carry a query or a fragment", fix);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        try {
            Egress.policy().checkWithoutLookup(uri.getHost(), port);
        } catch (EgressDeniedException e) {
            throw EgressInstaller.refused("base_url", e);
        }
        if (scheme.equals("http") && !Egress.policy().allowlistedWithoutLookup(uri.getHost(), port)) {
            throw ApiException.badRequest("HTTPS_REQUIRED",
                    "base_url of a treasure_data connection must use https: the API key is sent with every request",
                    "Use https://. Plain http is taken only for an address an operator allowlists (jobplane.egress.allow),"
                            + " such as a test server or an in-house proxy.");
        }
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * A {@code treasure_data} connection always holds its API key: a create must send one, an update
     * may replace it but not only remove it. The key is sent in a header, so it must be one token of
     * printable ASCII, without TD's {@code TD1 } prefix (the worker adds it).
     */
    private static void apiKey(ConnectionEntity c, ConnectionFields f) {
        String key = f.secrets().get("api_key");
        boolean supplied = key != null && !key.isEmpty();
        if (supplied && key.regionMatches(true, 0, "TD1 ", 0, 4)) {
            throw ApiException.badRequest("INVALID_API_KEY", "api_key starts with 'TD1 '",
                    "Send the key alone (e.g. 1234/abcdef…); the worker sends it as 'Authorization: TD1 <api_key>'.");
        }
        if (supplied && !API_KEY.matcher(key).matches()) {
            throw ApiException.badRequest("INVALID_API_KEY", "api_key must be printable ASCII without spaces or line breaks",
                    "Copy the key from TD's console (My Settings → API Keys) without surrounding spaces.");
        }
        boolean held = c.sealed().get("api_key") != null && !f.removeSecrets().contains("api_key");
        if (!supplied && !held) {
            throw ApiException.badRequest("API_KEY_MISSING", "A treasure_data connection needs api_key",
                    "Send api_key, a master API key of the account (TD's write-only keys cannot read its metadata); to"
                            + " replace it, send the new one instead of removing it.");
        }
    }

    private static void checkHeader(String name, boolean secret) {
        if (!HEADER_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("INVALID_HEADER", "'" + name + "' is not a valid HTTP header name",
                    "Header names are letters, digits and !#$%&'*+.^_`|~-.");
        }
        if (!secret && CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest("SECRET_IN_PLAIN_HEADER", "Header '" + name + "' carries credentials",
                    "Send it in secret_headers (or the token in auth_token): those are stored sealed and never shown.");
        }
    }

    private static <T> void setIfChanged(Map<String, Object> changed, String field, T current, T next,
            java.util.function.Consumer<T> setter) {
        if (!java.util.Objects.equals(current, next)) {
            setter.accept(next);
            changed.put(field, next);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
