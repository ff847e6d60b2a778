package io.ascall.call.health;

import java.util.HashMap;
import java.util.Map;

import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalKafka;
import io.ascall.local.ProjectPaths;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Kafka broker of this test class's own (not the JVM's shared one), which a test may stop and
 * start again on the same port with the same data, as a broker restarts, while the service keeps
 * running. The service keeps the shared PostgreSQL.
 */
public class StoppableKafka implements QuarkusTestResourceLifecycleManager {

    private static LocalKafka broker;

    @Override
    public Map<String, String> start() {
        broker = LocalKafka.start(null, 0, ProjectPaths.scratchDir().resolve("stoppable-kafka.log"));
        Map<String, String> config = new HashMap<>(LocalEnvironment.shared().postgres().datasourceConfig("call"));
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        return config;
    }

    /** After the shared environment's resources: this broker replaces theirs for the annotated class. */
    @Override
    public int order() {
        return 100;
    }

    public static void stopBroker() {
        broker.stop();
    }

    public static void startBroker() {
        if (!broker.isRunning()) {
            broker.restart();
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
