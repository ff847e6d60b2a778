package io.ascall.problem;

import java.time.Duration;

/**
 * A write that lost to another on the same row: the entity's version had moved on (Hibernate's
 * optimistic lock). The services lock what they change, so that the later writer waits instead;
 * this is the answer where one does not: 409 with Retry-After, nothing changed, rather than a 500.
 * Told by class name, so that the library does not need JPA on its class path.
 */
final class ConcurrentChange {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private static final java.util.Set<String> CLASSES = java.util.Set.of(
            "jakarta.persistence.OptimisticLockException",
            "org.hibernate.StaleStateException",
            "org.hibernate.StaleObjectStateException");

    private ConcurrentChange() {}

    static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (CLASSES.contains(cause.getClass().getName())) {
                return true;
            }
        }
        return false;
    }
}
