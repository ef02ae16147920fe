package io.jobplane.api.connection;

import java.net.URI;
import java.net.URISyntaxException;

import io.jobplane.api.error.ApiException;

/** Turns connection settings into a JDBC URL and refuses URLs that would smuggle in credentials. */
final class JdbcUrls {

    private static final String PREFIX = "jdbc:postgresql://";

    private JdbcUrls() {
    }

    static String forPostgres(ConnectionRequest request) {
        if (request.jdbcUrl() != null && !request.jdbcUrl().isBlank()) {
            return checked(request.jdbcUrl().trim());
        }
        if (isBlank(request.host()) || isBlank(request.database())) {
            throw ApiException.badRequest("CONNECTION_ADDRESS_MISSING",
                    "A postgresql connection needs either jdbc_url or host and database",
                    "Send jdbc_url (jdbc:postgresql://HOST:PORT/DB) or host, port (default 5432) and database.");
        }
        int port = request.port() == null ? 5432 : request.port();
        return checked(PREFIX + request.host().trim() + ":" + port + "/" + request.database().trim());
    }

    private static String checked(String url) {
        if (!url.startsWith(PREFIX)) {
            throw ApiException.badRequest("INVALID_JDBC_URL", "jdbc_url must start with " + PREFIX,
                    "Use the form jdbc:postgresql://HOST:PORT/DATABASE.");
        }
        URI uri;
        try {
            uri = new URI(url.substring("jdbc:".length()));
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("INVALID_JDBC_URL", "jdbc_url is not a valid URL: " + e.getReason(),
                    "Use the form jdbc:postgresql://HOST:PORT/DATABASE.");
        }
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery().toLowerCase();
        if (uri.getHost() == null || uri.getRawUserInfo() != null || query.contains("password")) {
            throw ApiException.badRequest("INVALID_JDBC_URL",
                    "jdbc_url must name a host and must not carry credentials",
                    "Put the user in 'username' and the password in 'password', which is stored sealed.");
        }
        return url;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
