package io.jobplane.events.egress;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the JDBC URL of a tenant connection and refuses what may not pass: a URL that names no host,
 * carries credentials or hides options in its host part, and every URL parameter not on the
 * driver's allowlist ({@code allowLoadLocalInfile}, {@code autoDeserialize}, interceptors, socket
 * and SSL factories, logger files and the like are not on it). job-api checks at save time, the
 * worker again before it connects. {@link #connectProperties} adds the platform's own egress socket
 * factory (PostgreSQL), which the URL may therefore never name.
 */
public final class JdbcUrls {

    /** A driver the platform connects tenants with. */
    public enum Driver {
        POSTGRESQL("jdbc:postgresql://", 5432, PgSocketFactory.class.getName()),
        MYSQL("jdbc:mysql://", 3306, MySqlSocketFactory.class.getName());

        private final String prefix;
        private final int defaultPort;
        private final String socketFactory;

        Driver(String prefix, int defaultPort, String socketFactory) {
            this.prefix = prefix;
            this.defaultPort = defaultPort;
            this.socketFactory = socketFactory;
        }

        public String prefix() {
            return prefix;
        }

        public int defaultPort() {
            return defaultPort;
        }
    }

    /** PostgreSQL (pgjdbc) parameters a tenant URL may set. */
    public static final Set<String> POSTGRESQL_PARAMETERS = caseless(
            "ApplicationName", "currentSchema", "connectTimeout", "socketTimeout", "loginTimeout", "cancelSignalTimeout",
            "tcpKeepAlive", "tcpNoDelay", "ssl", "sslmode", "channelBinding", "targetServerType", "loadBalanceHosts",
            "hostRecheckSeconds", "readOnly", "readOnlyMode", "prepareThreshold", "preparedStatementCacheQueries",
            "preparedStatementCacheSizeMiB", "defaultRowFetchSize", "reWriteBatchedInserts", "binaryTransfer", "stringtype",
            "assumeMinServerVersion", "escapeSyntaxCallMode", "autosave", "cleanupSavepoints", "quoteReturningIdentifiers");
    /** MySQL / MariaDB (Connector/J) parameters a tenant URL may set. */
    public static final Set<String> MYSQL_PARAMETERS = caseless(
            "useSSL", "sslMode", "requireSSL", "verifyServerCertificate", "enabledTLSProtocols", "allowPublicKeyRetrieval",
            "connectTimeout", "socketTimeout", "tcpKeepAlive", "tcpNoDelay", "characterEncoding", "useUnicode",
            "connectionCollation", "serverTimezone", "connectionTimeZone", "forceConnectionTimeZoneToSession",
            "preserveInstants", "zeroDateTimeBehavior", "tinyInt1isBit", "transformedBitIsBoolean",
            "rewriteBatchedStatements", "useCursorFetch", "defaultFetchSize", "useServerPrepStmts", "cachePrepStmts",
            "prepStmtCacheSize", "prepStmtCacheSqlLimit", "useCompression");

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.]*");

    /** A URL that cannot be used; {@code code} is INVALID_JDBC_URL or JDBC_PARAMETER_NOT_ALLOWED. */
    public static final class Refused extends IllegalArgumentException {
        private final String code;
        private final String parameter;
        private final String fix;

        Refused(String code, String message, String parameter, String fix) {
            super(message);
            this.code = code;
            this.parameter = parameter;
            this.fix = fix;
        }

        public String code() {
            return code;
        }

        /** The refused parameter, when one is the reason. */
        public String parameter() {
            return parameter;
        }

        public String fix() {
            return fix;
        }
    }

    /** A URL read: its driver, every host it names (in order) and its parameters. */
    public record Parsed(Driver driver, List<EgressPolicy.Endpoint> hosts, Map<String, String> parameters) {
    }

    private JdbcUrls() {
    }

    /** The driver of a URL by its prefix, or null. */
    public static Driver driverOf(String url) {
        for (Driver d : Driver.values()) {
            if (url != null && url.startsWith(d.prefix)) {
                return d;
            }
        }
        return null;
    }

    /** Reads and checks {@code url}; see the class comment. */
    public static Parsed check(String url) {
        Driver driver = driverOf(url);
        if (driver == null) {
            throw new Refused("INVALID_JDBC_URL", "jdbc_url must start with jdbc:postgresql:// or jdbc:mysql://", null,
                    "Use the form jdbc:postgresql://HOST:PORT/DATABASE or jdbc:mysql://HOST:PORT/DATABASE.");
        }
        String rest = url.substring(driver.prefix.length());
        int end = rest.length();
        for (char c : new char[] { '/', '?', '#' }) {
            int i = rest.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        String authority = rest.substring(0, end);
        String tail = rest.substring(end);
        if (authority.contains("@")) {
            throw new Refused("INVALID_JDBC_URL", "jdbc_url must name a host and must not carry credentials", null,
                    "Put the user in 'username' and the password in 'password', which is stored sealed.");
        }
        List<EgressPolicy.Endpoint> hosts = new ArrayList<>();
        for (String part : authority.split(",", -1)) {
            hosts.add(host(part, driver));
        }
        if (tail.indexOf('#') >= 0) {
            throw new Refused("INVALID_JDBC_URL", "jdbc_url must not have a fragment (#…)", null, "Remove the part from '#' on.");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        int q = tail.indexOf('?');
        if (q >= 0) {
            for (String pair : tail.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                checkParameter(driver, name);
                parameters.put(name, value);
            }
        }
        return new Parsed(driver, List.copyOf(hosts), Collections.unmodifiableMap(parameters));
    }

    /** The parameters a URL of {@code driver} may set, sorted, for messages. */
    public static Set<String> allowed(Driver driver) {
        return driver == Driver.POSTGRESQL ? POSTGRESQL_PARAMETERS : MYSQL_PARAMETERS;
    }

    /**
     * Checks {@code url} and returns connection properties with the platform's egress socket factory
     * set; the caller adds user, password and timeouts.
     */
    public static Properties connectProperties(String url) {
        Parsed parsed = check(url);
        Properties props = new Properties();
        if (parsed.driver() == Driver.POSTGRESQL) {
            props.setProperty("socketFactory", parsed.driver().socketFactory);
        } else {
            // Connector/J cannot load MySqlSocketFactory where the service's classes and the driver's
            // come from different class loaders (tests), so MySQL hosts are checked here, resolved just
            // before the driver connects: weaker than the socket-level check (see docs/security.md).
            for (EgressPolicy.Endpoint host : parsed.hosts()) {
                try {
                    Egress.policy().resolveAndCheck(host.host(), host.port());
                } catch (EgressDeniedException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (java.net.UnknownHostException e) {
                    // The driver reports it.
                }
            }
            // Refuse the server's LOAD DATA LOCAL requests whatever it asks.
            props.setProperty("allowLoadLocalInfile", "false");
            props.setProperty("allowUrlInLocalInfile", "false");
            props.setProperty("autoDeserialize", "false");
        }
        return props;
    }

    private static void checkParameter(Driver driver, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("user") || lower.equals("password")) {
            throw new Refused("INVALID_JDBC_URL", "jdbc_url must name a host and must not carry credentials", null,
                    "Put the user in 'username' and the password in 'password', which is stored sealed.");
        }
        if (!NAME.matcher(name).matches() || !allowed(driver).contains(name)) {
            String list = String.join(", ", allowed(driver));
            throw new Refused("JDBC_PARAMETER_NOT_ALLOWED",
                    "jdbc_url parameter '" + name + "' is not allowed for " + driver.name().toLowerCase(Locale.ROOT) + " connections",
                    name, "Remove it. The parameters a " + driver.name().toLowerCase(Locale.ROOT) + " jdbc_url may set are: "
                            + list + ".");
        }
    }

    private static EgressPolicy.Endpoint host(String part, Driver driver) {
        String p = part.strip();
        String host = p;
        int port = driver.defaultPort;
        int colon = p.startsWith("[") ? p.indexOf("]:") + 1 : p.lastIndexOf(':');
        if (colon > 0) {
            host = p.substring(0, colon);
            try {
                port = Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.isEmpty() || !HOST.matcher(host).matches() || port < 1 || port > 65535) {
            throw new Refused("INVALID_JDBC_URL", "jdbc_url must name each host as HOST or HOST:PORT (got '" + p + "')", null,
                    "Use the form " + driver.prefix + "HOST:PORT/DATABASE; several hosts are separated by commas.");
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new EgressPolicy.Endpoint(host.toLowerCase(Locale.ROOT), port);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refused("INVALID_JDBC_URL", "jdbc_url has a malformed %-escape", null, "Escape '%' as %25.");
        }
    }

    private static Set<String> caseless(String... names) {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Collections.addAll(set, names);
        return Collections.unmodifiableSet(set);
    }
}
