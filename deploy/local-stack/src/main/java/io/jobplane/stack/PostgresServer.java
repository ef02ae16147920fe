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
 *
 * <p>A <em>secured</em> private cluster (the local stack, the platform of the end-to-end tests)
 * takes password logins only (SCRAM-SHA-256); its superuser {@value #USER} is for operator tools,
 * and the services connect as {@value #SERVICE_USER}, a role that is no superuser, creates no
 * databases or roles, and owns the {@value #DATABASE} database so the services' migrations can
 * create their schemas. Both passwords are generated once into a folder of owner-only files
 * ({@link Passwords}). A cluster made by an earlier version, which trusted every local login, is
 * secured in place at its next start. A plain private cluster (the per-JVM test infrastructure)
 * trusts local logins, for speed.
 */
public final class PostgresServer implements AutoCloseable {

    /** The database the services use. */
    public static final String DATABASE = "jobplane";
    /** The superuser a private cluster is created with. */
    public static final String USER = "jobplane";
    /** The role the services log in as on a secured cluster: no superuser, owner of {@link #DATABASE}. */
    public static final String SERVICE_USER = "jobplane_service";
    /** Password files (in the secrets folder) of the superuser and the service role. */
    static final String SUPERUSER_SECRET = "postgres-superuser";
    static final String SERVICE_SECRET = "postgres-service";
    /** First line of the pg_hba.conf a secured cluster gets; its absence marks a cluster to secure. */
    static final String HBA_MARKER = "# jobplane: password (SCRAM) logins only";
    private static final String OS_USER = "postgres";

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final Path dataDir;
    private final Path logFile;
    private final boolean durable;
    /** Where the passwords of a secured private cluster live; null for a trusting or external server. */
    private final Path secrets;
    private final String serviceUser;
    private final String servicePassword;

    private PostgresServer(String host, int port, String database, String user, String password, Path dataDir,
            Path logFile, boolean durable, Path secrets) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.durable = durable;
        this.secrets = secrets;
        this.serviceUser = secrets == null ? user : SERVICE_USER;
        this.servicePassword = secrets == null ? password : Passwords.ensure(secrets, SERVICE_SECRET);
    }

    /**
     * Starts (creating it first if needed) a private cluster in {@code dataDir} on 127.0.0.1:port.
     * A non-durable server skips fsync: fast for tests, unsafe for data you keep.
     */
    public static PostgresServer start(Path dataDir, int port, boolean durable, Path logFile) {
        PostgresServer server = new PostgresServer("127.0.0.1", port, DATABASE, USER, "", dataDir.toAbsolutePath(),
                logFile.toAbsolutePath(), durable, null);
        server.launch();
        return server;
    }

    /**
     * Like {@link #start(Path, int, boolean, Path)}, but the cluster is secured: password logins
     * only, the superuser's and the service role's passwords kept in {@code secretsDir}.
     */
    public static PostgresServer startSecured(Path dataDir, int port, boolean durable, Path logFile, Path secretsDir) {
        Path secrets = secretsDir.toAbsolutePath();
        Path data = dataDir.toAbsolutePath();
        if (Files.exists(data.resolve("PG_VERSION")) && hbaSecured(data) && !Passwords.exists(secrets, SUPERUSER_SECRET)) {
            // A new password would not open it; say what to do instead of waiting for logins that fail.
            throw new StackException("the PostgreSQL cluster in " + data + " takes password logins, but its superuser "
                    + "password file " + Passwords.file(secrets, SUPERUSER_SECRET) + " is missing: restore it, or stop "
                    + "the stack and delete " + data + " to start over with an empty database");
        }
        PostgresServer server = new PostgresServer("127.0.0.1", port, DATABASE, USER,
                Passwords.ensure(secrets, SUPERUSER_SECRET), data, logFile.toAbsolutePath(), durable, secrets);
        server.launch();
        return server;
    }

    /** A handle on a private cluster some earlier command started in {@code dataDir}; nothing is started. */
    public static PostgresServer attach(Path dataDir, int port, Path logFile) {
        return new PostgresServer("127.0.0.1", port, DATABASE, USER, "", dataDir.toAbsolutePath(),
                logFile.toAbsolutePath(), true, null);
    }

    /** A handle on a secured private cluster (see {@link #startSecured}); nothing is started. */
    public static PostgresServer attachSecured(Path dataDir, int port, Path logFile, Path secretsDir) {
        Path secrets = secretsDir.toAbsolutePath();
        // Before its first secured start, a cluster of an earlier version still trusts; any password does.
        String superuser = Passwords.exists(secrets, SUPERUSER_SECRET) ? Passwords.ensure(secrets, SUPERUSER_SECRET) : "";
        return new PostgresServer("127.0.0.1", port, DATABASE, USER, superuser, dataDir.toAbsolutePath(),
                logFile.toAbsolutePath(), true, secrets);
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
                user, password, null, null, true, null);
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

    /** The user operator tools connect as: the superuser of a private cluster, or the URL's user. */
    public String username() {
        return user;
    }

    public String password() {
        return password;
    }

    /**
     * The user the services connect as: {@value #SERVICE_USER} on a secured private cluster, else
     * the same as {@link #username()}.
     */
    public String serviceUsername() {
        return serviceUser;
    }

    public String servicePassword() {
        return servicePassword;
    }

    /** True for a private cluster that takes password logins only. */
    public boolean isSecured() {
        return secrets != null;
    }

    /** The server's log; null for a server this stack did not start. */
    public Path logFile() {
        return logFile;
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

    /**
     * Creates a login role with this password (or sets its password) and a database it owns,
     * unless they exist: a database for people and tenants' jobs, apart from the services' own.
     */
    public void createDatabase(String name, String owner, String ownerPassword) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}") || !owner.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database and role names here are lower-case identifiers: " + name + ", " + owner);
        }
        if (owner.equals(USER) || owner.equals(SERVICE_USER) || !ownerPassword.matches("[A-Za-z0-9_-]{16,}")) {
            throw new IllegalArgumentException("a database for people needs a role of its own with a generated password");
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password); var s = c.createStatement()) {
            s.execute("set password_encryption = 'scram-sha-256'");
            boolean exists;
            try (var rs = s.executeQuery("select 1 from pg_roles where rolname = '" + owner + "'")) {
                exists = rs.next();
            }
            s.execute((exists ? "alter role " : "create role ") + owner
                    + " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password '" + ownerPassword + "'");
            try (var rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
                if (!rs.next()) {
                    s.execute("create database " + name + " owner " + owner);
                    return;
                }
            }
            s.execute("alter database " + name + " owner to " + owner);
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
     * Restarts a private cluster in immediate mode, as a crash and a restart would: every session
     * is cut off without a shutdown checkpoint, the server replays its write-ahead log and accepts
     * connections again. Returns once it does. Not for an external server.
     */
    public void restartImmediately() {
        if (dataDir == null) {
            throw new StackException("an external server (" + displayUrl() + ") is not restarted by jobplane");
        }
        try {
            Processes.run(asServerUser(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-l", logFile.toString(), "-m", "immediate",
                    "-w", "-t", "60", "-o", serverOptions(), "restart")), Duration.ofSeconds(90));
        } catch (StackException e) {
            throw new StackException(e.getMessage() + "\nLast lines of " + logFile + ":\n" + Processes.tail(logFile, 30), e);
        }
        Processes.await("PostgreSQL on port " + port, Duration.ofSeconds(60), this::accepts,
                () -> Processes.handle(pid()).isPresent(), logFile);
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
            boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
            if (fresh && secrets != null) {
                initSecured();
            } else if (fresh) {
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
            if (secrets != null) {
                if (!hbaSecured()) {
                    secureTrustingCluster();
                }
                ensureServiceRole();
            } else {
                createDatabase(database);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare PostgreSQL data dir " + dataDir, e);
        }
    }

    /**
     * initdb with SCRAM for every login and the superuser's password from a file the server user
     * can read (as root, the secrets folder is not theirs): a temporary copy, deleted right after.
     */
    private void initSecured() throws IOException {
        Path pwfile = Files.createTempFile("jobplane-initdb", ".pw");
        try {
            Files.writeString(pwfile, password + "\n");
            if (Processes.isRoot()) {
                Processes.run(List.of("chown", OS_USER + ":" + OS_USER, pwfile.toString()), Duration.ofSeconds(30));
            }
            Processes.run(asServerUser(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", USER,
                    "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--no-instructions")), Duration.ofSeconds(120));
        } finally {
            Files.deleteIfExists(pwfile);
        }
        writeSecuredHba();
    }

    private boolean hbaSecured() {
        return hbaSecured(dataDir);
    }

    private static boolean hbaSecured(Path dataDir) {
        try {
            Path hba = dataDir.resolve("pg_hba.conf");
            return Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARKER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server listens on 127.0.0.1 only, and every login there needs a password. */
    private void writeSecuredHba() throws IOException {
        Files.writeString(dataDir.resolve("pg_hba.conf"), HBA_MARKER + "\n"
                + "# Written by the jobplane local stack; rewritten when missing this first line.\n"
                + "# TYPE  DATABASE  USER  ADDRESS       METHOD\n"
                + "local   all       all                 scram-sha-256\n"
                + "host    all       all   127.0.0.1/32  scram-sha-256\n"
                + "host    all       all   ::1/128       scram-sha-256\n");
    }

    /**
     * A cluster made by an earlier version trusts every local login: give the superuser its
     * password, switch pg_hba.conf to SCRAM and reload, all through one superuser session.
     */
    private void secureTrustingCluster() throws IOException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                var s = c.createStatement()) {
            s.execute("set password_encryption = 'scram-sha-256'");
            s.execute("alter role " + USER + " password '" + password + "'");
            writeSecuredHba();
            s.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new StackException("cannot secure the PostgreSQL cluster in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes (or brings in line) the services' role: a login with its current password and no
     * privileges beyond its own database, which it owns, with the schemas and objects in it that an
     * earlier version created as the superuser. Other roles cannot connect to that database.
     */
    private void ensureServiceRole() {
        String attributes = " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password '"
                + servicePassword + "'";
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                var s = c.createStatement()) {
            s.execute("set password_encryption = 'scram-sha-256'");
            boolean exists;
            try (var rs = s.executeQuery("select 1 from pg_roles where rolname = '" + SERVICE_USER + "'")) {
                exists = rs.next();
            }
            s.execute((exists ? "alter role " : "create role ") + SERVICE_USER + attributes);
            String owner = null;
            try (var rs = s.executeQuery("select pg_get_userbyid(datdba) from pg_database where datname = '" + database + "'")) {
                if (rs.next()) {
                    owner = rs.getString(1);
                }
            }
            if (owner == null) {
                s.execute("create database " + database + " owner " + SERVICE_USER);
            } else if (!owner.equals(SERVICE_USER)) {
                s.execute("alter database " + database + " owner to " + SERVICE_USER);
            }
            s.execute("revoke all on database " + database + " from public");
        } catch (SQLException e) {
            throw new StackException("cannot set up the role " + SERVICE_USER + " on " + displayUrl() + ": " + e.getMessage(), e);
        }
        handOverSchemas();
    }

    /** Schemas an earlier version's services created as the superuser, with what is in them, go to the service role. */
    private void handOverSchemas() {
        String sql = """
                do $$
                declare r record;
                begin
                  for r in select n.nspname from pg_namespace n
                           where pg_get_userbyid(n.nspowner) = '%1$s'
                             and n.nspname not like 'pg\\_%%' and n.nspname not in ('information_schema', 'public') loop
                    execute format('alter schema %%I owner to %2$s', r.nspname);
                  end loop;
                  for r in select n.nspname, c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                           where pg_get_userbyid(c.relowner) = '%1$s' and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
                             and n.nspname not like 'pg\\_%%' and n.nspname <> 'information_schema'
                             and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                                             and d.objid = c.oid and d.deptype in ('a', 'i')) loop
                    execute format('alter %%s %%I.%%I owner to %2$s', case r.relkind when 'S' then 'sequence'
                      when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end,
                      r.nspname, r.relname);
                  end loop;
                  for r in select p.oid::regprocedure as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                           where pg_get_userbyid(p.proowner) = '%1$s'
                             and n.nspname not like 'pg\\_%%' and n.nspname <> 'information_schema' loop
                    execute format('alter routine %%s owner to %2$s', r.f);
                  end loop;
                  for r in select t.oid::regtype as t from pg_type t join pg_namespace n on n.oid = t.typnamespace
                           where pg_get_userbyid(t.typowner) = '%1$s' and t.typtype in ('e', 'd', 'r', 'c')
                             and (t.typrelid = 0 or (select relkind from pg_class where oid = t.typrelid) = 'c')
                             and n.nspname not like 'pg\\_%%' and n.nspname <> 'information_schema' loop
                    execute format('alter type %%s owner to %2$s', r.t);
                  end loop;
                end $$""".formatted(USER, SERVICE_USER);
        try (Connection c = DriverManager.getConnection(jdbcUrl(), user, password); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new StackException("cannot hand the schemas in " + database + " over to " + SERVICE_USER + ": "
                    + e.getMessage(), e);
        }
    }

    private String serverOptions() {
        StringBuilder o = new StringBuilder("-c listen_addresses=127.0.0.1 -p " + port
                + " -c unix_socket_directories='' -c max_connections=300 -c shared_buffers=64MB");
        if (!durable) {
            o.append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        } else if (hasLibraries(DIAGNOSTIC_LIBRARIES)) {
            // The local stack's server keeps statement statistics and can log slow statements' plans
            // (off until a threshold is set): `./jobplane bench` reports both (docs/benchmarks.md).
            o.append(" -c shared_preload_libraries=").append(String.join(",", DIAGNOSTIC_LIBRARIES))
                    .append(" -c pg_stat_statements.track_planning=on");
        }
        return o.toString();
    }

    /** Shipped with PostgreSQL (contrib), loaded by the local stack's server when installed. */
    private static final List<String> DIAGNOSTIC_LIBRARIES = List.of("pg_stat_statements", "auto_explain");

    /** Whether the installation has these libraries (beside its binaries, as Debian installs them). */
    private static boolean hasLibraries(List<String> names) {
        try {
            Path lib = binDir().getParent().resolve("lib");
            return names.stream().allMatch(n -> Files.isRegularFile(lib.resolve(n + ".so")));
        } catch (StackException e) {
            return false;
        }
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
