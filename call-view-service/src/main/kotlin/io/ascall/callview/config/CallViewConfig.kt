package io.ascall.callview.config

import io.smallrye.config.ConfigMapping
import io.smallrye.config.WithDefault
import java.time.Duration

/** call-view-service's own settings (prefix `callview`). Kafka itself: `mp.messaging.*`. */
@ConfigMapping(prefix = "callview")
interface CallViewConfig {

    fun stream(): Stream

    fun inbox(): Inbox

    fun lag(): Lag

    fun rebuild(): Rebuild

    /** `GET /call-views/{callId}/stream`, the Server-Sent Events of one call. */
    interface Stream {
        /**
         * How often a stream with nothing to say sends a comment line, so that proxies do not close
         * it as idle (their idle timeouts are often 55-60 s).
         */
        @WithDefault("15s") fun heartbeat(): Duration

        /**
         * How many events a stream holds for a client that reads slower than its call changes. When
         * they are more, the stream is closed: the client reconnects and gets the current view.
         */
        @WithDefault("32") fun buffer(): Int

        /**
         * How long a customer's request for a stream waits for the view to know the call (it lags
         * call-service by moments) before it is answered: whose call it is decides whether the
         * stream opens, and only the view's CallRequested says that. A customer who opens the
         * stream right after requesting the call gets it; an unknown call, and another customer's,
         * are a 404 after this long, both alike. An operator's stream waits for the call without a
         * limit.
         */
        @WithDefault("10s") fun awaitCall(): Duration
    }

    interface Inbox {
        /**
         * Ids of received events are kept this long to recognise redeliveries; it must exceed the
         * topics' retention, so that a consumer rewinding to the start still sees every duplicate.
         */
        @WithDefault("14d") fun retention(): Duration

        /**
         * First wait before applying an event again after a failure (a database outage, say);
         * doubles up to the maximum.
         */
        @WithDefault("200ms") fun retryInitialBackoff(): Duration

        /** Longest wait between two attempts to apply an event. */
        @WithDefault("10s") fun retryMaxBackoff(): Duration
    }

    /** How far the view is behind the topics (metric `callview.consumer.lag`, readiness data). */
    interface Lag {
        /** How often the consumer group's lag is measured. */
        @WithDefault("10s") fun refresh(): Duration
    }

    /** `POST /admin/rebuild`: the projection built again from the topics, then swapped in. */
    interface Rebuild {
        /**
         * How often a running rebuild records its progress (also its sign of life for the other
         * replicas).
         */
        @WithDefault("1s") fun progressEvery(): Duration

        /**
         * A rebuild whose progress has not moved for this long is taken for dead (its replica
         * stopped), and may be started again.
         */
        @WithDefault("30s") fun abandonedAfter(): Duration

        /**
         * How long the swap may wait for the live projection to finish the event it is applying;
         * the live projection waits while the swap runs. A rebuild that cannot swap in time fails
         * and changes nothing.
         */
        @WithDefault("30s") fun swapLockTimeout(): Duration
    }
}
