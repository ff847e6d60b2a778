package io.ascall.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How a service publishes and receives events (prefix {@code messaging}). Kafka itself is
 * {@code mp.messaging.*}: the outgoing channels {@code outbox} and {@code dead-letters} have
 * defaults in this library's META-INF/microprofile-config.properties.
 */
@ConfigMapping(prefix = "messaging")
public interface MessagingConfig {

    /** The {@code source} of the events this service publishes (docs/asyncapi.yaml). */
    @WithDefault("${quarkus.application.name}")
    String source();

    Relay relay();

    Inbox inbox();

    Metrics metrics();

    interface Metrics {
        /**
         * How often the outbox backlog and the parked events are counted in the database for
         * their gauges (MessagingMetrics): two index scans, cheap, but not for every scrape.
         */
        @WithDefault("15s")
        Duration refresh();
    }

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

        /** The PostgreSQL channel on which a commit wakes every replica's relay; default {@code <source>_outbox}. */
        Optional<String> wakeUpChannel();

        /**
         * The advisory lock that makes one replica at a time the publisher; any number no other
         * user of the database takes. Default: derived from the source, stable across releases
         * (changing it while old replicas run would let two publish at once).
         */
        OptionalLong publisherLock();
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

        /**
         * How often a step that fails for a reason other than an outage (a deadlock, a race on a
         * unique key, a bug) is tried before its event is set aside in the dead-letter topic. An
         * outage (the database or its connections gone) is retried for as long as it lasts.
         */
        @WithDefault("8")
        int maxAttempts();
    }

    /** The wake-up channel, as configured or derived from the source. */
    default String wakeUpChannel() {
        return relay().wakeUpChannel().orElse(source().replaceAll("[^A-Za-z0-9]", "_") + "_outbox");
    }

    /** The publisher lock, as configured or derived from the source. */
    default long publisherLock() {
        if (relay().publisherLock().isPresent()) {
            return relay().publisherLock().getAsLong();
        }
        CRC32 crc = new CRC32();
        crc.update(("ascall outbox relay " + source()).getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
