package io.ascall.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LocalEnvironmentResourceTest {

    @Test
    void givesAServiceItsOwnDatabaseAndTheSharedKafka() throws Exception {
        LocalEnvironmentResource resource = new LocalEnvironmentResource();
        resource.init(Map.of("database", "inventory", "kafka", "true"));
        Map<String, String> config = resource.start();

        LocalEnvironment environment = LocalEnvironment.shared();
        int port = environment.postgres().port();
        assertEquals("postgresql://127.0.0.1:" + port + "/inventory", config.get("quarkus.datasource.reactive.url"));
        assertEquals("jdbc:postgresql://127.0.0.1:" + port + "/inventory", config.get("quarkus.datasource.jdbc.url"));
        try (Connection connection = DriverManager.getConnection(
                        config.get("quarkus.datasource.jdbc.url"),
                        config.get("quarkus.datasource.username"),
                        config.get("quarkus.datasource.password"));
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT current_database()")) {
            result.next();
            assertEquals("inventory", result.getString(1));
        }

        String bootstrap = config.get("kafka.bootstrap.servers");
        assertEquals(environment.kafka().bootstrapServers(), bootstrap);
        KafkaRoundTrip.produce(bootstrap, "resource-test", "hello");
        assertEquals(List.of("hello"), KafkaRoundTrip.consume(bootstrap, "resource-test", 1));
        resource.stop();
    }

    @Test
    void startsNoKafkaUnlessAsked() {
        LocalEnvironmentResource resource = new LocalEnvironmentResource();
        resource.init(Map.of("database", "billing"));
        Map<String, String> config = resource.start();
        assertEquals(4, config.size(), config.toString());
    }

    @Test
    void needsTheServicesDatabase() {
        LocalEnvironmentResource resource = new LocalEnvironmentResource();
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> resource.init(Map.of()));
        assertTrue(failure.getMessage().contains("\"database\""), failure.getMessage());
        assertThrows(IllegalArgumentException.class, () -> resource.init(Map.of("database", "x", "kafka", "yes")));
    }

    /** Quarkus loads this class once per test application: every copy must use the same servers. */
    @Test
    void anotherClassLoaderOfTheJvmSharesTheSameServers() throws Exception {
        int port = LocalEnvironment.shared().postgres().port();
        try (URLClassLoader isolated = new URLClassLoader(testClassPath(), ClassLoader.getPlatformClassLoader())) {
            Class<?> environmentClass = isolated.loadClass(LocalEnvironment.class.getName());
            assertTrue(environmentClass != LocalEnvironment.class, "a second copy of the class");
            Object environment = environmentClass.getMethod("shared").invoke(null);
            Object postgres = environmentClass.getMethod("postgres").invoke(environment);
            assertEquals(port, postgres.getClass().getMethod("port").invoke(postgres));
            assertEquals(
                    LocalEnvironment.shared().workDir(),
                    environmentClass.getMethod("workDir").invoke(environment));
        }
    }

    private static URL[] testClassPath() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
