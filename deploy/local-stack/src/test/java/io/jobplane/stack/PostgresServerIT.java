package io.jobplane.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerIT {

    // A private temp folder (mode 700): as root, the cluster belongs to the postgres user, who must reach it.
    @TempDir
    Path dir;

    @Test
    void aDurableClusterKeepsItsDataAcrossStopAndStart() throws Exception {
        int port = Ports.free();
        PostgresServer server = PostgresServer.start(dir.resolve("data"), port, true, dir.resolve("pg.log"));
        try {
            assertTrue(server.isAlive());
            assertEquals("postgresql://jobplane@127.0.0.1:" + port + "/jobplane", server.displayUrl());
            execute(server, "create table kept (v text)");
            execute(server, "insert into kept values ('still here')");
            server.stop();
            assertFalse(server.isAlive());

            server = PostgresServer.start(dir.resolve("data"), port, true, dir.resolve("pg.log"));
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                    ResultSet rs = c.createStatement().executeQuery("select v from kept")) {
                assertTrue(rs.next());
                assertEquals("still here", rs.getString(1));
            }

            // A crash (no shutdown checkpoint) loses nothing committed: the next start replays the WAL.
            execute(server, "insert into kept values ('after crash')");
            server.kill();
            assertFalse(server.isAlive());
            server = PostgresServer.start(dir.resolve("data"), port, true, dir.resolve("pg.log"));
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                    ResultSet rs = c.createStatement().executeQuery("select count(*) from kept")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void aSecuredClusterTakesPasswordsOnlyAndTheServicesRoleIsNoSuperuser() throws Exception {
        Path secrets = dir.resolve("keys");
        PostgresServer server = PostgresServer.startSecured(dir.resolve("data"), Ports.free(), false, dir.resolve("pg.log"),
                secrets);
        try {
            assertTrue(server.isSecured());
            assertEquals(PostgresServer.SERVICE_USER, server.serviceUsername());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    Passwords.file(secrets, PostgresServer.SUPERUSER_SECRET))));
            assertEquals(server.password(), Files.readString(Passwords.file(secrets, PostgresServer.SUPERUSER_SECRET)).trim());

            // Every login needs its password: a wrong or empty one is refused, for either role.
            for (String user : List.of(PostgresServer.USER, PostgresServer.SERVICE_USER)) {
                for (String wrong : List.of("wrong", "")) {
                    SQLException refused = assertThrows(SQLException.class,
                            () -> DriverManager.getConnection(server.jdbcUrl(), user, wrong).close());
                    assertTrue(List.of("28P01", "08004").contains(refused.getSQLState()), refused.getSQLState() + " "
                            + refused.getMessage());
                }
            }

            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.serviceUsername(),
                    server.servicePassword()); var s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select rolsuper, rolcreatedb, rolcreaterole from pg_roles "
                        + "where rolname = current_user")) {
                    assertTrue(rs.next());
                    assertFalse(rs.getBoolean(1), "superuser");
                    assertFalse(rs.getBoolean(2), "createdb");
                    assertFalse(rs.getBoolean(3), "createrole");
                }
                // What an attacker holding the service role's login would try first.
                assertSqlState("42501", () -> s.execute("copy (select 1) to program 'id'"));
                assertSqlState("42501", () -> s.execute("select pg_read_file('PG_VERSION')"));
                assertSqlState("42501", () -> s.execute("create role intruder superuser"));
                assertSqlState("42501", () -> s.execute("create database another"));
            }

            // The services' own migrations, run in order the way Flyway runs them, as the service role.
            runMigrations(server, "job-api", "api");
            runMigrations(server, "metadata-harvester", "runs", "catalog", "monitoring");
            runMigrations(server, "policy-migrator", "policy");

            // A second start of a secured cluster changes nothing and still takes the same passwords.
            server.stop();
            PostgresServer again = PostgresServer.startSecured(dir.resolve("data"), server.port(), false,
                    dir.resolve("pg.log"), secrets);
            try (Connection c = DriverManager.getConnection(again.jdbcUrl(), again.serviceUsername(), again.servicePassword());
                    ResultSet rs = c.createStatement().executeQuery("select count(*) from api.flyway_probe")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void aTrustingClusterOfAnEarlierVersionIsSecuredInPlaceAndItsSchemasGoToTheServiceRole() throws Exception {
        int port = Ports.free();
        PostgresServer old = PostgresServer.start(dir.resolve("data"), port, false, dir.resolve("pg.log"));
        try {
            execute(old, "create schema api");
            execute(old, "create table api.jobs (id bigserial primary key, name text)");
            execute(old, "insert into api.jobs (name) values ('kept')");
            execute(old, "create function api.answer() returns int language sql as 'select 42'");
        } finally {
            old.stop();
        }
        // Still trusting: any password is taken.
        assertFalse(Files.readString(dir.resolve("data/pg_hba.conf")).startsWith(PostgresServer.HBA_MARKER));

        PostgresServer secured = PostgresServer.startSecured(dir.resolve("data"), port, false, dir.resolve("pg.log"),
                dir.resolve("keys"));
        try {
            assertThrows(SQLException.class, () -> DriverManager.getConnection(secured.jdbcUrl(), PostgresServer.USER,
                    "anything").close());
            try (Connection c = DriverManager.getConnection(secured.jdbcUrl(), secured.serviceUsername(),
                    secured.servicePassword()); var s = c.createStatement()) {
                s.execute("insert into api.jobs (name) values ('added by the service role')");
                try (ResultSet rs = s.executeQuery("select count(*), api.answer() from api.jobs")) {
                    assertTrue(rs.next());
                    assertEquals(2, rs.getInt(1));
                    assertEquals(42, rs.getInt(2));
                }
                try (ResultSet rs = s.executeQuery("select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'api'")) {
                    assertTrue(rs.next());
                    assertEquals(PostgresServer.SERVICE_USER, rs.getString(1));
                }
                s.execute("create table api.after_upgrade (id int)");
            }
        } finally {
            secured.stop();
        }
    }

    @Test
    void aSecuredClusterWhosePasswordFileIsLostSaysSo() {
        Path secrets = dir.resolve("keys");
        PostgresServer.startSecured(dir.resolve("data"), Ports.free(), false, dir.resolve("pg.log"), secrets).stop();
        try {
            Files.delete(Passwords.file(secrets, PostgresServer.SUPERUSER_SECRET));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        StackException e = assertThrows(StackException.class, () -> PostgresServer.startSecured(dir.resolve("data"),
                Ports.free(), false, dir.resolve("pg.log"), secrets));
        assertTrue(e.getMessage().contains("password file"), e.getMessage());
    }

    @Test
    void anExternalServerUrlIsParsedWithoutShowingItsPassword() {
        PostgresServer external = PostgresServer.external("postgresql://app:s3cr%40t@db.internal:6543/warehouse");
        assertEquals("jdbc:postgresql://db.internal:6543/warehouse", external.jdbcUrl());
        assertEquals("app", external.username());
        assertEquals("s3cr@t", external.password());
        assertEquals("postgresql://app@db.internal:6543/warehouse", external.displayUrl());
        assertThrows(StackException.class, () -> PostgresServer.external("mysql://x@y/z"));
    }

    /** Runs a service's migration files in version order, in its schemas, as the service role; then writes a row. */
    private static void runMigrations(PostgresServer server, String module, String... schemas) throws Exception {
        Path folder = Path.of(System.getProperty("jobplane.root", "../..")).resolve(module)
                .resolve("src/main/resources/db/migration");
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(java.util.Comparator.comparingInt(f -> Integer.parseInt(
                            f.getFileName().toString().substring(1, f.getFileName().toString().indexOf("__")))))
                    .toList();
        }
        assertFalse(files.isEmpty(), "no migrations in " + folder);
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.serviceUsername(), server.servicePassword());
                var s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("create schema if not exists " + schema);
            }
            s.execute("set search_path to " + String.join(", ", schemas));
            for (Path f : files) {
                c.setAutoCommit(false);
                s.execute(Files.readString(f));
                c.commit();
                c.setAutoCommit(true);
            }
            if (schemas[0].equals("api")) {
                s.execute("create table api.flyway_probe (id int)");
                s.execute("insert into api.flyway_probe values (1)");
            }
        }
    }

    private static void assertSqlState(String expected, org.junit.jupiter.api.function.Executable sql) {
        SQLException e = assertThrows(SQLException.class, sql);
        assertEquals(expected, e.getSQLState(), e.getMessage());
    }

    private static void execute(PostgresServer server, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password())) {
            c.createStatement().execute(sql);
        }
    }
}
