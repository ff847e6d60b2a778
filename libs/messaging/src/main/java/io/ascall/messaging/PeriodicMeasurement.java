package io.ascall.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * A gauge's value read from the database in rounds (at once, then every interval), not at each
 * scrape: one round at a time, and a round that fails keeps the last value. For the gauges of
 * {@link MessagingMetrics} and the services' own.
 */
public final class PeriodicMeasurement<T> {

    private static final Logger LOG = Logger.getLogger(PeriodicMeasurement.class);

    private final String what;
    private final Supplier<Uni<T>> round;
    private final Consumer<T> result;
    private final AtomicBoolean measuring = new AtomicBoolean();
    private Vertx vertx;
    private long timer = -1;

    /**
     * @param what what is measured, for the log
     * @param round one measurement
     * @param result what to do with it (store it for the gauges)
     */
    public PeriodicMeasurement(String what, Supplier<Uni<T>> round, Consumer<T> result) {
        this.what = what;
        this.round = round;
        this.result = result;
    }

    /** Measures now, then every interval until {@link #stop}. */
    public void start(Vertx vertx, Duration every) {
        this.vertx = vertx;
        measure();
        timer = vertx.setPeriodic(every.toMillis(), tick -> measure());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** How long ago {@code since} was, in seconds (0 for none, or for a moment not yet come). */
    public static double secondsSince(Instant since, Instant now) {
        return since == null ? 0 : Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
    }

    /** One round, unless one is still running. */
    public void measure() {
        if (!measuring.compareAndSet(false, true)) {
            return;
        }
        Uni.createFrom()
                .<T>deferred(round::get)
                .subscribe()
                .with(
                        measured -> {
                            measuring.set(false);
                            result.accept(measured);
                        },
                        failure -> {
                            measuring.set(false);
                            LOG.debugf("Cannot measure %s: %s", what, failure.toString());
                        });
    }
}
