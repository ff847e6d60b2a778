package io.ascall.local;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The Quarkus test resource of every service: a real PostgreSQL (and Kafka when asked) from the
 * JVM's {@link LocalEnvironment}.
 *
 * <pre>{@code
 * @QuarkusTestResource(value = LocalEnvironmentResource.class, initArgs = {
 *         @ResourceArg(name = "database", value = "payment"),
 *         @ResourceArg(name = "kafka", value = "true") })
 * }</pre>
 *
 * <p>Init args: {@code database} (required) the service's own database, created if missing;
 * {@code kafka} ({@code "true"} to also start Kafka; default {@code false}).
 *
 * <p>Configures {@code quarkus.datasource.reactive.url}, {@code quarkus.datasource.jdbc.url},
 * {@code quarkus.datasource.username}, {@code quarkus.datasource.password} and, with Kafka,
 * {@code kafka.bootstrap.servers}. The servers outlive each test application: they stop when
 * the JVM exits.
 */
public class LocalEnvironmentResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg: the service's database. */
    public static final String DATABASE = "database";
    /** Init arg: {@code "true"} to start Kafka too. */
    public static final String KAFKA = "kafka";

    private String database;
    private boolean kafka;

    @Override
    public void init(Map<String, String> initArgs) {
        database = database(LocalEnvironmentResource.class, initArgs);
        String kafkaArg = initArgs.getOrDefault(KAFKA, "false").trim();
        if (!kafkaArg.equalsIgnoreCase("true") && !kafkaArg.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("Init arg \"" + KAFKA + "\" of "
                    + LocalEnvironmentResource.class.getSimpleName() + " must be true or false, not " + kafkaArg);
        }
        kafka = Boolean.parseBoolean(kafkaArg);
    }

    @Override
    public Map<String, String> start() {
        LocalEnvironment environment = LocalEnvironment.shared();
        Map<String, String> config = new HashMap<>(environment.postgres().datasourceConfig(database));
        if (kafka) {
            config.put("kafka.bootstrap.servers", environment.kafka().bootstrapServers());
        }
        return config;
    }

    @Override
    public void stop() {
        // shared by every test application of the JVM: LocalEnvironment stops them at exit
    }

    /**
     * The init arg {@link #DATABASE} of a test resource of this module ({@link StoppablePostgres}
     * and {@link StoppableKafka} take it too).
     *
     * @throws IllegalArgumentException naming the resource when it is missing
     */
    static String database(
            Class<? extends QuarkusTestResourceLifecycleManager> resource, Map<String, String> initArgs) {
        String database = initArgs.get(DATABASE);
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException(resource.getSimpleName()
                    + " needs the init arg \"" + DATABASE + "\": the service's own database, e.g. "
                    + "@ResourceArg(name = \"database\", value = \"payment\")");
        }
        return database;
    }
}
