package io.ascall.problem;

import java.util.regex.Pattern;

import jakarta.ws.rs.core.HttpHeaders;

/**
 * The {@code Idempotency-Key} header as every service reads it: a token such as a UUID (an HTTP
 * structured-field string), 1 to {@value #MAX_LENGTH} visible ASCII characters, no spaces or
 * controls. An empty value reaches a {@code @RestHeader} parameter as no key at all, so the request's
 * headers tell the two apart: an empty key is refused, not ignored.
 */
public final class IdempotencyKey {

    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_LENGTH = 255;
    /** For the OpenAPI documents; the length is {@link #MAX_LENGTH}. */
    public static final String PATTERN = "^[\\x21-\\x7E]+$";

    public static final String RULE = "must be 1 to " + MAX_LENGTH + " visible ASCII characters";

    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{1," + MAX_LENGTH + "}");

    private IdempotencyKey() {}

    /**
     * The key the request sent, or null when it sent none.
     *
     * @param field the name a refusal gives the key (the service's own, as its clients know it)
     * @throws ProblemException 400 validation when the key is empty or not as {@link #RULE} says
     */
    public static String of(String value, HttpHeaders headers, String field) {
        if (value == null && headers.getRequestHeaders().containsKey(HEADER)) {
            value = "";
        }
        if (value != null && !VALID.matcher(value).matches()) {
            throw Problem.invalid(field, RULE).toException();
        }
        return value;
    }
}
