package io.ascall.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PostgreSQL server, Kafka broker and Keycloak shared by all tests of a JVM, each started on
 * first use on a free port, with temporary data, and stopped when the JVM exits.
 *
 * <p>Services' tests get them through {@link LocalEnvironmentResource}; a test that starts other
 * services as processes ({@link ServiceProcess}) points them at the same ones:
 * <pre>{@code
 * LocalEnvironment env = LocalEnvironment.shared();
 * ServiceProcess.forModule("payment-service")
 *         .config(env.postgres().datasourceConfig("payment"))
 *         .config("kafka.bootstrap.servers", env.kafka().bootstrapServers())
 *         .start();
 * }</pre>
 *
 * <p>Do not stop or restart the shared broker: fault tests start a {@link LocalKafka} of their own.
 *
 * <p>One per JVM, not per class loader: Quarkus loads this class once per test application (each
 * test profile has its own class loaders), and a service under test and the processes its test
 * starts must share one database server, one broker and one identity provider. The first class loader starts them and
 * publishes their ports as system properties; the others attach to them.
 */
public final class LocalEnvironment {

    /**
     * Held while starting or attaching. A string literal is the same object in every class loader
     * of the JVM (the string pool is global), which a lock shared across class loaders needs.
     */
    private static final String JVM_WIDE_LOCK = "io.ascall.local.LocalEnvironment.lock";

    private static final String WORK_DIR_PROPERTY = "ascall.local.environment.work-dir";
    private static final String POSTGRES_PORT_PROPERTY = "ascall.local.environment.postgres.port";
    private static final String KAFKA_PORT_PROPERTY = "ascall.local.environment.kafka.port";
    private static final String KEYCLOAK_PORT_PROPERTY = "ascall.local.environment.keycloak.port";
    private static final String KEYCLOAK_MANAGEMENT_PORT_PROPERTY = "ascall.local.environment.keycloak.management-port";
    private static final String RUN_PREFIX = "run-";

    private static LocalEnvironment shared;

    private final Path workDir;
    private LocalPostgres postgres;
    private LocalKafka kafka;
    private LocalKeycloak keycloak;

    private LocalEnvironment(Path workDir) {
        this.workDir = workDir;
    }

    /** The environment of this JVM. Starts nothing until {@link #postgres()}, {@link #kafka()} or {@link #keycloak()} is called. */
    public static LocalEnvironment shared() {
        synchronized (JVM_WIDE_LOCK) {
            if (shared == null) {
                String workDir = System.getProperty(WORK_DIR_PROPERTY);
                shared = new LocalEnvironment(workDir != null ? Path.of(workDir) : createWorkDir());
            }
            return shared;
        }
    }

    /** The PostgreSQL server, started on first call. Create your databases with {@link LocalPostgres#ensureDatabase}. */
    public LocalPostgres postgres() {
        synchronized (JVM_WIDE_LOCK) {
            if (postgres == null) {
                String port = System.getProperty(POSTGRES_PORT_PROPERTY);
                if (port != null) {
                    postgres = LocalPostgres.attach(Integer.parseInt(port));
                } else {
                    LocalPostgres started = LocalPostgres.startTemporary(workDir.resolve("postgres"), 0);
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "ascall-stop-postgres"));
                    System.setProperty(POSTGRES_PORT_PROPERTY, Integer.toString(started.port()));
                    postgres = started;
                }
            }
            return postgres;
        }
    }

    /** The Kafka broker, started on first call (topics are created on first use, 3 partitions each). */
    public LocalKafka kafka() {
        synchronized (JVM_WIDE_LOCK) {
            if (kafka == null) {
                String port = System.getProperty(KAFKA_PORT_PROPERTY);
                if (port != null) {
                    kafka = LocalKafka.attach(Integer.parseInt(port));
                } else {
                    LocalKafka started =
                            LocalKafka.startTemporary(workDir.resolve("kafka"), 0, LocalKafka.DEFAULT_PARTITIONS);
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "ascall-stop-kafka"));
                    System.setProperty(KAFKA_PORT_PROPERTY, Integer.toString(started.port()));
                    kafka = started;
                }
            }
            return kafka;
        }
    }

    /**
     * Keycloak with the local realm ({@link LocalRealm}), started on first call (10 to 20 s; the
     * first start after unpacking rebuilds Keycloak once, about a minute). Services verify its
     * tokens with {@code quarkus.oidc.auth-server-url} set to {@link LocalKeycloak#issuer()}.
     */
    public LocalKeycloak keycloak() {
        synchronized (JVM_WIDE_LOCK) {
            if (keycloak == null) {
                String port = System.getProperty(KEYCLOAK_PORT_PROPERTY);
                String managementPort = System.getProperty(KEYCLOAK_MANAGEMENT_PORT_PROPERTY);
                if (port != null && managementPort != null) {
                    keycloak = LocalKeycloak.attach(Integer.parseInt(port), Integer.parseInt(managementPort));
                } else {
                    LocalKeycloak started = LocalKeycloak.startTemporary(workDir.resolve("keycloak"));
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "ascall-stop-keycloak"));
                    System.setProperty(KEYCLOAK_PORT_PROPERTY, Integer.toString(started.port()));
                    System.setProperty(KEYCLOAK_MANAGEMENT_PORT_PROPERTY, Integer.toString(started.managementPort()));
                    keycloak = started;
                }
            }
            return keycloak;
        }
    }

    /**
     * This JVM's folder for the files of the environment. PostgreSQL, Kafka and Keycloak delete their data
     * in it when they stop; the next run removes the folder.
     */
    public Path workDir() {
        return workDir;
    }

    /**
     * {@code <scratch>/local-environment/run-<pid>} (see {@link ProjectPaths#scratchDir()}), after removing the folders of earlier runs
     * whose JVM is gone (stopping a PostgreSQL such a run left behind when it was killed).
     */
    private static Path createWorkDir() {
        Path parent = ProjectPaths.scratchDir().resolve("local-environment");
        try {
            Files.createDirectories(parent);
            removeDeadRuns(parent);
            Path workDir = Files.createDirectories(
                    parent.resolve(RUN_PREFIX + ProcessHandle.current().pid()));
            System.setProperty(WORK_DIR_PROPERTY, workDir.toString());
            return workDir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the folder of the local environment in " + parent, e);
        }
    }

    private static void removeDeadRuns(Path parent) throws IOException {
        List<Path> runs;
        try (Stream<Path> children = Files.list(parent)) {
            runs = children.filter(child -> child.getFileName().toString().startsWith(RUN_PREFIX))
                    .toList();
        }
        for (Path run : runs) {
            long pid;
            try {
                pid = Long.parseLong(run.getFileName().toString().substring(RUN_PREFIX.length()));
            } catch (NumberFormatException e) {
                continue;
            }
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            // the Kafka broker and Keycloak of a dead run have ended by themselves; PostgreSQL has not
            LocalPostgres.stopOrphan(run.resolve("postgres").resolve("data"));
            Folders.deleteRecursively(run);
        }
    }
}
