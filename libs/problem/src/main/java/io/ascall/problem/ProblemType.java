package io.ascall.problem;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of error, as an RFC 9457 problem type: the URI {@code urn:ascall:problem:<slug>}, a
 * title, and the status it is answered with. A kind's slug, title and status never change, so
 * that clients can rely on them; the {@code detail} of a problem tells about the occurrence.
 *
 * <p>The kinds every service answers with are {@link CommonProblemType}'s. A service adds the
 * kinds of its own domain as constants of a class of its own (e.g. call-service's
 * {@code payment-declined}); its slugs must not be one of the common ones.
 *
 * @param status the HTTP status a problem of this kind is answered with (4xx or 5xx)
 * @param slug the last part of the type URI, e.g. {@code not-found}
 * @param title what the kind means, the same for every occurrence
 */
public record ProblemType(int status, String slug, String title) {

    public static final String URI_PREFIX = "urn:ascall:problem:";
    private static final Pattern SLUG = Pattern.compile("[a-z]+(-[a-z]+)*");

    public ProblemType {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("A problem is answered with a 4xx or 5xx status, not " + status);
        }
        if (!SLUG.matcher(Objects.requireNonNull(slug)).matches()) {
            throw new IllegalArgumentException("A problem type's slug is lower-case words joined by '-': " + slug);
        }
        Objects.requireNonNull(title);
    }

    public String uri() {
        return URI_PREFIX + slug;
    }
}
