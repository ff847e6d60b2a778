package io.ascall.engineer.rest;

import java.util.Arrays;
import java.util.UUID;

import io.ascall.problem.CommonProblemType;
import io.ascall.problem.Problem;
import io.ascall.problem.QueryParams;

/**
 * Path and query parameters, parsed here rather than by JAX-RS, which would answer a malformed
 * one with a bare 404.
 */
final class Params {

    static final int MAX_PAGE_SIZE = 100;

    private Params() {}

    static int page(String value) {
        return QueryParams.page(value);
    }

    static int size(String value) {
        return QueryParams.size(value, MAX_PAGE_SIZE);
    }

    /** An id in the path: one that is not a UUID names nothing, so it is a 404 like any unknown id. */
    static UUID pathId(String what, String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(what, id + " (ids are UUIDs)");
        }
    }

    /** An id in the query: a malformed one is the client's mistake. */
    static UUID queryId(String field, String id) {
        if (id == null) {
            throw invalid(field, "must not be null");
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "must be a UUID");
        }
    }

    static <E extends Enum<E>> E enumValue(String field, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /**
     * Where a client resumes an engineer's stream: the id of the last event it saw, from the
     * {@code Last-Event-ID} header or, for clients that cannot set headers, the {@code lastEventId}
     * query parameter; null for a new client. The header wins: EventSource sends it with the
     * latest id on every reconnection, while the query parameter in the URL may be older.
     */
    static Long lastEventId(String header, String query) {
        boolean fromHeader = header != null && !header.isBlank();
        String value = fromHeader ? header : query;
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(
                fromHeader ? "Last-Event-ID" : "lastEventId",
                "must be the id of an event of this stream: a whole number, 0 or more");
    }

    static RuntimeException notFound(String what, Object id) {
        return Problem.of(CommonProblemType.NOT_FOUND, "No " + what + " " + id).toException();
    }

    private static RuntimeException invalid(String field, String message) {
        return Problem.invalid(field, message).toException();
    }
}
