package io.ascall.engineer.saga;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Offers that expire after 2 s, checked every second (the scheduler's shortest period): expiry in seconds. */
public class ShortOffers implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("engineer.offer.timeout", "2s", "engineer.offer.expiry-check", "1s");
    }
}
