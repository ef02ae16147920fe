package io.jobplane.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server: a private cluster made with the installed server binaries, or an
 * external server given by URL. As root, the binaries run as the {@code postgres} OS user,
 * because initdb and postgres refuse to run as root.
 */
public final class PostgresServer implements AutoCloseable {

    /** The database the services use. */
    public static final String DATABASE = "jobplane";
    /** The superuser a private cluster is created with. */
    public static final String USER = "jobplane";
    private static final String OS_USER = "postgres";

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final Path dataDir;
    private final Path logFile;
    private final boolean durable;

    private PostgresServer(String host, int port, String database, String user, String password, Path dataDir,
            Path logFile, boolean durable) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.durable = durable;
    }

    /**
     * Starts (creating it first if needed) a private cluster in {@code dataDir} on 127.0.0.1:port.
     * A non-durable server skips fsync: fast for tests, unsafe for data you keep.
     */
    public static PostgresServer start(Path dataDir, int port, boolean durable, Path logFile) {
        PostgresServer server = new PostgresServer("127.0.0.1", port, DATABASE, USER, "", dataDir.toAbsolutePath(),
                logFile.toAbsolutePath(), durable);
        server.launch();
        return server;
    }

    /** A handle on a private cluster some earlier command started in {@code dataDir}; nothing is started. */
    public static PostgresServer attach(Path dataDir, int port, Path logFile) {
        return new PostgresServer("127.0.0.1", port, DATABASE, USER, "", dataDir.toAbsolutePath(),
                logFile.toAbsolutePath(), true);
    }

    /** True when the server accepts a connection now. */
    public boolean accepting() {
        return accepts();
    }

    /** Wraps an existing server given as {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DB}; nothing is started. */
    public static PostgresServer external(String url) {
        URI uri;
        try {
            uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        } catch (IllegalArgumentException e) {
            throw new StackException("JOBPLANE_DB_URL is not a URL: use postgresql://USER:PASSWORD@HOST:PORT/DB");
        }
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null || uri.getPath() == null
                || uri.getPath().length() < 2) {
            throw new StackException("JOBPLANE_DB_URL must look like postgresql://USER:PASSWORD@HOST:PORT/DB");
        }
        String userInfo = uri.getRawUserInfo() == null ? USER : uri.getRawUserInfo();
        String user = decode(userInfo.contains(":") ? userInfo.substring(0, userInfo.indexOf(':')) : userInfo);
        String password = userInfo.contains(":") ? decode(userInfo.substring(userInfo.indexOf(':') + 1)) : "";
        return new PostgresServer(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), uri.getPath().substring(1),
                user, password, null, null, true);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** The JDBC URL of another database on the same server. */
    public String jdbcUrl(String otherDatabase) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + otherDatabase;
    }

    public String username() {
        return user;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public boolean isExternal() {
        return dataDir == null;
    }

    /** Where the server is, for people: never with a password. */
    public String displayUrl() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }

    /** Creates a database on this server unless it exists. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database names here are lower-case identifiers: " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (var rs = exists.executeQuery()) {
                if (!rs.next()) {
                    c.createStatement().execute("create database " + name);
                }
            }
        } catch (SQLException e) {
            throw new StackException("cannot create database " + name + " on " + displayUrl() + ": " + e.getMessage(), e);
        }
    }

    /** The postmaster's pid, or -1 for an external or stopped server. */
    public long pid() {
        if (dataDir == null) {
            return -1;
        }
        try {
            Path pidFile = dataDir.resolve("postmaster.pid");
            return Files.exists(pidFile) ? Long.parseLong(Files.readAllLines(pidFile).get(0).trim()) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public boolean isAlive() {
        return dataDir == null ? accepts() : Processes.handle(pid()).isPresent();
    }

    /** Stops a private cluster (fast mode: running transactions roll back); no-op for an external server. */
    public void stop() {
        if (dataDir == null || !Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        Optional<ProcessHandle> postmaster = Processes.handle(pid());
        if (postmaster.isEmpty()) {
            // Killed or crashed: only a stale pid file is left, which the next start clears up.
            return;
        }
        Processes.run(asServerUser(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60",
                "stop")), Duration.ofSeconds(90));
        // pg_ctl returns once the pid file is gone; the postmaster may still be exiting.
        postmaster.ifPresent(p -> Processes.stop(p, Duration.ofSeconds(30)));
    }

    /**
     * Stops a private cluster at once, without a shutdown checkpoint, as a crash would: the next
     * start replays the write-ahead log. No-op for an external server.
     */
    public void kill() {
        if (dataDir == null || Processes.handle(pid()).isEmpty()) {
            return;
        }
        Processes.run(asServerUser(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "60",
                "stop")), Duration.ofSeconds(90));
    }

    /**
     * Restarts a private cluster in immediate mode, as {@code pg_ctl restart -m immediate} would:
     * every session is cut, the server replays its write-ahead log and accepts connections again
     * when this returns.
     */
    public void restartImmediately() {
        if (dataDir == null) {
            throw new StackException("an external PostgreSQL is not ours to restart");
        }
        kill();
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() {
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.getParent());
            if (!Files.exists(logFile)) {
                Files.createFile(logFile);
            }
            if (Processes.isRoot()) {
                handOverToServerUser();
            }
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                Processes.run(asServerUser(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", USER,
                        "--auth=trust", "-E", "UTF8", "--no-instructions")), Duration.ofSeconds(120));
            }
            boolean ours = Processes.handle(pid()).isPresent();
            if (!ours && Ports.taken(port)) {
                // Connecting would reach that other server, and ours could not bind anyway.
                throw new PortTakenException("PostgreSQL", port);
            }
            if (!ours || !accepts()) {
                try {
                    Processes.run(asServerUser(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-l", logFile.toString(),
                            "-w", "-t", "60", "-o", serverOptions(), "start")), Duration.ofSeconds(90));
                } catch (StackException e) {
                    throw new StackException(e.getMessage() + "\nLast lines of " + logFile + ":\n"
                            + Processes.tail(logFile, 30), e);
                }
            }
            Processes.await("PostgreSQL on port " + port, Duration.ofSeconds(60), this::accepts,
                    () -> Processes.handle(pid()).isPresent(), logFile);
            createDatabase(database);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare PostgreSQL data dir " + dataDir, e);
        }
    }

    private String serverOptions() {
        StringBuilder o = new StringBuilder("-c listen_addresses=127.0.0.1 -p " + port
                + " -c unix_socket_directories='' -c max_connections=300 -c shared_buffers=64MB");
        if (!durable) {
            o.append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        return o.toString();
    }

    private boolean accepts() {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * initdb and postgres refuse to run as root, so the cluster belongs to the postgres OS user, who
     * must own its files and be able to reach them through every parent folder.
     */
    private void handOverToServerUser() throws IOException {
        try {
            dataDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
        } catch (UserPrincipalNotFoundException e) {
            throw new StackException("running as root, PostgreSQL needs an OS user '" + OS_USER + "' to own its files "
                    + "(the Debian package postgresql creates it; or run as a normal user)");
        }
        if (!OS_USER.equals(Files.getOwner(dataDir).getName())) {
            Processes.run(List.of("chown", "-R", OS_USER + ":" + OS_USER, dataDir.toString()), Duration.ofSeconds(120));
        }
        Processes.run(List.of("chown", OS_USER + ":" + OS_USER, logFile.toString()), Duration.ofSeconds(30));
        // PostgreSQL refuses a data directory that others can read.
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        makeTraversable(dataDir.getParent());
        makeTraversable(logFile.getParent());
    }

    /**
     * Lets the postgres user pass through the folders above {@code dir}. Scratch folders (under the
     * temp dir, or under the working dir like {@code target/}) get the missing search bit; any other
     * folder is the user's to decide on, so we stop with a message instead of changing it.
     */
    private static void makeTraversable(Path dir) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath().normalize();
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                continue;
            }
            boolean scratch = (p.startsWith(tmp) && !p.equals(tmp)) || (p.startsWith(cwd) && !p.equals(cwd));
            if (!scratch) {
                throw new StackException("the postgres user cannot reach " + dir + " because " + p
                        + " is not searchable by others: run chmod o+x " + p + ", or choose a data folder elsewhere");
            }
            perms = EnumSet.copyOf(perms);
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
        }
    }

    private List<String> asServerUser(List<String> command) {
        if (!Processes.isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static String bin(String tool) {
        return binDir().resolve(tool).toString();
    }

    /** JOBPLANE_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else the PATH; fails saying what to install. */
    static Path binDir() {
        String configured = System.getenv("JOBPLANE_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (!Files.isExecutable(dir.resolve("initdb")) || !Files.isExecutable(dir.resolve("pg_ctl"))) {
                throw new StackException("JOBPLANE_PG_BIN=" + configured + " has no initdb and pg_ctl");
            }
            return dir;
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> parseVersion(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new StackException("PostgreSQL server binaries (initdb, pg_ctl) not found: install them "
                + "(Debian/Ubuntu: apt-get install postgresql), set JOBPLANE_PG_BIN to their folder, "
                + "or set JOBPLANE_DB_URL to use an existing server");
    }

    private static int parseVersion(String name) {
        try {
            return Integer.parseInt(name.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
