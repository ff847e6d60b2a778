package io.ascall.messaging;

import java.time.Clock;
import java.time.Duration;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The clock of a service, injected wherever time matters so that time-dependent rules are
 * testable; a service or a test replaces it by producing a Clock of its own.
 *
 * <p>UTC, in whole microseconds: PostgreSQL keeps no finer, so a value answered right after a
 * change reads the same as when read back later (an idempotent repeat answers the same JSON).
 */
public class SystemClock {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
