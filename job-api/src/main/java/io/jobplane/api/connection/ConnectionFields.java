package io.jobplane.api.connection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The type-specific fields of a create or an update, in one shape. {@code secrets} holds clear
 * values by stored field name ({@code password}, {@code auth_token}, {@code secret_headers.<name>}, {@code api_key}).
 */
record ConnectionFields(
        String jdbcUrl,
        String host,
        Integer port,
        String database,
        String username,
        String basePath,
        String baseUrl,
        Map<String, String> headers,
        Map<String, String> secrets,
        List<String> removeSecrets) {

    static final String SECRET_HEADER = "secret_headers.";

    static Map<String, String> secrets(String password, String authToken, Map<String, String> secretHeaders, String apiKey) {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (password != null) {
            secrets.put("password", password);
        }
        if (authToken != null) {
            secrets.put("auth_token", authToken);
        }
        if (apiKey != null) {
            secrets.put("api_key", apiKey);
        }
        if (secretHeaders != null) {
            secretHeaders.forEach((name, value) -> secrets.put(SECRET_HEADER + name, value));
        }
        return secrets;
    }

    /** The request fields that were given, by their wire names. */
    List<String> given() {
        List<String> given = new java.util.ArrayList<>();
        add(given, "jdbc_url", jdbcUrl);
        add(given, "host", host);
        add(given, "port", port);
        add(given, "database", database);
        add(given, "username", username);
        add(given, "base_path", basePath);
        add(given, "base_url", baseUrl);
        add(given, "headers", headers);
        secrets.keySet().forEach(s -> given.add(s.startsWith(SECRET_HEADER) ? "secret_headers" : s));
        return given;
    }

    private static void add(List<String> given, String name, Object value) {
        if (value != null) {
            given.add(name);
        }
    }
}
