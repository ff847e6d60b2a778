package io.ascall.engineer.config;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's clock, injectable so that time-dependent rules are testable. */
public class Clocks {

    /**
     * UTC, in whole microseconds: PostgreSQL keeps no finer, so an assignment answered right after
     * a change reads the same as when read back later (an idempotent repeat answers the same JSON).
     */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
