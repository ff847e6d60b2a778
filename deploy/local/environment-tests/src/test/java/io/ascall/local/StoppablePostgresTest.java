package io.ascall.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StoppablePostgresTest {

    @Test
    void stopsAndStartsAgainOnTheSamePortWithTheSameData() throws SQLException {
        StoppablePostgres resource = new StoppablePostgres();
        resource.init(Map.of("database", "stoppable"));
        Map<String, String> config = resource.start();
        try {
            assertTrue(config.get("quarkus.datasource.jdbc.url").endsWith("/stoppable"), config.toString());
            assertEquals(LocalEnvironment.shared().kafka().bootstrapServers(), config.get("kafka.bootstrap.servers"));
            try (Connection connection = connect(config);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (value text)");
                statement.execute("INSERT INTO kept VALUES ('before the stop')");
            }

            StoppablePostgres.stopServer();
            assertThrows(SQLException.class, () -> connect(config).close());

            StoppablePostgres.startServer();
            try (Connection connection = connect(config);
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT value FROM kept")) {
                assertTrue(row.next());
                assertEquals("before the stop", row.getString(1));
            }
        } finally {
            resource.stop();
        }
    }

    @Test
    void needTheServicesDatabase() {
        IllegalArgumentException postgres =
                assertThrows(IllegalArgumentException.class, () -> new StoppablePostgres().init(Map.of()));
        assertTrue(
                postgres.getMessage().startsWith("StoppablePostgres needs the init arg \"database\""),
                postgres.getMessage());
        IllegalArgumentException kafka =
                assertThrows(IllegalArgumentException.class, () -> new StoppableKafka().init(Map.of()));
        assertTrue(kafka.getMessage().startsWith("StoppableKafka needs the init arg \"database\""), kafka.getMessage());
    }

    private static Connection connect(Map<String, String> config) throws SQLException {
        return DriverManager.getConnection(
                config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
    }
}
