package io.ascall.payment.rest;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A gateway that takes 2 s to answer: long enough to void a payment while its charge is in flight. */
public class SlowGatewayProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("payment.gateway.simulated.latency", "2s");
    }
}
