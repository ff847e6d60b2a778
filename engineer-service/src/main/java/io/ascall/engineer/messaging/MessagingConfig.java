package io.ascall.engineer.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How events are published and received (prefix {@code messaging}). Kafka itself: {@code mp.messaging.*}. */
@ConfigMapping(prefix = "messaging")
public interface MessagingConfig {

    Relay relay();

    Inbox inbox();

    interface Relay {
        /**
         * How often the relay looks for unpublished events even without a wake-up from
         * PostgreSQL (a safety net: a commit normally wakes it at once through LISTEN/NOTIFY).
         */
        @WithDefault("2s")
        Duration pollInterval();

        /** How many events one relay transaction publishes at most. */
        @WithDefault("200")
        int batchSize();

        /** Published events are kept this long (for audit and replays), then deleted. */
        @WithDefault("7d")
        Duration retention();
    }

    interface Inbox {
        /**
         * Ids of received events are kept this long to recognise redeliveries; it must exceed the
         * topics' retention, so that a consumer rewinding to the start still sees every duplicate.
         */
        @WithDefault("14d")
        Duration retention();

        /** First wait before applying an event again after a failure (a database outage, say); doubles up to the maximum. */
        @WithDefault("200ms")
        Duration retryInitialBackoff();

        @WithDefault("10s")
        Duration retryMaxBackoff();
    }
}
