package io.ascall.engineer.config;

import java.time.Duration;
import java.time.ZoneId;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** engineer-service's own settings (prefix {@code engineer}). */
@ConfigMapping(prefix = "engineer")
public interface EngineerConfig {

    Offer offer();

    /** The engineers' live assignment streams ({@code GET /engineers/{id}/assignments/stream}). */
    Stream stream();

    /**
     * The time zone of the engineers' working day: "assignments today", the second tie-breaker of
     * matching, counts from midnight there.
     */
    @WithDefault("Asia/Seoul")
    ZoneId workdayZone();

    interface Offer {
        /** How long an engineer has to accept an offer before it goes to the next engineer. */
        @WithDefault("2m")
        Duration timeout();

        /**
         * How often the expiry job looks for offers past their deadline: an offer lasts at most
         * {@link #timeout()} plus this.
         */
        @WithDefault("1s")
        Duration expiryCheck();

        /** How many expired offers one round of the expiry job handles at most; the next round takes the rest. */
        @WithDefault("50")
        int expiryBatch();
    }

    interface Stream {
        /**
         * The heartbeat period: every period, a stream that sent nothing since the previous one
         * gets a comment line, so that no open stream goes two periods without a byte. Proxies
         * close connections idle for about a minute (often 55-60 s); this keeps them from it.
         */
        @WithDefault("15s")
        Duration heartbeat();

        /**
         * How many events one stream holds for a client that has not read them yet. A client
         * further behind is disconnected (it reconnects and is sent what it missed from the
         * database): a stalled client never makes the service hold more than this.
         */
        @WithDefault("256")
        @Min(1)
        int buffer();

        /**
         * How long entries of an engineer's feed are kept: a client that reconnects after longer
         * than this misses what is older (the engineer's list of assignments still shows it).
         */
        @WithDefault("7d")
        Duration retention();
    }
}
