package io.ascall.payment.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of payment-service, under {@code payment.*}. */
@ConfigMapping(prefix = "payment")
public interface PaymentConfig {

    /** ISO 4217 code of the currency every payment is taken in. The visit fee is in KRW, which has no minor unit. */
    @WithDefault("KRW")
    String currency();

    /**
     * How long a PENDING payment's charge attempt is presumed alive. A retry within this age
     * gets 409 request-in-progress; a later one takes the charge over (its process presumably
     * died) and finishes it with the same gateway reference, so the customer is charged once.
     */
    @WithDefault("30s")
    Duration pendingTakeoverAge();

    /** The card gateway that takes the money. */
    Gateway gateway();

    interface Gateway {

        /** Which gateway implementation is used. {@code simulated} is the only one so far. */
        @WithDefault("simulated")
        GatewayType type();

        /**
         * How long a charge or refund may take before it counts as failed (503 payment-unavailable;
         * nothing is lost: a retry resumes with the same reference). Keep it below
         * {@code pending-takeover-age}, so that a takeover never races a live attempt.
         */
        @WithDefault("10s")
        Duration timeout();

        /** The simulated gateway, for local runs and tests. */
        Simulated simulated();
    }

    interface Simulated {

        /**
         * Customers whose id starts with this prefix are declined ("card declined (simulated)");
         * everyone else is approved. Lets tests and demos trigger a decline deterministically.
         */
        @WithDefault("declined-")
        String declineCustomerPrefix();

        /** How long every simulated charge and refund takes to answer (non-blocking); simulates a slow gateway. */
        @WithDefault("0ms")
        Duration latency();
    }

    /** The card gateway implementations. */
    enum GatewayType {
        /** {@code io.ascall.payment.gateway.SimulatedCardGateway}: deterministic decisions, its own ledger table. */
        SIMULATED
    }
}
