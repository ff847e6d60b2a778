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

    /** Refunds asked for and not yet settled by the gateway (io.ascall.payment.service.RefundWorker). */
    Refunds refunds();

    interface Refunds {

        /**
         * How often each replica looks for refunds that are due: one asked for by an event (a
         * cancelled call, a failed payment), or one whose gateway call failed or whose process died.
         * Short, since a refund asked for by an event is made by the next look; the look itself is
         * one indexed query. At least 1 s (the scheduler runs nothing more often).
         */
        @WithDefault("1s")
        Duration pollInterval();

        /**
         * How long a refund taken up by a replica stays out of the others' reach, and so when it is
         * tried again if the gateway failed. Keep it above {@code gateway.timeout}, so that a
         * refund is never asked for twice at the same time (which would be harmless, the gateway
         * refunding a reference once).
         */
        @WithDefault("30s")
        Duration retryDelay();

        /** How many refunds one look takes up at most; the rest wait for the next look. */
        @WithDefault("20")
        int batchSize();
    }

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

        /**
         * How long after a charge request the gateway may still take the money, whether or not
         * payment-service is still waiting for its answer. Until then a refund's "no charge" answer
         * for a voided payment is provisional, and the refund is asked for again (every
         * {@code refunds.retry-delay}); after it, the refund is settled. Set it to the gateway's own
         * deadline for processing a charge request.
         */
        @WithDefault("5m")
        Duration chargeDeadline();

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

        /**
         * Whether a charge is decided and recorded only after the latency, whoever still waits for
         * the answer (a gateway that takes money late), rather than at once with a slow answer;
         * refunds then answer without the latency.
         */
        @WithDefault("false")
        boolean decidesAfterLatency();
    }

    /** The card gateway implementations. */
    enum GatewayType {
        /** {@code io.ascall.payment.gateway.SimulatedCardGateway}: deterministic decisions, its own ledger table. */
        SIMULATED
    }
}
