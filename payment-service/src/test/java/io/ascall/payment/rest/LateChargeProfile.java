package io.ascall.payment.rest;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A gateway that takes the money two seconds after the request, long after payment-service stopped waiting. */
public class LateChargeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "payment.gateway.simulated.latency", "2s",
                "payment.gateway.simulated.decides-after-latency", "true",
                "payment.gateway.timeout", "300ms",
                "payment.gateway.charge-deadline", "20s",
                "payment.refunds.retry-delay", "1s",
                "payment.refunds.poll-interval", "1s");
    }
}
