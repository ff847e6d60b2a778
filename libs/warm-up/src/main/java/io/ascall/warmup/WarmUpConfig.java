package io.ascall.warmup;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long a service warms up before it reports ready. */
@ConfigMapping(prefix = "warm-up")
public interface WarmUpConfig {

    /**
     * How many times each hot path is rehearsed. The first round loads the classes and opens the
     * connections; the later ones let the JIT compile the path's most frequent methods.
     */
    @WithDefault("30")
    int rounds();

    /**
     * The most the warm-up may take: after it the service reports ready with the rounds done so
     * far, so that a slow machine delays readiness by at most this much.
     */
    @WithDefault("10s")
    Duration budget();
}
