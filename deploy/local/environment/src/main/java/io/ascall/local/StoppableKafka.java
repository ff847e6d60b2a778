package io.ascall.local;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The Quarkus test resource of a test that takes Kafka away from a running service: a broker of
 * the annotated test class's own (not the JVM's shared one, which must never stop), which the
 * test stops and starts again on the same port with the same data, as a broker restarts. The
 * service keeps its database on the JVM's shared PostgreSQL.
 *
 * <pre>{@code
 * @QuarkusTestResource(value = StoppableKafka.class, restrictToAnnotatedClass = true,
 *         initArgs = @ResourceArg(name = LocalEnvironmentResource.DATABASE, value = "call"))
 * class ReadinessFollowsKafkaTest {
 *     ... StoppableKafka.stopBroker(); ... StoppableKafka.startBroker(); ...
 * }
 * }</pre>
 *
 * <p>Init arg {@code database} (required): the service's own database. Replaces the broker of
 * {@link LocalEnvironmentResource} for the annotated class. One such broker at a time: the static
 * methods act on that of the test class that runs now.
 */
public class StoppableKafka implements QuarkusTestResourceLifecycleManager {

    private static LocalKafka broker;

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = LocalEnvironmentResource.database(StoppableKafka.class, initArgs);
    }

    @Override
    public Map<String, String> start() {
        broker = LocalKafka.start(null, 0, ProjectPaths.scratchDir().resolve("stoppable-kafka.log"));
        Map<String, String> config =
                new HashMap<>(LocalEnvironment.shared().postgres().datasourceConfig(database));
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        return config;
    }

    /** After the shared environment's resources: this broker replaces theirs for the annotated class. */
    @Override
    public int order() {
        return 100;
    }

    /** Stops the broker cleanly; its data stays. */
    public static synchronized void stopBroker() {
        broker.stop();
    }

    /** Starts the broker again on the same port, with the same data; does nothing if it runs. */
    public static synchronized void startBroker() {
        if (!broker.isRunning()) {
            broker.restart();
        }
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
