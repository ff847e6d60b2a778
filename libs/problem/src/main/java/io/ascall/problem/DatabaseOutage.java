package io.ascall.problem;

import java.net.ConnectException;
import java.time.Duration;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Tells a failure of the database connection (a dependency the client can wait for: 503) from a
 * failure of the request itself (500). A transaction that lost its connection committed
 * nothing, so a retry is safe.
 */
final class DatabaseOutage {

    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private DatabaseOutage() {}

    static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException
                    || cause instanceof ConnectTimeoutException
                    || cause instanceof ClosedConnectionException) {
                return true;
            }
            // the Vert.x pool reports a refused or lost connection without a typed exception
            if (cause instanceof NoStackTraceThrowable
                    && cause.getMessage() != null
                    && cause.getMessage().toLowerCase().contains("connection")) {
                return true;
            }
        }
        return false;
    }
}
