package io.jobplane.worker.catalog.hive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import io.jobplane.stack.MariaDbServer;
import io.jobplane.stack.PostgresServer;
import io.jobplane.stack.TestInfrastructure;

/**
 * Real Hive metastore databases for the tests: a fresh database on the test infrastructure's tenant
 * PostgreSQL or its MariaDB, with Apache Hive's own 4.0.0 schema script (unpacked from the metastore's
 * release archive into target/hive-schema by the build) run in it.
 */
final class HiveMetastores {

    static final String VERSION = "4.0.0";

    /** Where a test connects to a metastore database. */
    record Metastore(HiveMetastoreMigration.Dialect dialect, String url, String user, String password) {
        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private HiveMetastores() {
    }

    /** A new PostgreSQL database {@code name} (dropped first if it exists), with the Hive schema unless {@code empty}. */
    static Metastore postgres(String name, boolean empty) throws SQLException {
        PostgresServer pg = TestInfrastructure.shared().tenant();
        try (Connection admin = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.username(), pg.password());
                Statement s = admin.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        }
        pg.createDatabase(name);
        Metastore metastore = new Metastore(HiveMetastoreMigration.Dialect.POSTGRESQL, pg.jdbcUrl(name), pg.username(), pg.password());
        if (!empty) {
            // The script has no psql meta-commands: PostgreSQL runs it whole as one simple query.
            try (Connection c = metastore.connect(); Statement s = c.createStatement()) {
                s.execute(script("postgres"));
            }
        }
        return metastore;
    }

    /** A new MariaDB database {@code name} (dropped first if it exists), with the Hive schema unless {@code empty}. */
    static Metastore mysql(String name, boolean empty) throws SQLException {
        MariaDbServer mysql = TestInfrastructure.shared().mysql();
        try (Connection admin = DriverManager.getConnection(mysql.jdbcUrl("mysql"), MariaDbServer.USER, MariaDbServer.PASSWORD);
                Statement s = admin.createStatement()) {
            s.execute("drop database if exists " + name);
        }
        mysql.createDatabase(name);
        Metastore metastore = new Metastore(HiveMetastoreMigration.Dialect.MYSQL, mysql.jdbcUrl(name), MariaDbServer.USER,
                MariaDbServer.PASSWORD);
        if (!empty) {
            // No DELIMITER blocks: the server runs the script's statements one after the other.
            try (Connection c = DriverManager.getConnection(metastore.url() + "&allowMultiQueries=true", MariaDbServer.USER,
                    MariaDbServer.PASSWORD); Statement s = c.createStatement()) {
                s.execute(script("mysql"));
                while (s.getMoreResults() || s.getUpdateCount() != -1) {
                    // drain every statement's result so that an error in any of them surfaces
                }
            }
        }
        return metastore;
    }

    /** Hive's schema script for a database ({@code postgres}, {@code mysql}). */
    static String script(String database) {
        Path root = Path.of("target", "hive-schema");
        String file = "hive-schema-" + VERSION + "." + database + ".sql";
        try (Stream<Path> files = Files.walk(root)) {
            Path script = files.filter(p -> p.getFileName().toString().equals(file)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(file + " is not under " + root.toAbsolutePath()
                            + ": the build unpacks it (generate-test-resources)"));
            return Files.readString(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
