package io.ascall.engineer.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * engineer-service's database read directly, for what the API does not show: where a call's
 * dispatch stands. Also holds a row lock the way another replica would.
 */
public final class Database {

    private Database() {}

    public static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /** The state of the call's dispatch, or null when engineer-service does not know the call. */
    public static String dispatchState(UUID callId) {
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement("select state from dispatch where call_id = ?")) {
            query.setObject(1, callId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Locks the call's dispatch row until the connection's transaction ends, as another replica's step would. */
    public static Connection lockDispatch(UUID callId) throws SQLException {
        Connection connection = connect();
        connection.setAutoCommit(false);
        try (PreparedStatement lock =
                connection.prepareStatement("select call_id from dispatch where call_id = ? for update")) {
            lock.setObject(1, callId);
            lock.executeQuery().close();
        }
        return connection;
    }
}
