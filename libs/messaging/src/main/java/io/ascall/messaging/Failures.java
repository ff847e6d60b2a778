package io.ascall.messaging;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.errors.RetriableException;

import io.vertx.pgclient.PgException;

/** Tells an outage (the database or the broker out of reach) from a failure of the step itself. */
final class Failures {

    private Failures() {}

    /**
     * Whether the failure says that something the step needs is out of reach for now: a
     * connection refused, dropped or timed out, the server shutting down or out of resources, a
     * transaction aborted by a conflict with another (a deadlock, a serialization failure). Such
     * failures end by themselves and are retried for as long as they last; anything else is tried
     * a few times and then set aside.
     */
    static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IOException
                    || cause instanceof TimeoutException
                    || cause instanceof RetriableException) {
                return true;
            }
            if (cause instanceof PgException pg && pg.getSqlState() != null && isTransientSqlState(pg.getSqlState())) {
                return true;
            }
            String message = cause.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("closed")) {
                // Vert.x and the pools: "Connection is closed", "Pool closed", "Connection was closed"
                return true;
            }
        }
        return false;
    }

    /** SQLSTATE classes 08 (connection), 40 (transaction rollback), 53 (resources), 57 (operator intervention), 58 (system), and lock_not_available. */
    private static boolean isTransientSqlState(String state) {
        return state.startsWith("08")
                || state.startsWith("40")
                || state.startsWith("53")
                || state.startsWith("57")
                || state.startsWith("58")
                || state.equals("55P03");
    }
}
