package io.ascall.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

    @TempDir
    Path folder;

    @Test
    void createsDatabasesAndKeepsTheirDataAcrossStarts() throws SQLException {
        Path data = folder.resolve("postgres");
        try (LocalPostgres postgres = LocalPostgres.start(data, 0)) {
            postgres.ensureDatabase("orders");
            postgres.ensureDatabase("orders"); // a second time is fine: it exists
            assertEquals("postgresql://127.0.0.1:" + postgres.port() + "/orders", postgres.reactiveUrl("orders"));
            assertEquals("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/orders", postgres.jdbcUrl("orders"));
            try (Connection connection = connect(postgres, "orders");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE note (text varchar(20))");
                statement.execute("INSERT INTO note VALUES ('kept')");
                assertEquals("orders", single(statement, "SELECT current_database()"));
                assertEquals("127.0.0.1", single(statement, "SELECT current_setting('listen_addresses')"));
            }
        }
        try (LocalPostgres postgres = LocalPostgres.start(data, 0)) {
            postgres.ensureDatabase("orders");
            try (Connection connection = connect(postgres, "orders");
                    Statement statement = connection.createStatement()) {
                assertEquals("kept", single(statement, "SELECT text FROM note"));
            }
        }
        assertTrue(data.resolve("PG_VERSION").toFile().isFile(), "the data folder is kept");
    }

    @Test
    void refusesDatabaseNamesThatAreNotPlainIdentifiers() {
        LocalPostgres postgres = LocalEnvironment.shared().postgres();
        assertThrows(IllegalArgumentException.class, () -> postgres.ensureDatabase("x\"; DROP DATABASE postgres; --"));
        assertThrows(IllegalArgumentException.class, () -> postgres.ensureDatabase("Orders"));
    }

    private static Connection connect(LocalPostgres postgres, String database) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(), postgres.password());
    }

    private static String single(Statement statement, String query) throws SQLException {
        try (ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getString(1);
        }
    }
}
