package io.ascall.engineer.saga;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Offers that expire after 1 s, and an expiry job that does not run during the test. */
public class StalledExpiryJob implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("engineer.offer.timeout", "1s", "engineer.offer.expiry-check", "1h");
    }
}
