package io.ascall.problem;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Query parameters read as text and parsed here, not converted by JAX-RS, which answers an
 * unconvertible one with a bare 404; a value out of range is a 400 naming the parameter. The
 * bounds keep every query in range: the deepest page times the largest size fits an {@code int}
 * offset (page 42949673 of 100 wrapped round to offset 4 before), and a duration never takes an
 * instant out of {@link java.time.Instant}'s range.
 */
public final class QueryParams {

    /** The deepest page a list serves: deeper is a client's bug. */
    public static final int MAX_PAGE = 1_000_000;

    /** The largest page size of every list, and its default. */
    public static final int MAX_SIZE = 100;

    public static final int DEFAULT_SIZE = 20;

    /** The longest duration a filter takes (ten years): longer matches nothing a shorter one would not. */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    private QueryParams() {}

    public static int page(String value) {
        return wholeNumber("page", value, 0, MAX_PAGE);
    }

    /** A page size from 1 to {@code max}; {@code max} times {@link #MAX_PAGE} must fit an int. */
    public static int size(String value, int max) {
        if ((long) max * MAX_PAGE > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("A page size of " + max + " can overflow the offset");
        }
        return wholeNumber("size", value, 1, max);
    }

    public static int wholeNumber(String field, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Problem.invalid(field, "must be a whole number from " + min + " to " + max)
                .toException();
    }

    /** An ISO-8601 duration from zero to {@link #MAX_DURATION}. */
    public static Duration duration(String field, String value) {
        try {
            Duration duration = Duration.parse(value);
            if (!duration.isNegative() && duration.compareTo(MAX_DURATION) <= 0) {
                return duration;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // reported below
        }
        throw Problem.invalid(field, "must be an ISO-8601 duration such as PT10M, from PT0S to P3650D")
                .toException();
    }
}
