package io.ascall.problem;

/**
 * A kind of error, as an RFC 9457 problem type: the URI {@code urn:ascall:problem:<slug>}, a
 * title, and the status it is answered with. A kind's slug, title and status never change, so
 * that clients can rely on them; the {@code detail} of a problem tells about the occurrence.
 *
 * <p>The kinds every service answers with are {@link CommonProblemType}. A service adds the kinds
 * of its own domain as an enum of its own implementing this interface (e.g. call-service's
 * {@code payment-declined}); its slugs must not be one of the common ones.
 */
public interface ProblemType {

    String URI_PREFIX = "urn:ascall:problem:";

    int status();

    /** The last part of the type URI, e.g. {@code not-found}. */
    String slug();

    String title();

    default String uri() {
        return URI_PREFIX + slug();
    }
}
