package io.jobplane.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

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
    void anExternalServerUrlIsParsedWithoutShowingItsPassword() {
        PostgresServer external = PostgresServer.external("postgresql://app:s3cr%40t@db.internal:6543/warehouse");
        assertEquals("jdbc:postgresql://db.internal:6543/warehouse", external.jdbcUrl());
        assertEquals("app", external.username());
        assertEquals("s3cr@t", external.password());
        assertEquals("postgresql://app@db.internal:6543/warehouse", external.displayUrl());
        assertThrows(StackException.class, () -> PostgresServer.external("mysql://x@y/z"));
    }

    private static void execute(PostgresServer server, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password())) {
            c.createStatement().execute(sql);
        }
    }
}
