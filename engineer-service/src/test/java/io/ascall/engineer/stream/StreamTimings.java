package io.ascall.engineer.stream;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Streams with a heartbeat every second (the default 15 s would make the heartbeat test slow)
 * and a buffer of 16 events, so that a replay spans several pages and a stalled client is cut off
 * after a few events; offers that expire after 5 s, so that an expiry shows on a stream soon.
 */
public class StreamTimings implements QuarkusTestProfile {

    static final int BUFFER = 16;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "engineer.stream.heartbeat",
                "1s",
                "engineer.stream.buffer",
                Integer.toString(BUFFER),
                "engineer.offer.timeout",
                "5s",
                "engineer.offer.expiry-check",
                "1s");
    }
}
