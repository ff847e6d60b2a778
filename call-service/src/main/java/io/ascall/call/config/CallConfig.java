package io.ascall.call.config;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** call-service's own settings (prefix {@code call}). */
@ConfigMapping(prefix = "call")
public interface CallConfig {

    /**
     * The visit fee per appliance type, in whole units of {@link #currency()}, keyed by the
     * {@link io.ascall.events.ApplianceType} name. Every appliance type must have one: the service
     * refuses to start otherwise.
     */
    Map<String, Long> fees();

    /** ISO 4217 code of the fees (KRW has no minor unit). */
    @WithDefault("KRW")
    String currency();

    Idempotency idempotency();

    Payment payment();

    Metrics metrics();

    interface Metrics {
        /** How often the calls per unfinished status are counted in the database for their gauges (CallMetrics). */
        @WithDefault("15s")
        Duration refresh();
    }

    interface Idempotency {
        /**
         * How long a request holding an {@code Idempotency-Key} may run before a retry with the
         * same key may take it over (its process is then presumed dead). Must exceed the payment
         * timeout by a safe margin.
         */
        @WithDefault("30s")
        Duration lease();

        /** How long a key and its stored response are kept for replay (at least 24 h, as published in the README). */
        @WithDefault("24h")
        Duration retention();
    }

    interface Payment {
        /** The {@code Retry-After} told to a client when payment-service is unavailable. */
        @WithDefault("5s")
        Duration retryAfter();

        /**
         * A call still REQUESTED after this long lost its request (the process died mid-way):
         * it is closed as PAYMENT_FAILED and its payment voided. Must exceed the idempotency lease,
         * so that a client retry can resume it first.
         */
        @WithDefault("2m")
        Duration abandonAfter();

        /** How often abandoned calls are closed and pending voids are sent to payment-service. */
        @WithDefault("5s")
        Duration reconcileEvery();

        /** How many calls one reconciliation round handles at most. */
        @WithDefault("50")
        int reconcileBatch();
    }
}
