package io.ascall.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;

class DatabaseOutageTest {

    @Test
    void aLostOrRefusedConnectionAnywhereInTheCausesIsAnOutage() {
        assertTrue(DatabaseOutage.causedBy(new ConnectException("Connection refused")));
        assertTrue(
                DatabaseOutage.causedBy(new IllegalStateException("query", new ConnectTimeoutException("timed out"))));
        assertTrue(DatabaseOutage.causedBy(
                new RuntimeException(new RuntimeException(ClosedConnectionException.INSTANCE))));
        assertTrue(DatabaseOutage.causedBy(new NoStackTraceThrowable(
                "Fail to read any response from the server, the underlying connection might get lost unexpectedly.")));
    }

    @Test
    void anyOtherFailureIsNot() {
        assertFalse(DatabaseOutage.causedBy(new IllegalStateException("bug")));
        assertFalse(DatabaseOutage.causedBy(new NoStackTraceThrowable("Timeout")));
        assertFalse(DatabaseOutage.causedBy(null));
    }
}
