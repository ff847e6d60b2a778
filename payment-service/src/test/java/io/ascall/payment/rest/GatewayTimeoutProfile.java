package io.ascall.payment.rest;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A gateway slower than the time payment-service gives it. */
public class GatewayTimeoutProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("payment.gateway.simulated.latency", "1500ms", "payment.gateway.timeout", "300ms");
    }
}
