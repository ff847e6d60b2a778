package io.ascall.payment.service;

import java.sql.SQLException;

import org.hibernate.JDBCException;

import io.vertx.sqlclient.DatabaseException;

/** Recognizes PostgreSQL's unique_violation (SQLSTATE 23505), however Hibernate Reactive wraps it. */
final class UniqueViolation {

    private static final String SQL_STATE = "23505";

    private UniqueViolation() {}

    static boolean test(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String state = t instanceof DatabaseException database
                    ? database.getSqlState()
                    : t instanceof JDBCException jdbc
                            ? jdbc.getSQLState()
                            : t instanceof SQLException sql ? sql.getSQLState() : null;
            if (SQL_STATE.equals(state)) {
                return true;
            }
        }
        return false;
    }
}
