package io.ascall.engineer.stream;

import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * This instance's one {@code LISTEN engineer_feed} connection: every entry committed to an
 * engineer's feed, by any replica, wakes the streams of that engineer open here
 * ({@link EngineerStreams#committed}), which then read the new entries from the database. An
 * engineer connected to this replica so sees the offers another replica makes.
 *
 * <p>Notifications sent while the connection is down are lost: when it is back (it reconnects by
 * itself), every stream is compared with its engineer's feed and the ones behind read what they
 * missed. The heartbeat tick does the same, so even a connection that died silently delays
 * nothing by more than one tick.
 */
@ApplicationScoped
public class FeedListener {

    private static final Logger LOG = Logger.getLogger(FeedListener.class);
    private static final long RECONNECT_DELAY_MS = 1000;

    private final EngineerStreams streams;
    private final Vertx vertx;
    private final PgConnectOptions options;
    private volatile boolean stopped;
    private PgSubscriber subscriber;

    public FeedListener(
            EngineerStreams streams,
            Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String databaseUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.streams = streams;
        this.vertx = vertx;
        this.options = PgConnectOptions.fromUri(databaseUrl).setUser(user).setPassword(password);
    }

    void start(@Observes StartupEvent started) {
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempts -> RECONNECT_DELAY_MS);
        subscriber.channel(AssignmentFeed.CHANNEL).handler(this::notified).subscribeHandler(streams::catchUp);
        connect();
    }

    void stop(@Observes ShutdownEvent stopping) {
        stopped = true;
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** The first connection: the subscriber reconnects by itself only once it has been connected. */
    private void connect() {
        subscriber.connect().subscribe().with(connected -> LOG.debug("Listening to the engineers' feeds"), failure -> {
            LOG.warnf(
                    "Cannot LISTEN to the engineers' feeds yet, trying again (streams catch up on heartbeats meanwhile): %s",
                    failure.toString());
            if (!stopped) {
                vertx.setTimer(RECONNECT_DELAY_MS, retry -> connect());
            }
        });
    }

    /** {@code <engineer id>:<number>}, as {@link AssignmentFeed} notifies. */
    private void notified(String payload) {
        int colon = payload.indexOf(':');
        try {
            streams.committed(
                    UUID.fromString(payload.substring(0, colon)), Long.parseLong(payload.substring(colon + 1)));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Ignored a notification on %s that is not <engineer id>:<number>: %s",
                    AssignmentFeed.CHANNEL, payload);
        }
    }
}
