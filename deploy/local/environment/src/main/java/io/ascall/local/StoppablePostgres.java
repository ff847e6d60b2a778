package io.ascall.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The Quarkus test resource of a test that takes the database away from a running service: a
 * PostgreSQL server of the annotated test class's own (not the JVM's shared one), which the test
 * stops and starts again on the same port with the same data, as a database server restarts or a
 * network partition heals. The service keeps the JVM's shared Kafka (it needs a broker to start).
 *
 * <pre>{@code
 * @QuarkusTestResource(value = StoppablePostgres.class, restrictToAnnotatedClass = true,
 *         initArgs = @ResourceArg(name = LocalEnvironmentResource.DATABASE, value = "payment"))
 * class ReadinessFollowsDatabaseTest {
 *     ... StoppablePostgres.stopServer(); ... StoppablePostgres.startServer(); ...
 * }
 * }</pre>
 *
 * <p>Init arg {@code database} (required): the service's own database, created on this server.
 * Configures what {@link LocalEnvironmentResource} does, and replaces its database for the
 * annotated class. One such server at a time: the static methods act on that of the test class
 * that runs now (Quarkus runs test classes one after the other).
 */
public class StoppablePostgres implements QuarkusTestResourceLifecycleManager {

    private static Path folder;
    private static int port;
    private static LocalPostgres server;

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = LocalEnvironmentResource.database(StoppablePostgres.class, initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            folder = Files.createTempDirectory(ProjectPaths.scratchDir(), "stoppable-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = LocalPostgres.start(folder.resolve("data"), 0);
        port = server.port();
        Map<String, String> config = new HashMap<>(server.datasourceConfig(database));
        config.put("kafka.bootstrap.servers", LocalEnvironment.shared().kafka().bootstrapServers());
        return config;
    }

    /** After the shared environment's resources: this database replaces theirs for the annotated class. */
    @Override
    public int order() {
        return 100;
    }

    /** Stops the server (open connections are cut, new ones refused); the data stays. */
    public static synchronized void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again on the same port, with the same data; does nothing if it runs. */
    public static synchronized void startServer() {
        if (server == null) {
            server = LocalPostgres.start(folder.resolve("data"), port);
        }
    }

    @Override
    public void stop() {
        stopServer();
        Folders.deleteRecursively(folder);
    }
}
