package io.ascall.payment.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalPostgres;
import io.ascall.local.ProjectPaths;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A PostgreSQL server of this test class's own (not the JVM's shared one), which a test may stop
 * and start again on the same port with the same data, as a database server restarts or a
 * network partition heals, while the service keeps running.
 */
public class StoppablePostgres implements QuarkusTestResourceLifecycleManager {

    private static final String DATABASE = "payment";

    private static Path folder;
    private static int port;
    private static LocalPostgres server;

    @Override
    public Map<String, String> start() {
        try {
            folder = Files.createTempDirectory(ProjectPaths.scratchDir(), "stoppable-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = LocalPostgres.start(folder.resolve("data"), 0);
        port = server.port();
        Map<String, String> config = new HashMap<>(server.datasourceConfig(DATABASE));
        // the service also needs a broker to start; this test does not touch it
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

    /** Starts the server again on the same port, with the same data. */
    public static synchronized void startServer() {
        if (server == null) {
            server = LocalPostgres.start(folder.resolve("data"), port);
        }
    }

    @Override
    public void stop() {
        stopServer();
        if (folder != null) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                System.err.println("Cannot delete " + folder + ": " + e.getMessage());
            }
        }
    }
}
